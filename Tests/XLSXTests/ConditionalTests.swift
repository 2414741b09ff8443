import Foundation
import Testing
import TestSupport
import XLSX

/// Conditional formats and drop-down lists taken from a range.
@Suite("Conditional formats and range lists")
struct ConditionalTests {
    @Test("a conditional format and a drop-down list from a range read back with openpyxl; the list holds commas and more than 255 characters",
          .requires(.openpyxl))
    func roundTrip() throws {
        let folder = try ScratchFolder()
        let path = folder.path("cf.xlsx")
        let workbook = try Workbook(path: path)
        let names = try workbook.addWorksheet("名單")
        let items = (1...40).map { "scenario-with-a-long-name-\($0)" } + ["x,y"]
        for (k, item) in items.enumerated() { try names.write(k, 0, string: item) }
        let sheet = try workbook.addWorksheet("匯總")
        try sheet.write(0, 0, string: "x,y")
        try sheet.dataValidationList(0, 0, range: "='名單'!$A$1:$A$\(items.count)")
        try sheet.writeFormula(1, 0, "=IF(A1=\"x,y\",1,0)", cached: 1)
        let good = workbook.format(CellStyle(fontColor: 0x006100, fill: 0xC6EFCE))
        let bad = workbook.format(CellStyle(fontColor: 0x9C0006, fill: 0xFFC7CE))
        try sheet.conditionalFormat(firstRow: 1, firstCol: 0, lastRow: 2, lastCol: 3, when: .equalTo(1), good)
        try sheet.conditionalFormat(firstRow: 1, firstCol: 0, lastRow: 2, lastCol: 3, when: .notEqualTo(1), bad)
        try sheet.conditionalFormat(firstRow: 4, firstCol: 0, lastRow: 4, lastCol: 0, when: .formula("=$A$2=0"), bad)
        try workbook.close()
        #expect(items.joined(separator: ",").count > 255)

        let script = """
            import json, openpyxl, sys
            ws = openpyxl.load_workbook(sys.argv[1])["匯總"]
            print(json.dumps({
                "lists": [[str(dv.sqref), dv.type, dv.formula1] for dv in ws.data_validations.dataValidation],
                "rules": [[" ".join([str(cf.sqref), r.type, str(r.operator), ",".join(r.formula or []), r.dxf.fill.bgColor.rgb])]
                          for cf in ws.conditional_formatting for r in cf.rules]}, ensure_ascii=False))
            """
        let out = try runPython(["-c", script, path])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: [[Any]]])
        let lists = (json["lists"] ?? []).map { $0.map { "\($0)" } }
        #expect(lists == [["A1", "list", "'名單'!$A$1:$A$41"]])
        let rules = Set((json["rules"] ?? []).compactMap { $0.first as? String })
        #expect(rules == ["A2:D3 cellIs equal 1 FFC6EFCE", "A2:D3 cellIs notEqual 1 FFFFC7CE", "A5 expression None $A$2=0 FFFFC7CE"], "\(rules)")
    }

    @Test("conditional formats and range lists the library cannot hold are refused")
    func refused() throws {
        let folder = try ScratchFolder()
        let workbook = try Workbook(path: folder.path("bad.xlsx"))
        let sheet = try workbook.addWorksheet("Data")
        let style = workbook.format(CellStyle(fill: 0xFFC7CE))
        let cases: [(String, () throws -> Void)] = [
            ("reversed range", { try sheet.conditionalFormat(firstRow: 3, firstCol: 0, lastRow: 1, lastCol: 0, when: .equalTo(1), style) }),
            ("formula without =", { try sheet.conditionalFormat(firstRow: 0, firstCol: 0, lastRow: 0, lastCol: 0, when: .formula("A1>0"), style) }),
            ("NaN", { try sheet.conditionalFormat(firstRow: 0, firstCol: 0, lastRow: 0, lastCol: 0, when: .equalTo(.nan), style) }),
            ("list range without =", { try sheet.dataValidationList(0, 0, range: "Data!$A$1:$A$3") }),
        ]
        for (what, call) in cases {
            let error = #expect(throws: XLSXError.self, "\(what)") { try call() }
            #expect(error?.kind == .invalidArgument, "\(what): \(String(describing: error))")
        }
        let off = #expect(throws: XLSXError.self) {
            try sheet.conditionalFormat(firstRow: 0, firstCol: 0, lastRow: 1_048_576, lastCol: 0, when: .equalTo(1), style)
        }
        #expect(off?.kind == .indexOutOfRange)
    }
}
