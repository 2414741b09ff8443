import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// The Checks sheet: each check by year, its two sides, and the overall result.
extension WorkbookBuilder {
    /// Writes the checks; returns the reference of the overall cell.
    func writeChecks(_ sheet: inout ReportSheet) -> (ref: String, value: Bool) {
        header(&sheet, title: labels[.checksHeading])
        sheet.set(Self.headerRow, Self.valueCol, .text(labels[.passHeader]), .header)
        let results = projection.checkResults()
        var overallRefs: [String] = []
        for (k, ch) in model.checks.enumerated() {
            let i = model.index[ch.row]!
            guard let (_, r) = placement[i], case .formula(let f) = model.rows[i].definition else { continue }
            sheet.set(r, Self.labelCol, .text(labels.text(ch.title)), .labelBold)
            sheet.set(r, Self.nameCol, .text(ch.id), .note)
            sheet.set(r, Self.unitCol, .text(ch.builtIn ? labels[.builtIn] : labels[.scenarioLower]), .note)
            writeFormulaRow(&sheet, i, r, f) { y in ch.years.contains(self.years[y]) }
            let range = CellRef.name(row: r, col: Self.firstYearCol) + ":" + CellRef.name(row: r, col: lastYearCol)
            sheet.set(r, Self.valueCol, .formula("=IF(AND(\(range)),1,0)", cached: .number(results[k].passed ? 1 : 0)), .check)
            overallRefs.append(CellRef.name(row: r, col: Self.valueCol))
            for (side, id, offset) in [(labels[.leftSide], ch.lhsRow, 1), (labels[.rightSide], ch.rhsRow, 2)] {
                guard let id, let j = model.index[id], let (_, rr) = placement[j], rr == r + offset,
                      case .formula(let g) = model.rows[j].definition else { continue }
                sheet.set(rr, Self.labelCol, .text("  " + side), .note)
                sheet.set(rr, Self.nameCol, .text(id), .note)
                writeFormulaRow(&sheet, j, rr, g)
            }
        }
        let overallRow = Self.headerRow + 2
        let allPass = results.allSatisfy(\.passed)
        sheet.set(overallRow, Self.labelCol, .text(labels[.allChecksPass]), .labelBold)
        let f = overallRefs.isEmpty ? "=1" : "=IF(AND(\(overallRefs.joined(separator: ","))),1,0)"
        sheet.set(overallRow, Self.valueCol, .formula(f, cached: .number(allPass ? 1 : 0)), .checkOverall)
        return (CellRef.sheetPrefix(sheet.name) + CellRef.name(row: overallRow, col: Self.valueCol, absolute: true), allPass)
    }
}
