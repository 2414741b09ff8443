import Testing
import XLSX

@Suite("Cell references")
struct CellRefTests {
    @Test(
        "column letters",
        arguments: [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"), (16_383, "XFD")])
    func columns(col: Int, letters: String) {
        #expect(CellRef.column(col) == letters)
    }

    @Test("cell and range names are 0-based")
    func names() {
        #expect(CellRef.name(row: 2, col: 1) == "B3")
        #expect(CellRef.name(row: 2, col: 1, absolute: true) == "$B$3")
        #expect(CellRef.name(row: 0, col: 0) == "A1")
        #expect(CellRef.name(row: 1_048_575, col: 16_383) == "XFD1048576")
        #expect(CellRef.range(firstRow: 4, firstCol: 2, lastRow: 4, lastCol: 6, absolute: true) == "$C$5:$G$5")
        #expect(CellRef.column(-1) == "#REF!")
        #expect(CellRef.name(row: -1, col: 0) == "#REF!")
    }

    @Test(
        "sheet names are quoted when a formula needs it",
        arguments: [
            ("Inputs", "Inputs"), ("Sheet1", "Sheet1"), ("my_sheet.2", "my_sheet.2"),
            ("輸入", "'輸入'"), ("My Sheet", "'My Sheet'"), ("Bob's", "'Bob''s'"),
            ("A1", "'A1'"), ("R1C1", "'R1C1'"), ("2025", "'2025'"), ("a-b", "'a-b'"), ("Café", "'Café'"),
        ])
    func quoting(name: String, quoted: String) {
        #expect(CellRef.quoteSheet(name) == quoted)
    }

    @Test("sheet references combine quoting and absolute names")
    func references() {
        #expect(CellRef.reference(sheet: "Inputs", row: 2, col: 1) == "Inputs!$B$3")
        #expect(CellRef.reference(sheet: "匯總", firstRow: 4, firstCol: 2, lastRow: 4, lastCol: 6) == "'匯總'!$C$5:$G$5")
        #expect(CellRef.reference(sheet: "Inputs", row: 2, col: 1, absolute: false) == "Inputs!B3")
    }

    @Test("limits match Excel")
    func limits() {
        #expect(CellRef.maxRows == 1_048_576)
        #expect(CellRef.maxColumns == 16_384)
        #expect(CellRef.contains(row: 1_048_575, col: 16_383))
        #expect(!CellRef.contains(row: 1_048_576, col: 0))
        #expect(!CellRef.contains(row: 0, col: -1))
    }
}
