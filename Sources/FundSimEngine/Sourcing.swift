import FundSimModel

/// How much of each row rests only on the seed's figures, and how much on at least one assumption.
///
/// The definitions are in docs/engine.md, "Sourced and assumed money"; in short:
/// - an input row is **cited** when its provenance holds a `cite:` and no `assumption:`; any other input (an
///   assumption, a cite with an assumption beside it, no provenance, a roster figure) is **assumed**;
/// - a formula row is **sourced** when every row it reads, transitively and in earlier years too (`prev`),
///   is cited or sourced, and it carries no assumption of its own (an input written as `expr:` with
///   `assumption:`, or the cost of a commitment whose entry states an `assumption:`); figures written inside
///   a formula are part of it;
/// - a row's **sourced money** in a year: all of its value when the row is sourced; otherwise the money of a
///   sum splits by its terms, a product or quotient with one sourced factor is the other factor's sourced
///   money scaled by it, `prev(x)` is last year's sourced money of `x`, and anything else (a difference, `min`,
///   `max`, `if`, rounding, a per-village model) is wholly assumed.
public struct Sourcing: Sendable {
    /// Per row: the row rests only on cited figures.
    public let sourced: [Bool]
    /// Per row: the row is an input or carries an assumption of its own (the places a taint starts).
    public let ownAssumption: [Bool]
    /// Per row and year: the part of the row's value that rests only on cited figures (base units).
    public let sourcedValues: [[Double]]
    let model: Model

    /// Whether an input row's provenance makes it cited: a `cite:` and no `assumption:`.
    public static func isCited(_ provenance: [Provenance]) -> Bool {
        provenance.contains { if case .cite = $0 { return true } else { return false } }
            && !provenance.contains { if case .assumption = $0 { return true } else { return false } }
    }

    /// Whether a row starts out assumed, before anything it reads is looked at.
    static func ownlyAssumed(_ row: Row) -> Bool {
        switch row.definition {
        case .scalar, .series:
            // Rows FundSim writes itself from the file's structure (a target's year, a band's bound) carry no
            // provenance and are part of the commitment's definition; an input always has its own.
            if row.section != .input && row.provenance.isEmpty { return false }
            return !isCited(row.provenance)
        case .formula(.kernel):
            return true   // a per-village model runs on the roster, which is not the seed
        case .formula:
            return row.provenance.contains { if case .assumption = $0 { return true } else { return false } }
        }
    }

    public init(_ projection: Projection) {
        let model = projection.model
        self.model = model
        let n = model.rows.count
        var own = [Bool](repeating: false, count: n)
        var dependents: [[Int]] = Array(repeating: [], count: n)
        // A commitment whose own entry states an assumption rests on it as a whole.
        let assumedCosts = Set(model.commitments.filter { c in
            c.provenance.contains { if case .assumption = $0 { return true } else { return false } }
        }.compactMap { model.index[$0.costRow] })
        for i in model.rows.indices {
            own[i] = Self.ownlyAssumed(model.rows[i]) || assumedCosts.contains(i)
            if case .formula(let f) = model.rows[i].definition {
                var deps = Set<Int>()
                f.allRows(into: &deps)
                for d in deps { dependents[d].append(i) }
            }
        }
        // Taint flows from every assumed row to every row that reads it, through any number of steps.
        var clean = own.map { !$0 }
        var queue = own.indices.filter { own[$0] }
        while let i = queue.popLast() {
            for d in dependents[i] where clean[d] {
                clean[d] = false
                queue.append(d)
            }
        }
        sourced = clean
        ownAssumption = own
        var money = Array(repeating: [Double](repeating: 0, count: model.years.count), count: n)
        let values = projection.values
        for y in model.years.indices {
            for i in model.order {
                if clean[i] { money[i][y] = values[i][y]; continue }
                guard !own[i], case .formula(let f) = model.rows[i].definition else { money[i][y] = 0; continue }
                let part = Self.part(f, y, values: values, sourced: money, clean: clean, years: model.years)
                // Never more than the money itself, nor of the other sign.
                let v = values[i][y]
                money[i][y] = part.isFinite ? (v >= 0 ? min(max(part, 0), v) : max(min(part, 0), v)) : 0
            }
        }
        sourcedValues = money
    }

    /// The sourced part of a formula's value in year `y` (see the type's documentation).
    static func part(_ f: Formula, _ y: Int, values: [[Double]], sourced: [[Double]], clean: [Bool], years: [Int]) -> Double {
        func isClean(_ g: Formula) -> Bool { Self.readsOnlyClean(g, clean) }
        func value(_ g: Formula) -> Double { Self.value(g, y, values: values, years: years) }
        func part(_ g: Formula) -> Double { Self.part(g, y, values: values, sourced: sourced, clean: clean, years: years) }
        if isClean(f) { return value(f) }
        switch f {
        case .row(let i): return sourced[i][y]
        case .previous(let i, let initial): return y == 0 ? part(initial) : sourced[i][y - 1]
        case .negate(let a): return -part(a)
        case .binary(.add, let a, let b): return part(a) + part(b)
        case .binary(.multiply, let a, let b):
            if isClean(b) { return part(a) * value(b) }
            if isClean(a) { return value(a) * part(b) }
            return 0
        case .binary(.divide, let a, let b):
            return isClean(b) ? part(a) / value(b) : 0
        case .call(.sum, let args):
            return args.reduce(0) { $0 + part($1) }
        default:
            return 0
        }
    }

    /// Whether every row a formula reads (``Formula/allRows(into:)``) is clean: the same answer, without a set per question.
    static func readsOnlyClean(_ f: Formula, _ clean: [Bool]) -> Bool {
        switch f {
        case .constant, .year: return true
        case .row(let i): return clean[i]
        case .previous(let i, let initial): return clean[i] && readsOnlyClean(initial, clean)
        case .negate(let a): return readsOnlyClean(a, clean)
        case .binary(_, let a, let b): return readsOnlyClean(a, clean) && readsOnlyClean(b, clean)
        case .call(_, let args): return args.allSatisfy { readsOnlyClean($0, clean) }
        case .kernel(let k, _): return k.parameters.allSatisfy { readsOnlyClean($0, clean) }
        case .recorded(let rows, let otherwise): return rows.allSatisfy { clean[$0] } && readsOnlyClean(otherwise, clean)
        }
    }

    /// A formula's value from the computed rows (a per-village model is read from its row, never re-run).
    static func value(_ f: Formula, _ y: Int, values: [[Double]], years: [Int]) -> Double {
        func v(_ g: Formula) -> Double { value(g, y, values: values, years: years) }
        switch f {
        case .constant(let c): return c
        case .row(let i): return values[i][y]
        case .previous(let i, let initial): return y == 0 ? v(initial) : values[i][y - 1]
        case .year: return Double(years[y])
        case .negate(let a): return -v(a)
        case .binary(let op, let a, let b): return (try? op.apply(v(a), v(b))) ?? .nan
        case .call(.if, let args): return v(args[Function.if.branch(condition: v(args[0]))])
        case .call(let fn, let args):
            let xs = args.map(v)
            return (try? xs.withUnsafeBufferPointer { try fn.apply($0) }) ?? .nan
        case .kernel: return .nan
        case .recorded(let rows, let otherwise):
            let recorded = rows.map { values[$0][y] }.filter { !$0.isNaN }
            return recorded.isEmpty ? v(otherwise) : recorded.reduce(0, +)
        }
    }

    /// The sourced money of a row, by year (zeros for an unknown id).
    public func sourced(_ id: String) -> [Double] {
        model.index[id].map { sourcedValues[$0] } ?? Array(repeating: 0, count: model.years.count)
    }

    /// Whether a row rests only on cited figures.
    public func isSourced(_ id: String) -> Bool { model.index[id].map { sourced[$0] } ?? false }

    /// The assumed rows a row rests on, in model order: the inputs (and rows with an assumption of their own)
    /// that make it assumed. Empty for a sourced row.
    public func assumptions(of id: String) -> [String] {
        guard let start = model.index[id] else { return [] }
        var seen = Set<Int>([start]), stack = [start], found: [Int] = []
        while let i = stack.popLast() {
            if ownAssumption[i] { found.append(i); continue }
            guard case .formula(let f) = model.rows[i].definition else { continue }
            var deps = Set<Int>()
            f.allRows(into: &deps)
            for d in deps where !sourced[d] && seen.insert(d).inserted { stack.append(d) }
        }
        return found.sorted().map { model.rows[$0].id }
    }

    /// What decides a check: the seed's own figures, or assumptions (with the assumed rows it reads).
    public func basis(of check: CheckInfo) -> CheckBasis {
        isSourced(check.row) ? .seed : .assumptions(assumptions(of: check.row))
    }
}

/// What decides a check's outcome (docs/engine.md, "Sourced and assumed money").
public enum CheckBasis: Sendable, Equatable {
    /// Every figure the check reads, transitively, is cited: a failure is an inconsistency in the seed itself.
    case seed
    /// At least one figure it reads is an assumption (these rows): the outcome is a modelling result.
    case assumptions([String])

    public var isSeed: Bool { self == .seed }
}

/// A source's standing in one year (docs/engine.md, "Envelopes, gaps and who causes them").
public enum FundingStatus: Sendable, Equatable {
    /// Commitments exceed the stated envelope by this much (yuan, > 0).
    case gap(Double)
    /// The envelope covers the commitments with this much left (yuan, ≥ 0).
    case surplus(Double)
    /// No envelope is stated: this much is committed with no budget behind it (yuan). Never a gap of 0.
    case unbudgeted(Double)

    /// The status from the committed amount and the envelope, both rounded to the fen.
    public init(committed: Double, envelope: Double?) {
        guard let envelope else { self = .unbudgeted(committed); return }
        let gap = Money.fen(committed - envelope)
        self = gap > 0 ? .gap(gap) : .surplus(-gap + 0)
    }

    public var gap: Double { if case .gap(let v) = self { return v } else { return 0 } }
    public var surplus: Double { if case .surplus(let v) = self { return v } else { return 0 } }
    public var unbudgeted: Double { if case .unbudgeted(let v) = self { return v } else { return 0 } }
}
