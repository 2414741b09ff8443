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
        r = writeStanding(&sheet, totalRow: r, after: r)
        let categoriesRange = CellRef.sheetPrefix(sheet.name) + CellRef.name(row: Self.headerRow + 2, col: Self.firstYearCol, absolute: true) + ":" + CellRef.name(row: Self.headerRow + 2, col: lastYearCol, absolute: true)

        r += 2
        tableHeader(r, labels[.fundingSourcesCommittedEnvelopeGap])
        var sourceRows: [(name: String, committed: Int, envelope: Int?, gap: Int?, gapRow: String?)] = []
        for s in model.sources {
            r += 1
            displayRow(r, s.title + labels[.committed], s.committedRow, bold: true)
            let committed = r
            var envRow: Int?, gapRow: Int?
            if let e = s.envelopeRow, let g = s.gapRow {
                r += 1; displayRow(r, s.title + labels[.envelope], e); envRow = r
                r += 1; displayRow(r, s.title + labels[.gapOver], g); gapRow = r
            }
            r = writeStatus(&sheet, s, committedRow: committed, gapRow: gapRow, after: r)
            sourceRows.append((s.title, committed, envRow, gapRow, s.gapRow))
        }
        if model.sources.contains(where: { $0.envelopeRow == nil }) { r += 1; sheet.set(r, 0, .text(labels[.unbudgetedNote]), .note) }

        // Charts: cost by category (stacked), and each source against its envelope, and the gaps.
        let cats = CellRef.sheetPrefix(sheet.name) + CellRef.name(row: 4, col: Self.firstYearCol, absolute: true) + ":" + CellRef.name(row: 4, col: lastYearCol, absolute: true)
        _ = categoriesRange
        let chartRow = r + 3
        let palette: [UInt32] = [0x1F4E79, 0x2E75B6, 0x70AD47, 0xFFC000, 0xA5A5A5, 0xC00000, 0x7030A0, 0x00B0F0]
        let range = { (row: Int) in CellRef.sheetPrefix(sheet.name) + CellRef.name(row: row, col: Self.firstYearCol, absolute: true) + ":" + CellRef.name(row: row, col: lastYearCol, absolute: true) }
        let name = { (row: Int) in CellRef.sheetPrefix(sheet.name) + CellRef.name(row: row, col: 0, absolute: true) }
        // A category with nothing in any year would be an empty entry in the legend: it is left out.
        let costSeries = (catStart...catEnd).enumerated().compactMap { k, row -> ReportChart.Series? in
            let id = "total.\(Category.allCases[k].rawValue)"
            guard projection.values[model.index[id]!].contains(where: { $0 != 0 }) else { return nil }
            return ReportChart.Series(name: name(row), categories: cats, values: range(row), color: palette[k % palette.count])
        }
        // Charts sit two abreast: the first spans about columns A–G, the second starts after them.
        var slot = 0
        func place() -> (row: Int, col: Int) {
            defer { slot += 1 }
            return (chartRow + (slot / 2) * 20, slot % 2 == 0 ? 0 : Self.firstYearCol + 4)
        }
        if !costSeries.isEmpty {
            let at = place()
            sheet.charts.append(ReportChart(kind: .columnStacked, title: labels[.costByCategoryYear],
                                            yAxisTitle: unit, series: costSeries, row: at.row, col: at.col, xScale: 1.4, yScale: 1.2))
        }
        // Who pays: each source's commitment, stacked (a source committed nothing in any year is left out).
        let payers = sourceRows.enumerated().compactMap { k, s -> ReportChart.Series? in
            guard projection.values[model.index[model.sources[k].committedRow]!].contains(where: { $0 != 0 }) else { return nil }
            return ReportChart.Series(name: name(s.committed), categories: cats, values: range(s.committed), color: palette[(2 * k) % palette.count])
        }
        if !payers.isEmpty {
            let at = place()
            sheet.charts.append(ReportChart(kind: .columnStacked, title: labels[.committedBySource],
                                            yAxisTitle: unit, series: payers, row: at.row, col: at.col, xScale: 1.4, yScale: 1.2))
        }
        // Each source with an envelope: its commitment as bars, the envelope as an outline drawn over them
        // (libxlsxwriter 1.1.4 has no combined bar-and-line chart), so a bar above its outline is over budget.
        let withEnvelope = sourceRows.filter { $0.envelope != nil }
        for (k, s) in withEnvelope.enumerated() {
            let at = place()
            let series: [ReportChart.Series] = [
                .init(name: name(s.committed), categories: cats, values: range(s.committed), color: palette[(2 * k) % palette.count]),
                .init(name: name(s.envelope!), categories: cats, values: range(s.envelope!), color: 0xC00000, outline: true),
            ]
            sheet.charts.append(ReportChart(kind: .column, title: s.name + labels[.committedAgainstEnvelope], yAxisTitle: unit,
                                            series: series, row: at.row, col: at.col, xScale: 1.4, yScale: 1.2, overlap: 100))
        }
        // Gaps: a source whose gap is 0 in every year would be an empty entry; without any gap there is no chart.
        let gapSeries = withEnvelope.enumerated().compactMap { k, s -> ReportChart.Series? in
            guard let g = s.gapRow, projection.values[model.index[g]!].contains(where: { $0 != 0 }) else { return nil }
            return ReportChart.Series(name: name(s.gap!), categories: cats, values: range(s.gap!), color: palette[(k + 5) % palette.count])
        }
        if !gapSeries.isEmpty {
            let at = place()
            sheet.charts.append(ReportChart(kind: .column, title: labels[.gapPositiveOverEnvelope],
                                            yAxisTitle: unit, series: gapSeries, row: at.row, col: at.col, xScale: 1.4, yScale: 1.2))
        }
        sheet.columnWidths = [(0, 0, 36), (1, 3, 3), (Self.firstYearCol, totalCol, 13)]
        sheet.freeze = (4, 1)
        sheet.printTitleRows = 4...4
        return sheet
    }
}
