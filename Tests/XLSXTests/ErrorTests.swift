import Foundation
import Testing
import TestSupport
import XLSX

/// Library errors become `XLSXError`s that say what failed, where, and on which file; none crash.
@Suite("Errors")
struct ErrorTests {
    @Test("a folder that does not exist fails at close, naming the path")
    func missingFolder() throws {
        let folder = try ScratchFolder()
        let path = folder.path("no-such-folder/報告.xlsx")
        let workbook = try Workbook(path: path)
        let sheet = try workbook.addWorksheet("Data")
        try sheet.write(0, 0, number: 1)
        let error = #expect(throws: XLSXError.self) { try workbook.close() }
        #expect(error?.call == "workbook_close")
        #expect(error?.path == path)
        #expect(error?.kind == .fileCreation)
        #expect(
            error?.description
                == "cannot write \(path): workbook_close: Error creating output xlsx file. Usually a permissions error.")
        #expect(workbook.isClosed)
        #expect(!FileManager.default.fileExists(atPath: path))

        // Everything after close throws `closed` instead of touching freed C memory.
        let again = #expect(throws: XLSXError.self) { try workbook.close() }
        #expect(again == XLSXError.closed(call: "workbook_close", path: path))
        #expect(again?.kind == .closed)
    }

    @Test(
        "invalid sheet names throw with the name",
        arguments: [
            (String(repeating: "表", count: 32), "Worksheet name exceeds Excel's limit of 31 characters."),
            ("預算[2025]", "Worksheet name cannot contain invalid characters: '[ ] : * ? / \\'"),
            ("a/b", "Worksheet name cannot contain invalid characters: '[ ] : * ? / \\'"),
            ("'Quoted", "Worksheet name cannot start or end with an apostrophe."),
            ("輸入", "Worksheet name is already in use."),
            ("data", "Worksheet name is already in use."),
        ])
    func invalidSheetName(name: String, message: String) throws {
        let folder = try ScratchFolder()
        let workbook = try Workbook(path: folder.path("names.xlsx"))
        _ = try workbook.addWorksheet("輸入")
        _ = try workbook.addWorksheet("Data")
        let error = #expect(throws: XLSXError.self) { _ = try workbook.addWorksheet(name) }
        #expect(error?.kind == .invalidSheetName)
        #expect(error?.message == message)
        #expect(error?.description.contains(name) == true)
        #expect(error?.call == "workbook_validate_sheet_name")
    }

    @Test("an empty sheet name is rejected although libxlsxwriter would accept it")
    func emptySheetName() throws {
        let folder = try ScratchFolder()
        let workbook = try Workbook(path: folder.path("empty.xlsx"))
        let error = #expect(throws: XLSXError.self) { _ = try workbook.addWorksheet("") }
        #expect(error?.kind == .invalidArgument)
        #expect(!Workbook.isValidSheetName(""))
    }

    @Test("the static sheet-name check follows the library's rules")
    func staticSheetNameCheck() {
        #expect(Workbook.isValidSheetName("輸入"))
        #expect(Workbook.isValidSheetName(String(repeating: "表", count: 31)))
        #expect(!Workbook.isValidSheetName(String(repeating: "表", count: 32)))
        #expect(!Workbook.isValidSheetName("a:b"))
        #expect(!Workbook.isValidSheetName("trailing'"))
    }

    @Test(
        "cells off the sheet throw instead of crashing",
        arguments: [
            (1_048_576, 0), (-1, 0), (0, 16_384), (0, -1), (Int.max, Int.min), (0, 65_536),
        ])
    func outOfRange(row: Int, col: Int) throws {
        let folder = try ScratchFolder()
        let workbook = try Workbook(path: folder.path("range.xlsx"))
        let sheet = try workbook.addWorksheet("輸入")
        let format = workbook.format(CellStyle(bold: true))
        let attempts: [(String, () throws -> Void)] = [
            ("number", { try sheet.write(row, col, number: 1) }),
            ("string", { try sheet.write(row, col, string: "x") }),
            ("boolean", { try sheet.write(row, col, boolean: true) }),
            ("formula", { try sheet.writeFormula(row, col, "=1", cached: 1) }),
            ("blank", { try sheet.writeBlank(row, col, format) }),
            ("comment", { try sheet.writeComment(row, col, "x") }),
            ("merge", { try sheet.mergeRange(firstRow: 0, firstCol: 0, lastRow: row, lastCol: col, string: "x") }),
            ("freeze", { try sheet.freezePanes(row: row, col: col) }),
        ]
        for (what, attempt) in attempts {
            let error = #expect(throws: XLSXError.self, "\(what)") { try attempt() }
            #expect(error?.kind == .indexOutOfRange, "\(what)")
            #expect(error?.message == "Worksheet row or column index out of range.", "\(what)")
            #expect(error?.description.contains("sheet \"輸入\"") == true, "\(what)")
        }
        if !(0..<16_384).contains(col) {
            let widthError = #expect(throws: XLSXError.self) { try sheet.setColumnWidth(0, col, width: 10) }
            #expect(widthError?.kind == .indexOutOfRange)
        } else {
            let heightError = #expect(throws: XLSXError.self) { try sheet.setRowHeight(row, height: 20) }
            #expect(heightError?.kind == .indexOutOfRange)
        }
        try workbook.close()
    }

    @Test("the library's own range check is reached for the last row")
    func lastRowIsAccepted() throws {
        let folder = try ScratchFolder()
        let workbook = try Workbook(path: folder.path("edge.xlsx"))
        let sheet = try workbook.addWorksheet("Edge")
        try sheet.write(1_048_575, 16_383, number: 1)
        try workbook.close()
    }

    @Test("a workbook released without close writes no file")
    func deinitWritesNothing() throws {
        let folder = try ScratchFolder()
        let path = folder.path("never.xlsx")
        func writeWithoutClosing() throws {
            let workbook = try Workbook(path: path)
            let sheet = try workbook.addWorksheet("Data")
            try sheet.write(0, 0, string: "未保存")
            let chart = try workbook.addChart(.line)
            try chart.addSeries(name: "x", categories: nil, values: "=Data!$A$1:$A$1")
            _ = workbook.format(CellStyle(italic: true))
        }
        try writeWithoutClosing()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("worksheets and charts keep their workbook alive until close")
    func childrenKeepWorkbookAlive() throws {
        let folder = try ScratchFolder()
        let path = folder.path("alive.xlsx")
        func makeSheet() throws -> Worksheet { try Workbook(path: path).addWorksheet("Data") }
        let sheet = try makeSheet()
        try sheet.write(0, 0, number: 42)
        try sheet.workbook.close()
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test("every call after close throws closed")
    func callsAfterClose() throws {
        let folder = try ScratchFolder()
        let path = folder.path("closed.xlsx")
        let workbook = try Workbook(path: path)
        let sheet = try workbook.addWorksheet("Data")
        try sheet.write(0, 0, number: 1)
        let chart = try workbook.addChart(.column)
        try chart.addSeries(name: nil, categories: nil, values: "=Data!$A$1:$A$1")
        let bold = workbook.format(CellStyle(bold: true))
        try workbook.close()

        let attempts: [(String, () throws -> Void)] = [
            ("write", { try sheet.write(1, 0, number: 2) }),
            ("format", { try sheet.write(1, 0, string: "x", bold) }),
            ("new format", { try sheet.writeBlank(1, 0, workbook.format(CellStyle(italic: true))) }),
            ("freeze", { try sheet.freezePanes(row: 1, col: 0) }),
            ("landscape", { try sheet.setLandscape() }),
            ("insert chart", { try sheet.insertChart(2, 2, chart) }),
            ("chart title", { try chart.setTitle("x") }),
            ("series", { try chart.addSeries(name: nil, categories: nil, values: "=Data!$A$1:$A$1") }),
            ("add sheet", { _ = try workbook.addWorksheet("More") }),
            ("add chart", { _ = try workbook.addChart(.pie) }),
            ("define name", { try workbook.defineName("X", formula: "=Data!$A$1") }),
            ("properties", { try workbook.setProperties(DocumentProperties(title: "x")) }),
        ]
        for (what, attempt) in attempts {
            let error = #expect(throws: XLSXError.self, "\(what)") { try attempt() }
            #expect(error?.kind == .closed, "\(what)")
            #expect(error?.path == path, "\(what)")
        }
    }

    @Test("NaN and infinities are refused rather than written as text Excel cannot open")
    func nonFiniteNumbers() throws {
        let folder = try ScratchFolder()
        let workbook = try Workbook(path: folder.path("nan.xlsx"))
        let sheet = try workbook.addWorksheet("Data")
        for value in [Double.nan, .infinity, -.infinity] {
            let error = #expect(throws: XLSXError.self) { try sheet.write(0, 0, number: value) }
            #expect(error?.kind == .invalidArgument)
            let cached = #expect(throws: XLSXError.self) { try sheet.writeFormula(0, 0, "=1/0", cached: value) }
            #expect(cached?.kind == .invalidArgument)
        }
    }

    @Test("strings too long for Excel are reported by the library")
    func longString() throws {
        let folder = try ScratchFolder()
        let workbook = try Workbook(path: folder.path("long.xlsx"))
        let sheet = try workbook.addWorksheet("Data")
        try sheet.write(0, 0, string: String(repeating: "字", count: 32_767))
        let error = #expect(throws: XLSXError.self) {
            try sheet.write(1, 0, string: String(repeating: "字", count: 32_768))
        }
        #expect(error?.kind == .stringTooLong)
        #expect(error?.call == "worksheet_write_string")
        let nul = #expect(throws: XLSXError.self) { try sheet.write(2, 0, string: "a\u{0}b") }
        #expect(nul?.kind == .invalidArgument)
    }

    /// A number format of exactly libxlsxwriter's 127 bytes: `00` and a quoted run of 萬 (3 bytes each).
    static let longestNumberFormat = "00\"" + String(repeating: "萬", count: 41) + "\""
    /// One byte more, ending in 萬: cut at 127 bytes, the last 萬 would lose its final byte.
    static let tooLongNumberFormat = "00" + String(repeating: "萬", count: 42)

    @Test("number formats and font names over libxlsxwriter's 127 bytes throw instead of being cut inside a character")
    func longFormatFields() throws {
        #expect(Self.longestNumberFormat.utf8.count == 127 && Self.tooLongNumberFormat.utf8.count == 128)
        let folder = try ScratchFolder()
        let workbook = try Workbook(path: folder.path("formats.xlsx"))
        let sheet = try workbook.addWorksheet("Data")
        try sheet.write(0, 0, number: 1, workbook.format(CellStyle(numberFormat: Self.longestNumberFormat)))
        try sheet.write(0, 1, number: 1, workbook.format(CellStyle(fontName: String(repeating: "體", count: 42) + "a")))

        let number = #expect(throws: XLSXError.self) {
            try sheet.write(1, 0, number: 1, workbook.format(CellStyle(numberFormat: Self.tooLongNumberFormat)))
        }
        #expect(number?.kind == .stringTooLong)
        #expect(number?.call == "worksheet_write_number")
        #expect(number?.detail?.hasPrefix("number format is 128 bytes of UTF-8, libxlsxwriter keeps at most 127") == true, "\(number?.description ?? "")")
        let font = #expect(throws: XLSXError.self) {
            try sheet.write(1, 1, string: "x", workbook.format(CellStyle(fontName: String(repeating: "體", count: 43))))
        }
        #expect(font?.kind == .stringTooLong)
        #expect(font?.detail?.hasPrefix("font name is 129 bytes") == true, "\(font?.description ?? "")")
        try workbook.close()
    }

    @Test("a number format of exactly 127 bytes reads back whole", .requires(.openpyxl))
    func longestFormatReadsBack() throws {
        let folder = try ScratchFolder()
        let path = folder.path("formats.xlsx")
        let workbook = try Workbook(path: path)
        let sheet = try workbook.addWorksheet("Data")
        try sheet.write(0, 0, number: 1, workbook.format(CellStyle(numberFormat: Self.longestNumberFormat)))
        try workbook.close()
        #expect(try Reader.read(path)["cells"]["Data"]["A1"]["numberFormat"].string == Self.longestNumberFormat)
    }

    @Test("defined names: cell-like, malformed and duplicate names throw with the name")
    func definedNames() throws {
        let folder = try ScratchFolder()
        let workbook = try Workbook(path: folder.path("names.xlsx"))
        _ = try workbook.addWorksheet("輸入")
        try workbook.defineName("Rate", formula: "='輸入'!$B$1")
        try workbook.defineName("'輸入'!LocalRate", formula: "='輸入'!$B$2")
        try workbook.defineName("增長率", formula: "='輸入'!$B$3")
        for name in ["rate", "A1", "xfd1048576", "R1C1", "R", "bad name", "1st", ""] {
            let error = #expect(throws: XLSXError.self, "\(name)") {
                try workbook.defineName(name, formula: "='輸入'!$B$1")
            }
            #expect(error?.call == "workbook_define_name")
            #expect(error?.kind == .invalidArgument, "\(name)")
            #expect(error?.description.contains("\"\(name)\"") == true, "\(name)")
        }
        try workbook.close()
    }

    @Test("custom properties cannot be set twice")
    func duplicateCustomProperty() throws {
        let folder = try ScratchFolder()
        let workbook = try Workbook(path: folder.path("custom.xlsx"))
        try workbook.setCustomProperty("Scenario", "基線")
        try workbook.setCustomProperty("Version", 3)
        let error = #expect(throws: XLSXError.self) { try workbook.setCustomProperty("Scenario", "高") }
        #expect(error?.kind == .invalidArgument)
        let long = #expect(throws: XLSXError.self) {
            try workbook.setCustomProperty(String(repeating: "n", count: 256), "v")
        }
        #expect(long?.kind == .stringTooLong)
    }

    @Test("a creation time of 1970-01-01 is refused: libxlsxwriter reads 0 as now")
    func epochCreationTime() throws {
        let folder = try ScratchFolder()
        let workbook = try Workbook(path: folder.path("epoch.xlsx"))
        let error = #expect(throws: XLSXError.self) {
            try workbook.setProperties(DocumentProperties(created: Date(timeIntervalSince1970: 0)))
        }
        #expect(error?.kind == .invalidArgument)
    }

    @Test("chart ranges: malformed ones throw at once, unknown sheets at close")
    func chartRanges() throws {
        let folder = try ScratchFolder()
        let path = folder.path("chart.xlsx")
        let workbook = try Workbook(path: path)
        let sheet = try workbook.addWorksheet("Data")
        try sheet.write(0, 0, number: 1)
        let chart = try workbook.addChart(.line)
        for bad in ["garbage", "Data!$A$1:$A$3", "=Data!A1:B", "='Data!$A$1", "=(Data!$A$1,Data!$A$2)"] {
            let error = #expect(throws: XLSXError.self, "\(bad)") {
                try chart.addSeries(name: nil, categories: nil, values: bad)
            }
            #expect(error?.kind == .invalidArgument, "\(bad)")
        }
        // A chart without a series cannot be placed.
        let empty = #expect(throws: XLSXError.self) { try sheet.insertChart(3, 3, chart) }
        #expect(empty?.call == "worksheet_insert_chart_opt")

        try chart.addSeries(name: "='Later Sheet'!$A$1", categories: nil, values: "='Later Sheet'!$A$1:$A$3")
        try sheet.insertChart(3, 3, chart)
        let placedTwice = #expect(throws: XLSXError.self) { try sheet.insertChart(20, 3, chart) }
        #expect(placedTwice?.kind == .invalidArgument)

        let missing = #expect(throws: XLSXError.self) { try workbook.close() }
        #expect(missing?.description.contains("Later Sheet") == true)
        #expect(!workbook.isClosed)
        #expect(!FileManager.default.fileExists(atPath: path))

        let later = try workbook.addWorksheet("Later Sheet")
        try later.write(0, 0, number: 5)
        try workbook.close()
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test("formats and charts belong to one workbook")
    func foreignObjects() throws {
        let folder = try ScratchFolder()
        let one = try Workbook(path: folder.path("one.xlsx"))
        let two = try Workbook(path: folder.path("two.xlsx"))
        let sheet = try two.addWorksheet("Data")
        let style = CellStyle(bold: true, fontSize: 14)
        #expect(one.format(style) === one.format(style))
        #expect(one.format(style) !== one.format(CellStyle(bold: true)))
        let foreign = #expect(throws: XLSXError.self) { try sheet.write(0, 0, number: 1, one.format(style)) }
        #expect(foreign?.kind == .invalidArgument)
        let chart = try one.addChart(.pie)
        try one.addWorksheet("Data").write(0, 0, number: 1)
        try chart.addSeries(name: nil, categories: nil, values: "=Data!$A$1:$A$1")
        let foreignChart = #expect(throws: XLSXError.self) { try sheet.insertChart(0, 0, chart) }
        #expect(foreignChart?.kind == .invalidArgument)
    }

    @Test("styles the library cannot draw throw from the first write that uses them")
    func badStyles() throws {
        let folder = try ScratchFolder()
        let workbook = try Workbook(path: folder.path("styles.xlsx"))
        let sheet = try workbook.addWorksheet("Data")
        for style in [CellStyle(fontColor: 0x1_000_000), CellStyle(fill: 0xFFFF_FFFF), CellStyle(indent: 16), CellStyle(fontSize: 0)] {
            let error = #expect(throws: XLSXError.self) { try sheet.write(0, 0, number: 1, workbook.format(style)) }
            #expect(error?.kind == .invalidArgument)
        }
    }

    @Test("drop-down lists Excel cannot hold are refused")
    func badValidationLists() throws {
        let folder = try ScratchFolder()
        let workbook = try Workbook(path: folder.path("list.xlsx"))
        let sheet = try workbook.addWorksheet("Data")
        for values in [[], ["a,b"], ["say \"hi\""]] {
            let error = #expect(throws: XLSXError.self) { try sheet.dataValidationList(0, 0, values: values) }
            #expect(error?.kind == .invalidArgument)
        }
        let long = #expect(throws: XLSXError.self) {
            try sheet.dataValidationList(0, 0, values: Array(repeating: "選項選項選項", count: 60))
        }
        #expect(long?.kind == .stringTooLong)
    }

    @Test("description leaves out what is not set")
    func descriptions() {
        let plain = XLSXError(call: "worksheet_write_number", code: 23, message: "Worksheet row or column index out of range.")
        #expect(plain.description == "worksheet_write_number: Worksheet row or column index out of range.")
        let detailed = XLSXError(
            call: "workbook_validate_sheet_name", code: 17, message: "Worksheet name is already in use.",
            detail: "sheet name \"輸入\"")
        #expect(detailed.description == "workbook_validate_sheet_name: Worksheet name is already in use. (sheet name \"輸入\")")
        #expect(detailed.kind == .invalidSheetName)
    }
}
