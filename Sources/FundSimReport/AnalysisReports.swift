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
            sheet.set(rr, 2, .number(row.base), .number)
            sheet.set(rr, 3, .number(row.low), .number)
            sheet.set(rr, 4, .number(row.high), .number)
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
                                            row: h + r.rows.count + 3, col: 0, xScale: 2, yScale: 1.6))
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
        r0 += 1
        sheet.set(r0, 0, .text(l[.checkHeader]), .header)
        sheet.set(r0, 1, .text(l[.pPass]), .header)
        r0 += 1
        for c in r.checks {
            sheet.set(r0, 0, .text(l.text(c.title)), .label)
            sheet.set(r0, 1, .number(c.probability), .ratio)
            r0 += 1
        }
        let cats = CellRef.sheetPrefix(sheet.name) + CellRef.name(row: h, col: 1, absolute: true) + ":" + CellRef.name(row: h, col: years.count, absolute: true)
        let colors: [UInt32] = [0x9DC3E6, 0x1F4E79, 0x9DC3E6]
        sheet.charts.append(ReportChart(kind: .line, title: l[.fanChartTotalCostP10], yAxisTitle: unit,
                                        series: fanRows.enumerated().map { k, rr in
                                            .init(name: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: rr, col: 0, absolute: true), categories: cats,
                                                  values: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: rr, col: 1, absolute: true) + ":" + CellRef.name(row: rr, col: years.count, absolute: true), color: colors[k])
                                        }, row: r0 + 2, col: 0, xScale: 1.5, yScale: 1.2))
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
