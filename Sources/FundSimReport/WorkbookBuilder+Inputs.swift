import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// The Inputs sheet: where each input sits, and its values with their sources.
extension WorkbookBuilder {
    // MARK: Inputs

    mutating func placeInputs() {
        var r = Self.headerRow + 1
        unitCell = CellRef.sheetPrefix(labels.inputs) + CellRef.name(row: r, col: Self.valueCol, absolute: true)
        r += 2
        func place(_ i: Int) { placement[i] = (labels.inputs, r); r += 1 }
        // Scenario inputs, then each commitment's own figures, then envelopes.
        for (i, row) in model.rows.enumerated() where row.section == .input && row.owner == nil { place(i) }
        // Each commitment's own figures, found in one pass over the rows (in row order).
        var ownedBy: [String: [Int]] = [:]
        for (i, row) in model.rows.enumerated() {
            switch row.section {
            case .input: if case .commitment(let c) = row.owner { ownedBy[c, default: []].append(i) }
            case .commitment(let c), .funding(let c): if row.isInput { ownedBy[c, default: []].append(i) }
            default: break
            }
        }
        for c in model.commitments {
            guard let owned = ownedBy[c.id], !owned.isEmpty else { continue }
            r += 1
            for i in owned { place(i) }
        }
        r += 1
        for (i, row) in model.rows.enumerated() where row.section == .input && row.owner != nil && placement[i] == nil { place(i) }
    }

    func writeInputs(_ sheet: inout ReportSheet) {
        header(&sheet, title: labels[.inputsAssumptions])
        let provCol = lastYearCol + 1
        sheet.set(Self.headerRow, provCol, .text(labels[.sourceOrAssumption]), .header)
        sheet.columnWidths.append((provCol, provCol, 70))
        // Yuan per display unit: every money cell holds figures in the display unit, and formulas where money
        // enters non-linearly multiply by this cell (see MoneyScale). A fact of the scenario, not an input.
        let ur = Self.headerRow + 1
        sheet.set(ur, Self.labelCol, .text(labels[.displayUnitYuan]), .label)
        sheet.set(ur, Self.nameCol, .text(labels[.unitDivisor]), .note)
        sheet.set(ur, Self.unitCol, .text(labels.displayUnit(scenario.unit)), .note)
        sheet.set(ur, Self.valueCol, .number(scenario.unit.divisor), .number,
                  comment: labels[.moneyShownInThisUnit])
        var lastOwner: String? = nil
        let commitmentById = Dictionary(model.commitments.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, row) in model.rows.enumerated() {
            guard let (sheetName, r) = placement[i], sheetName == labels.inputs else { continue }
            let owner: String? = {
                switch row.section {
                case .input: return row.owner?.id
                case .commitment(let c), .funding(let c): return c
                default: return nil
                }
            }()
            if let owner, owner != lastOwner, let c = commitmentById[owner] {
                sheet.set(r - 1, Self.labelCol, .text(c.title), .labelBold)
                sheet.set(r - 1, Self.nameCol, .text(c.id), .note)
            }
            lastOwner = owner
            let prov = provenanceText(row.provenance)
            sheet.set(r, Self.labelCol, .text(displayLabel(row)), .label)
            sheet.set(r, Self.nameCol, .text(row.id), .note)
            sheet.set(r, Self.unitCol, .text(labels.unitName(displayMeasure(i))), .note)
            switch row.definition {
            case .scalar(let v) where valueBlock[i] != nil && switchSeries.contains(i):
                let b = valueBlock[i]!
                for y in years.indices {
                    let range = CellRef.sheetPrefix(labels.scenarioValues) + CellRef.name(row: b, col: yearCol(y), absoluteRow: true) + ":" + CellRef.name(row: b + alternatives.count, col: yearCol(y), absoluteRow: true)
                    sheet.set(r, yearCol(y), .formula("=INDEX(\(range),\(selectorIndex))", cached: .number(shown(v, row.dimension))), calcRole(row.dimension), comment: y == 0 ? prov : nil)
                }
            case .scalar(let v) where valueBlock[i] != nil:
                let b = valueBlock[i]!
                let range = CellRef.sheetPrefix(labels.scenarioValues) + CellRef.name(row: b, col: Self.valueCol, absolute: true) + ":" + CellRef.name(row: b + alternatives.count, col: Self.valueCol, absolute: true)
                sheet.set(r, Self.valueCol, .formula("=INDEX(\(range),\(selectorIndex))", cached: .number(shown(v, row.dimension))), calcRole(row.dimension), comment: prov)
            case .series(let v) where valueBlock[i] != nil:
                let b = valueBlock[i]!
                for y in years.indices {
                    let range = CellRef.sheetPrefix(labels.scenarioValues) + CellRef.name(row: b, col: yearCol(y), absoluteRow: true) + ":" + CellRef.name(row: b + alternatives.count, col: yearCol(y), absoluteRow: true)
                    sheet.set(r, yearCol(y), .formula("=INDEX(\(range),\(selectorIndex))", cached: .number(shown(v[y], row.dimension))), calcRole(row.dimension), comment: y == 0 ? prov : nil)
                }
            case .scalar(let v):
                sheet.set(r, Self.valueCol, .number(shown(v, row.dimension)), inputRole(row.dimension), comment: prov)
            case .series(let v):
                for y in years.indices { sheet.set(r, yearCol(y), .number(shown(v[y], row.dimension)), inputRole(row.dimension), comment: y == 0 ? prov : nil) }
                if let note = row.note { sheet.set(r, Self.valueCol, .text(note), .note) }
            case .formula(let f):
                writeFormulaRow(&sheet, i, r, f)
            }
            let shown: String
            if case .formula = row.definition, let note = row.note, row.provenance.isEmpty {
                shown = labels[.computedFromOtherInputs] + note
            } else {
                shown = prov
            }
            sheet.set(r, provCol, .text(shown), .noteWrap)
            // About 70 narrow characters fit a line of the column; Chinese characters take two.
            let width = shown.split(separator: "\n").map { line in max(1, (line.unicodeScalars.reduce(0) { $0 + DiagnosticRenderer.displayWidth($1) } + 67) / 68) }.reduce(0, +)
            // A row is at most 409 points high (27 lines; a spreadsheet's limit): longer text shows when the cell is opened.
            if width > 1 { sheet.rowHeights.append((r, min(409, 15.0 * Double(width)))) }
        }
    }

    func displayLabel(_ row: Row) -> String { labels.text(row.label) }
}
