import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// Formulas too long for a spreadsheet, computed in parts (``PartialSums``): the builder's side.
extension WorkbookBuilder {
    /// Rewrites the cells of row `i` (written from `sheet.cells[first]` on, one per year) of which one is longer than a
    /// spreadsheet takes: the longest call over a list of terms (a source's commitments, a category's costs) is computed
    /// in parts, then the next longest, until every cell fits.
    ///
    /// A call is taken only when each of its terms fits in a part; a formula still too long then (an expression a scenario
    /// writes with thousands of terms in plain `+`) is left as it is.
    func computeInParts(_ sheet: inout ReportSheet, _ i: Int, _ r: Int, _ f: Formula, cells first: Int, applies: ((Int) -> Bool)?) {
        let boolean = isBoolean(f)
        let degree = boolean ? 0 : rowDegree(i)
        let host = sheet.name
        let ys = years.indices.filter { applies?($0) ?? true }
        let rowLabel = sheet.cells[..<first].last { $0.row == r && $0.col == Self.labelCol }.flatMap { cell -> String? in
            if case .text(let t) = cell.value { return t.trimmingCharacters(in: .whitespaces) } else { return nil }
        } ?? model.rows[i].id
        // Each call over a list, numbered in the order the formula writes them (the same in every year: every argument is
        // written, a call in parts or not); what stands for the ones computed in parts, by year index.
        var standIns: [Int: [Int: String]] = [:]
        let writer = formulas(on: host)
        var texts: [String] = []
        for _ in 0..<64 {
            var calls = [[(function: Function, args: [Formula], degree: Int, texts: [String])]](repeating: [], count: years.count)
            texts = ys.map { y in
                var n = 0
                let text = writer.text(f, year: y, degree: degree) { fn, args, w, argTexts in
                    defer { n += 1 }
                    calls[y].append((fn, args, w, argTexts))
                    return standIns[n]?[y] ?? fn.spreadsheet(argTexts)
                }.text
                // A truth value is stored as 1 or 0, as ``writeFormulaRow(_:_:_:_:applies:)`` writes it.
                return boolean ? "=IF(" + text.dropFirst() + ",1,0)" : text
            }
            guard texts.contains(where: PartialSums.tooLong) else { break }
            // The longest call not yet in parts (over the years) whose terms each fit in a part.
            var best: (n: Int, length: Int)? = nil
            let room = Limits.formulaCharacters - 8
            for n in 0..<(calls.map(\.count).max() ?? 0) where standIns[n] == nil {
                let present = ys.compactMap { y in n < calls[y].count ? calls[y][n] : nil }
                guard present.allSatisfy({ $0.texts.count > 1 && $0.texts.allSatisfy { $0.utf16.count <= room } }) else { continue }
                let length = present.map { $0.texts.reduce(0) { $0 + $1.utf16.count + 1 } }.max() ?? 0
                if length > best?.length ?? 0 { best = (n, length) }
            }
            guard let n = best?.n else { break }
            let at = ys.filter { n < calls[$0].count }
            let call = calls[at[0]][n]
            let values = at.map { y in
                projection.values(of: calls[y][n].args, year: y).map { v in Self.atDegree(v ?? 0, calls[y][n].degree, scenario.unit.divisor) }
            }
            let boolean = call.function.resultType == .boolean
            let role: CellRole = boolean ? .check : call.degree == 1 ? .money : .number
            sheet.partialSums.nameCol = Self.nameCol
            sheet.partialSums.unitCol = Self.unitCol
            let replacement = sheet.partialSums.add(call.function, terms: at.map { calls[$0][n].texts }, values: values, columns: at.map(yearCol),
                                                    label: rowLabel + " · " + labels[.sheetRow(r + 1)], name: model.rows[i].id,
                                                    unit: call.degree == 1 && !boolean ? labels.unitName(.money) : nil, role: role, labels: labels)
            standIns[n] = Dictionary(uniqueKeysWithValues: zip(at, replacement))
        }
        for (y, text) in zip(ys, texts) {
            guard case .formula(_, let cached) = sheet.cells[first + y].value else { continue }
            sheet.cells[first + y].value = .formula(text, cached: cached)
        }
        sheet.notePartialSumCells(from: first)
    }

    /// A figure in yuan (or any figure, at degree 0) as a cell of degree `w` holds it (see ``MoneyScale``).
    static func atDegree(_ v: Double, _ w: Int, _ divisor: Double) -> Double {
        switch w {
        case 0: return v
        case 1: return v / divisor
        default: return v / Foundation.pow(divisor, Double(w))
        }
    }
}
