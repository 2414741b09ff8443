import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// The Checks sheet: each check by year, its two sides, and the overall result.
extension WorkbookBuilder {
    /// Where the Checks sheet keeps its live results, for the Summary to show.
    struct CheckResultCells {
        /// 1 when every check passes, else 0.
        var overall: String
        var allPass: Bool
        /// The number of failing checks.
        var failingCount: String
        var failing: Int
        /// The titles of the failing checks joined by `;` ("" when none fails); nil without checks.
        var failingNames: String?
        var names: String
    }

    /// Writes the checks with the live overall result, the number of failing checks and their titles.
    ///
    /// The titles are joined down a helper column, each cell adding its row's title to the one above
    /// when that check fails: only `IF` and `&`, which Excel 2010, WPS, LibreOffice and Gnumeric all
    /// have (`TEXTJOIN` needs Excel 2019), and no formula grows with the number of checks.
    func writeChecks(_ sheet: inout ReportSheet) -> CheckResultCells {
        header(&sheet, title: labels[.checksHeading])
        sheet.set(Self.headerRow, Self.valueCol, .text(labels[.passHeader]), .header)
        let namesCol = lastYearCol + 1
        sheet.set(Self.headerRow, namesCol, .text(labels[.failingChecks]), .header)
        sheet.columnWidths.append((namesCol, namesCol, 40))
        let results = projection.checkResults()
        // Each check's place, title and result, in order: the failing titles so far and the names cell above
        // are known before any cell is written, so the two halves of a long list are written on two cores.
        var placed: [PlacedCheck] = []
        var joined = "", lastNames: String?
        for (k, ch) in model.checks.enumerated() {
            let i = model.index[ch.row]!
            guard let (_, r) = placement[i], case .formula(let f) = model.rows[i].definition else { continue }
            let title = labels.text(ch.title)
            placed.append(PlacedCheck(k: k, i: i, r: r, f: f, title: title, joinedBefore: joined, above: lastNames))
            if !results[k].passed { joined = Self.joiningFailing(joined, title) }
            lastNames = CellRef.name(row: r, col: namesCol)
        }
        let firstRow = placed.first?.r, lastRow = placed.last?.r ?? 0
        let overallRefs = placed.map { CellRef.name(row: $0.r, col: Self.valueCol) }
        let halves = placed.count >= 2_000 ? [placed[..<(placed.count / 2)], placed[(placed.count / 2)...]] : [placed[...]]
        let me = self, name = sheet.name
        let parts: [ReportSheet]
        if halves.count == 2 {
            let (a, b) = BothCores.run({ checkRows(halves[0], sheet: name, namesCol: namesCol, results: results) },
                                       { me.checkRows(halves[1], sheet: name, namesCol: namesCol, results: results) })
            parts = [a, b]
        } else {
            parts = [checkRows(halves[0], sheet: name, namesCol: namesCol, results: results)]
        }
        for part in parts { sheet.absorb(part) }
        // Pass and fail coloured over the whole block of checks by one pair of rules: the check rows are those with
        // a result in the value column (the side rows leave it blank).
        if let firstRow { sheet.colourPassFail(rows: firstRow...lastRow, cols: Self.valueCol...lastYearCol, rowsWithNumberIn: Self.valueCol) }
        let overallRow = Self.headerRow + 2
        let allPass = results.allSatisfy(\.passed)
        sheet.set(overallRow, Self.labelCol, .text(labels[.allChecksPass]), .labelBold)
        // Every check passes: AND over the check cells, or, past the arguments AND takes (and so past a formula's length),
        // the count of passing check cells (1s; the side rows leave this column blank, and an error is no pass).
        let f: String
        if overallRefs.isEmpty { f = "=1" }
        else if overallRefs.count <= Limits.functionArguments { f = "=IF(AND(\(overallRefs.joined(separator: ","))),1,0)" }
        else {
            let range = CellRef.name(row: firstRow!, col: Self.valueCol) + ":" + CellRef.name(row: lastRow, col: Self.valueCol)
            f = "=IF(COUNTIF(\(range),1)=\(overallRefs.count),1,0)"
        }
        sheet.set(overallRow, Self.valueCol, .formula(f, cached: .number(allPass ? 1 : 0)), .checkOverall)
        sheet.colourPassFail(rows: overallRow...overallRow, cols: Self.valueCol...Self.valueCol)
        // The number of failing checks: check cells are 1 or 0, and the side rows leave this column blank.
        let countRow = overallRow + 1
        let failing = results.filter { !$0.passed }.count
        sheet.set(countRow, Self.labelCol, .text(labels[.failingCheckCount]), .labelBold)
        let count = firstRow.map { "=COUNTIF(\(CellRef.name(row: $0, col: Self.valueCol)):\(CellRef.name(row: lastRow, col: Self.valueCol)),0)" } ?? "=0"
        sheet.set(countRow, Self.valueCol, .formula(count, cached: .number(Double(failing))), .checkCount)
        let prefix = CellRef.sheetPrefix(sheet.name)
        return CheckResultCells(overall: prefix + CellRef.name(row: overallRow, col: Self.valueCol, absolute: true), allPass: allPass,
                                failingCount: prefix + CellRef.name(row: countRow, col: Self.valueCol, absolute: true), failing: failing,
                                failingNames: lastNames.map { _ in prefix + CellRef.name(row: lastRow, col: namesCol, absolute: true) }, names: joined)
    }

    /// The most characters (UTF-16 units, as LEN and LEFT count) the failing-titles column holds: the titles are joined
    /// down the column up to this length, then the rest are left out (the failing count beside says how many fail).
    /// Without it every cell would repeat every title above it: a workbook quadratic in the number of failing checks,
    /// and past the 32,767 characters a cell holds.
    static let failingTitlesLength = 1_000

    /// The failing titles after adding `title` to those of the checks above, as the column's formula computes them.
    static func joiningFailing(_ before: String, _ title: String) -> String {
        if before.utf16.count >= failingTitlesLength { return before }
        let text = before + (before.isEmpty ? "" : ";") + title
        guard text.utf16.count > failingTitlesLength else { return text }
        return String(decoding: Array(text.utf16.prefix(failingTitlesLength)), as: UTF16.self)
    }

    /// A check's place on the Checks sheet and what its cells need from the checks before it.
    struct PlacedCheck: Sendable {
        var k: Int, i: Int, r: Int
        var f: Formula
        var title: String
        /// The failing titles of the checks above, joined by `;`.
        var joinedBefore: String
        /// The failing-titles cell of the check above; nil for the first check.
        var above: String?
    }

    /// The cells of some checks, in order, on a sheet of their own (the caller adds them to the Checks sheet).
    func checkRows(_ part: ArraySlice<PlacedCheck>, sheet name: String, namesCol: Int, results: [Projection.CheckResult]) -> ReportSheet {
        var sheet = ReportSheet(name: name)
        let model = self.model, years = self.years
        let builtIn = labels[.builtIn], scenarioLower = labels[.scenarioLower]
        let sides = [("  " + labels[.leftSide], 1), ("  " + labels[.rightSide], 2)]
        for p in part {
            let (k, i, r, f, title, joinedBefore, above) = (p.k, p.i, p.r, p.f, p.title, p.joinedBefore, p.above)
            let ch = model.checks[k]
            sheet.set(r, Self.labelCol, .text(title), .labelBold)
            sheet.set(r, Self.nameCol, .text(ch.id), .note)
            sheet.set(r, Self.unitCol, .text(ch.builtIn ? builtIn : scenarioLower), .note)
            // Over the years alone: a closure over `self` would copy the whole builder for each check.
            let checkYears = ch.years
            writeFormulaRow(&sheet, i, r, f) { y in checkYears.contains(years[y]) }
            let range = CellRef.name(row: r, col: Self.firstYearCol) + ":" + CellRef.name(row: r, col: lastYearCol)
            let passed = results[k].passed
            let result = CellRef.name(row: r, col: Self.valueCol)
            sheet.set(r, Self.valueCol, .formula("=IF(AND(\(range)),1,0)", cached: .number(passed ? 1 : 0)), .check)
            // The failing titles so far: the cell above, and this title when this check fails.
            let titleCell = CellRef.name(row: r, col: Self.labelCol)
            let joined = passed ? joinedBefore : Self.joiningFailing(joinedBefore, title)
            let cap = Self.failingTitlesLength
            let namesFormula = above.map { above in
                "=IF(OR(\(result)=1,LEN(\(above))>=\(cap)),\(above),LEFT(\(above)&IF(\(above)=\"\",\"\",\";\")&\(titleCell),\(cap)))"
            } ?? "=IF(\(result)=1,\"\",LEFT(\(titleCell),\(cap)))"
            sheet.set(r, namesCol, .formula(namesFormula, cached: .text(joined)), .note)
            for ((side, offset), id) in zip(sides, [ch.lhsRow, ch.rhsRow]) {
                guard let id, let j = model.index[id], let (_, rr) = placement[j], rr == r + offset,
                      case .formula(let g) = model.rows[j].definition else { continue }
                sheet.set(rr, Self.labelCol, .text(side), .note)
                sheet.set(rr, Self.nameCol, .text(id), .note)
                sheet.set(rr, Self.unitCol, .text(labels.unitName(displayMeasure(j))), .note)
                writeFormulaRow(&sheet, j, rr, g)
            }
        }
        return sheet
    }
}
