import FundSimModel
import FundSimEngine
import FundSimReport

/// The part of `fundsim run`'s summary for a scenario with actuals: execution rates by source and year, and the
/// change in the total and in each source's gap between the plan and the re-forecast.
public enum ActualsSummary {
    public static func render(_ scenario: Scenario, _ cmp: ActualsComparison) -> String {
        let style = ValueStyle(scenario), l = style.labels
        let unit = l.displayUnit(scenario.unit)
        let actualIdx = cmp.years.indices.filter { cmp.actualYears.contains(cmp.years[$0]) }
        var out = ""
        if !actualIdx.isEmpty {
            var rows: [[String]] = []
            var plan = [Double](repeating: 0, count: cmp.years.count), actual = plan
            for (s, line) in cmp.sourceLines() {
                rows.append([s.title + " " + l[.planWord]] + actualIdx.map { style.cell(line.plan[$0]) })
                rows.append([s.title + " " + l[.actualWord]] + actualIdx.map { line.actual[$0].map(style.cell) ?? "" })
                rows.append([s.title + " " + l[.executionRateWord]] + actualIdx.map { line.rate[$0].map(percent) ?? "—" })
                for i in actualIdx { plan[i] += line.plan[i]; actual[i] += line.actual[i] ?? 0 }
            }
            rows.append([l[.total] + " " + l[.executionRateWord]] + actualIdx.map { plan[$0] != 0 ? percent(actual[$0] / plan[$0]) : "—" })
            out += "\n" + TerminalSummary.table([l[.actualsTerminalRates] + " (\(unit))"] + actualIdx.map { String(cmp.years[$0]) }, rows)
        }
        func line(_ label: String, _ v: [Double]) -> [String] { [label] + v.map(style.cell) + [style.cell(v.reduce(0, +))] }
        let planTotal = cmp.plan.series("total")!.map(Money.fen), newTotal = cmp.reforecast.series("total")!.map(Money.fen)
        var rows = [line(l[.planWord], planTotal), line(l[.reforecastWord], newTotal),
                    line(l[.changeWord], zip(newTotal, planTotal).map { Money.fen($0 - $1) })]
        for (p, r) in zip(cmp.plan.sourceFigures(), cmp.reforecast.sourceFigures()) {
            // Gap and surplus as the funding status states them (never a negative gap); no row for an unbudgeted source.
            guard p.isBudgeted, r.isBudgeted else { continue }
            rows.append(line(r.info.title + " " + l[.statusGap] + " " + l[.planWord], p.status.map(\.gap)))
            rows.append(line(r.info.title + " " + l[.statusGap] + " " + l[.reforecastWord], r.status.map(\.gap)))
            if (p.status + r.status).contains(where: { $0.surplus > 0 }) {
                rows.append(line(r.info.title + " " + l[.statusSurplus] + " " + l[.planWord], p.status.map(\.surplus)))
                rows.append(line(r.info.title + " " + l[.statusSurplus] + " " + l[.reforecastWord], r.status.map(\.surplus)))
            }
        }
        out += "\n" + TerminalSummary.table([l[.actualsTerminalPlan] + " (\(unit))"] + cmp.years.map(String.init) + [l[.total]], rows)
        return out
    }

    /// The years a failing check fails in, as missed (years with actuals) and at risk (forecast years).
    public static func failingYears(_ f: Projection.CheckResult, _ cmp: ActualsComparison, labels l: Labels) -> String {
        let missed = f.failingYears.filter { cmp.actualYears.contains($0) }, risk = f.failingYears.filter { !cmp.actualYears.contains($0) }
        return [missed.isEmpty ? nil : l[.missedWord] + " " + missed.map(String.init).joined(separator: ", "),
                risk.isEmpty ? nil : l[.atRiskWord] + " " + risk.map(String.init).joined(separator: ", ")]
            .compactMap { $0 }.joined(separator: "; ")
    }

    static func percent(_ r: Double) -> String { String(format: "%.1f%%", r * 100) }
}
