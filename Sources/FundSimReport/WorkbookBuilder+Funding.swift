import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// The Funding sheet: who pays, each source against its envelope, and who pushes it over.
extension WorkbookBuilder {
    func writeFunding(_ sheet: inout ReportSheet, attributionStart: Int) {
        header(&sheet, title: labels[.fundingWhoPaysBudgetEnough])
        let fundingRows = fundingFormulaRows()
        for c in model.commitments {
            let rows = fundingRows[c.id] ?? []
            guard let first = rows.first, let (_, r0) = placement[first] else { continue }
            sheet.set(r0 - 1, Self.labelCol, .text(c.title), .labelBold)
            sheet.set(r0 - 1, Self.nameCol, .text(c.id), .note)
            for i in rows {
                guard let (_, r) = placement[i], case .formula(let f) = model.rows[i].definition else { continue }
                let row = model.rows[i]
                let label = labels.text(row.label)
                sheet.set(r, Self.labelCol, .text(label), .label)
                sheet.set(r, Self.nameCol, .text(row.id), .note)
                sheet.set(r, Self.unitCol, .text(labels.unitName(displayMeasure(i))), .note)
                writeFormulaRow(&sheet, i, r, f)
            }
        }
        for s in model.sources {
            let i0 = model.index[s.committedRow]!
            guard let (_, r0) = placement[i0] else { continue }
            sheet.set(r0 - 1, Self.labelCol, .text(labels[.sourceColon] + s.title), .labelBold)
            sheet.set(r0 - 1, Self.nameCol, .text(s.name), .note)
            for id in [s.committedRow, s.envelopeRow, s.gapRow, s.cumulativeGapRow].compactMap({ $0 }) {
                let i = model.index[id]!
                guard let (_, r) = placement[i], case .formula(let f) = model.rows[i].definition else { continue }
                sheet.set(r, Self.labelCol, .text(labels.text(model.rows[i].label)), id == s.gapRow ? .labelBold : .label)
                sheet.set(r, Self.nameCol, .text(id), .note)
                sheet.set(r, Self.unitCol, .text(labels.unitName(.money)), .note)
                writeFormulaRow(&sheet, i, r, f)
            }
        }
        // Which commitments push each source over its envelope: taken in scenario order.
        var r = attributionStart
        for s in model.sources {
            guard let envRow = s.envelopeRow, let env = model.index[envRow] else { continue }
            let pays = model.commitments.flatMap { c in c.amountRows.filter { $0.source == s.name }.map { (c, model.index[$0.row]!) } }
            if pays.isEmpty { continue }
            sheet.set(r, Self.labelCol, .text(labels[.overEnvelopeAttribution] + s.title), .labelBold)
            sheet.set(r, Self.nameCol, .text(labels[.runningTotalInScenarioOrder]), .note)
            // The running totals sit to the right of the years, each the one above plus this commitment's amount, so
            // that no formula grows with the number of commitments a source pays for.
            let runningCol = lastYearCol + 2
            for y in years.indices { sheet.set(r, runningCol + y, .text("\(labels[.runningTotal]) \(years[y])"), .header) }
            r += 1
            var running = [Double](repeating: 0, count: years.count)
            for (k, (c, amountRow)) in pays.enumerated() {
                sheet.set(r, Self.labelCol, .text(c.title), .label)
                sheet.set(r, Self.nameCol, .text("\(s.name).over.\(c.id)"), .note)
                sheet.set(r, Self.unitCol, .text(labels.unitName(.money)), .note)
                for y in years.indices {
                    running[y] += projection.values[amountRow][y]
                    let amount = ref(amountRow, year: y, from: sheet.name)
                    let runningCell = CellRef.name(row: r, col: runningCol + y)
                    let sum = k == 0 ? "=" + amount : "=" + CellRef.name(row: r - 1, col: runningCol + y) + "+" + amount
                    sheet.set(r, runningCol + y, .formula(sum, cached: .number(style.money(running[y]))), .money)
                    let value = max(0, min(projection.values[amountRow][y], running[y] - projection.values[env][y]))
                    let text = "=MAX(0,MIN(\(amount),\(runningCell)-\(ref(env, year: y, from: sheet.name))))"
                    sheet.set(r, yearCol(y), .formula(text, cached: .number(style.money(value))), .money)
                }
                r += 1
            }
            r += 1
        }
    }

    /// Each commitment's computed funding rows, in row order: one pass over the rows, not one per commitment.
    func fundingFormulaRows() -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for (i, row) in model.rows.enumerated() where !row.isInput {
            if case .funding(let c) = row.section { out[c, default: []].append(i) }
        }
        return out
    }
}
