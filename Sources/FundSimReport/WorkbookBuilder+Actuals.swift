import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// The Actuals sheet (issue 16): the recorded actuals as input cells, plan against actual with variance and
/// execution rate per commitment and per source, the original plan beside the re-forecast, check states, a chart.
///
/// The actual cells are the model's actual rows: the calculations read them through `IF(COUNT(…)>0, …)`, so a
/// figure typed into a blank cell moves the re-forecast. The plan is the engine's projection of the scenario
/// without its actuals, written as fixed values for comparison.
extension WorkbookBuilder {
    /// The actual rows of each commitment, in model order.
    func actualRows() -> [(commitment: CommitmentInfo, rows: [Int])] {
        var by: [String: [Int]] = [:]
        for (i, row) in model.rows.enumerated() { if case .actual(let c) = row.section { by[c, default: []].append(i) } }
        return model.commitments.compactMap { c in by[c.id].map { (c, $0) } }
    }

    /// Places the actual rows on the Actuals sheet (before any formula is written, so that formulas can refer to them).
    mutating func placeActuals() {
        var r = Self.headerRow + 3
        for (_, rows) in actualRows() {
            r += 1
            for i in rows { placement[i] = (labels[.actualsSheet], r); r += 1 }
        }
    }

    func writeActuals() -> ReportSheet? {
        let groups = actualRows()
        guard !groups.isEmpty, let cmp = ActualsComparison(scenario, projection) else { return nil }
        var sheet = ReportSheet(name: labels[.actualsSheet])
        header(&sheet, title: labels[.actualsTitle])
        let provCol = lastYearCol + 1
        sheet.set(Self.headerRow, provCol, .text(labels[.sourceOrAssumption]), .header)
        sheet.columnWidths.append((provCol, provCol, 60))
        sheet.set(Self.headerRow + 1, Self.labelCol, .text(labels[.actualsInputsHeading]), .labelBold)
        // Each recorded figure's provenance, for its cell's comment.
        var cellProvenance: [String: String] = [:]
        for rec in scenario.actuals?.records ?? [] {
            cellProvenance["\(rec.commitment).\(ReforecastRows.actualField(rec.measure, source: rec.source))|\(rec.year)"] = provenanceText(rec.provenance)
        }
        var firstActualRow = Int.max, lastActualRow = 0
        /// The actual cells of a commitment in one year, as a list for COUNT.
        var cellsOf: [String: (first: Int, last: Int)] = [:]
        for (c, rows) in groups {
            let first = placement[rows[0]]!.row
            sheet.set(first - 1, Self.labelCol, .text(c.title), .labelBold)
            sheet.set(first - 1, Self.nameCol, .text(c.id), .note)
            for i in rows {
                let row = model.rows[i], r = placement[i]!.row
                sheet.set(r, Self.labelCol, .text(labels.text(row.label)), .label)
                sheet.set(r, Self.nameCol, .text(row.id), .note)
                sheet.set(r, Self.unitCol, .text(labels.unitName(row.dimension)), .note)
                guard case .series(let v) = row.definition else { continue }
                for y in years.indices {
                    let comment = cellProvenance["\(row.id)|\(years[y])"]
                    sheet.set(r, yearCol(y), v[y].isNaN ? .blank : .number(shown(v[y], row.dimension)), inputRole(row.dimension), comment: comment)
                }
                sheet.set(r, provCol, .text(row.provenance.isEmpty ? "" : provenanceText(row.provenance)), .noteWrap)
                firstActualRow = min(firstActualRow, r)
                lastActualRow = max(lastActualRow, r)
            }
            cellsOf[c.id] = (first, placement[rows.last!]!.row)
            // A row with several recorded years lists each one's provenance on its own line: make room for them.
            for i in rows where model.rows[i].provenance.count > 1 {
                sheet.rowHeights.append((placement[i]!.row, min(409, 15.0 * Double(model.rows[i].provenance.count))))
            }
        }
        func cells(_ c: String, _ y: Int) -> String {
            let (a, b) = cellsOf[c]!
            return CellRef.name(row: a, col: yearCol(y)) + ":" + CellRef.name(row: b, col: yearCol(y))
        }
        var r = lastActualRow + 2
        // Whether a year has any actual: missed or at risk depends on it.
        let flagRow = r
        sheet.set(r, Self.labelCol, .text(labels[.yearHasActuals]), .labelBold)
        for y in years.indices {
            let range = CellRef.name(row: firstActualRow, col: yearCol(y)) + ":" + CellRef.name(row: lastActualRow, col: yearCol(y))
            sheet.set(r, yearCol(y), .formula("=IF(COUNT(\(range))>0,1,0)", cached: .number(cmp.actualYears.contains(years[y]) ? 1 : 0)), .number)
        }
        func flag(_ y: Int) -> String { CellRef.name(row: flagRow, col: yearCol(y), absoluteRow: true) }

        // Plan, actual, variance, execution rate, re-forecast per commitment.
        r += 2
        sheet.set(r, Self.labelCol, .text(labels[.actualsComparisonHeading]), .labelBold)
        sheet.set(r, Self.valueCol, .text(labels.unitName(.money)), .note)
        r += 1
        sheet.set(r, Self.labelCol, .text(labels[.planNote]), .note)
        r += 1
        let lines = cmp.commitmentLines()
        var actualCells: [Int: [String]] = [:]   // by year index, each commitment's actual cell
        var actualValues: [Int: [Double]] = [:]
        for (info, line) in lines where cellsOf[info.id] != nil {
            r += 1
            sheet.set(r - 1, Self.labelCol, .text(info.title), .labelBold)
            sheet.set(r - 1, Self.nameCol, .text(info.id), .note)
            let costRef = { (y: Int) in self.ref(self.model.index[info.costRow]!, year: y, from: sheet.name) }
            let planRow = r, actualRow = r + 1
            sheet.set(planRow, Self.labelCol, .text(labels[.planWord]), .label)
            sheet.set(actualRow, Self.labelCol, .text(labels[.actualWord]), .label)
            sheet.set(r + 2, Self.labelCol, .text(labels[.varianceWord]), .label)
            sheet.set(r + 3, Self.labelCol, .text(labels[.executionRateWord]), .label)
            sheet.set(r + 4, Self.labelCol, .text(labels[.reforecastWord]), .label)
            // Cached values as the formulas compute them: from the unrounded cost row.
            let raw = projection.series(info.costRow)!
            for y in years.indices {
                let p = CellRef.name(row: planRow, col: yearCol(y)), a = CellRef.name(row: actualRow, col: yearCol(y))
                sheet.set(planRow, yearCol(y), .number(style.money(line.plan[y])), .money)
                let actual = line.actual[y].map { _ in style.money(raw[y]) }
                sheet.set(actualRow, yearCol(y), .formula("=IF(COUNT(\(cells(info.id, y)))>0,\(costRef(y)),\"\")",
                                                          cached: actual.map { .number($0) } ?? .text("")), .money)
                sheet.set(r + 2, yearCol(y), .formula("=IF(ISNUMBER(\(a)),\(a)-\(p),\"\")", cached: actual.map { .number($0 - style.money(line.plan[y])) } ?? .text("")), .money)
                let rate = line.actual[y].flatMap { _ in line.plan[y] != 0 ? raw[y] / line.plan[y] : nil }
                sheet.set(r + 3, yearCol(y), .formula("=IF(AND(ISNUMBER(\(a)),\(p)<>0),\(a)/\(p),\"\")", cached: rate.map { .number($0) } ?? .text("")), .ratio)
                sheet.set(r + 4, yearCol(y), .formula("=" + costRef(y), cached: .number(style.money(raw[y]))), .money)
                actualCells[y, default: []].append(a)
                if let actual { actualValues[y, default: []].append(actual) }
            }
            r += 6
        }

        // By source: what the sources paid for the commitments with actuals in the year, against the plan.
        sheet.set(r, Self.labelCol, .text(labels[.actualsSourceHeading]), .labelBold)
        r += 1
        let planFigures = cmp.plan.commitmentFigures()
        for (s, line) in cmp.sourceLines() {
            sheet.set(r, Self.labelCol, .text(s.title + " " + labels[.planWord]), .label)
            sheet.set(r + 1, Self.labelCol, .text(s.title + " " + labels[.actualWord]), .label)
            sheet.set(r + 2, Self.labelCol, .text(s.title + " " + labels[.executionRateWord]), .label)
            for y in years.indices {
                var planTerms: [String] = [], actualTerms: [String] = [], any: [String] = []
                var paidRaw = 0.0
                for (c, pf) in zip(model.commitments, planFigures) where cellsOf[c.id] != nil {
                    guard let amount = c.amountRows.first(where: { $0.source == s.name }) else { continue }
                    let paid = pf.bySource.first { $0.source == s.name }?.amounts[y] ?? 0
                    planTerms.append("IF(COUNT(\(cells(c.id, y)))>0,\(moneyLiteral(paid)),0)")
                    actualTerms.append("IF(COUNT(\(cells(c.id, y)))>0,\(ref(model.index[amount.row]!, year: y, from: sheet.name)),0)")
                    if cmp.recordedYears[c.id]?.contains(years[y]) == true { paidRaw += projection.series(amount.row)![y] }
                    any.append(cells(c.id, y))
                }
                let p = CellRef.name(row: r, col: yearCol(y)), a = CellRef.name(row: r + 1, col: yearCol(y))
                let none = any.isEmpty ? "TRUE" : "COUNT(\(any.joined(separator: ",")))=0"
                sheet.set(r, yearCol(y), .formula(planTerms.isEmpty ? "=0" : "=" + planTerms.joined(separator: "+"), cached: .number(style.money(line.plan[y]))), .money)
                sheet.set(r + 1, yearCol(y), .formula("=IF(\(none),\"\",\(actualTerms.isEmpty ? "0" : actualTerms.joined(separator: "+")))",
                                                      cached: line.actual[y].map { _ in .number(style.money(paidRaw)) } ?? .text("")), .money)
                let rate = line.actual[y].flatMap { _ in line.plan[y] != 0 ? paidRaw / line.plan[y] : nil }
                sheet.set(r + 2, yearCol(y), .formula("=IF(AND(ISNUMBER(\(a)),\(p)<>0),\(a)/\(p),\"\")", cached: rate.map { .number($0) } ?? .text("")), .ratio)
            }
            r += 4
        }

        // The total: the original plan beside the re-forecast, and what was actually spent.
        sheet.set(r, Self.labelCol, .text(labels[.actualsTotalHeading]), .labelBold)
        r += 1
        let totalPlan = r, totalActual = r + 1, totalNew = r + 2
        let planTotal = cmp.plan.series("total")!, newTotal = projection.series("total")!
        sheet.set(totalPlan, Self.labelCol, .text(labels[.planWord]), .label)
        sheet.set(totalActual, Self.labelCol, .text(labels[.actualRecordedWord]), .label)
        sheet.set(totalNew, Self.labelCol, .text(labels[.reforecastWord]), .label)
        sheet.set(r + 3, Self.labelCol, .text(labels[.changeWord]), .label)
        for y in years.indices {
            sheet.set(totalPlan, yearCol(y), .number(style.money(planTotal[y])), .money)
            let terms = actualCells[y] ?? []
            let spent = actualValues[y] ?? []
            sheet.set(totalActual, yearCol(y), .formula(terms.isEmpty ? "=\"\"" : "=IF(COUNT(\(terms.joined(separator: ",")))=0,\"\",SUM(\(terms.joined(separator: ","))))",
                                                        cached: spent.isEmpty ? .text("") : .number(spent.reduce(0, +))), .money)
            sheet.set(totalNew, yearCol(y), .formula("=" + ref(model.index["total"]!, year: y, from: sheet.name), cached: .number(style.money(newTotal[y]))), .money)
            sheet.set(r + 3, yearCol(y), .formula("=\(CellRef.name(row: totalNew, col: yearCol(y)))-\(CellRef.name(row: totalPlan, col: yearCol(y)))",
                                                  cached: .number(style.money(newTotal[y]) - style.money(planTotal[y]))), .money)
        }
        r += 4
        for (ps, s) in zip(cmp.plan.sourceFigures(), model.sources) {
            guard let gap = ps.gap, let gapRow = s.gapRow else { continue }
            sheet.set(r, Self.labelCol, .text(s.title + " " + labels[.gapWord] + " " + labels[.planWord]), .label)
            sheet.set(r + 1, Self.labelCol, .text(s.title + " " + labels[.gapWord] + " " + labels[.reforecastWord]), .label)
            for y in years.indices {
                sheet.set(r, yearCol(y), .number(style.money(gap[y])), .money)
                sheet.set(r + 1, yearCol(y), .formula("=" + ref(model.index[gapRow]!, year: y, from: sheet.name),
                                                      cached: .number(style.money(projection.series(gapRow)![y]))), .money)
            }
            r += 2
        }

        // Check states: passing, missed (failing in a year with actuals) or at risk (failing in a forecast year).
        r += 1
        sheet.set(r, Self.labelCol, .text(labels[.actualsChecksHeading]), .labelBold)
        r += 1
        let words = (pass: Self.stringLiteral(labels[.passingWord]), missed: Self.stringLiteral(labels[.missedWord]), risk: Self.stringLiteral(labels[.atRiskWord]))
        for (result, states) in cmp.checkStates() {
            let i = model.index[result.info.row]!
            sheet.set(r, Self.labelCol, .text(labels.text(result.info.title)), .label)
            sheet.set(r, Self.nameCol, .text(result.info.id), .note)
            for y in years.indices {
                guard let state = states[y] else { sheet.set(r, yearCol(y), .text("—"), .notApplicable); continue }
                let word: String
                switch state {
                case .passing: word = labels[.passingWord]
                case .missed: word = labels[.missedWord]
                case .atRisk: word = labels[.atRiskWord]
                }
                let check = ref(i, year: y, from: sheet.name)
                sheet.set(r, yearCol(y), .formula("=IF(\(check)=1,\(words.pass),IF(\(flag(y))=1,\(words.missed),\(words.risk)))", cached: .text(word)), .text)
            }
            r += 1
        }

        // Plan, actual and re-forecast of the total, side by side per year.
        let cats = CellRef.sheetPrefix(sheet.name) + CellRef.name(row: Self.headerRow, col: Self.firstYearCol, absolute: true) + ":"
            + CellRef.name(row: Self.headerRow, col: lastYearCol, absolute: true)
        let series = [(totalPlan, 0xA5A5A5 as UInt32), (totalActual, 0xC00000), (totalNew, 0x2E75B6)].map { row, colour in
            ReportChart.Series(name: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: row, col: Self.labelCol, absolute: true), categories: cats,
                               values: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: row, col: Self.firstYearCol, absolute: true) + ":"
                                   + CellRef.name(row: row, col: lastYearCol, absolute: true), color: colour)
        }
        sheet.charts.append(ReportChart(kind: .column, title: labels[.actualsChartTitle], yAxisTitle: labels.unitName(.money), series: series,
                                        row: r + 2, col: 0, xScale: 1.6, yScale: 1.2))
        sheet.tabColor = 0xC00000
        return sheet
    }
}
