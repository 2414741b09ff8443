import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// What the workbook knows and does not know (issue 15): sourced against assumed money on the Summary and
/// beside every computed row, new against continuing money, each source's funding status, and what decides
/// each check. The definitions are the engine's (`Sourcing`, `FundingStatus`, `CommitmentInfo.basis`).
extension WorkbookBuilder {
    /// The columns beside the years on the Calculations and Funding sheets: the sourced money over all years,
    /// and the row's standing in words (one column is left free after the years for the per-village note).
    var sourcedCol: Int { lastYearCol + 2 }
    var standingCol: Int { lastYearCol + 3 }

    /// Adds the sourced-money column and the standing column to every computed row placed on `sheet`.
    ///
    /// The sourced money is the engine's figure (`Sourcing`), written as a value: it does not follow an
    /// edited input.
    func annotateSourcing(_ sheet: inout ReportSheet, sourcing: Sourcing) {
        let h = Self.headerRow
        sheet.set(h, sourcedCol, .text(labels[.sourcedColumn] + "(" + labels[.total] + ")"), .header)
        sheet.set(h, standingCol, .text(labels[.sourcingHeader]), .header)
        sheet.columnWidths.append((sourcedCol, sourcedCol, 16))
        sheet.columnWidths.append((standingCol, standingCol, 16))
        for i in placement.keys.sorted() where placement[i]!.sheet == sheet.name && !model.rows[i].isInput {
            let placed = placement[i]!
            let row = model.rows[i]
            guard row.section != .check, case .formula(let f) = row.definition else { continue }
            var reads = Set<Int>()
            f.allRows(into: &reads)
            if reads.isEmpty { continue }   // a constant (a category with no commitment) rests on nothing
            if row.dimension == .money {
                sheet.set(placed.row, sourcedCol, .number(style.money(Money.fen(sourcing.sourcedValues[i].reduce(0, +)))), .money)
            }
            sheet.set(placed.row, standingCol, .text(sourcing.sourced[i] ? labels[.sourcedMoney] : labels[.assumedMoney]), .note)
        }
    }

    /// Adds "decided by" to each check on the Checks sheet: the seed's own figures, or the assumptions it reads.
    func annotateChecks(_ sheet: inout ReportSheet, sourcing: Sourcing) {
        let col = lastYearCol + 2
        sheet.set(Self.headerRow, col, .text(labels[.decidedByHeader]), .header)
        sheet.columnWidths.append((col, col, 40))
        for ch in model.checks {
            guard let i = model.index[ch.row], let (_, r) = placement[i] else { continue }
            let text: String
            switch sourcing.basis(of: ch) {
            case .seed: text = labels[.decidedBySeed]
            case .assumptions(let rows): text = labels[.decidedByAssumptions] + ": " + rows.joined(separator: ", ")
            }
            sheet.set(r, col, .text(text), .note)
        }
    }

    /// Summary rows under the cost table: sourced and assumed money, the sentence that says both, and new,
    /// continuing and not-split money (live over the Calculations sheet). Returns the last row written.
    func writeStanding(_ sheet: inout ReportSheet, totalRow: Int, after r0: Int) -> Int {
        let div = scenario.unit.divisor
        let totalCol = Self.firstYearCol + years.count
        let style = ValueStyle(unit: scenario.unit, labels: labels)
        let figures = projection.commitmentFigures()
        let totals = projection.totalFigures(figures)
        var r = r0
        // Sourced money is the engine's figure; assumed money is the live total less it.
        r += 1
        let sourcedRow = r
        sheet.set(r, 0, .text(labels[.sourcedColumn]), .label)
        for y in years.indices { sheet.set(r, yearCol(y), .number(totals.sourced[y] / div), .displayMoney) }
        sheet.set(r, totalCol, .formula("=SUM(\(CellRef.name(row: r, col: Self.firstYearCol)):\(CellRef.name(row: r, col: lastYearCol)))",
                                         cached: .number(totals.sourced.reduce(0, +) / div)), .displayTotal)
        r += 1
        sheet.set(r, 0, .text(labels[.assumedColumn]), .label)
        for c in Self.firstYearCol...totalCol {
            let y = c - Self.firstYearCol
            let cached = y < years.count ? projection.values[model.index["total"]!][y] / div - totals.sourced[y] / div
                : (projection.values[model.index["total"]!].reduce(0, +) - totals.sourced.reduce(0, +)) / div
            sheet.set(r, c, .formula("=\(CellRef.name(row: totalRow, col: c))-\(CellRef.name(row: sourcedRow, col: c))", cached: .number(cached)),
                      c == totalCol ? .displayTotal : .displayMoney)
        }
        r += 1
        let sum = { (v: [Double]) in style.wholeAmount(v.reduce(0, +)) }
        sheet.set(r, 0, .text(labels[.sourcedSentence(sum(totals.cost), sum(totals.sourced), sum(totals.assumed))]), .note)
        // New, continuing and not-split money: live sums of the cost (and continuing) rows.
        var terms: [(phrase: Phrase, plus: [Int], minus: [Int])] = [(.newMoney, [], []), (.continuingMoney, [], []), (.unsplitMoney, [], [])]
        for c in model.commitments {
            let cost = model.index[c.costRow]!
            switch c.basis {
            case nil, .increase?, .new?: terms[0].plus.append(cost)
            case .continuing?: terms[1].plus.append(cost)
            case .whole?:
                if let id = c.continuingRow, let cont = model.index[id] {
                    terms[0].plus.append(cost); terms[0].minus.append(cont); terms[1].plus.append(cont)
                } else {
                    terms[2].plus.append(cost)
                }
            }
        }
        // Cached from the unrounded rows, as the formulas compute them.
        let cached: [[Double]] = terms.map { t in
            years.indices.map { y in
                t.plus.reduce(0) { $0 + projection.values[$1][y] } - t.minus.reduce(0) { $0 + projection.values[$1][y] }
            }
        }
        for (k, t) in terms.enumerated() {
            r += 1
            sheet.set(r, 0, .text(labels[t.phrase]), .label)
            var texts = years.indices.map { y in
                let expr = t.plus.map { ref($0, year: y, from: sheet.name) }.joined(separator: "+")
                    + t.minus.map { "-" + ref($0, year: y, from: sheet.name) }.joined()
                // The Calculations sheet holds money in the display unit already.
                return expr.isEmpty ? "=0" : "=" + expr
            }
            if texts.contains(where: PartialSums.tooLong) {
                // Too many commitments for one formula: each side is added up in parts below the sheet.
                func parts(_ rows: [Int], _ label: String) -> [String]? {
                    if rows.isEmpty { return nil }
                    return sheet.partialSums.add(.sum, terms: years.indices.map { y in rows.map { ref($0, year: y, from: sheet.name) } },
                                                 values: years.indices.map { y in rows.map { projection.values[$0][y] / div } },
                                                 columns: years.indices.map(yearCol), label: label, name: nil, role: .displayMoney, labels: labels)
                }
                let label = labels[t.phrase] + " · " + labels[.sheetRow(r + 1)]
                let plus = parts(t.plus, label), minus = parts(t.minus, label + " · " + labels[.termsSubtracted])
                texts = years.indices.map { y in "=" + (plus?[y] ?? "0") + (minus.map { "-" + $0[y] } ?? "") }
            }
            let first = sheet.cells.count
            for y in years.indices {
                sheet.set(r, yearCol(y), .formula(texts[y], cached: .number(cached[k][y] / div)), .displayMoney)
            }
            sheet.notePartialSumCells(from: first)
            sheet.set(r, totalCol, .formula("=SUM(\(CellRef.name(row: r, col: Self.firstYearCol)):\(CellRef.name(row: r, col: lastYearCol)))",
                                             cached: .number(cached[k].reduce(0, +) / div)), .displayTotal)
        }
        return r
    }

    /// Summary rows of a source's status, live from its rows above: the surplus (envelope left over) for a
    /// source with an envelope, the unbudgeted amount for one without. Returns the last row written.
    func writeStatus(_ sheet: inout ReportSheet, _ s: SourceInfo, committedRow: Int, gapRow: Int?, after r0: Int) -> Int {
        let totalCol = Self.firstYearCol + years.count
        let div = scenario.unit.divisor
        let r = r0 + 1
        let phrase: Phrase = gapRow == nil ? .statusUnbudgeted : .statusSurplus
        sheet.set(r, 0, .text(s.title + " " + labels[phrase]), .label)
        for y in years.indices {
            let text = gapRow.map { "=MAX(0,-\(CellRef.name(row: $0, col: yearCol(y))))" } ?? "=\(CellRef.name(row: committedRow, col: yearCol(y)))"
            let committed = projection.values[model.index[s.committedRow]!][y]
            let v = s.envelopeRow.map { max(0, projection.values[model.index[$0]!][y] - committed) } ?? committed
            sheet.set(r, yearCol(y), .formula(text, cached: .number(v / div)), .displayMoney)
        }
        let all = years.indices.compactMap { y -> Double? in if case .formula(_, .number(let v)) = sheet.cell(r, yearCol(y))?.value { return v } else { return nil } }
        sheet.set(r, totalCol, .formula("=SUM(\(CellRef.name(row: r, col: Self.firstYearCol)):\(CellRef.name(row: r, col: lastYearCol)))",
                                         cached: .number(all.reduce(0, +))), .displayTotal)
        return r
    }
}

extension WorkbookBuilder {
    /// The Funding sheet's status row under each source (in the blank row its block leaves): "缺口" or "結餘"
    /// by a live formula over the gap for a source with an envelope, "未列預算" for one without.
    func annotateFundingStatus(_ sheet: inout ReportSheet) {
        let figures = projection.sourceFigures()
        for (s, f) in zip(model.sources, figures) {
            let rows = [s.committedRow, s.envelopeRow, s.gapRow, s.cumulativeGapRow].compactMap { $0 }.compactMap { model.index[$0] }
            guard let last = rows.compactMap({ placement[$0]?.row }).max() else { continue }
            let r = last + 1
            sheet.set(r, Self.labelCol, .text(labels[.statusHeader]), .label)
            sheet.set(r, Self.nameCol, .text("\(s.name).status"), .note)
            for y in years.indices {
                let word = labels.status(f.status[y])
                if let gap = s.gapRow.flatMap({ model.index[$0] }) {
                    // To the fen, as the engine's FundingStatus rounds: 2 decimals of yuan, 6 of 萬元.
                    let text = "=IF(ROUND(\(ref(gap, year: y, from: sheet.name)),\(2 + style.unitDigits))>0,\(Self.stringLiteral(labels[.statusGap])),\(Self.stringLiteral(labels[.statusSurplus])))"
                    sheet.set(r, yearCol(y), .formula(text, cached: .text(word)), .note)
                } else {
                    sheet.set(r, yearCol(y), .text(word), .note)
                }
            }
        }
    }
}
