import Foundation
import Testing
import TestSupport
import XLSX
import XLSXReader

/// Reads back workbooks written by libxlsxwriter, openpyxl and LibreOffice.
@Suite("Reading xlsx")
struct XLSXReaderTests {
    static func tempPath(_ name: String) -> String {
        let d = NSTemporaryDirectory() + "xlsxreader-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d + "/" + name
    }

    /// A workbook with numbers, shared strings, formulas with cached results, a hidden sheet, a defined name and a custom property.
    static func writeSample(_ path: String) throws {
        let wb = try Workbook(path: path)
        let inputs = try wb.addWorksheet("輸入")
        try inputs.write(0, 0, string: "村數")
        try inputs.write(0, 3, number: 2400)
        try inputs.write(1, 0, string: "報酬")
        try inputs.write(1, 3, number: 1_234_567.125)
        try inputs.write(2, 27, string: "遠處")
        let calc = try wb.addWorksheet("My Sheet")
        try calc.writeFormula(4, 4, "='輸入'!$D$1*2", cached: 4800)
        try calc.writeFormula(4, 5, "=E5>1", cachedBool: true)
        let hidden = try wb.addWorksheet("Record")
        try hidden.write(0, 0, string: "marker")
        try hidden.hide()
        try wb.defineName("村數", formula: "='輸入'!$D$1")
        try wb.defineName("Years", formula: "='My Sheet'!$E$5:$I$5")
        try wb.setCustomProperty("scenario", "scenarios/enshi.yaml")
        try wb.close()
    }

    @Test("a libxlsxwriter workbook: sheets, hidden state, names, properties, cells and formulas")
    func libxlsxwriter() throws {
        let path = Self.tempPath("sample.xlsx")
        try Self.writeSample(path)
        let f = try XLSXFile(path: path)
        #expect(f.sheets.map(\.name) == ["輸入", "My Sheet", "Record"])
        #expect(f.sheets.map(\.state) == [.visible, .visible, .hidden])
        #expect(f.definedNames.map(\.name).sorted() == ["Years", "村數"])
        #expect(f.definedNames.first { $0.name == "村數" }?.formula == "'輸入'!$D$1")
        #expect(f.customProperties["scenario"] == "scenarios/enshi.yaml")
        let inputs = try f.cells(of: try #require(f.sheet(named: "輸入")))
        #expect(inputs.first { $0.name == "D1" }?.value == .number(2400))
        #expect(inputs.first { $0.name == "D2" }?.value == .number(1_234_567.125))
        #expect(inputs.first { $0.name == "A1" }?.value == .text("村數"))
        #expect(inputs.first { $0.name == "AB3" }?.value == .text("遠處"))
        #expect(inputs.allSatisfy { !$0.isFormula })
        let calc = try f.cells(of: try #require(f.sheet(named: "My Sheet")))
        let e5 = try #require(calc.first { $0.name == "E5" })
        #expect(e5.formula == "'輸入'!$D$1*2")
        #expect(e5.value == .number(4800))
        #expect(calc.first { $0.name == "F5" }?.isFormula == true)
    }

    @Test("a file that is not a workbook is a clear error, not a crash")
    func notAWorkbook() throws {
        let text = Self.tempPath("text.xlsx")
        try "title: not a workbook\n".write(toFile: text, atomically: true, encoding: .utf8)
        #expect { try XLSXFile(path: text) } throws: { ($0 as? XLSXReadError).map { "\($0)".contains("not a zip archive") } ?? false }
        #expect { try XLSXFile(path: Self.tempPath("missing.xlsx")) } throws: { ($0 as? XLSXReadError).map { "\($0)".contains("does not exist") } ?? false }
    }

    @Test("openpyxl's inline and rich-text strings, and cells written without styles", .requires(.openpyxl))
    func openpyxl() throws {
        let path = Self.tempPath("openpyxl.xlsx")
        let script = """
        import openpyxl, sys
        from openpyxl.cell.rich_text import CellRichText, TextBlock
        from openpyxl.cell.text import InlineFont
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "輸入"
        ws["A1"] = "村數"
        ws["D1"] = 2500
        ws["D2"] = 0.125
        ws["B3"] = CellRichText(["前", TextBlock(InlineFont(b=True), "粗"), "後"])
        ws["E5"] = "=D1*2"
        h = wb.create_sheet("Record")
        h.sheet_state = "veryHidden"
        h["A1"] = "marker"
        wb.save(sys.argv[1])
        """
        try runPython(["-c", script, path])
        let f = try XLSXFile(path: path)
        #expect(f.sheets.map(\.state) == [.visible, .veryHidden])
        let cells = try f.cells(of: f.sheets[0])
        #expect(cells.first { $0.name == "D1" }?.value == .number(2500))
        #expect(cells.first { $0.name == "D2" }?.value == .number(0.125))
        #expect(cells.first { $0.name == "A1" }?.value == .text("村數"))
        #expect(cells.first { $0.name == "B3" }?.value == .text("前粗後"))
        #expect(cells.first { $0.name == "E5" }?.formula == "D1*2")
    }

    @Test("LibreOffice's rewrite: shared strings, hidden sheet and names survive", .requires(.libreOffice))
    func libreOffice() throws {
        let path = Self.tempPath("sample.xlsx")
        try Self.writeSample(path)
        let out = Self.tempPath("lo")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let profile = Self.tempPath("profile")
        let soffice = try #require(ExternalTools.executable(.libreOffice))
        let r = try runProcess(soffice, ["-env:UserInstallation=file://" + profile, "--headless", "--norestore",
                                         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out, path], timeout: 300)
        #expect(r.status == 0)
        let f = try XLSXFile(path: out + "/sample.xlsx")
        #expect(f.sheets.map(\.name) == ["輸入", "My Sheet", "Record"])
        #expect(f.sheets.last?.state == .hidden)
        #expect(f.definedNames.contains { $0.name == "村數" && $0.formula.contains("$D$1") })
        let inputs = try f.cells(of: f.sheets[0])
        #expect(inputs.first { $0.name == "D1" }?.value == .number(2400))
        #expect(inputs.first { $0.name == "AB3" }?.value == .text("遠處"))
        let calc = try f.cells(of: f.sheets[1])
        #expect(calc.first { $0.name == "E5" }?.isFormula == true)
        #expect(calc.first { $0.name == "E5" }?.value == .number(4800))
    }

    @Test("references read back as they are written", arguments: [
        ("'輸入'!$D$5", "輸入", 4, 3, 4, 3), ("Inputs!$E$7:$I$7", "Inputs", 6, 4, 6, 8), ("='Bob''s'!A1", "Bob's", 0, 0, 0, 0),
        ("'My Sheet'!XFD1048576", "My Sheet", 1_048_575, 16_383, 1_048_575, 16_383),
    ])
    func references(_ text: String, _ sheet: String, _ r0: Int, _ c0: Int, _ r1: Int, _ c1: Int) throws {
        let p = try #require(CellRef.parseReference(text))
        #expect(p.sheet == sheet && p.first == (r0, c0) && p.last == (r1, c1))
    }

    @Test("not references: an unquoted name with a space or punctuation, a lone apostrophe inside quotes, no sheet", arguments: [
        "My Sheet!A1", "=(Data!$A$1,Data!$A$2)", "'Bob's'!A1", "'Data!$A$1", "''!A1", "A1", "Data!A1:B",
    ])
    func notReferences(_ text: String) {
        #expect(CellRef.parseReference(text) == nil)
    }

    @Test("a parsed name is the name it came from, for every column and many rows")
    func parseInvertsName() {
        for col in stride(from: 0, to: CellRef.maxColumns, by: 7) {
            let row = (col * 7919) % CellRef.maxRows
            let p = CellRef.parse(CellRef.name(row: row, col: col))
            #expect(p?.row == row && p?.col == col)
            let abs = CellRef.parse(CellRef.name(row: row, col: col, absolute: true))
            #expect(abs?.row == row && abs?.col == col)
        }
        for bad in ["", "A", "1", "A0", "XFE1", "A1048577", "A1B", "$", "A-1", "AAAA1"] { #expect(CellRef.parse(bad) == nil, "\(bad)") }
    }
}
