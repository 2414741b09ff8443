import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// The Summary sheet: the overall check, totals by category and source, and the charts.
extension WorkbookBuilder {
    // MARK: Summary

    func writeSummary(checks: CheckResultCells) -> ReportSheet {
        var sheet = ReportSheet(name: labels.summary)
        let unit = labels.displayUnit(scenario.unit)
        let div = scenario.unit.divisor
        sheet.set(0, 0, .text(scenario.title), .title)
        sheet.set(1, 0, .text([scenario.region, "\(scenario.years.lowerBound)–\(scenario.years.upperBound)", labels[.unitColon] + unit]
            .filter { !$0.isEmpty }.joined(separator: " · ")), .subtitle)
        // The overall result, the number of failing checks and their titles, all live from the Checks sheet.
        sheet.set(2, 0, .text(labels[.allChecksPass]), .labelBold)
        sheet.set(2, Self.firstYearCol, .formula("=" + checks.overall, cached: .number(checks.allPass ? 1 : 0)), .checkOverall)
        sheet.colourPassFail(rows: 2...2, cols: Self.firstYearCol...Self.firstYearCol)
        sheet.set(2, Self.firstYearCol + 1, .formula("=" + checks.failingCount, cached: .number(Double(checks.failing))), .checkCount)
        let everyPasses = labels[.everyCheckPasses], failing = labels[.failing]
        let shown = checks.names.isEmpty ? everyPasses : failing + checks.names
        if let names = checks.failingNames {
            let text = "=IF(\(names)=\"\",\(Self.stringLiteral(everyPasses)),\(Self.stringLiteral(failing))&\(names))"
            sheet.set(2, Self.firstYearCol + 2, .formula(text, cached: .text(shown)), .note)
        } else {
            sheet.set(2, Self.firstYearCol + 2, .text(shown), .note)
        }

        if let d = scenario.description, alternatives.isEmpty { sheet.set(3, 0, .text(d), .note) }
        if !alternatives.isEmpty {
            sheet.set(3, 0, .text(labels[.scenarioShownPickOneWhole]), .labelBold)
            sheet.set(3, Self.firstYearCol, .text(scenario.slug), .inputNumber)
            sheet.dropDowns.append((3, Self.firstYearCol, "=" + scenarioNames))
        }
        let totalCol = Self.firstYearCol + years.count
        func tableHeader(_ r: Int, _ title: String) {
            sheet.set(r, 0, .text(title + "(\(unit))"), .header)
            for c in 1..<Self.firstYearCol { sheet.set(r, c, .blank, .header) }
            for (y, year) in years.enumerated() { sheet.set(r, yearCol(y), .number(Double(year)), .headerYear) }
            sheet.set(r, totalCol, .text(labels[.total]), .header)
        }
        func displayRow(_ r: Int, _ label: String, _ id: String, bold: Bool = false) {
            let i = model.index[id]!
            sheet.set(r, 0, .text(label), bold ? .labelBold : .label)
            for y in years.indices {
                // Model sheets hold money in the display unit already.
                let v = projection.values[i][y] / div
                sheet.set(r, yearCol(y), .formula("=\(ref(i, year: y, from: sheet.name))", cached: .number(v)), bold ? .displayTotal : .displayMoney)
            }
            let total = projection.values[i].reduce(0, +) / div
            sheet.set(r, totalCol, .formula("=SUM(\(CellRef.name(row: r, col: Self.firstYearCol)):\(CellRef.name(row: r, col: lastYearCol)))", cached: .number(total)), .displayTotal)
        }
        var r = 4
        tableHeader(r, labels[.costByCategory])
        let catStart = r + 1
        for cat in Category.allCases {
            r += 1
            displayRow(r, labels.category(cat), "total.\(cat.rawValue)")
        }
        r += 1
        displayRow(r, labels[.total], "total", bold: true)
        let catEnd = r - 1
        let categoriesRange = CellRef.sheetPrefix(sheet.name) + CellRef.name(row: Self.headerRow + 2, col: Self.firstYearCol, absolute: true) + ":" + CellRef.name(row: Self.headerRow + 2, col: lastYearCol, absolute: true)

        r += 2
        tableHeader(r, labels[.fundingSourcesCommittedEnvelopeGap])
        var sourceRows: [(name: String, committed: Int, envelope: Int?, gap: Int?)] = []
        for s in model.sources {
            r += 1
            displayRow(r, s.title + labels[.committed], s.committedRow, bold: true)
            let committed = r
            var envRow: Int?, gapRow: Int?
            if let e = s.envelopeRow, let g = s.gapRow {
                r += 1; displayRow(r, s.title + labels[.envelope], e); envRow = r
                r += 1; displayRow(r, s.title + labels[.gapOver], g); gapRow = r
            }
            sourceRows.append((s.title, committed, envRow, gapRow))
        }

        // Charts: cost by category (stacked), and each source against its envelope, and the gaps.
        let cats = CellRef.sheetPrefix(sheet.name) + CellRef.name(row: 4, col: Self.firstYearCol, absolute: true) + ":" + CellRef.name(row: 4, col: lastYearCol, absolute: true)
        _ = categoriesRange
        var chartRow = r + 3
        let palette: [UInt32] = [0x1F4E79, 0x2E75B6, 0x70AD47, 0xFFC000, 0xA5A5A5, 0xC00000, 0x7030A0, 0x00B0F0]
        let costSeries = (catStart...catEnd).enumerated().map { k, row in
            ReportChart.Series(name: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: row, col: 0, absolute: true), categories: cats,
                               values: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: row, col: Self.firstYearCol, absolute: true) + ":" + CellRef.name(row: row, col: lastYearCol, absolute: true),
                               color: palette[k % palette.count])
        }
        sheet.charts.append(ReportChart(kind: .columnStacked, title: labels[.costByCategoryYear],
                                        yAxisTitle: unit, series: costSeries, row: chartRow, col: 0, xScale: 1.4, yScale: 1.2))
        let withEnvelope = sourceRows.filter { $0.envelope != nil }
        var envSeries: [ReportChart.Series] = []
        for (k, s) in sourceRows.enumerated() {
            let range = { (row: Int) in CellRef.sheetPrefix(sheet.name) + CellRef.name(row: row, col: Self.firstYearCol, absolute: true) + ":" + CellRef.name(row: row, col: lastYearCol, absolute: true) }
            envSeries.append(.init(name: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: s.committed, col: 0, absolute: true), categories: cats, values: range(s.committed), color: palette[(2 * k) % palette.count]))
            if let e = s.envelope {
                envSeries.append(.init(name: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: e, col: 0, absolute: true), categories: cats, values: range(e), color: palette[(2 * k + 1) % palette.count]))
            }
        }
        // Side by side: the first chart spans about columns A–G, so the second starts after them.
        // A scenario with no funding source has nothing to chart here (and a chart needs a series).
        if !envSeries.isEmpty {
            sheet.charts.append(ReportChart(kind: .column, title: labels[.eachSourceCommittedAgainstEnvelope],
                                            yAxisTitle: unit, series: envSeries, row: chartRow, col: Self.firstYearCol + 4, xScale: 1.4, yScale: 1.2))
        }
        if !withEnvelope.isEmpty {
            chartRow += 20
            let gapSeries = withEnvelope.enumerated().map { k, s in
                ReportChart.Series(name: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: s.gap!, col: 0, absolute: true), categories: cats,
                                   values: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: s.gap!, col: Self.firstYearCol, absolute: true) + ":" + CellRef.name(row: s.gap!, col: lastYearCol, absolute: true),
                                   color: palette[(k + 5) % palette.count])
            }
            sheet.charts.append(ReportChart(kind: .column, title: labels[.gapPositiveOverEnvelope],
                                            yAxisTitle: unit, series: gapSeries, row: chartRow, col: 0, xScale: 1.4, yScale: 1.0))
        }
        sheet.columnWidths = [(0, 0, 36), (1, 3, 3), (Self.firstYearCol, totalCol, 13)]
        sheet.freeze = (4, 1)
        sheet.printTitleRows = 4...4
        return sheet
    }
}
