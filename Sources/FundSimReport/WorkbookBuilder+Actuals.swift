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
        /// How many figures a commitment has recorded in each year (what COUNT gives over its cells).
        var actualCounts: [String: [Int]] = [:]
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
            actualCounts[c.id] = years.indices.map { y in rows.filter { i in
                if case .series(let v) = model.rows[i].definition { !v[y].isNaN } else { false }
            }.count }
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
            // Each commitment with actuals that the source pays for: its term in each year, and the values they give.
            var planTerms = [[String]](repeating: [], count: years.count), actualTerms = planTerms, any = planTerms
            var planValues = [[Double]](repeating: [], count: years.count), paidValues = planValues, anyCounts = planValues
            var paidRaw = [Double](repeating: 0, count: years.count)
            for (c, pf) in zip(model.commitments, planFigures) where cellsOf[c.id] != nil {
                guard let amount = c.amountRows.first(where: { $0.source == s.name }) else { continue }
                for y in years.indices {
                    let paid = pf.bySource.first { $0.source == s.name }?.amounts[y] ?? 0
                    let recorded = cmp.recordedYears[c.id]?.contains(years[y]) == true
                    planTerms[y].append("IF(COUNT(\(cells(c.id, y)))>0,\(moneyLiteral(paid)),0)")
                    actualTerms[y].append("IF(COUNT(\(cells(c.id, y)))>0,\(ref(model.index[amount.row]!, year: y, from: sheet.name)),0)")
                    if recorded { paidRaw[y] += projection.series(amount.row)![y] }
                    any[y].append(cells(c.id, y))
                    planValues[y].append(recorded ? style.money(paid) : 0)
                    paidValues[y].append(recorded ? style.money(projection.series(amount.row)![y]) : 0)
                    anyCounts[y].append(Double(actualCounts[c.id]?[y] ?? 0))
                }
            }
            var planTexts = years.indices.map { y in planTerms[y].isEmpty ? "=0" : "=" + planTerms[y].joined(separator: "+") }
            var actualTexts = years.indices.map { y in
                let none = any[y].isEmpty ? "TRUE" : "COUNT(\(any[y].joined(separator: ",")))=0"
                return "=IF(\(none),\"\",\(actualTerms[y].isEmpty ? "0" : actualTerms[y].joined(separator: "+")))"
            }
            if (planTexts + actualTexts).contains(where: PartialSums.tooLong) {
                // Too many commitments for one formula: the terms are added up (and the recorded figures counted) in parts.
                func parts(_ split: PartialSums.Split, _ terms: [[String]], _ values: [[Double]], _ label: String, _ role: CellRole) -> [String] {
                    sheet.partialSums.add(split, terms: terms, values: values, columns: years.indices.map(yearCol), label: label,
                                          name: s.name, unit: role == .money ? labels.unitName(.money) : nil, role: role, labels: labels)
                }
                sheet.partialSums.nameCol = Self.nameCol
                sheet.partialSums.unitCol = Self.unitCol
                let plan = parts(.of(.sum), planTerms, planValues, s.title + " " + labels[.planWord] + " · " + labels[.sheetRow(r + 1)], .money)
                let actual = parts(.of(.sum), actualTerms, paidValues, s.title + " " + labels[.actualWord] + " · " + labels[.sheetRow(r + 2)], .money)
                let counted = parts(.count, any, anyCounts, s.title + " " + labels[.actualWord] + " · " + labels[.sheetRow(r + 2)] + " · COUNT", .number)
                planTexts = plan.map { "=" + $0 }
                actualTexts = years.indices.map { y in "=IF(\(counted[y])=0,\"\",\(actual[y]))" }
            }
            let first = sheet.cells.count
            for y in years.indices {
                let p = CellRef.name(row: r, col: yearCol(y)), a = CellRef.name(row: r + 1, col: yearCol(y))
                sheet.set(r, yearCol(y), .formula(planTexts[y], cached: .number(style.money(line.plan[y]))), .money)
                sheet.set(r + 1, yearCol(y), .formula(actualTexts[y], cached: line.actual[y].map { _ in .number(style.money(paidRaw[y])) } ?? .text("")), .money)
                let rate = line.actual[y].flatMap { _ in line.plan[y] != 0 ? paidRaw[y] / line.plan[y] : nil }
                sheet.set(r + 2, yearCol(y), .formula("=IF(AND(ISNUMBER(\(a)),\(p)<>0),\(a)/\(p),\"\")", cached: rate.map { .number($0) } ?? .text("")), .ratio)
            }
            sheet.notePartialSumCells(from: first)
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
        var totalTexts = years.indices.map { y in
            let terms = actualCells[y] ?? []
            return terms.isEmpty ? "=\"\"" : "=IF(COUNT(\(terms.joined(separator: ",")))=0,\"\",SUM(\(terms.joined(separator: ","))))"
        }
        if totalTexts.contains(where: PartialSums.tooLong) {
            // Too many commitments for one formula: their actual cells are added up in parts, and "any actual this year"
            // is the flag row's (a commitment's actual cell holds a number exactly when it has a figure that year).
            sheet.partialSums.nameCol = Self.nameCol
            sheet.partialSums.unitCol = Self.unitCol
            let spent = sheet.partialSums.add(.sum, terms: years.indices.map { actualCells[$0] ?? [] },
                                              values: years.indices.map { y in lines.filter { cellsOf[$0.info.id] != nil }.map { $0.line.actual[y] == nil ? 0 : style.money(projection.series($0.info.costRow)![y]) } },
                                              columns: years.indices.map(yearCol), label: labels[.actualRecordedWord] + " · " + labels[.sheetRow(totalActual + 1)],
                                              name: nil, unit: labels.unitName(.money), role: .money, labels: labels)
            totalTexts = years.indices.map { y in "=IF(\(flag(y))=0,\"\",\(spent[y]))" }
        }
        let totalFirst = sheet.cells.count
        for y in years.indices {
            sheet.set(totalPlan, yearCol(y), .number(style.money(planTotal[y])), .money)
            let spent = actualValues[y] ?? []
            sheet.set(totalActual, yearCol(y), .formula(totalTexts[y], cached: spent.isEmpty ? .text("") : .number(spent.reduce(0, +))), .money)
            sheet.set(totalNew, yearCol(y), .formula("=" + ref(model.index["total"]!, year: y, from: sheet.name), cached: .number(style.money(newTotal[y]))), .money)
            sheet.set(r + 3, yearCol(y), .formula("=\(CellRef.name(row: totalNew, col: yearCol(y)))-\(CellRef.name(row: totalPlan, col: yearCol(y)))",
                                                  cached: .number(style.money(newTotal[y]) - style.money(planTotal[y]))), .money)
        }
        sheet.notePartialSumCells(from: totalFirst)
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
