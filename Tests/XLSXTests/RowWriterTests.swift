import Foundation
import Testing
import TestSupport
import XLSX

/// The streamed-table path: ``Worksheet/RowWriter`` writes texts then numbers in per-column formats, with the
/// same checks as single cells; ``Workbook/numberFirst(_:)`` gives chosen formats the first style numbers.
@Suite("Row writer and style numbering")
struct RowWriterTests {
    /// Three rows of 2 texts and 3 numbers (a count, money, a year) in constant-memory mode.
    static func writeTable(to path: String, numberFirst: Bool) throws {
        let workbook = try Workbook(path: path, options: WorkbookOptions(constantMemory: true))
        let header = workbook.format(CellStyle(bold: true))
        let count = workbook.format(CellStyle(numberFormat: "#,##0"))
        let money = workbook.format(CellStyle(numberFormat: "#,##0.00"))
        let year = workbook.format(CellStyle(numberFormat: "0"))
        if numberFirst { try workbook.numberFirst([money, nil, year, count]) }
        let sheet = try workbook.addWorksheet("明細")
        for (c, h) in ["id", "名稱", "人數", "收入", "年"].enumerated() { try sheet.write(0, c, string: h, header) }
        let rows = try sheet.rowWriter(textColumns: 2, numberFormats: [count, money, year])
        for i in 0..<3 {
            try rows.write(1 + i, texts: ["V\(i + 1)", "村\(i + 1)"], numbers: [Double(10 * i), 0.1 + Double(i), Double(2020 + i)])
        }
        try workbook.close()
    }

    /// Each cell of the first sheet as `name: s-number` (0 when the cell names no style), read from the file.
    static func styleNumbers(_ path: String) throws -> [String: Int] {
        let script = """
            import re, sys, zipfile
            x = zipfile.ZipFile(sys.argv[1]).read('xl/worksheets/sheet1.xml').decode()
            for r, s in re.findall(r'<c r="(\\w+)"(?: s="(\\d+)")?', x): print(r, s or 0)
            """
        let out = try runPython(["-c", script, path]).stdout
        return Dictionary(uniqueKeysWithValues: out.split(separator: "\n").map { line in
            let p = line.split(separator: " ")
            return (String(p[0]), Int(p[1])!)
        })
    }

    @Test("rows read back: texts, then numbers in their columns' formats", .requires(.openpyxl))
    func readsBack() throws {
        let folder = try ScratchFolder()
        let path = folder.path("rows.xlsx")
        try Self.writeTable(to: path, numberFirst: false)
        let cells = try Reader.read(path)["cells"]["明細"]
        #expect(cells["A2"]["value"].string == "V1" && cells["B4"]["value"].string == "村3")
        #expect(cells["C3"]["value"].number == 10 && cells["D4"]["value"].number == 2.1 && cells["E2"]["value"].number == 2020)
        #expect(cells["C2"]["numberFormat"].string == "#,##0")
        #expect(cells["D3"]["numberFormat"].string == "#,##0.00")
        #expect(cells["E4"]["numberFormat"].string == "0")
        #expect(cells["A2"]["numberFormat"].string == "General", "texts carry no format")
    }

    @Test("numberFirst gives its formats the first style numbers, in its order; the cells look the same", .requires(.openpyxl))
    func numberFirst() throws {
        let folder = try ScratchFolder()
        let plain = folder.path("plain.xlsx"), first = folder.path("first.xlsx")
        try Self.writeTable(to: plain, numberFirst: false)
        try Self.writeTable(to: first, numberFirst: true)
        // By first use: the bold header 1, then the count 2, money 3, year 4.
        let before = try Self.styleNumbers(plain)
        #expect(before["A1"] == 1 && before["C2"] == 2 && before["D2"] == 3 && before["E2"] == 4, "\(before)")
        // Numbered first: money 1, year 2, count 3; the header, used first, comes after them.
        let after = try Self.styleNumbers(first)
        #expect(after["D2"] == 1 && after["E3"] == 2 && after["C4"] == 3 && after["A1"] == 4, "\(after)")
        #expect(after["A2"] == 0, "a text without a format names none")
        let (a, b) = (try Reader.read(plain)["cells"]["明細"], try Reader.read(first)["cells"]["明細"])
        for cell in ["A1", "B1", "A2", "C2", "D3", "E4"] {
            #expect(a[cell]["value"] == b[cell]["value"] && a[cell]["numberFormat"] == b[cell]["numberFormat"], "\(cell)")
        }
        #expect(a["A1"]["bold"] == b["A1"]["bold"])
    }

    @Test("numberFirst says whether each format got a number of its own: a plain style shares the default format's")
    func ownNumbers() throws {
        let folder = try ScratchFolder()
        let workbook = try Workbook(path: folder.path("own.xlsx"))
        #expect(try workbook.numberFirst([workbook.format(CellStyle(bold: true)), nil, workbook.format(CellStyle(numberFormat: "0"))]))
        #expect(try !workbook.numberFirst([workbook.format(CellStyle())]))
        try workbook.close()
    }

    @Test("the row writer checks as single cells do: counts, NUL, NaN, rows off the sheet, a closed workbook")
    func checks() throws {
        let folder = try ScratchFolder()
        let path = folder.path("checks.xlsx")
        let workbook = try Workbook(path: path, options: WorkbookOptions(constantMemory: true))
        let sheet = try workbook.addWorksheet("Data")
        let rows = try sheet.rowWriter(firstCol: 1, textColumns: 1, numberFormats: [nil, nil])
        let count = #expect(throws: XLSXError.self) { try rows.write(0, texts: ["a"], numbers: [1]) }
        #expect(count?.kind == .invalidArgument)
        let nul = #expect(throws: XLSXError.self) { try rows.write(0, texts: ["a\u{0}b"], numbers: [1, 2]) }
        #expect(nul?.kind == .invalidArgument && nul?.description.contains("NUL") == true)
        let nan = #expect(throws: XLSXError.self) { try rows.write(1, texts: ["a"], numbers: [1, .nan]) }
        #expect(nan?.kind == .invalidArgument && nan?.description.contains("D2") == true, "\(String(describing: nan))")
        let off = #expect(throws: XLSXError.self) { try rows.write(1_048_576, texts: ["a"], numbers: [1, 2]) }
        #expect(off?.kind == .indexOutOfRange)
        try rows.write(5, texts: ["a"], numbers: [1, 2])
        let earlier = #expect(throws: XLSXError.self) { try rows.write(4, texts: ["a"], numbers: [1, 2]) }
        #expect(earlier?.kind == .indexOutOfRange, "constant memory: rows in order")
        let wide = #expect(throws: XLSXError.self) { _ = try sheet.rowWriter(firstCol: 16_383, textColumns: 1, numberFormats: [nil]) }
        #expect(wide?.kind == .indexOutOfRange)
        try workbook.close()
        let closed = #expect(throws: XLSXError.self) { try rows.write(6, texts: ["a"], numbers: [1, 2]) }
        #expect(closed?.kind == .closed)
    }
}
