import Foundation
import FundSimModel

/// Checks that cannot fail: a check that holds whatever its inputs are shows as passed and gives false
/// assurance, so `validate` and `run` warn about it.
///
/// The rule, in the order it is tried (the first that applies gives the reason):
/// 1. **an input compared with itself** — both sides are the same row (`村數 >= 村數`);
/// 2. **the same expression on both sides** — after normalising: sums and products flattened and put in
///    order (`sum(a, b)` is `b + a`), constants folded, `x - y` as `x + -y`, double signs cancelled;
/// 3. **one side defined from the other** — with every computed row on both sides replaced by its
///    definition down to the inputs: both sides come to the same expression (an input defined as the
///    other side, the same inputs added up on both sides), or one side is `max(…, other, …)` (for `>=`) or
///    `min(…, other, …)` (for `<=`);
/// 4. **holding under every value of each input** — each input the check depends on (through any chain of
///    rows and years) is moved alone over its `range`, or ±50% of its value when it has none (`spread`),
///    at `points` evenly spaced values (whole numbers for a count or a plain whole number), the others kept; the check holds at every one of them in every
///    year it applies to. A check that depends on no input at all holds or fails once and for all.
///
/// Rule 4 is skipped for a model whose per-village roster models are too large to re-evaluate often
/// (`workLimit`).
///
/// A check that reads recorded actuals (`Formula.recorded`, issue 16) is left to rules 1–3: the actuals can make
/// it fail, and no range describes them.
///
/// Only a comparison that holds (`==`, `>=`, `<=` in 1–3) is reported by the structural rules; rule 4 and
/// every rule skip a check that fails with the scenario's own values (it can fail). A value where the
/// model cannot be evaluated counts as one where the check does not hold, so no warning rests on it.
public struct VacuousChecks: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case sameInput = "compares an input with itself"
        case sameExpression = "has the same expression on both sides"
        case definedFrom = "has one side defined from the other"
        case holdsEverywhere = "holds under every value of its inputs"
    }

    /// One check that cannot fail.
    public struct Finding: Sendable {
        public var check: CheckInfo
        public var kind: Kind
        /// Why it cannot fail, in terms of the scenario's names.
        public var reason: String
        public var location: SourceLocation?
    }

    /// How far an input without a `range` is moved either way (0.5 = ±50%).
    public static let spread = 0.5
    /// Values tried per input, from its low to its high end.
    public static let points = 5
    /// Rule 4 re-evaluates the whole model once per value tried; with per-village roster models that is a pass
    /// over every village and year each time. Past this many village-years in all (a national roster), rule 4
    /// is not tried and only rules 1–3 apply, so that `validate` and `run` stay quick.
    public static let workLimit = 20_000_000

    /// Villages × years of one evaluation of the model's per-village models.
    private var villageYears: Int {
        var seen = Set<ObjectIdentifier>(), n = 0
        for row in model.rows {
            if case .formula(.kernel(let k, _)) = row.definition, seen.insert(ObjectIdentifier(k)).inserted { n += k.incomes.count }
        }
        return n * model.years.count
    }

    let model: Model

    public init(_ model: Model) { self.model = model }

    /// The checks of the model that cannot fail, in the model's check order; `values` are the model's own
    /// (`Projection.values`).
    public func findings(_ values: [[Double]]) -> [Finding] {
        // Each finding with its check's position in the model, to put the two rules' findings back in check order.
        // Rules 1–3 for each check that holds, on every core: a finding, or the check left open for rule 4.
        let checks = model.checks
        let ruled = Self.concurrentChunks(checks.count) { n -> (position: Int, finding: Finding?)? in
            guard let row = model.index[checks[n].row], holds(checks[n], row, values) else { return nil }
            return (n, structural(checks[n]))
        }
        var out: [(position: Int, finding: Finding)] = []
        var open: [Int] = []
        for case let (n, f)? in ruled { if let f { out.append((n, f)) } else { open.append(n) } }
        out += numeric(open, values)
        return out.sorted { $0.position < $1.position }.map(\.finding)
    }

    /// The findings as warnings.
    public func diagnostics(_ values: [[Double]]) -> [Diagnostic] {
        findings(values).map { f in
            .warning("check `\(f.check.id)` cannot fail: it \(f.kind.rawValue) (\(f.reason))", at: f.location,
                     hint: "a check should compare what the model computes with a figure it must meet that comes from elsewhere; rewrite it, or remove it")
        }
    }

    // MARK: Evaluation

    private func holds(_ c: CheckInfo, _ row: Int, _ values: [[Double]]) -> Bool {
        for (y, year) in model.years.enumerated() where c.years.contains(year) {
            let v = values[row][y]
            if v == 0 || v.isNaN { return false }
        }
        return true
    }

    private func location(_ c: CheckInfo) -> SourceLocation? {
        if let l = c.location { return l }
        // A built-in check (an envelope) is placed where its source is declared.
        return c.rhsRow.flatMap { model.row($0)?.location } ?? c.lhsRow.flatMap { model.row($0)?.location }
    }

    // MARK: Rules 1–3

    private func structural(_ c: CheckInfo) -> Finding? {
        guard let l = c.lhsRow.flatMap({ model.index[$0] }), let r = c.rhsRow.flatMap({ model.index[$0] }),
              let op = comparison(c) else { return nil }
        let holdsWhenEqual = [.equal, .greaterEqual, .lessEqual].contains(op)
        let a = side(l), b = side(r)
        if case .row(let i) = a, case .row(let j) = b, i == j, holdsWhenEqual {
            return Finding(check: c, kind: .sameInput, reason: "both sides are `\(model.rows[i].id)`", location: location(c))
        }
        var plain = Normaliser(model: model, inline: false)
        let pa = plain.term(a), pb = plain.term(b)
        if pa == pb, holdsWhenEqual {
            return Finding(check: c, kind: .sameExpression, reason: "both sides are `\(pa.text)`", location: location(c))
        }
        var deep = Normaliser(model: model, inline: true)
        let da = deep.term(a), db = deep.term(b)
        if da == db, holdsWhenEqual {
            return Finding(check: c, kind: .definedFrom, reason: "both sides come to `\(da.text)` once every line is replaced by its definition",
                           location: location(c))
        }
        func contains(_ big: Term, _ f: Function, _ small: Term) -> Bool {
            if case .call(f, let args) = big { return args.contains(small) }
            return false
        }
        // Each side as written, only for a finding that shows it.
        var lhsText: String { sideText(a) }
        var rhsText: String { sideText(b) }
        if (op == .greaterEqual && contains(da, .max, db)) || (op == .lessEqual && contains(db, .max, da)) {
            let (big, small) = op == .greaterEqual ? (lhsText, rhsText) : (rhsText, lhsText)
            return Finding(check: c, kind: .definedFrom, reason: "`\(big)` is the larger of `\(small)` and other figures", location: location(c))
        }
        if (op == .lessEqual && contains(da, .min, db)) || (op == .greaterEqual && contains(db, .min, da)) {
            let (low, other) = op == .lessEqual ? (lhsText, rhsText) : (rhsText, lhsText)
            return Finding(check: c, kind: .definedFrom, reason: "`\(low)` is the smaller of `\(other)` and other figures", location: location(c))
        }
        return nil
    }

    /// The check's comparison operator, read from its formula (`round(lhs - rhs, d) OP 0` or `lhs OP rhs`).
    private func comparison(_ c: CheckInfo) -> BinaryOperator? {
        guard let i = model.index[c.row], case .formula(.binary(let op, _, _)) = model.rows[i].definition, op.isComparison else { return nil }
        return op
    }

    /// A side's own formula (a check's side row holds the expression as written).
    private func side(_ i: Int) -> Formula {
        if case .formula(let f) = model.rows[i].definition, model.rows[i].section == .check { return f }
        return .row(i)
    }

    private func sideText(_ f: Formula) -> String {
        var n = Normaliser(model: model, inline: false)
        return n.term(f).text
    }

    // MARK: Rule 4

    /// Rule 4 for the checks at `positions` in the model's checks; each finding with its check's position.
    private func numeric(_ positions: [Int], _ values: [[Double]]) -> [(position: Int, finding: Finding)] {
        // A check that reads recorded actuals (issue 16) can fail through them, and no range describes them.
        let movable = Set(Analysis.movableInputs(model))
        // Each check's row and the movable inputs it depends on, on every core; nil for a check that reads actuals.
        let found = Self.concurrentChunks(positions.count) { k -> (position: Int, row: Int, inputs: [Int])? in
            let r = model.index[model.checks[positions[k]].row]!
            return readsActuals(r) ? nil : (positions[k], r, inputsOf(r).filter(movable.contains).sorted())
        }.compactMap { $0 }
        guard !found.isEmpty else { return [] }
        let positions = found.map(\.position)
        let checks = positions.map { model.checks[$0] }
        let rows = found.map(\.row)
        let inputs = found.map(\.inputs)
        // Each input is moved once for all the checks that depend on it.
        let moves = Set(inputs.flatMap { $0 }).count * Self.points
        guard moves * villageYears <= Self.workLimit else { return [] }
        var failsWhenMoved: [Int: Set<Int>] = [:]   // input → checks (by position) that fail for some value of it
        var ranges: [Int: (low: Double, high: Double, stated: Bool)] = [:]
        // Every value tried, for every input: each is one evaluation of the model, apart from the others.
        var tries: [(input: Int, value: Double)] = []
        for i in Set(inputs.flatMap { $0 }).sorted() {
            let v0 = Analysis.firstValue(model, row: i)
            let (lo, hi, stated): (Double, Double, Bool) = {
                if let r = model.rows[i].range { return (r.lowerBound, r.upperBound, true) }
                return (v0 * (1 - Self.spread), v0 * (1 + Self.spread), false)
            }()
            ranges[i] = (min(lo, hi), max(lo, hi), stated)
            // A count, or a plain number written whole (`386` centres), is moved over whole numbers.
            let wholeCount = model.rows[i].dimension == .count || (model.rows[i].dimension == .number && v0 == v0.rounded())
            guard lo != hi else { continue }
            failsWhenMoved[i] = []
            for k in 0..<Self.points {
                var v = lo + (hi - lo) * Double(k) / Double(Self.points - 1)
                // Counts are whole: a fractional headcount would break checks that whole counts keep.
                if wholeCount { v = v.rounded() }
                tries.append((i, v))
            }
        }
        // The checks that depend on each input, by position.
        var dependents: [Int: [Int]] = [:]
        for (n, deps) in inputs.enumerated() { for i in deps { dependents[i, default: []].append(n) } }
        // The tries are independent, so they run on every core; each gives the checks (by position) that fail.
        // A try re-evaluates only the rows that read the input moved (through any chain): the others keep the
        // model's own values, which a whole re-evaluation would give them again.
        let readers = Evaluator.readers(model)
        var reached: [Int: [(row: Int, formula: Formula)]] = [:]
        for (i, _) in tries where reached[i] == nil { reached[i] = Evaluator.reached(from: i, model, readers: readers) }
        let failing = Self.concurrentMap(tries.count) { t -> [Int] in
            let (i, v) = tries[t]
            var ev = Evaluator(model: model, values: values)
            ev.values[i] = Analysis.values(model, row: i, settingTo: v)
            let error = ev.rerun(reached[i]!) != nil
            return dependents[i, default: []].filter { n in error || !holds(checks[n], rows[n], ev.values) }
        }
        for (t, found) in failing.enumerated() { failsWhenMoved[tries[t].input]!.formUnion(found) }
        var out: [(position: Int, finding: Finding)] = []
        for (n, c) in checks.enumerated() {
            let deps = inputs[n]
            if deps.isEmpty {
                out.append((positions[n], Finding(check: c, kind: .holdsEverywhere, reason: "it depends on no input", location: location(c))))
                continue
            }
            // An input that cannot be moved (0 without a range) tells nothing either way.
            let moved = deps.filter { failsWhenMoved[$0] != nil }
            guard !moved.isEmpty, moved.allSatisfy({ !failsWhenMoved[$0]!.contains(n) }) else { continue }
            let shown = moved.prefix(4).map { i -> String in
                let r = ranges[i]!
                return "`\(model.rows[i].id)` " + (r.stated ? "over its range \(Expr.format(r.low))–\(Expr.format(r.high))" : "±\(Int(Self.spread * 100))%")
            }
            let more = moved.count > 4 ? " and \(moved.count - 4) more" : ""
            out.append((positions[n], Finding(check: c, kind: .holdsEverywhere, reason: "it holds with " + shown.joined(separator: ", ") + more + ", each moved alone",
                                              location: location(c))))
        }
        return out
    }

    /// `work(0) … work(count - 1)` in their order, in a few runs of consecutive indices on every core: for many
    /// small pieces of work, where one task per index would cost more than the work.
    static func concurrentChunks<T>(_ count: Int, _ work: (Int) -> T) -> [T] {
        let chunks = count < 256 ? 1 : 4 * ProcessInfo.processInfo.activeProcessorCount
        let size = (count + chunks - 1) / max(1, chunks)
        guard chunks > 1 else { return (0..<count).map(work) }
        return concurrentMap(chunks) { c in (min(count, c * size)..<min(count, (c + 1) * size)).map(work) }.flatMap { $0 }
    }

    /// `work(0) … work(count - 1)` on every core, in their order.
    static func concurrentMap<T>(_ count: Int, _ work: (Int) -> T) -> [T] {
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        let shared = SendableSlots(slots)
        withoutActuallyEscaping(work) { work in
            let w = UncheckedWork(work)
            DispatchQueue.concurrentPerform(iterations: count) { k in shared.slots[k] = w.work(k) }
        }
        return slots.map { $0! }
    }

    private struct SendableSlots<T>: @unchecked Sendable {
        let slots: UnsafeMutableBufferPointer<T?>
        init(_ slots: UnsafeMutableBufferPointer<T?>) { self.slots = slots }
    }

    private struct UncheckedWork<T>: @unchecked Sendable {
        let work: (Int) -> T
        init(_ work: @escaping (Int) -> T) { self.work = work }
    }

    /// Whether row `r` depends, through any chain of rows, on a formula that takes recorded actuals.
    private func readsActuals(_ r: Int) -> Bool {
        var seen: Set<Int> = [r], stack = [r]
        while let i = stack.popLast() {
            guard case .formula(let f) = model.rows[i].definition else { continue }
            if f.readsRecorded { return true }
            var next: Set<Int> = []
            f.allRows(into: &next)
            for j in next where seen.insert(j).inserted { stack.append(j) }
        }
        return false
    }

    /// Every input row (a figure, not a formula) that row `r` depends on, through any chain of rows and years.
    private func inputsOf(_ r: Int) -> Set<Int> {
        var seen: Set<Int> = [r], stack = [r], out: Set<Int> = []
        while let i = stack.popLast() {
            guard case .formula(let f) = model.rows[i].definition else { out.insert(i); continue }
            var next: Set<Int> = []
            f.allRows(into: &next)
            for j in next where seen.insert(j).inserted { stack.append(j) }
        }
        return out
    }
}

/// A formula in normal form, for comparing two sides of a check.
indirect enum Term: Hashable {
    case constant(Double)
    case row(String)
    case previous(String, Term)
    case year
    case sum([Term])
    case product([Term])
    case negate(Term)
    case binary(BinaryOperator, Term, Term)
    case call(Function, [Term])
    case opaque(String)

    /// The term written out with the scenario's names.
    var text: String {
        switch self {
        case .constant(let v): return Expr.format(v)
        case .row(let id): return id
        case .previous(let id, _): return "prev(\(id))"
        case .year: return "year"
        case .sum(let ts): return ts.map(\.text).joined(separator: " + ")
        case .product(let ts): return ts.map { t in if case .sum = t { return "(\(t.text))" } else { return t.text } }.joined(separator: " * ")
        case .negate(let t): return "-(\(t.text))"
        case .binary(let op, let a, let b): return "(\(a.text) \(op.rawValue) \(b.text))"
        case .call(let f, let args): return f.rawValue + "(" + args.map(\.text).joined(separator: ", ") + ")"
        case .opaque(let s): return s
        }
    }
}

/// Brings formulas to `Term`s: flattening, ordering and folding; with `inline`, computed rows are replaced by
/// their definitions (input rows and per-village models stay as they are).
struct Normaliser {
    let model: Model
    let inline: Bool
    private var memo: [Int: Term] = [:]
    private var visiting: Set<Int> = []
    /// Terms grow with every line inlined; past this size a row is kept as its name.
    private static let largest = 4000

    init(model: Model, inline: Bool) {
        self.model = model
        self.inline = inline
    }

    mutating func term(_ f: Formula) -> Term {
        switch f {
        case .constant(let v): return .constant(v)
        case .year: return .year
        case .row(let i): return row(i)
        case .previous(let i, let initial): return .previous(model.rows[i].id, term(initial))
        case .kernel(_, let output): return .opaque("kernel#\(output)")
        case .recorded(let rows, let otherwise):
            // Actuals where recorded, else the plan: kept apart from any other expression.
            return .call(.if, [.opaque("recorded(" + rows.map { model.rows[$0].id }.joined(separator: ", ") + ")"), term(otherwise), .opaque("")])
        case .negate(let a):
            let t = term(a)
            if case .negate(let inner) = t { return inner }
            if case .constant(let v) = t { return .constant(-v) }
            return .negate(t)
        case .binary(.add, let a, let b): return sum([term(a), term(b)])
        case .binary(.subtract, let a, let b): return sum([term(a), term(.negate(b))])
        case .binary(.multiply, let a, let b): return product([term(a), term(b)])
        case .binary(let op, let a, let b):
            // A comparison rewritten by `FormulaRules` (`round(a - b, d) op 0`) is compared as written.
            return .binary(op, term(a), term(b))
        case .call(.sum, let args): return sum(args.map { term($0) })
        case .call(let fn, let args):
            var ts = args.map { term($0) }
            if [.min, .max, .and, .or].contains(fn) {
                // Nested calls of the same function are one call; argument order does not matter.
                ts = ts.flatMap { t -> [Term] in if case .call(fn, let inner) = t { return inner } else { return [t] } }
                ts = Array(Set(ts)).sorted { $0.text < $1.text }
                if ts.count == 1 { return ts[0] }
            }
            return .call(fn, ts)
        }
    }

    private mutating func row(_ i: Int) -> Term {
        let r = model.rows[i]
        guard case .formula(let f) = r.definition else { return .row(r.id) }
        // A check's side is always looked through; other computed rows only when inlining.
        guard inline || r.section == .check else { return .row(r.id) }
        if case .kernel = f { return .row(r.id) }
        if let t = memo[i] { return t }
        guard visiting.insert(i).inserted else { return .row(r.id) }
        defer { visiting.remove(i) }
        var t = term(f)
        if t.text.count > Self.largest { t = .row(r.id) }
        memo[i] = t
        return t
    }

    private func sum(_ ts: [Term]) -> Term {
        var parts: [Term] = [], c = 0.0
        for t in ts {
            switch t {
            case .sum(let inner): parts += inner.filter { if case .constant = $0 { return false } else { return true } }
                for case .constant(let v) in inner { c += v }
            case .constant(let v): c += v
            default: parts.append(t)
            }
        }
        if c != 0 { parts.append(.constant(c)) }
        parts.sort { $0.text < $1.text }
        if parts.isEmpty { return .constant(0) }
        return parts.count == 1 ? parts[0] : .sum(parts)
    }

    private func product(_ ts: [Term]) -> Term {
        var parts: [Term] = [], c = 1.0
        for t in ts {
            switch t {
            case .product(let inner): parts += inner.filter { if case .constant = $0 { return false } else { return true } }
                for case .constant(let v) in inner { c *= v }
            case .constant(let v): c *= v
            default: parts.append(t)
            }
        }
        if c == 0 { return .constant(0) }
        if c != 1 { parts.append(.constant(c)) }
        parts.sort { $0.text < $1.text }
        if parts.isEmpty { return .constant(c) }
        return parts.count == 1 ? parts[0] : .product(parts)
    }
}

extension Formula {
    /// Whether the formula takes recorded actuals anywhere inside it.
    var readsRecorded: Bool {
        switch self {
        case .recorded: return true
        case .constant, .row, .year, .kernel: return false
        case .previous(_, let initial): return initial.readsRecorded
        case .negate(let a): return a.readsRecorded
        case .binary(_, let a, let b): return a.readsRecorded || b.readsRecorded
        case .call(_, let args): return args.contains { $0.readsRecorded }
        }
    }
}
