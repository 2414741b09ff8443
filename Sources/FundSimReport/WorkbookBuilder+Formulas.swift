import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// Shared by every sheet: the header, cell roles, citations, and the translation of model formulas into cells.
extension WorkbookBuilder {
    func header(_ sheet: inout ReportSheet, title: String, unitNote: String? = nil) {
        sheet.set(0, 0, .text(title), .title)
        sheet.set(1, 0, .text(scenario.title + (unitNote.map { " · " + $0 } ?? "")), .subtitle)
        let h = Self.headerRow
        sheet.set(h, Self.labelCol, .text(labels[.item]), .header)
        sheet.set(h, Self.nameCol, .text(labels[.name]), .header)
        sheet.set(h, Self.unitCol, .text(labels[.unitHeader]), .header)
        sheet.set(h, Self.valueCol, .text(labels[.value]), .header)
        for (y, year) in years.enumerated() { sheet.set(h, yearCol(y), .number(Double(year)), .headerYear) }
        sheet.freeze = (h + 1, Self.valueCol)
        sheet.printTitleRows = h...h
        sheet.columnWidths = [(0, 0, 34), (1, 1, 24), (2, 2, 8), (3, 3, 14), (Self.firstYearCol, lastYearCol, 15)]
    }

    func inputRole(_ m: Measure) -> CellRole {
        switch m {
        case .money: return .inputMoney
        case .count, .area: return .inputCount
        case .ratio: return .inputRatio
        case .year: return .inputYear
        case .number: return .inputNumber
        }
    }

    func calcRole(_ m: Measure) -> CellRole { CellRole.calculated(m) }

    /// The role of a calculated row: by its measure, and for a count whether it is whole. A count the
    /// collective-economy model gives as an expected value, or any count with a fraction, shows one decimal.
    func calcRole(_ row: Row, _ values: [Double]) -> CellRole { calcRole(row, shownAs: row.dimension, values) }

    /// The same for a row shown in a measure of its own (money for a plain number computed from money).
    func calcRole(_ row: Row, shownAs measure: Measure, _ values: [Double]) -> CellRole {
        let role = calcRole(measure)
        guard role == .count else { return role }
        return isExpectedCount(row) || values.contains { $0 != $0.rounded() } ? .countDecimal : .count
    }

    /// Whether a row counts villages as an expected value (the collective-economy band model, not a roster run).
    func isExpectedCount(_ row: Row) -> Bool {
        guard case .key(let k, _) = row.label, CollectiveEconomyRows.expectedCounts.contains(k) else { return false }
        if case .formula(.kernel) = row.definition { return false }
        return true
    }

    mutating func collectCitations() {
        for row in model.rows {
            for p in row.provenance { if case .cite(let c) = p { addCitation(c) } }
        }
        for c in model.commitments { for p in c.provenance { if case .cite(let x) = p { addCitation(x) } } }
        for c in model.checks { for p in c.provenance { if case .cite(let x) = p { addCitation(x) } } }
    }

    mutating func addCitation(_ c: Citation) {
        var key = c
        key.location = nil
        if citationNumber[key] == nil {
            citations.append(key)
            citationNumber[key] = citations.count
        }
    }

    /// Provenance as one line per source: the quote with its place, or the assumption.
    func provenanceText(_ ps: [Provenance]) -> String {
        if ps.isEmpty { return labels[.noProvenance] }
        return ps.map { p in
            switch p {
            case .cite(let c):
                var k = c
                k.location = nil
                return "[\(citationNumber[k] ?? 0)] 「\(c.quote)」 \(c.document):\(c.line)"
            case .assumption(let s, _):
                return labels[.assumption] + s
            }
        }.joined(separator: "\n")
    }

    // MARK: Formulas

    /// The reference to a model row in a given year, as seen from `host`.
    func ref(_ i: Int, year y: Int, from host: String) -> String { rowRefs.ref(i, year: y, from: host) }

    /// What `ref` needs of the builder, apart: a closure that called `ref` on the builder itself would copy the
    /// whole builder for every cell reference it writes. Settled once per build (``settleReferences()``).
    var rowRefs: RowRefs { references ?? RowRefs(placement: placement, rows: model.rows, switchSeries: switchSeries, years: years) }

    /// Settles ``rowRefs`` once the rows are placed and the switching inputs known: every formula cell reads it.
    mutating func settleReferences() {
        references = RowRefs(placement: placement, rows: model.rows, switchSeries: switchSeries, years: years)
    }

    /// Each placed row's reference text, spelled once: a workbook writes a reference for every cell of every
    /// formula, and spelling each anew (column letters, the quoted sheet name, the row number) was most of that.
    struct RowRefs: Sendable {
        struct Place: Sendable {
            /// The sheet, as a number: references are compared with their host sheet for every cell.
            let sheet: Int
            /// The quoted sheet name and `!`, for a reference from another sheet.
            let prefix: String
            /// `$D$7` for a scalar (one value for every year), else nil.
            let fixed: String?
            /// `E7`, `F7`, … one per year.
            let byYear: [String]
        }
        let places: [Place?]
        let years: [Int]
        /// The number of each sheet that holds placed rows.
        let sheetNumbers: [String: Int]

        init(placement: [Int: (sheet: String, row: Int)], rows: [FundSimEngine.Row], switchSeries: Set<Int>, years: [Int]) {
            self.years = years
            var prefixes: [String: String] = [:], numbers: [String: Int] = [:]
            let columns = years.indices.map { CellRef.column(WorkbookBuilder.firstYearCol + $0) }
            let valueColumn = "$" + CellRef.column(WorkbookBuilder.valueCol) + "$"
            var places = [Place?](repeating: nil, count: rows.count)
            // Rows of one sheet come in runs: the last sheet's prefix and number are kept, not looked up by name.
            var last: (sheet: String, prefix: String, number: Int)?
            for (i, (sheet, r)) in placement {
                let prefix: String, number: Int
                if let l = last, l.sheet == sheet { (prefix, number) = (l.prefix, l.number) } else {
                    if let p = prefixes[sheet] { prefix = p } else { prefix = CellRef.sheetPrefix(sheet); prefixes[sheet] = prefix }
                    if let n = numbers[sheet] { number = n } else { number = numbers.count; numbers[sheet] = number }
                    last = (sheet, prefix, number)
                }
                let rowNumber = String(r + 1)
                var fixed: String? = nil
                if case .scalar = rows[i].definition, !switchSeries.contains(i) { fixed = valueColumn + rowNumber }
                places[i] = Place(sheet: number, prefix: prefix, fixed: fixed, byYear: fixed == nil ? columns.map { $0 + rowNumber } : [])
            }
            self.places = places
            self.sheetNumbers = numbers
        }

        /// The number of a host sheet, for ``ref(_:year:fromSheet:)``: -1 for a sheet that holds no placed row.
        func sheetNumber(_ host: String) -> Int { sheetNumbers[host] ?? -1 }

        func ref(_ i: Int, year y: Int, from host: String) -> String { ref(i, year: y, fromSheet: sheetNumber(host)) }

        func ref(_ i: Int, year y: Int, fromSheet host: Int) -> String { refFixed(i, year: y, fromSheet: host).text }

        /// The reference, and whether it is the same cell in every year (a scalar's fixed cell, or no cell).
        func refFixed(_ i: Int, year y: Int, fromSheet host: Int) -> (text: String, fixed: Bool) {
            guard i >= 0, i < places.count, let p = places[i] else { return ("0", true) }
            let cell = p.fixed ?? p.byYear[y]
            return (p.sheet == host ? cell : p.prefix + cell, p.fixed != nil)
        }
    }

    /// Translates a model formula into a spreadsheet formula for year index `y` on sheet `host`.
    ///
    /// The workbook holds money in the scenario's display unit (see ``MoneyScale``): the formula gives
    /// the row's value as its cell shows it, the engine's value divided by the unit's divisor for money.
    public func formula(_ f: Formula, year y: Int, host: String, degree target: Int = 0) -> String {
        formulas(on: host).text(f, year: y, degree: target).text
    }

    /// What translating formulas for one host sheet needs, settled once for all of its cells: the sheet as a
    /// number, whether it has the years in its header, each row's degree and reference text.
    func formulas(on host: String) -> FormulaWriter {
        // The writer holds the degrees array, not `self`: an escaping closure over the builder would copy it whole.
        let refs = rowRefs
        let hostNumber = refs.sheetNumber(host)
        // A sheet holding model rows (a number here: those are `placedSheets`) has the years in its header.
        return FormulaWriter(refs: refs, hostNumber: hostNumber, headerYear: hostNumber >= 0 || host == labels.inputs,
                             degrees: degrees.isEmpty ? MoneyScale.rowDegrees(model) : degrees,
                             digits: ValueStyle.digits(scenario.unit), unitCell: unitCell)
    }

    /// Translates model formulas for the cells of one host sheet (see ``formula(_:year:host:degree:)``).
    struct FormulaWriter {
        let refs: RowRefs
        let hostNumber: Int
        let headerYear: Bool
        let degrees: [Int]
        let digits: Int
        let unitCell: String

        /// The formula text (with `=`) of `f` in year index `y`, and whether it is the same text in every year
        /// (it refers to no year's cell, no last year and no year number): a row's other years can then reuse it.
        ///
        /// `list`, when given, writes each call over a list of terms (see ``MoneyScale/emit(_:_:leaf:list:)``).
        func text(_ f: Formula, year y: Int, degree target: Int, list: MoneyScale.ListCall? = nil) -> (text: String, everyYear: Bool) {
            let refs = self.refs, hostNumber = self.hostNumber, headerYear = self.headerYear, degrees = self.degrees
            var everyYear = true
            var s = MoneyScale(digits: digits, unitCell: unitCell) { degrees[$0] }.emit(f, target, leaf: { g in
                switch g {
                case .row(let i):
                    let (text, fixed) = refs.refFixed(i, year: y, fromSheet: hostNumber)
                    if !fixed { everyYear = false }
                    return text
                case .previous(let i, _):
                    everyYear = false
                    return y == 0 ? nil : refs.ref(i, year: y - 1, fromSheet: hostNumber)
                case .year:
                    everyYear = false
                    return headerYear ? CellRef.name(row: WorkbookBuilder.headerRow, col: WorkbookBuilder.firstYearCol + y, absoluteRow: true) : String(refs.years[y])
                default:
                    everyYear = false
                    return nil
                }
            }, list: list)
            // Drop one pair of outer parentheses for readability.
            if s.hasPrefix("("), s.hasSuffix(")"), WorkbookBuilder.balancedInside(s) { s = String(s.dropFirst().dropLast()) }
            return ("=" + s, everyYear)
        }
    }

    /// 1 for a row whose cells hold money in the display unit, 0 for every other row (see ``MoneyScale``).
    func rowDegree(_ i: Int) -> Int { degrees.isEmpty ? MoneyScale.rowDegrees(model)[i] : degrees[i] }

    /// What a row's cells show: money for a money row and for a plain-number row computed from money.
    public func displayMeasure(_ i: Int) -> Measure { rowDegree(i) == 1 ? .money : model.rows[i].dimension }

    /// An amount of yuan as a figure in a formula, in the display unit and exactly (`25000` → `2.5` in 萬元).
    func moneyLiteral(_ yuan: Double) -> String {
        MoneyScale(unit: scenario.unit, unitCell: unitCell) { _ in 1 }.literal(yuan, shift: style.unitDigits)
    }

    /// A model row's value as its cell shows it: money in the display unit, anything else as it is.
    func shown(_ v: Double, _ m: Measure) -> Double { m == .money ? style.money(v) : v }

    /// How the workbook shows figures: the scenario's display unit and language.
    var style: ValueStyle { ValueStyle(unit: scenario.unit, labels: labels) }

    static func balancedInside(_ s: String) -> Bool {
        // Parentheses are ASCII: bytes will do, and the length is taken once (not per character).
        var depth = 0
        let last = s.utf8.count - 1
        for (k, b) in s.utf8.enumerated() {
            if b == UInt8(ascii: "(") { depth += 1 } else if b == UInt8(ascii: ")") { depth -= 1 }
            if depth == 0 && k < last { return false }
        }
        return true
    }

    func isBoolean(_ f: Formula) -> Bool {
        switch f {
        case .binary(let op, _, _): return op.resultType == .boolean
        case .call(let fn, _): return fn.resultType == .boolean
        default: return false
        }
    }

    func writeFormulaRow(_ sheet: inout ReportSheet, _ i: Int, _ r: Int, _ f: Formula, applies: ((Int) -> Bool)? = nil) {
        let values = projection.values[i]
        let boolean = isBoolean(f)
        let measure = displayMeasure(i)
        let role = calcRole(model.rows[i], shownAs: measure, values)
        if case .kernel = f {
            // A per-village model: the engine's values, marked as such.
            for y in years.indices { sheet.set(r, yearCol(y), .number(shown(values[y], measure)), role) }
            sheet.set(r, lastYearCol + 1, .text(labels[.engineValuesPerVillageModel]), .note)
            return
        }
        let writer = formulas(on: sheet.name), degree = boolean ? 0 : rowDegree(i)
        let money = measure == .money ? ValueStyle(unit: scenario.unit, labels: labels) : nil
        // A formula that refers to no year's cell (a scalar input, a figure) is the same text in every year.
        var same: String?
        let first = sheet.cells.count
        var long = false
        for y in years.indices {
            if let applies, !applies(y) {
                sheet.set(r, yearCol(y), .text("—"), .notApplicable)
                continue
            }
            let typed: String
            if let same { typed = same } else {
                let (text, everyYear) = writer.text(f, year: y, degree: degree)
                // A truth value is stored as the number 1 or 0 (shown as pass/fail by the cell's format), so
                // that every reader finds the type a recalculating spreadsheet gives: see docs/engine.md.
                typed = boolean ? "=IF(" + text.dropFirst() + ",1,0)" : text
                if everyYear { same = typed }
            }
            let cached = boolean ? values[y] : money.map { $0.money(values[y]) } ?? values[y]
            if PartialSums.tooLong(typed) { long = true }
            sheet.set(r, yearCol(y), .formula(typed, cached: .number(cached)), boolean ? .check : role)
        }
        if long { computeInParts(&sheet, i, r, f, cells: first, applies: applies) }
    }

    /// A text as a spreadsheet string literal: in double quotes, each double quote doubled.
    static func stringLiteral(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
