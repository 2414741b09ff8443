import FundSimModel
import FundSimEngine
import FundSimReport

// The terminal tables of the analysis commands: the same numbers as their workbooks, as aligned text.

extension AnalysisReports {
    public static func sensitivityTable(_ s: Scenario, _ r: Analysis.Sensitivity, limit: Int = 15) -> String {
        let style = ValueStyle(s), l = style.labels, unit = l.displayUnit(s.unit)
        var rows: [[String]] = []
        for row in r.rows.prefix(limit) {
            rows.append([l.inputListName(row.label, id: row.input), row.input,
                         style.show(row.base, row.measure), style.show(row.low, row.measure) + " … " + style.show(row.high, row.measure),
                         style.cell(row.totalAtLow - r.baseTotal), style.cell(row.totalAtHigh - r.baseTotal),
                         style.cell(row.gapAtLow), style.cell(row.gapAtHigh)])
        }
        var out = s.title + l[.sensitivityHeadingOpen] + unit + ")\n"
        out += l[.baseTotalInline] + style.cell(r.baseTotal) + l[.baseLargestGapInline] + style.cell(r.baseGap) + "\n"
        out += TerminalSummary.table([l[.input], l[.name], l[.baseValue], l[.low] + " … " + l[.high], l[.totalLow], l[.totalHigh],
                                      l[.gapLow], l[.gapHigh]], rows)
        if r.rows.count > limit { out += l[.moreInputs(r.rows.count - limit)] }
        return out
    }

    public static func simulationTable(_ s: Scenario, _ r: Analysis.Simulation, years: [Int]) -> String {
        let style = ValueStyle(s), l = style.labels, unit = l.displayUnit(s.unit)
        var out = s.title + l[.monteCarloHeading(r.draws, r.seed)] + "\n"
        if r.inputs.isEmpty { out += l[.noteNoInputHasDistribution] }
        var rows: [[String]] = []
        for (name, pick) in [("P10", { (t: (p10: Double, p50: Double, p90: Double)) in t.p10 }), ("P50", { $0.p50 }), ("P90", { $0.p90 })] {
            rows.append([l[.totalInline] + name] + r.total.map { style.cell(pick($0)) })
            for (source, ys) in r.gaps { rows.append([source + l[.gapInline] + name] + ys.map { style.cell(pick($0)) }) }
        }
        out += TerminalSummary.table(["(\(unit))"] + years.map(String.init), rows)
        // The total and each source's cumulative gap over the whole horizon: percentiles of each draw's sum.
        var horizon: [[String]] = [[l[.totalCost]] + [r.horizonTotal.p10, r.horizonTotal.p50, r.horizonTotal.p90].map(style.cell)]
        for (source, t) in r.cumulativeGaps { horizon.append([source + l[.cumulativeGapSuffix]] + [t.p10, t.p50, t.p90].map(style.cell)) }
        out += "\n" + TerminalSummary.table([l[.overHorizon(years.first ?? 0, years.last ?? 0)] + " (\(unit))", "P10", "P50", "P90"], horizon)
        out += "\n"
        for c in r.checks { out += "P(\(l.text(c.title))) = " + String(format: "%.1f%%", c.probability * 100) + "\n" }
        if r.failedDraws > 0 { out += l[.failedDraws(r.failedDraws)] }
        return out
    }
}

extension CompareBuilder {
    /// The terminal table: totals per scenario and differences from the base, then each input that differs
    /// as the years it differs in (`2023–2025: 2.5萬元 → 3.0萬元`). Scenarios are named by their titles.
    public func table() -> String {
        let style = ValueStyle(base.scenario), unit = labels.displayUnit(base.scenario.unit)
        let names = scenarioNames
        var rows: [[String]] = []
        for line in lines() {
            let totals = line.values.map { $0.reduce(0, +) }
            rows.append([line.label] + totals.map(style.cell) + totals.dropFirst().map { style.cell($0 - totals[0]) })
        }
        let years = base.projection.years
        let head = ["(\(unit), \(years.first!)–\(years.last!))"] + names + names.dropFirst().map { "Δ " + $0 }
        var out = ""
        if names.count == 2 { out += names[0] + " → " + names[1] + "\n" }
        out += TerminalSummary.table(head, rows)
        let changes = assumptionChanges()
        if !changes.isEmpty {
            out += "\n" + labels[.inputsThatDifferFromBaseColon] + "\n"
            // Inputs whose only differences are years without a value (no recorded actual) are left out.
            let shown = changes.compactMap { c -> String? in
                let measure = items.lazy.compactMap { $0.projection.model.row(c.id)?.dimension }.first ?? .number
                let years = Self.changedYears(c.values, years: years, style: style, measure: measure)
                return years.isEmpty ? nil : "  \(c.id): " + years + "\n"
            }
            for line in shown.prefix(20) { out += line }
        }
        return out
    }

    /// An input's values in each scenario as the runs of years in which they differ from the base:
    /// `2023–2025: 2.5萬元 → 3.0萬元`; years in which all scenarios agree are left out; `—` for a scenario
    /// without the input. At most four runs are listed (then `…`).
    public static func changedYears(_ values: [[Double]?], years: [Int], style: ValueStyle, measure: Measure) -> String {
        func shown(_ v: Double) -> String { measure == .money ? style.amount(v) : style.show(v, measure) }
        // A value that is not a number (no recorded actual that year) is shown, and compared, as none.
        let columns: [[Double?]] = years.indices.map { y in values.map { $0.flatMap { $0[y].isNaN ? nil : $0[y] } } }
        var runs: [(first: Int, last: Int, values: [Double?])] = []
        for (y, column) in columns.enumerated() {
            let differs = column.dropFirst().contains { $0 != column[0] }
            guard differs else { continue }
            if let last = runs.last, last.last == years[y] - 1, last.values == column { runs[runs.count - 1].last = years[y] }
            else { runs.append((years[y], years[y], column)) }
        }
        let parts = runs.prefix(4).map { run in
            (run.first == run.last ? "\(run.first)" : "\(run.first)–\(run.last)") + ": "
                + run.values.map { $0.map(shown) ?? "—" }.joined(separator: " → ")
        }
        return parts.joined(separator: "; ") + (runs.count > 4 ? "; …" : "")
    }
}
