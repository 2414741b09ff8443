import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// The scenario-values sheet of a compare workbook: every input's values in each compared scenario.
extension WorkbookBuilder {
    // MARK: Scenario switch

    /// Every input's values in each compared scenario; the Inputs sheet picks one row of each block.
    mutating func writeScenarioValues() -> ReportSheet {
        var sheet = ReportSheet(name: labels.scenarioValues)
        header(&sheet, title: labels[.inputValuesEachScenario])
        sheet.set(Self.headerRow, Self.unitCol, .text(labels[.scenarioHeader]), .header)
        let all = [(scenario, projection)] + alternatives.map { ($0.scenario, $0.projection) }
        // The list of scenario names, for the drop-down and MATCH.
        let listRow = Self.headerRow + 1
        sheet.set(listRow, Self.labelCol, .text(labels[.scenarios]), .labelBold)
        for (k, item) in all.enumerated() { sheet.set(listRow + 1 + k, Self.labelCol, .text(item.0.slug), .inputNumber) }
        var r = listRow + all.count + 3
        for (i, row) in model.rows.enumerated() where row.isInput {
            guard let (sheetName, _) = placement[i], sheetName == labels.inputs else { continue }
            valueBlock[i] = r
            let perScenario: [[Double]] = all.map { item in item.1.model.index[row.id].map { item.1.values[$0] } ?? projection.values[i] }
            if case .scalar = row.definition, perScenario.contains(where: { Set($0).count > 1 }) { switchSeries.insert(i) }
            for (k, item) in all.enumerated() {
                let m = item.1.model
                sheet.set(r, Self.labelCol, .text(k == 0 ? displayLabel(row) : ""), k == 0 ? .label : .note)
                sheet.set(r, Self.nameCol, .text(row.id), .note)
                sheet.set(r, Self.unitCol, .text(item.0.slug), .note)
                let values: [Double] = m.index[row.id].map { item.1.values[$0] } ?? projection.values[i]
                switch row.definition {
                case .scalar where !switchSeries.contains(i): sheet.set(r, Self.valueCol, .number(shown(values[0], row.dimension)), inputRole(row.dimension))
                default: for y in years.indices { sheet.set(r, yearCol(y), .number(shown(values[y], row.dimension)), inputRole(row.dimension)) }
                }
                r += 1
            }
            r += 1
        }
        let names = CellRef.sheetPrefix(labels.scenarioValues) + CellRef.name(row: listRow + 1, col: Self.labelCol, absolute: true) + ":" + CellRef.name(row: listRow + all.count, col: Self.labelCol, absolute: true)
        scenarioNames = names
        selectorIndex = "MATCH(" + CellRef.sheetPrefix(labels.summary) + "$E$4," + names + ",0)"
        return sheet
    }
}
