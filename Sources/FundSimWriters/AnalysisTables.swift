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
                         style.cell(row.totalAtLow - r.baseTotal), style.cell(row.totalAtHigh - r.baseTotal),
                         style.cell(row.gapAtLow), style.cell(row.gapAtHigh)])
        }
        var out = s.title + l[.sensitivityHeadingOpen] + unit + ")\n"
        out += l[.baseTotalInline] + style.cell(r.baseTotal) + l[.baseLargestGapInline] + style.cell(r.baseGap) + "\n"
        out += TerminalSummary.table([l[.input], l[.name], l[.totalLow], l[.totalHigh],
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
        out += "\n"
        for c in r.checks { out += "P(\(l.text(c.title))) = " + String(format: "%.1f%%", c.probability * 100) + "\n" }
        if r.failedDraws > 0 { out += l[.failedDraws(r.failedDraws)] }
        return out
    }
}

extension CompareBuilder {
    /// The terminal table: totals per scenario and differences from the base.
    public func table() -> String {
        let style = ValueStyle(base.scenario), unit = labels.displayUnit(base.scenario.unit)
        var rows: [[String]] = []
        for line in lines() {
            let totals = line.values.map { $0.reduce(0, +) }
            rows.append([line.label] + totals.map(style.cell) + totals.dropFirst().map { style.cell($0 - totals[0]) })
        }
        let head = ["(\(unit), \(base.projection.years.first!)–\(base.projection.years.last!))"] + items.map { $0.scenario.slug } + items.dropFirst().map { "Δ " + $0.scenario.slug }
        var out = TerminalSummary.table(head, rows)
        let changes = assumptionChanges()
        if !changes.isEmpty {
            out += "\n" + labels[.inputsThatDifferFromBaseColon] + "\n"
            for c in changes.prefix(20) {
                let measure = items.lazy.compactMap { $0.projection.model.row(c.id)?.dimension }.first ?? .number
                let show = c.values.map { v in v.map { style.show($0.first ?? 0, measure) } ?? "—" }
                out += "  \(c.id): " + show.joined(separator: " → ") + "\n"
            }
        }
        return out
    }
}
