/// Reading references back: the inverse of ``CellRef/name(row:col:absolute:)`` and ``CellRef/sheetPrefix(_:)``.
extension CellRef {
    /// The 0-based row and column of `B3`, `$B$3` or `b3`; nil for anything else or a cell off the sheet.
    public static func parse(_ text: Substring) -> (row: Int, col: Int)? {
        var col = 0, row = 0, letters = 0, digits = 0
        for u in text.unicodeScalars {
            switch u {
            case "$" where digits == 0: continue
            case "A"..."Z" where digits == 0: col = col * 26 + Int(u.value - 65) + 1; letters += 1
            case "a"..."z" where digits == 0: col = col * 26 + Int(u.value - 97) + 1; letters += 1
            case "0"..."9" where letters > 0: row = row * 10 + Int(u.value - 48); digits += 1
            default: return nil
            }
            if letters > 3 || digits > 7 { return nil }
        }
        guard letters > 0, digits > 0, contains(row: row - 1, col: col - 1) else { return nil }
        return (row - 1, col - 1)
    }

    public static func parse(_ text: String) -> (row: Int, col: Int)? { parse(text[...]) }

    /// A reference to one cell or a block on a named sheet, as a defined name or a formula spells it:
    /// `'輸入'!$D$5`, `Inputs!$E$7:$I$7`, `=Sheet1!A1`. Returns the unquoted sheet name and the block's
    /// corners (equal for one cell); nil when the text is not such a reference (a sheet name with spaces
    /// or punctuation must be quoted, an apostrophe inside quotes doubled).
    public static func parseReference(_ text: String) -> (sheet: String, first: (row: Int, col: Int), last: (row: Int, col: Int))? {
        var s = Substring(text)
        if s.hasPrefix("=") { s = s.dropFirst() }
        guard let bang = s.lastIndex(of: "!") else { return nil }
        var sheet = s[..<bang]
        let cells = s[s.index(after: bang)...]
        if sheet.hasPrefix("'") {
            guard sheet.count >= 2, sheet.hasSuffix("'") else { return nil }
            sheet = sheet.dropFirst().dropLast()
            // Inside quotes an apostrophe is doubled.
            guard !sheet.replacing("''", with: "").contains("'") else { return nil }
        } else if sheet.contains(where: { " '()!,:;[]*?/\\".contains($0) }) {
            return nil   // such a name must be quoted
        }
        let name = sheet.replacing("''", with: "'")
        let parts = cells.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let first = parse(parts[0]) else { return nil }
        let last = parts.count == 2 ? parse(parts[1]) : first
        guard let last, !name.isEmpty else { return nil }
        return (String(name), first, last)
    }
}
