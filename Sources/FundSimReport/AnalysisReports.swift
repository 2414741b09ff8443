import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// Workbooks and terminal tables for sensitivity and Monte Carlo results.
public enum AnalysisReports {
    /// The book of an analysis of `s` (titled after the scenario, dated as its workbook) and its one sheet.
    private static func analysisBook(_ s: Scenario, _ l: Labels, titleSuffix: Phrase, sheet: Phrase) -> (ReportBook, ReportSheet) {
        var book = ReportBook()
        book.properties.title = s.title + l[titleSuffix]
        book.properties.created = WorkbookBuilder.creationDate(s)
        return (book, ReportSheet(name: l[sheet]))
    }

    // MARK: Sensitivity

    public static func sensitivityBook(_ s: Scenario, _ r: Analysis.Sensitivity) -> ReportBook {
        let l = Labels(s.language, unit: s.unit)
        var (book, sheet) = analysisBook(s, l, titleSuffix: .sensitivityTitleSuffix, sheet: .sensitivitySheet)
        let unit = l.displayUnit(s.unit), div = s.unit.divisor
        sheet.set(0, 0, .text(s.title + l[.effectEachInputOnTotal]), .title)
        sheet.set(1, 0, .text(l[.eachInputMovedToLow]
                              + l[.unitColonSpaced] + unit), .subtitle)
        sheet.set(2, 0, .text(l[.baseTotal]), .labelBold)
        sheet.set(2, 2, .number(r.baseTotal / div), .displayTotal)
        sheet.set(2, 4, .text(l[.baseLargestGap]), .labelBold)
        sheet.set(2, 6, .number(r.baseGap / div), .displayTotal)
        let heads = [l[.input], l[.name], l[.baseValue], l[.low], l[.high], l[.rangeFrom],
                     l[.totalAtLow], l[.totalAtHigh], l[.largestGapAtLow],
                     l[.largestGapAtHigh], l[.decrease], l[.increase]]
        let h = 4
        for (c, t) in heads.enumerated() { sheet.set(h, c, .text(t), .header) }
        for (k, row) in r.rows.enumerated() {
            let rr = h + 1 + k
            let dl = (row.totalAtLow - r.baseTotal) / div, dh = (row.totalAtHigh - r.baseTotal) / div
            sheet.set(rr, 0, .text(l.inputListName(row.label, id: row.input)), .label)
            sheet.set(rr, 1, .text(row.input), .note)
            // The input's own figures in its measure: money in the display unit, counts and ratios as themselves.
            let (scale, role): (Double, CellRole) = row.measure == .money ? (div, .displayMoney) : (1, .calculated(row.measure))
            sheet.set(rr, 2, .number(row.base / scale), role)
            sheet.set(rr, 3, .number(row.low / scale), role)
            sheet.set(rr, 4, .number(row.high / scale), role)
            sheet.set(rr, 5, .text(l[row.stated ? .rangeStated : .rangeDefault(ValueStyle.exact(r.defaultShare * 100))]), .note)
            sheet.set(rr, 6, .number(dl), .displayMoney)
            sheet.set(rr, 7, .number(dh), .displayMoney)
            sheet.set(rr, 8, .number(row.gapAtLow / div), .displayMoney)
            sheet.set(rr, 9, .number(row.gapAtHigh / div), .displayMoney)
            // Tornado bars: what goes left of the base and what goes right.
            sheet.set(rr, 10, .formula("=MIN(0,\(CellRef.name(row: rr, col: 6)),\(CellRef.name(row: rr, col: 7)))", cached: .number(min(0, dl, dh))), .displayMoney)
            sheet.set(rr, 11, .formula("=MAX(0,\(CellRef.name(row: rr, col: 6)),\(CellRef.name(row: rr, col: 7)))", cached: .number(max(0, dl, dh))), .displayMoney)
        }
        let shown = min(r.rows.count, 15)
        if shown > 0 {
            let first = h + 1, last = h + shown
            let cats = CellRef.sheetPrefix(sheet.name) + CellRef.name(row: first, col: 0, absolute: true) + ":" + CellRef.name(row: last, col: 0, absolute: true)
            sheet.charts.append(ReportChart(kind: .barStacked, title: l[.tornadoEffectOnTotal] + "(\(unit))", yAxisTitle: nil,
                                            series: [.init(name: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: h, col: 10, absolute: true), categories: cats,
                                                           values: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: first, col: 10, absolute: true) + ":" + CellRef.name(row: last, col: 10, absolute: true), color: 0x2E75B6),
                                                     .init(name: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: h, col: 11, absolute: true), categories: cats,
                                                           values: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: first, col: 11, absolute: true) + ":" + CellRef.name(row: last, col: 11, absolute: true), color: 0xC00000)],
                                            row: h + r.rows.count + 3, col: 0, xScale: 2, yScale: 1.6, categoryLabelsLow: true))
        }
        sheet.columnWidths = [(0, 0, 34), (1, 1, 26), (2, 5, 12), (6, 11, 16)]
        sheet.freeze = (h + 1, 1)
        book.sheets = [sheet]
        return book
    }

    // MARK: Monte Carlo

    public static func simulationBook(_ s: Scenario, _ r: Analysis.Simulation, years: [Int]) -> ReportBook {
        let l = Labels(s.language, unit: s.unit)
        var (book, sheet) = analysisBook(s, l, titleSuffix: .monteCarlo, sheet: .simulation)
        let unit = l.displayUnit(s.unit), div = s.unit.divisor
        sheet.set(0, 0, .text(s.title + l[.monteCarloSimulation]), .title)
        sheet.set(1, 0, .text(l[.drawsAndSeed(r.draws, r.seed)] + r.inputs.joined(separator: ", ")
                              + (r.failedDraws > 0 ? l[.failedDrawsInline(r.failedDraws)] : "")), .subtitle)
        let h = 3
        sheet.set(h, 0, .text(l[.totalCost] + "(\(unit))"), .header)
        for (k, y) in years.enumerated() { sheet.set(h, 1 + k, .number(Double(y)), .headerYear) }
        var r0 = h + 1
        percentiles(&sheet, &r0, r.total, div)
        let fanRows = (h + 1)...(h + 3)
        for (source, ys) in r.gaps {
            r0 += 1
            sheet.set(r0, 0, .text(source + l[.gapSuffix] + "(\(unit))"), .header)
            for (k, y) in years.enumerated() { sheet.set(r0, 1 + k, .number(Double(y)), .headerYear) }
            r0 += 1
            percentiles(&sheet, &r0, ys, div)
        }
        // Over the whole horizon: percentiles of each draw's total, and of each source's cumulative gap.
        r0 += 1
        sheet.set(r0, 0, .text(l[.overHorizon(years.first ?? 0, years.last ?? 0)] + "(\(unit))"), .header)
        for (k, name) in ["P10", "P50", "P90"].enumerated() { sheet.set(r0, 1 + k, .text(name), .header) }
        r0 += 1
        for (name, t) in [(l[.totalCost], r.horizonTotal)] + r.cumulativeGaps.map({ ($0.source + l[.cumulativeGapSuffix], $0.horizon) }) {
            sheet.set(r0, 0, .text(name), .labelBold)
            for (k, v) in [t.p10, t.p50, t.p90].enumerated() { sheet.set(r0, 1 + k, .number(v / div), .displayMoney) }
            r0 += 1
        }
        r0 += 1
        sheet.set(r0, 0, .text(l[.checkHeader]), .header)
        sheet.set(r0, 1, .text(l[.pPass]), .header)
        r0 += 1
        for c in r.checks {
            sheet.set(r0, 0, .text(l.text(c.title)), .label)
            sheet.set(r0, 1, .number(c.probability), .ratio)
            r0 += 1
        }
        // The fan chart's data: the band is a stacked area standing on an invisible P10.
        r0 += 1
        let prefix = CellRef.sheetPrefix(sheet.name)
        func ref(_ row: Int, _ col: Int) -> String { CellRef.name(row: row, col: col) }
        func range(_ row: Int) -> String {
            prefix + CellRef.name(row: row, col: 1, absolute: true) + ":" + CellRef.name(row: row, col: years.count, absolute: true)
        }
        sheet.set(r0, 0, .text(l[.fanChartData] + "(\(unit))"), .header)
        r0 += 1
        let (p10, p50, p90) = (fanRows.lowerBound, fanRows.lowerBound + 1, fanRows.lowerBound + 2)
        let bandRows = (base: r0, lower: r0 + 1, upper: r0 + 2)
        /// The yearly percentile a fan row holds (`p10`, `p50`, `p90` rows in that order).
        func pick(_ t: (p10: Double, p50: Double, p90: Double), _ row: Int) -> Double { row == p10 ? t.p10 : row == p50 ? t.p50 : t.p90 }
        for (row, name, top, bottom) in [(bandRows.base, "P10", p10, nil), (bandRows.lower, "P10–P50", p50, Optional(p10)),
                                         (bandRows.upper, "P50–P90", p90, Optional(p50))] {
            sheet.set(row, 0, .text(name), .label)
            for k in years.indices {
                let col = 1 + k
                let cached = (pick(r.total[k], top) - (bottom.map { pick(r.total[k], $0) } ?? 0)) / div
                let formula = "=" + ref(top, col) + (bottom.map { "-" + ref($0, col) } ?? "")
                sheet.set(row, col, .formula(formula, cached: .number(cached)), .displayMoney)
            }
        }
        r0 += 3
        let cats = prefix + CellRef.name(row: h, col: 1, absolute: true) + ":" + CellRef.name(row: h, col: years.count, absolute: true)
        // Two shades meeting at the P50 line: P10–P50 darker, P50–P90 lighter. (libxlsxwriter 1.1.4 can neither
        // draw a line over an area nor move an area chart's axis off 0; LibreOffice draws no up-down bars.)
        let bands: [(row: Int, color: UInt32?, hidden: Bool)] = [(bandRows.base, nil, true), (bandRows.lower, 0x5B9BD5, false), (bandRows.upper, 0xBDD7EE, false)]
        sheet.charts.append(ReportChart(kind: .areaStacked, title: l[.fanChartTotalCostP10], yAxisTitle: unit,
                                        series: bands.map { b in
                                            .init(name: prefix + CellRef.name(row: b.row, col: 0, absolute: true), categories: cats,
                                                  values: range(b.row), color: b.color, hidden: b.hidden)
                                        }, row: r0 + 1, col: 0, xScale: 1.5, yScale: 1.2))
        sheet.columnWidths = [(0, 0, 44), (1, years.count, 14)]
        book.sheets = [sheet]
        return book
    }

    /// Three rows, P10, P50 and P90 of each year, shown in the display unit (`div` yuan per unit).
    private static func percentiles(_ sheet: inout ReportSheet, _ r0: inout Int, _ years: [(p10: Double, p50: Double, p90: Double)], _ div: Double) {
        for (name, pick) in [("P10", { (t: (p10: Double, p50: Double, p90: Double)) in t.p10 }), ("P50", { $0.p50 }), ("P90", { $0.p90 })] {
            sheet.set(r0, 0, .text(name), .labelBold)
            for (k, t) in years.enumerated() { sheet.set(r0, 1 + k, .number(pick(t) / div), .displayMoney) }
            r0 += 1
        }
    }
}
