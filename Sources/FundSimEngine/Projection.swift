import Foundation
import FundSimModel

/// The year-by-year figures of a scenario: a pure function of the model.
public struct Projection: Sendable {
    public let model: Model
    /// Values by row, then by year index; in base units (yuan, 1 = 100%, 1/0 for true/false).
    public let values: [[Double]]
    /// Per-village results of roster programmes, by commitment id: made on first use from the steps the evaluation
    /// recorded (a run that writes no roster sheet never puts each year's incomes back in roster order).
    public var rosterDetails: [String: RosterDetail] {
        get { details.value }
        set { details = RosterDetails(newValue) }
    }
    private var details: RosterDetails

    public var years: [Int] { model.years }

    public init(model: Model, values: [[Double]], rosterDetails: [String: RosterDetail] = [:]) {
        self.model = model
        self.values = values
        self.details = RosterDetails(rosterDetails)
    }

    init(model: Model, values: [[Double]], rosterSteps: [String: RosterSteps]) {
        self.model = model
        self.values = values
        self.details = RosterDetails(steps: rosterSteps)
    }

    /// The sourcing, computed on first use and shared by copies (it depends only on `model` and `values`,
    /// which never change): a workbook asks for it from several sheets.
    private let sourcingOnce = Once<Sourcing>()
    private let commitmentFiguresOnce = Once<[CommitmentFigures]>()

    public func series(_ id: String) -> [Double]? { model.index[id].map { values[$0] } }

    /// Evaluates the model. Fails with diagnostics on division by zero, overflow or other non-finite results.
    public static func evaluate(_ model: Model, overrides: [Int: [Double]] = [:]) -> Result<Projection, DiagnosticList> {
        let (p, problems) = evaluateCollecting(model, overrides: overrides)
        return problems.isEmpty ? .success(p) : .failure(DiagnosticList(problems))
    }

    /// Evaluates every row, for a validation pass: the projection (a bad row, and every row computed from it, is
    /// not a number) and one diagnostic per bad row.
    public static func evaluateCollecting(_ model: Model, overrides: [Int: [Double]] = [:]) -> (projection: Projection, problems: [Diagnostic]) {
        var ev = Evaluator(model: model)
        ev.recordDetail = true
        for (i, v) in overrides { ev.override[i] = v }
        let problems = ev.run(collecting: true)
        var steps: [String: RosterSteps] = [:]
        for row in model.rows {
            if case .formula(.kernel(let k, _)) = row.definition, case .commitment(let c) = row.section, steps[c] == nil {
                steps[c] = ev.kernels.steps[ObjectIdentifier(k)]
            }
        }
        return (Projection(model: model, values: ev.values, rosterSteps: steps), problems)
    }

    /// Fast re-evaluation for many draws: returns nil on a non-finite result.
    public static func values(_ model: Model, overrides: [Int: [Double]]) -> [[Double]]? {
        var ev = Evaluator(model: model)
        ev.override = overrides
        return ev.run() == nil ? ev.values : nil
    }

    /// The value of each of `formulas` in year index `y`, over this projection's rows; nil for one that has no value
    /// (an operation error) or that runs a per-village model (run only as a row's whole formula). The workbook caches
    /// what part of a formula gives with it (its partial sums).
    public func values(of formulas: [Formula], year y: Int) -> [Double?] {
        var ev: Evaluator? = nil
        return formulas.map { f in
            switch f {
            case .row(let i): return values[i][y]
            case .constant(let v): return v
            case .kernel: return nil
            default:
                guard !Self.runsKernel(f) else { return nil }
                if ev == nil { ev = Evaluator(model: model, values: values) }
                ev!.year = y
                return try? ev!.eval(f)
            }
        }
    }

    static func runsKernel(_ f: Formula) -> Bool {
        switch f {
        case .kernel: return true
        case .constant, .row, .year: return false
        case .previous(_, let a), .negate(let a), .recorded(_, let a): return runsKernel(a)
        case .binary(_, let a, let b): return runsKernel(a) || runsKernel(b)
        case .call(_, let args): return args.contains(where: runsKernel)
        }
    }

    // MARK: Report figures

    /// A commitment's yearly cost rounded to the fen, and what each source pays, adding up to it exactly.
    public struct CommitmentFigures: Sendable {
        public var info: CommitmentInfo
        public var cost: [Double]
        public var bySource: [(source: String, amounts: [Double])]
        /// The part of each year's cost that rests only on cited figures (the rest rests on an assumption).
        public var sourced: [Double]
        /// Each source's amounts that rest only on cited figures, in `bySource` order.
        public var sourcedBySource: [[Double]]
        /// The cost split by money basis: new money, continuing money, and a whole bill that is not split.
        public var newMoney: [Double]
        public var continuingMoney: [Double]
        public var unsplit: [Double]

        /// The part of each year's cost that rests on at least one assumption.
        public var assumed: [Double] { zip(cost, sourced).map { Money.fen($0 - $1) } }
    }

    /// How much of each row rests on cited figures only (docs/engine.md, "Sourced and assumed money").
    public func sourcing() -> Sourcing { sourcingOnce.value { Sourcing(self) } }

    public func commitmentFigures() -> [CommitmentFigures] { commitmentFiguresOnce.value(computeCommitmentFigures) }

    private func computeCommitmentFigures() -> [CommitmentFigures] {
        let sourcing = sourcing()
        return model.commitments.map { c in
            let cost = series(c.costRow)!.map(Money.fen)
            let raw = c.amountRows.map { series($0.row)! }
            var parts = c.amountRows.map { _ in [Double](repeating: 0, count: years.count) }
            for y in years.indices {
                let split = Money.split(total: cost[y], parts: raw.map { $0[y] })
                for k in parts.indices { parts[k][y] = split[k] }
            }
            let sourced = zip(sourcing.sourced(c.costRow).map(Money.fen), cost).map { Self.within($0, $1) }
            let sourcedBySource = zip(c.amountRows, parts).map { row, amounts in
                zip(sourcing.sourced(row.row).map(Money.fen), amounts).map { Self.within($0, $1) }
            }
            let zero = [Double](repeating: 0, count: years.count)
            var newMoney = zero, continuing = zero, unsplit = zero
            switch c.basis {
            case nil, .increase?, .new?: newMoney = cost
            case .continuing?: continuing = cost
            case .whole?:
                if let row = c.continuingRow {
                    continuing = series(row)!.map(Money.fen)
                    newMoney = zip(cost, continuing).map { Money.fen($0 - $1) }
                } else {
                    unsplit = cost
                }
            }
            return CommitmentFigures(info: c, cost: cost, bySource: zip(c.amountRows, parts).map { ($0.0.source, $0.1) },
                                     sourced: sourced, sourcedBySource: sourcedBySource,
                                     newMoney: newMoney, continuingMoney: continuing, unsplit: unsplit)
        }
    }

    /// A rounded part kept within its rounded whole (rounding each to the fen apart can pass it by a fen).
    static func within(_ part: Double, _ whole: Double) -> Double {
        whole >= 0 ? min(max(part, 0), whole) : max(min(part, 0), whole)
    }

    /// The sums over all commitments: cost, sourced and assumed money, and the money bases, by year.
    public struct TotalFigures: Sendable {
        public var cost: [Double]
        public var sourced: [Double]
        public var newMoney: [Double]
        public var continuingMoney: [Double]
        public var unsplit: [Double]
        public var assumed: [Double] { zip(cost, sourced).map { Money.fen($0 - $1) } }
    }

    public func totalFigures(_ cs: [CommitmentFigures]? = nil) -> TotalFigures {
        let cs = cs ?? commitmentFigures()
        // Each year's figures added in commitment order, as a sum over the commitments per year would (the same
        // rounding); one pass over the commitments per part, without copying each commitment's figures per year.
        func sum(_ part: (CommitmentFigures) -> [Double]) -> [Double] {
            var total = [Double](repeating: 0, count: years.count)
            for c in cs {
                let v = part(c)
                for y in total.indices { total[y] += v[y] }
            }
            return total.map(Money.fen)
        }
        return TotalFigures(cost: sum { $0.cost }, sourced: sum { $0.sourced }, newMoney: sum { $0.newMoney },
                            continuingMoney: sum { $0.continuingMoney }, unsplit: sum { $0.unsplit })
    }

    public struct SourceFigures: Sendable {
        public var info: SourceInfo
        public var committed: [Double]
        public var envelope: [Double]?
        /// Committed minus envelope: positive is a shortfall.
        public var gap: [Double]?
        public var cumulativeGap: [Double]?
        /// For each commitment, the part of the year's shortfall it causes: commitments are taken in scenario
        /// order, and a commitment's amount counts as over the envelope once the running total passes it.
        public var attribution: [(commitment: String, amounts: [Double])]
        /// The source's standing each year: gap, surplus, or unbudgeted (no envelope).
        public var status: [FundingStatus]
        /// The part of the committed amount that rests only on cited figures.
        public var sourced: [Double]
        public var assumed: [Double] { zip(committed, sourced).map { Money.fen($0 - $1) } }
        /// Whether the source states an envelope.
        public var isBudgeted: Bool { envelope != nil }
    }

    public func sourceFigures(_ cs: [CommitmentFigures]? = nil) -> [SourceFigures] {
        let cs = cs ?? commitmentFigures()
        return model.sources.map { s in
            var committed = [Double](repeating: 0, count: years.count)
            var sourced = [Double](repeating: 0, count: years.count)
            var pays: [(String, [Double])] = []
            for c in cs {
                for (k, part) in c.bySource.enumerated() where part.source == s.name {
                    for y in years.indices { committed[y] += part.amounts[y]; sourced[y] += c.sourcedBySource[k][y] }
                    pays.append((c.info.id, part.amounts))
                }
            }
            committed = committed.map(Money.fen)
            sourced = sourced.map(Money.fen)
            guard let envRow = s.envelopeRow else {
                return SourceFigures(info: s, committed: committed, envelope: nil, gap: nil, cumulativeGap: nil, attribution: [],
                                     status: committed.map { FundingStatus(committed: $0, envelope: nil) }, sourced: sourced)
            }
            let env = series(envRow)!.map(Money.fen)
            let gap = zip(committed, env).map { Money.fen($0 - $1) }
            var cum: [Double] = []
            var run = 0.0
            for g in gap { run = Money.fen(run + g); cum.append(run) }
            var attribution: [(String, [Double])] = []
            var running = [Double](repeating: 0, count: years.count)
            for (id, amounts) in pays {
                var over = [Double](repeating: 0, count: years.count)
                for y in years.indices {
                    running[y] += amounts[y]
                    over[y] = Money.fen(max(0, min(amounts[y], running[y] - env[y])))
                }
                attribution.append((id, over))
            }
            return SourceFigures(info: s, committed: committed, envelope: env, gap: gap, cumulativeGap: cum, attribution: attribution,
                                 status: zip(committed, env).map { FundingStatus(committed: $0, envelope: $1) }, sourced: sourced)
        }
    }

    /// Totals by category, from the rounded commitment costs.
    public func categoryTotals(_ cs: [CommitmentFigures]? = nil) -> [(category: Category, amounts: [Double])] {
        let cs = cs ?? commitmentFigures()
        return Category.allCases.map { cat in
            var t = [Double](repeating: 0, count: years.count)
            for c in cs where c.info.category == cat { for y in years.indices { t[y] += c.cost[y] } }
            return (cat, t.map(Money.fen))
        }
    }

    public struct CheckResult: Sendable {
        public var info: CheckInfo
        /// Pass (true) or fail (false) per projection year; nil where the check does not apply.
        public var byYear: [Bool?]
        public var lhs: [Double]?
        public var rhs: [Double]?
        public var passed: Bool { byYear.allSatisfy { $0 != false } }
        public var failingYears: [Int]
        /// What decides the check: the seed's own figures, or assumptions.
        public var basis: CheckBasis
    }

    public func checkResults() -> [CheckResult] {
        let sourcing = sourcing()
        return model.checks.map { c in
            let v = series(c.row)!
            let byYear: [Bool?] = years.enumerated().map { i, y in c.years.contains(y) ? v[i] != 0 : nil }
            let failing = zip(years, byYear).filter { $0.1 == false }.map(\.0)
            return CheckResult(info: c, byYear: byYear, lhs: c.lhsRow.flatMap(series), rhs: c.rhsRow.flatMap(series), failingYears: failing,
                               basis: sourcing.basis(of: c))
        }
    }
}

/// Rounding to the fen (0.01 yuan), half away from zero, and splitting a rounded total into rounded parts.
public enum Money {
    @inline(__always) public static func fen(_ x: Double) -> Double {
        (x * 100).rounded(.toNearestOrAwayFromZero) / 100
    }

    /// Rounds `parts` to the fen so that they add up to `total` exactly (largest remainder).
    public static func split(total: Double, parts: [Double]) -> [Double] {
        guard !parts.isEmpty else { return [] }
        let cents = parts.map { $0 * 100 }
        var rounded = cents.map { $0.rounded(.down) }
        let target = (total * 100).rounded()
        var missing = Int(target - rounded.reduce(0, +))
        let order = cents.indices.sorted { (cents[$0] - rounded[$0]) > (cents[$1] - rounded[$1]) }
        var k = 0
        while missing > 0, !order.isEmpty {
            rounded[order[k % order.count]] += 1
            missing -= 1
            k += 1
        }
        while missing < 0, !order.isEmpty {
            rounded[order[(order.count - 1) - (k % order.count)]] -= 1
            missing += 1
            k += 1
        }
        return rounded.map { $0 / 100 }
    }
}

/// Computes rows year by year in dependency order.
struct Evaluator {
    let model: Model
    var values: [[Double]]
    var override: [Int: [Double]] = [:]
    var year = 0
    var recordDetail = false
    /// Per-village models' state; a class so that evaluation stays non-mutating. Each evaluator has its own.
    final class KernelState {
        var year: [ObjectIdentifier: Int] = [:]
        var villages: [ObjectIdentifier: RosterKernel.Villages] = [:]
        var outputs: [ObjectIdentifier: [Double]] = [:]
        /// What each model did, year by year, when the evaluation records it (`recordDetail`).
        var steps: [ObjectIdentifier: RosterSteps] = [:]
        /// Working space for the models' steps, reused from year to year and draw to draw.
        var scratch = RosterKernel.Villages()
    }
    let kernels = KernelState()

    init(model: Model) {
        self.model = model
        self.values = Array(repeating: Array(repeating: 0, count: model.years.count), count: model.rows.count)
    }

    /// An evaluator over rows already computed (a projection's), for parts of their formulas.
    init(model: Model, values: [[Double]]) {
        self.model = model
        self.values = values
    }

    struct NonFinite: Error { var message: String }

    /// Evaluates every row; returns the first problem (what a Monte Carlo draw needs to know).
    mutating func run() -> Diagnostic? {
        run(collecting: false).first
    }

    /// Evaluates every row year by year. With `collecting`, it goes on past a bad row and reports every bad row
    /// once (its first bad year): a bad row's value is not a number, and a row computed from one — or from a row
    /// that did not compile (a `.nan` constant) — is not a number either, without a report of its own.
    mutating func run(collecting: Bool) -> [Diagnostic] {
        kernels.year.removeAll(keepingCapacity: true)
        kernels.steps.removeAll()
        for (i, row) in model.rows.enumerated() {
            if let o = override[i] { values[i] = o; continue }
            switch row.definition {
            case .scalar(let v): values[i] = Array(repeating: v, count: model.years.count)
            case .series(let v): values[i] = v
            case .formula: break
            }
        }
        var problems: [Diagnostic] = []
        var reported = collecting ? [Bool](repeating: false, count: model.rows.count) : []
        let dependencies = collecting ? Self.dependencies(model) : []
        for y in model.years.indices {
            year = y
            for i in model.order {
                guard override[i] == nil, case .formula(let f) = model.rows[i].definition else { continue }
                if collecting, dependencies[i].contains(where: { d in
                    d.row < 0 || (d.lag == 0 ? values[d.row][y].isNaN : y > 0 && values[d.row][y - 1].isNaN)
                }) {
                    values[i][y] = .nan
                    continue
                }
                let problem: Diagnostic
                do {
                    let v = try eval(f)
                    if v.isFinite {
                        values[i][y] = v
                        continue
                    }
                    let row = model.rows[i]
                    problem = .error("`\(row.id)` is not a finite number (\(Expr.format(v))) in \(model.years[y])", at: row.location,
                                     hint: "check the inputs this line uses; a count or rate of 0 may be missing a value")
                } catch let e as NonFinite {
                    let row = model.rows[i]
                    problem = .error("\(e.message) in `\(row.id)` in \(model.years[y])", at: row.location,
                                     hint: "check the inputs this line uses; a count or rate of 0 may be missing a value")
                } catch {
                    problem = .error("\(error)", at: model.rows[i].location)
                }
                guard collecting else { return [problem] }
                values[i][y] = .nan
                if !reported[i] {
                    reported[i] = true
                    problems.append(problem)
                }
            }
        }
        return problems
    }

    /// For each row, the formula rows whose formulas name it (this year's or last year's value, a recorded actual,
    /// or a per-village model's parameter): what `reached(from:_:readers:)` follows.
    static func readers(_ model: Model) -> [[Int]] {
        var out = [[Int]](repeating: [], count: model.rows.count)
        var named = Set<Int>()
        for (i, row) in model.rows.enumerated() {
            guard case .formula(let f) = row.definition else { continue }
            named.removeAll(keepingCapacity: true)
            f.allRows(into: &named)
            for j in named { out[j].append(i) }
        }
        return out
    }

    /// The formula rows that read row `changed` through any chain of rows (`readers`, from `Evaluator.readers`), in
    /// the order they are evaluated, with their formulas: what `rerun` evaluates when `changed` is moved.
    static func reached(from changed: Int, _ model: Model, readers: [[Int]]) -> [(row: Int, formula: Formula)] {
        var reached = [Bool](repeating: false, count: model.rows.count)
        var stack = [changed]
        while let j = stack.popLast() {
            for r in readers[j] where !reached[r] { reached[r] = true; stack.append(r) }
        }
        return model.order.compactMap { i in
            guard reached[i], i != changed, case .formula(let f) = model.rows[i].definition else { return nil }
            return (i, f)
        }
    }

    /// Re-evaluates, year by year, only `rows` — the rows that read one row, from `reached(from:_:readers:)` — over
    /// `values` that are otherwise the model's own: every other row keeps the value it has, which is the value
    /// `run()` would give it again. So the values come out as `run()` gives them with that one row overridden, at
    /// the cost of the rows it reaches. Returns the first problem.
    mutating func rerun(_ rows: [(row: Int, formula: Formula)]) -> Diagnostic? {
        kernels.year.removeAll(keepingCapacity: true)
        for y in model.years.indices {
            year = y
            for (i, f) in rows {
                do {
                    let v = try eval(f)
                    if v.isFinite { values[i][y] = v; continue }
                    return .error("`\(model.rows[i].id)` is not a finite number in \(model.years[y])", at: model.rows[i].location)
                } catch {
                    return .error("\(error) in `\(model.rows[i].id)` in \(model.years[y])", at: model.rows[i].location)
                }
            }
        }
        return nil
    }

    /// Each formula row's inputs: rows it reads this year (lag 0) or last year (lag 1); row -1 for a constant
    /// that is not a number (a formula that did not compile).
    static func dependencies(_ model: Model) -> [[(row: Int, lag: Int)]] {
        func collect(_ f: Formula, _ out: inout [(row: Int, lag: Int)]) {
            switch f {
            case .constant(let v): if v.isNaN { out.append((-1, 0)) }
            case .row(let i): out.append((i, 0))
            case .previous(let i, let initial): out.append((i, 1)); collect(initial, &out)
            case .year, .kernel: break
            // A blank actual is `.nan` by design, not a bad row: only the fallback can make this one bad.
            case .recorded(_, let otherwise): collect(otherwise, &out)
            case .negate(let a): collect(a, &out)
            case .binary(_, let a, let b): collect(a, &out); collect(b, &out)
            case .call(_, let args): for a in args { collect(a, &out) }
            }
        }
        return model.rows.map { row in
            var out: [(row: Int, lag: Int)] = []
            if case .formula(let f) = row.definition { collect(f, &out) }
            return out
        }
    }

    func eval(_ f: Formula) throws -> Double {
        do {
            return try value(f)
        } catch let e as OperationError {
            throw NonFinite(message: e.description)
        }
    }

    /// A formula's value, by the operator table.
    private func value(_ f: Formula) throws -> Double {
        switch f {
        case .constant(let v): return v
        case .row(let i): return values[i][year]
        case .previous(let i, let initial): return year == 0 ? try value(initial) : values[i][year - 1]
        case .year: return Double(model.years[year])
        case .negate(let a): return Negation.apply(try value(a))
        case .binary(let op, let a, let b):
            let x = try value(a), y = try value(b)
            return try op.apply(x, y)
        case .call(.if, let args):
            return try value(args[Function.if.branch(condition: try value(args[0]))])
        case .call(let fn, let args):
            return try withUnsafeTemporaryAllocation(of: Double.self, capacity: args.count) { buffer in
                for (k, a) in args.enumerated() { buffer.initializeElement(at: k, to: try value(a)) }
                return try fn.apply(UnsafeBufferPointer(buffer))
            }
        case .kernel(let k, let output):
            return try kernelValue(k, output)
        case .recorded(let rows, let otherwise):
            var sum = 0.0, any = false
            for i in rows where !values[i][year].isNaN { sum += values[i][year]; any = true }
            return any ? sum : try value(otherwise)
        }
    }

    /// Runs a per-village model once per year (the first of its outputs asked for triggers it).
    func kernelValue(_ k: RosterKernel, _ output: Int) throws -> Double {
        let key = ObjectIdentifier(k)
        let st = kernels
        if st.year[key] != year {
            // Taken out of the state so that the step updates it in place (no copy of a national column a year);
            // a new projection or draw starts again from the roster's incomes, in the buffers the last one used.
            var villages = st.villages.removeValue(forKey: key) ?? RosterKernel.Villages()
            let restart = year == 0 || villages.count != k.incomes.count
            if restart { k.start(&villages) }
            var supported: [Int32]? = nil
            let g = try k.growth.map(eval) ?? 0
            let pv = try k.perVillage.map(eval) ?? 0
            let r = try k.returnRate.map(eval) ?? 0
            let b = try k.budget.map(eval) ?? 0
            guard g > -1, pv >= 0, b >= 0 else { throw NonFinite(message: "a negative budget or investment, or growth at or below -100%") }
            st.outputs[key] = k.step(&villages, supportedYear: &supported, year: year, growth: g, perVillage: pv, returnRate: r, budget: b,
                                     scratch: &st.scratch)
            st.year[key] = year
            if recordDetail {
                var d = st.steps[key] ?? RosterSteps(kernel: k)
                d.steps.append(.init(restart: restart, year: year, growth: g, perVillage: pv, returnRate: r, budget: b))
                st.steps[key] = d
            }
            st.villages[key] = villages
        }
        return st.outputs[key]![output]
    }

}

/// A projection's per-village results: given, or made on first use from the steps its evaluation recorded (and then
/// shared by copies of the projection).
final class RosterDetails: @unchecked Sendable {
    private let lock = NSLock()
    private var made: [String: RosterDetail]?
    private let steps: [String: RosterSteps]

    init(_ details: [String: RosterDetail]) {
        made = details
        steps = [:]
    }
    init(steps: [String: RosterSteps]) { self.steps = steps }

    var value: [String: RosterDetail] {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let m = steps.mapValues { $0.detail() }
        made = m
        return m
    }
}

/// A value computed at most once, on first use, from any thread.
final class Once<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?

    func value(_ make: () -> Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let stored { return stored }
        let v = make()
        stored = v
        return v
    }
}
