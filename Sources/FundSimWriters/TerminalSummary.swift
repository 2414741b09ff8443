import Foundation
import FundSimModel
import FundSimEngine
import FundSimReport

/// The short table `fundsim run` prints: cost by category and year, each source's gap, failing checks.
public enum TerminalSummary {
    public static func render(_ scenario: Scenario, _ p: Projection) -> String {
        let style = ValueStyle(scenario), l = style.labels
        let cs = p.commitmentFigures()
        let unit = l.displayUnit(scenario.unit)
        var rows: [[String]] = []
        let head = [l[.category] + " (\(unit))"] + p.years.map(String.init) + [l[.total]]
        func line(_ label: String, _ v: [Double]) -> [String] {
            [label] + v.map(style.cell) + [style.cell(v.reduce(0, +))]
        }
        var total = [Double](repeating: 0, count: p.years.count)
        for (cat, amounts) in p.categoryTotals(cs) where amounts.contains(where: { $0 != 0 }) {
            rows.append(line(l.category(cat), amounts))
            for i in total.indices { total[i] += amounts[i] }
        }
        rows.append(line(l[.total], total))
        var out = "\(scenario.title)\n"
        out += table(head, rows)
        out += standing(p.totalFigures(cs), style)
        let sources = p.sourceFigures(cs)
        var srows: [[String]] = []
        for s in sources {
            srows.append(line(s.info.title + l[.committed], s.committed))
            if s.isBudgeted {
                srows.append(line(s.info.title + " " + l[.statusGap], s.status.map(\.gap)))
                if s.status.contains(where: { $0.surplus > 0 }) { srows.append(line(s.info.title + " " + l[.statusSurplus], s.status.map(\.surplus))) }
            } else {
                srows.append(line(s.info.title + " " + l[.statusUnbudgeted], s.status.map(\.unbudgeted)))
            }
        }
        if !srows.isEmpty {
            out += "\n" + table([l[.sourceHeader] + " (\(unit))"] + p.years.map(String.init) + [l[.total]], srows)
            if sources.contains(where: { !$0.isBudgeted }) { out += l[.unbudgetedNote] + "\n" }
        }
        let actuals = ActualsComparison(scenario, p)
        if let actuals { out += ActualsSummary.render(scenario, actuals) }
        let checks = p.checkResults()
        let failing = checks.filter { !$0.passed }
        out += "\n" + l[.checksColon] + "\(checks.count - failing.count)/\(checks.count) " + l[.checkPassWord] + "\n"
        for f in failing {
            var detail = "  ✗ [\(l.decidedBy(f.basis))] \(l.text(f.info.title)) — "
                + (actuals.map { ActualsSummary.failingYears(f, $0, labels: l) } ?? l[.failsIn] + f.failingYears.map(String.init).joined(separator: ", "))
            if let lhs = f.lhs, let rhs = f.rhs, let y = f.failingYears.first, let i = p.years.firstIndex(of: y) {
                let measure = Measure.combine(f.info.lhsRow.flatMap(p.model.measure(ofRow:)), f.info.rhsRow.flatMap(p.model.measure(ofRow:)))
                detail += " (\(y): \(style.comparison(lhs[i], rhs[i], measure)))"
            }
            out += detail + "\n"
        }
        return out
    }

    /// Two lines under the cost table: sourced against assumed money, and new against continuing money.
    public static func standing(_ t: Projection.TotalFigures, _ style: ValueStyle) -> String {
        let l = style.labels
        func sum(_ v: [Double]) -> String { style.wholeAmount(v.reduce(0, +)) }
        return l[.sourcedSentence(sum(t.cost), sum(t.sourced), sum(t.assumed))] + "\n"
            + l[.basisSentence(sum(t.newMoney), sum(t.continuingMoney), sum(t.unsplit))] + "\n"
    }

    /// Display width in terminal columns (CJK characters take two).
    public static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + DiagnosticRenderer.displayWidth($1) }
    }

    public static func table(_ head: [String], _ rows: [[String]]) -> String {
        let all = [head] + rows
        let widths = head.indices.map { c in all.map { width($0[c]) }.max() ?? 0 }
        func render(_ r: [String]) -> String {
            r.enumerated().map { c, s in
                let pad = String(repeating: " ", count: widths[c] - width(s))
                return c == 0 ? s + pad : pad + s
            }.joined(separator: "  ")
        }
        var out = render(head) + "\n"
        out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for r in rows { out += render(r) + "\n" }
        return out
    }
}
