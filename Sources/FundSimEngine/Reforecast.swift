import FundSimModel

/// The re-forecast from actuals (issue 16): each kind's rule (`CommitmentKindSpec.reforecast`) written into the
/// commitment's rows, so that the engine and the workbook's live formulas take an actual wherever one is recorded.
///
/// Only a scenario with actuals is changed: every commitment gains its actual rows (blank where nothing is
/// recorded, so that a figure typed into the sheet takes effect) and its rows read them. docs/engine.md,
/// "Actuals and the re-forecast", works each rule by hand.
extension Compiler {
    mutating func reforecast(_ c: Commitment, rows: inout [String], sources: [String]) {
        let records = scenario.actuals?.records(for: c.id) ?? []
        let years = scenario.yearList
        let rule = c.kind.spec.reforecast
        typealias E = Compiler

        // The recorded figures: one row per measure (and per source for spending), blank years `.nan`.
        func addActual(_ word: String, _ measure: ActualMeasure, source: String?, label: RowLabel) -> String {
            let field = ReforecastRows.actualField(word, source: source)
            let mine = records.filter { $0.measure == word && $0.source == source }
            let values = years.map { y in mine.first { $0.year == y }?.value ?? .nan }
            add(Spec(id: "\(c.id).\(field)", label: label, dimension: measure.measure, section: .actual(c.id), body: .series(values),
                     owner: .commitment(c.id), field: field, provenance: mine.flatMap(\.provenance), location: mine.first?.location ?? c.location))
            return "\(c.id).\(field)"
        }
        let spent = addActual("spent", .spent, source: nil, label: .key(ActualMeasure.spent.label))
        let spentBy = sources.map { addActual("spent", .spent, source: $0, label: .key(ReforecastRows.spentBySource, [.text($0)])) }
        var driver: [String: String] = [:]
        for m in rule.drivers {
            switch c.kind {
            case .collectiveEconomy(let k):
                if k.rosterIncomeColumn != nil { continue }
                if m.key == "band{n}" {
                    for (i, b) in k.bands.enumerated() {
                        driver["band\(i + 1)"] = addActual("band\(i + 1)", m, source: nil, label: .key(m.label, [.text(b.name)]))
                    }
                    continue
                }
                if m.key == "supported", k.perVillage == nil { continue }
            default: break
            }
            driver[m.key] = addActual(m.key, m, source: nil, label: .key(m.label))
        }

        func body(_ field: String) -> Spec.Body? { specIndex["\(c.id).\(field)"].map { specs[$0].body } }
        func expr(_ field: String) -> Expr? { if case .expr(let e)? = body(field) { return e }; return nil }
        func set(_ field: String, _ b: Spec.Body) { specs[specIndex["\(c.id).\(field)"]!].body = b }
        /// A new row placed before `field` in the commitment's display order.
        func insert(_ row: RowSpec, _ b: Spec.Body, before field: String?) -> Expr {
            let s = spec(c, row, n: 0, args: [], b, location: c.location)
            add(s)
            let at = field.flatMap { f in rows.firstIndex(of: "\(c.id).\(f)") } ?? rows.count
            rows.insert(s.id, at: at)
            return E.n(s.id)
        }
        /// The row `field` becomes the actual where one is recorded, else the plan moved by the same amount as the
        /// plan row (`plan`) moves from last year: it carries the last actual forward.
        func carry(_ field: String, plan row: RowSpec, actual: String?) {
            guard let e = expr(field), let actual else { return }
            let plan = insert(row, .expr(e), before: field)
            let me = E.n(c.id, field)
            let change = E.bin(.subtract, plan, E.call(.prev, [plan, plan]))
            set(field, .recorded([[actual]], E.bin(.add, E.call(.prev, [me, plan]), change)))
        }

        switch c.kind {
        case .cadrePay:
            carry("headcount", plan: ReforecastRows.headcountPlan, actual: driver["headcount"])
            if let e = expr("pay"), let a = driver["pay"] {
                // A pay level once paid is not cut: the plan, or last year's level if that is higher.
                set("pay", .recorded([[a]], E.call(.max, [E.call(.prev, [E.n(c.id, "pay"), e]), e])))
            }
        case .operatingFund:
            carry("count", plan: ReforecastRows.countPlan, actual: driver["count"])
        case .construction(let k):
            let built = E.n(c.id, "built")
            let builtBefore = E.call(.prev, [built, E.lit(0)])
            var stock: Expr = E.lit(0)
            var checkYears = scenario.years
            switch k.schedule {
            case .units:
                guard let e = expr("units") else { break }
                let plan = insert(ReforecastRows.unitsPlan, .expr(e), before: "units")
                let planned = E.n(c.id, ReforecastRows.plannedStock.field)
                _ = insert(ReforecastRows.plannedStock, .expr(E.bin(.add, E.call(.prev, [planned, E.lit(0)]), plan)), before: "units")
                // Catch up: build what puts the completed stock back on the planned stock this year.
                set("units", .recorded([[driver["units"]!]], E.call(.max, [E.lit(0), E.bin(.subtract, planned, builtBefore)])))
                stock = planned
            case .target(_, let by):
                // The target's own rule already spreads what is left over the years up to `by`, from the stock built.
                if let e = expr("units") { set("units", .recorded([[driver["units"]!]], e)) }
                stock = E.call(.if, [E.bin(.greaterEqual, Expr(.name(["year"])), E.lit(Double(by))), E.n(c.id, "target"), E.lit(0)])
                checkYears = max(by, scenario.years.lowerBound)...scenario.years.upperBound
            }
            let after = rows.firstIndex(of: "\(c.id).built").map { $0 + 1 < rows.count ? rows[$0 + 1] : nil } ?? nil
            _ = insert(ReforecastRows.shortfall, .expr(E.call(.max, [E.lit(0), E.bin(.subtract, stock, built)])),
                       before: after.map { String($0.dropFirst(c.id.count + 1)) })
            let title: RowLabel
            if case .target(_, let by) = k.schedule {
                title = .key(ReforecastRows.targetCheck, [.text(c.title), .number(Double(by))])
            } else {
                title = .key(ReforecastRows.onScheduleCheck, [.text(c.title)])
            }
            addCheck(Check(id: "\(c.id).on_schedule", title: "", assertion: E.bin(.greaterEqual, built, stock), years: checkYears,
                           provenance: [], location: c.location), title: title)
        case .collectiveEconomy(let k):
            guard k.rosterIncomeColumn == nil else { break }
            for i in k.bands.indices {
                if let e = expr("band\(i + 1)"), let a = driver["band\(i + 1)"] { set("band\(i + 1)", .recorded([[a]], e)) }
            }
            if let e = expr("capacity"), let a = driver["supported"] { set("capacity", .recorded([[a]], e)) }
        case .lumpSum:
            break
        }

        // Money: the year's spending replaces the cost, in all or as the sum of what each source paid; each
        // source's part becomes what it paid.
        if let e = expr("cost") {
            set("cost", .recorded([[spent], spentBy], e))
        } else if case .kernel? = body("cost"), let i = specIndex["\(c.id).cost"] {
            // A per-village model's cost keeps its values under another name; the cost row reads them.
            var model = specs[i]
            specIndex["\(c.id).cost"] = nil
            model.id = "\(c.id).\(ReforecastRows.modelCost.field)"
            model.label = .key(ReforecastRows.modelCost.label)
            model.field = ReforecastRows.modelCost.field
            specs[i] = model
            specIndex[model.id] = i
            if let r = rows.firstIndex(of: "\(c.id).cost") { rows[r] = model.id }
            let s = spec(c, LumpSumRows.cost, n: 0, args: [], .recorded([[spent], spentBy], E.n(model.id)), location: c.location)
            add(s)
            rows.append(s.id)
        }
        for (source, actual) in zip(sources, spentBy) {
            if let e = expr("to.\(source)") { set("to.\(source)", .recorded([[actual]], e)) }
        }
    }
}

/// A scenario with actuals set against its plan: the plan (the scenario without its actuals), the re-forecast
/// (with them), execution rates, and the state of each check year by year.
public struct ActualsComparison: Sendable {
    public let plan: Projection
    public let reforecast: Projection
    /// Years with at least one actual, in order.
    public let actualYears: [Int]
    /// For each commitment, the years it has an actual for.
    public let recordedYears: [String: Set<Int>]

    /// Compares `reforecast` (the projection of `scenario`, which has actuals) with the scenario's plan; nil when
    /// the scenario has no actuals or its plan does not evaluate.
    public init?(_ scenario: Scenario, _ reforecast: Projection) {
        guard let actuals = scenario.actuals else { return nil }
        var plain = scenario
        plain.actuals = nil
        guard case .success(let model) = Compiler.compile(plain), case .success(let plan) = Projection.evaluate(model) else { return nil }
        self.plan = plan
        self.reforecast = reforecast
        actualYears = actuals.years.sorted()
        var recorded: [String: Set<Int>] = [:]
        for r in actuals.records { recorded[r.commitment, default: []].insert(r.year) }
        recordedYears = recorded
    }

    public var years: [Int] { reforecast.years }

    /// Plan and actual (the re-forecast's figure in a year the commitment has actuals for; nil in other years).
    public struct Line: Sendable {
        public var plan: [Double]
        public var actual: [Double?]
        /// Actual minus plan, where there is an actual.
        public var variance: [Double?] { zip(plan, actual).map { p, a in a.map { Money.fen($0 - p) } } }
        /// Actual over plan (執行率), where there is an actual and a plan.
        public var rate: [Double?] { zip(plan, actual).map { p, a in a.flatMap { p != 0 ? $0 / p : nil } } }
    }

    /// Each commitment's cost: plan against actual.
    public func commitmentLines() -> [(info: CommitmentInfo, line: Line)] {
        let plans = plan.commitmentFigures(), now = reforecast.commitmentFigures()
        return zip(plans, now).map { p, r in
            let rec = recordedYears[r.info.id] ?? []
            return (r.info, Line(plan: p.cost, actual: years.enumerated().map { i, y in rec.contains(y) ? r.cost[i] : nil }))
        }
    }

    /// Each source's payments for the commitments with actuals in a year: plan against actual (nil in years
    /// without actuals).
    public func sourceLines() -> [(info: SourceInfo, line: Line)] {
        let plans = plan.commitmentFigures(), now = reforecast.commitmentFigures()
        return reforecast.model.sources.map { s in
            var p = [Double](repeating: 0, count: years.count), a = [Double?](repeating: nil, count: years.count)
            for (cp, cr) in zip(plans, now) {
                let rec = recordedYears[cr.info.id] ?? []
                let pp = cp.bySource.first { $0.source == s.name }?.amounts
                let rr = cr.bySource.first { $0.source == s.name }?.amounts
                for (i, y) in years.enumerated() where rec.contains(y) {
                    p[i] += pp?[i] ?? 0
                    a[i] = (a[i] ?? 0) + (rr?[i] ?? 0)
                }
            }
            return (s, Line(plan: p.map(Money.fen), actual: a.map { $0.map(Money.fen) }))
        }
    }

    /// The state of a check in a year: it holds, it failed in a year with actuals (missed), or it fails in a
    /// forecast year (at risk).
    public enum CheckState: String, Sendable {
        case passing, missed, atRisk = "at_risk"
    }

    /// Each check's state by year (nil where the check does not apply).
    public func checkStates() -> [(result: Projection.CheckResult, states: [CheckState?])] {
        reforecast.checkResults().map { r in
            (r, zip(years, r.byYear).map { y, ok in ok.map { $0 ? .passing : (actualYears.contains(y) ? .missed : .atRisk) } })
        }
    }
}
