/// A1-style cell references for formulas, defined names and chart ranges: the one place that spells them,
/// used by the report builders (formulas, chart ranges) and by the xlsx wrapper (messages, limits).
///
/// Rows and columns are 0-based, as everywhere in this module: row 2, column 1 is `B3`.
public enum CellRef {
    /// Rows in a sheet: 1,048,576 (0-based rows 0..<maxRows).
    public static let maxRows = 1_048_576
    /// Columns in a sheet: 16,384, `A` to `XFD` (0-based columns 0..<maxColumns).
    public static let maxColumns = 16_384

    /// Whether the 0-based cell lies on a sheet.
    public static func contains(row: Int, col: Int) -> Bool {
        (0..<maxRows).contains(row) && (0..<maxColumns).contains(col)
    }

    /// The column letters: 0 → `A`, 25 → `Z`, 26 → `AA`, 16,383 → `XFD`.
    ///
    /// A negative column gives `#REF!`, which Excel also shows for a reference off the sheet.
    public static func column(_ col: Int) -> String {
        guard col >= 0 else { return "#REF!" }
        if col < 26 { return singleLetters[col] }
        var n = col + 1
        var letters: [Character] = []
        while n > 0 {
            let digit = (n - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + digit))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }

    /// `A` to `Z`, spelled once: most references are to the first 26 columns.
    private static let singleLetters = (0..<26).map { String(Unicode.Scalar(UInt8(65 + $0))) }

    /// The cell's name: row 2, column 1 → `B3`, or `$B$3` when `absolute`.
    public static func name(row: Int, col: Int, absolute: Bool = false) -> String {
        name(row: row, col: col, absoluteRow: absolute, absoluteColumn: absolute)
    }

    /// The cell's name with the row and the column fixed separately: `B$3` keeps the row when copied down.
    public static func name(row: Int, col: Int, absoluteRow: Bool, absoluteColumn: Bool = false) -> String {
        guard row >= 0 else { return "#REF!" }
        return (absoluteColumn ? "$" : "") + column(col) + (absoluteRow ? "$" : "") + String(row + 1)
    }

    /// A block's name: `B3:D5`, or `$B$3:$D$5` when `absolute`.
    public static func range(
        firstRow: Int, firstCol: Int, lastRow: Int, lastCol: Int, absolute: Bool = false
    ) -> String {
        name(row: firstRow, col: firstCol, absolute: absolute) + ":"
            + name(row: lastRow, col: lastCol, absolute: absolute)
    }

    /// The sheet name as a formula must spell it before `!`: `Inputs`, `'My Sheet'`, `'輸入'`.
    ///
    /// Quotes any name that is not plain ASCII letters, digits, `_` and `.` starting with a letter or
    /// `_`, and any name Excel would read as a cell reference (`A1`, `R1C1`); always quotes non-ASCII
    /// names and names with spaces. An apostrophe inside is doubled: `Bob's` → `'Bob''s'`.
    /// The result has no `!`; see ``reference(sheet:row:col:absolute:)``.
    public static func quoteSheet(_ name: String) -> String {
        let plain =
            name.unicodeScalars.allSatisfy { $0.isASCII && (isLetter($0) || isDigit($0) || $0 == "_" || $0 == ".") }
            && name.unicodeScalars.first.map { isLetter($0) || $0 == "_" } == true
            && !looksLikeCellReference(Substring(name))
        if plain { return name }
        return "'" + name.replacing("'", with: "''") + "'"
    }

    /// The sheet prefix of a reference: the quoted name and `!`, e.g. `'輸入'!`.
    public static func sheetPrefix(_ name: String) -> String { quoteSheet(name) + "!" }

    /// `A1`…`XFD1048576`, `R`, `C`, `R1C1`, `R1`, `C1` and the like: Excel reads these as references.
    public static func looksLikeCellReference(_ name: Substring) -> Bool {
        let upper = Array(name.uppercased().unicodeScalars)
        guard upper.allSatisfy({ $0.isASCII }) else { return false }
        let letters = upper.prefix { $0.properties.isAlphabetic }
        let rest = upper.dropFirst(letters.count)
        if (1...3).contains(letters.count), !rest.isEmpty,
            rest.allSatisfy({ ("0"..."9").contains($0) })
        {
            return true
        }
        // R1C1 forms: R, C, Rn, Cn, RC, RnC, RCn, RnCn.
        var scalars = upper[...]
        func digits() { while let s = scalars.first, ("0"..."9").contains(s) { scalars.removeFirst() } }
        var sawPart = false
        if scalars.first == "R" { scalars.removeFirst(); digits(); sawPart = true }
        if scalars.first == "C" { scalars.removeFirst(); digits(); sawPart = true }
        return sawPart && scalars.isEmpty
    }

    /// A reference to one cell on a sheet: `'輸入'!$B$3` (no leading `=`).
    public static func reference(sheet: String, row: Int, col: Int, absolute: Bool = true) -> String {
        quoteSheet(sheet) + "!" + name(row: row, col: col, absolute: absolute)
    }

    /// A reference to a block on a sheet: `'匯總'!$C$5:$G$5` (no leading `=`; chart ranges need one).
    public static func reference(
        sheet: String, firstRow: Int, firstCol: Int, lastRow: Int, lastCol: Int,
        absolute: Bool = true
    ) -> String {
        quoteSheet(sheet) + "!"
            + range(firstRow: firstRow, firstCol: firstCol, lastRow: lastRow, lastCol: lastCol, absolute: absolute)
    }

    private static func isLetter(_ s: Unicode.Scalar) -> Bool { ("A"..."Z").contains(s) || ("a"..."z").contains(s) }
    private static func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
}
