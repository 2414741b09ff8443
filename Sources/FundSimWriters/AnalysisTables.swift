import FundSimModel
import FundSimEngine
import FundSimReport

// The terminal tables of the analysis commands: the same numbers as their workbooks, as aligned text.

extension AnalysisReports {
    public static func sensitivityTable(_ s: Scenario, _ r: Analysis.Sensitivity, limit: Int = 15) -> String {
        let l = Labels(s.language), div = s.unit.divisor, unit = l.displayUnit(s.unit)
        var rows: [[String]] = []
        for row in r.rows.prefix(limit) {
            rows.append([l.language == .zhHans ? Labels.simplified(row.label) : row.label, row.input,
                         TerminalSummary.fmt((row.totalAtLow - r.baseTotal) / div), TerminalSummary.fmt((row.totalAtHigh - r.baseTotal) / div),
                         TerminalSummary.fmt(row.gapAtLow / div), TerminalSummary.fmt(row.gapAtHigh / div)])
        }
        var out = s.title + l.t(" — 敏感性(", " — sensitivity (") + unit + ")\n"
        out += l.t("基準總費用 ", "base total ") + TerminalSummary.fmt(r.baseTotal / div) + l.t(",基準最大缺口 ", ", base largest gap ") + TerminalSummary.fmt(r.baseGap / div) + "\n"
        out += TerminalSummary.table([l.t("輸入", "Input"), l.t("代號", "Name"), l.t("Δ總費用(低)", "Δ total (low)"), l.t("Δ總費用(高)", "Δ total (high)"),
                                      l.t("最大缺口(低)", "gap (low)"), l.t("最大缺口(高)", "gap (high)")], rows)
        if r.rows.count > limit { out += l.t("……另有 \(r.rows.count - limit) 個輸入,見工作簿\n", "… and \(r.rows.count - limit) more inputs in the workbook\n") }
        return out
    }

    public static func simulationTable(_ s: Scenario, _ r: Analysis.Simulation, years: [Int]) -> String {
        let l = Labels(s.language), div = s.unit.divisor, unit = l.displayUnit(s.unit)
        var out = s.title + l.t(" — 蒙特卡羅,\(r.draws) 次,種子 \(r.seed)", " — Monte Carlo, \(r.draws) draws, seed \(r.seed)") + "\n"
        if r.inputs.isEmpty { out += l.t("注意:沒有輸入帶 distribution,結果沒有不確定性\n", "note: no input has a distribution, so the results carry no uncertainty\n") }
        var rows: [[String]] = []
        for (name, pick) in [("P10", { (t: (p10: Double, p50: Double, p90: Double)) in t.p10 }), ("P50", { $0.p50 }), ("P90", { $0.p90 })] {
            rows.append([l.t("總費用 ", "total ") + name] + r.total.map { TerminalSummary.fmt(pick($0) / div) })
            for (source, ys) in r.gaps { rows.append([source + l.t(" 缺口 ", " gap ") + name] + ys.map { TerminalSummary.fmt(pick($0) / div) }) }
        }
        out += TerminalSummary.table(["(\(unit))"] + years.map(String.init), rows)
        out += "\n"
        for c in r.checks { out += "P(\(c.title)) = " + String(format: "%.1f%%", c.probability * 100) + "\n" }
        if r.failedDraws > 0 { out += l.t("\(r.failedDraws) 次抽樣計算失敗,未計入\n", "\(r.failedDraws) draws failed and are left out\n") }
        return out
    }
}

extension CompareBuilder {
    /// The terminal table: totals per scenario and differences from the base.
    public func table() -> String {
        let div = base.scenario.unit.divisor, unit = labels.displayUnit(base.scenario.unit)
        var rows: [[String]] = []
        for line in lines() {
            let totals = line.values.map { $0.reduce(0, +) / div }
            rows.append([line.label] + totals.map(TerminalSummary.fmt) + totals.dropFirst().map { TerminalSummary.fmt($0 - totals[0]) })
        }
        let head = ["(\(unit), \(base.projection.years.first!)–\(base.projection.years.last!))"] + items.map { $0.scenario.slug } + items.dropFirst().map { "Δ " + $0.scenario.slug }
        var out = TerminalSummary.table(head, rows)
        let changes = assumptionChanges()
        if !changes.isEmpty {
            out += "\n" + labels.t("與基準不同的輸入:", "Inputs that differ from the base:") + "\n"
            for c in changes.prefix(20) {
                let show = c.values.map { v in v.map { TerminalSummary.plain($0.first ?? 0) } ?? "—" }
                out += "  \(c.id): " + show.joined(separator: " → ") + "\n"
            }
        }
        return out
    }
}
