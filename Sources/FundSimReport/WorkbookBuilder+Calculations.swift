import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// The Calculations sheet and the Collective economy sheet: each commitment's rows by year.
extension WorkbookBuilder {
    // MARK: Calculation sheets

    func writeCommitmentSheet(_ sheet: inout ReportSheet, collectiveSheet: Bool) {
        header(&sheet, title: collectiveSheet ? labels[.villageCollectiveEconomy]
                                              : labels[.calculationsEachCommitmentByYear])
        if collectiveSheet {
            sheet.set(Self.headerRow + 1, 0, .text(labels[.bandCountsAssumeIncomesSpread] + " " + labels[.expectedCountsNote]), .note)
        }
        for c in model.commitments where (c.kind == CommitmentKindSpec.collectiveEconomy.key) == collectiveSheet {
            let rows = c.rows.filter(isFormula).compactMap { model.index[$0] }
            guard let first = rows.first, let (_, r0) = placement[first] else { continue }
            sheet.set(r0 - 1, Self.labelCol, .text(c.title), .labelBold)
            sheet.set(r0 - 1, Self.nameCol, .text(c.id), .note)
            sheet.set(r0 - 1, Self.unitCol, .text(c.kind), .note)
            for i in rows {
                guard let (_, r) = placement[i], case .formula(let f) = model.rows[i].definition else { continue }
                let row = model.rows[i]
                let label = isExpectedCount(row) ? labels.expected(labels.text(row.label)) : labels.text(row.label)
                sheet.set(r, Self.labelCol, .text(label), row.id == c.costRow ? .labelBold : .label)
                sheet.set(r, Self.nameCol, .text(row.id), .note)
                sheet.set(r, Self.unitCol, .text(labels.unitName(displayMeasure(i))), .note)
                writeFormulaRow(&sheet, i, r, f)
            }
        }
        if !collectiveSheet {
            let first = model.index["total.pay"]!
            guard let (_, r0) = placement[first] else { return }
            sheet.set(r0 - 1, Self.labelCol, .text(labels.withUnit(labels[.totalsByCategory], labels.displayUnit(scenario.unit))), .labelBold)
            for id in Category.allCases.map({ "total.\($0.rawValue)" }) + ["total"] {
                let i = model.index[id]!
                guard let (_, r) = placement[i], case .formula(let f) = model.rows[i].definition else { continue }
                sheet.set(r, Self.labelCol, .text(labels.text(model.rows[i].label)), id == "total" ? .labelBold : .label)
                sheet.set(r, Self.nameCol, .text(id), .note)
                sheet.set(r, Self.unitCol, .text(labels.unitName(.money)), .note)
                writeFormulaRow(&sheet, i, r, f)
            }
        }
    }
}
