import Foundation
import Testing
import TestSupport
import XLSX

/// Writes workbooks with the wrapper and reads them back with openpyxl.
@Suite("Round trip through openpyxl")
struct RoundTripTests {
    static let created = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01T00:00:00Z

    /// A workbook using most of the API: Chinese sheet names and text, formulas with cached
    /// results, a boolean-result formula, a comment, a defined name, a chart, page setup.
    static func writeSample(to path: String) throws {
        let workbook = try Workbook(path: path)
        let bold = workbook.format(CellStyle(bold: true, fill: 0xDDEBF7, bottomBorder: true))
        let percent = workbook.format(CellStyle(numberFormat: "0.0%"))
        let money = workbook.format(CellStyle(fontColor: 0x000000, numberFormat: "#,##0"))

        let inputs = try workbook.addWorksheet("輸入")
        try inputs.write(0, 0, string: "參數", bold)
        try inputs.write(0, 1, string: "數值", bold)
        try inputs.write(1, 0, string: "增長率")
        try inputs.write(1, 1, number: 0.05, percent)
        try inputs.write(2, 0, string: "人數")
        try inputs.write(2, 1, number: 120)
        try inputs.write(3, 0, string: "啟用")
        try inputs.write(3, 1, boolean: true)
        try inputs.write(4, 0, string: "方案")
        try inputs.write(4, 1, string: "是")
        try inputs.dataValidationList(4, 1, values: ["是", "否"])
        try inputs.writeURL(5, 0, "https://example.org/fundsim", text: "說明")
        try inputs.writeComment(1, 1, "年增長率，按名義值計", author: "財政局")
        try inputs.setColumnWidth(0, 0, width: 18)
        try inputs.freezePanes(row: 1, col: 0)
        let growth = CellRef.reference(sheet: "輸入", row: 1, col: 1)
        try workbook.defineName("GrowthRate", formula: "=\(growth)")

        let summary = try workbook.addWorksheet("匯總")
        try summary.write(0, 0, string: "項目", bold)
        for (i, year) in ["2025", "2026", "2027"].enumerated() {
            try summary.write(0, 1 + i, string: year, bold)
        }
        try summary.write(1, 0, string: "支出")
        let heads = CellRef.reference(sheet: "輸入", row: 2, col: 1)
        try summary.writeFormula(1, 1, "=\(heads)*1000", cached: 120_000, money)
        try summary.writeFormula(1, 2, "=B2*(1+GrowthRate)", cached: 126_000, money)
        try summary.writeFormula(1, 3, "=C2*(1+GrowthRate)", cached: 132_300, money)
        try summary.write(2, 0, string: "超支")
        try summary.writeFormula(2, 1, "=B2>125000", cachedBool: false)
        try summary.writeFormula(2, 2, "=C2>125000", cachedBool: true)
        try summary.writeFormula(3, 1, "=\"共\"&TEXT(D2,\"0\")", cachedString: "共132300")
        try summary.mergeRange(firstRow: 5, firstCol: 0, lastRow: 5, lastCol: 3, string: "合計（元）", format: bold)
        try summary.setRowHeight(0, height: 24)
        try summary.setLandscape()
        try summary.setPaperA4()
        try summary.fitToPages(width: 1, height: 0)
        try summary.repeatRows(0, 0)
        try summary.setMargins(left: 0.5, right: 0.5)
        try summary.setZoom(90)
        try summary.setTabColor(0xFF0000)
        try summary.hideGridlines()
        try summary.activate()

        let chart = try workbook.addChart(.column)
        try chart.addSeries(
            name: "=" + CellRef.reference(sheet: "匯總", row: 1, col: 0),
            categories: "=" + CellRef.reference(sheet: "匯總", firstRow: 0, firstCol: 1, lastRow: 0, lastCol: 3),
            values: "=" + CellRef.reference(sheet: "匯總", firstRow: 1, firstCol: 1, lastRow: 1, lastCol: 3),
            color: 0x1F77B4)
        try chart.setTitle("支出趨勢")
        try chart.setXAxisTitle("年度")
        try chart.setYAxisTitle("元")
        try chart.setYAxisNumberFormat("#,##0")
        try chart.setLegend(position: .bottom)
        try chart.setStyle(10)
        try summary.insertChart(7, 0, chart, xScale: 1.5)

        try workbook.setProperties(
            DocumentProperties(
                title: "FundSim 測試", subject: "經費模擬", author: "FundSim", company: "縣財政局",
                keywords: "budget", comments: "由測試生成", created: created))
        try workbook.setCustomProperty("Scenario", "基線")
        try workbook.close()
        #expect(workbook.isClosed)
    }

    @Test(
        "values, formulas, names, comments, charts and properties survive",
        .requires(.openpyxl))
    func sampleReadsBack() throws {
        let folder = try ScratchFolder()
        let path = folder.path("sample.xlsx")
        try Self.writeSample(to: path)
        let book = try Reader.read(path)

        #expect(book["sheets"] == .array([.string("輸入"), .string("匯總")]))
        #expect(book["active"].string == "匯總")

        let inputs = book["cells"]["輸入"]
        #expect(inputs["A1"]["value"].string == "參數")
        #expect(inputs["A1"]["bold"].bool == true)
        #expect(inputs["A1"]["fill"].string == "FFDDEBF7")
        #expect(inputs["B2"]["value"].number == 0.05)
        #expect(inputs["B2"]["numberFormat"].string == "0.0%")
        #expect(inputs["B3"]["value"].number == 120)
        #expect(inputs["B4"]["value"].bool == true)
        #expect(inputs["B5"]["value"].string == "是")
        #expect(inputs["A6"]["value"].string == "說明")
        #expect(inputs["A6"]["hyperlink"].string == "https://example.org/fundsim")

        let summary = book["cells"]["匯總"]
        #expect(summary["B2"]["formula"].string == "='輸入'!$B$3*1000")
        #expect(summary["B2"]["value"].number == 120_000)
        #expect(summary["B2"]["numberFormat"].string == "#,##0")
        // Black is 0x000000, which libxlsxwriter would otherwise read as "no colour".
        #expect(summary["B2"]["fontColor"].string == "FF000000")
        #expect(summary["C2"]["formula"].string == "=B2*(1+GrowthRate)")
        #expect(summary["C2"]["value"].number == 126_000)
        #expect(summary["D2"]["value"].number == 132_300)
        #expect(summary["B4"]["formula"].string == "=\"共\"&TEXT(D2,\"0\")")
        #expect(summary["B4"]["value"].string == "共132300")
        // libxlsxwriter 1.1.4 caches a boolean result only as the text TRUE/FALSE (t="str").
        #expect(summary["B3"]["formula"].string == "=B2>125000")
        #expect(summary["B3"]["value"].string == "FALSE")
        #expect(summary["C3"]["value"].string == "TRUE")
        #expect(summary["A6"]["value"].string == "合計（元）")

        #expect(book["definedNames"]["GrowthRate"].string == "'輸入'!$B$2")

        let inputInfo = book["sheetInfo"]["輸入"]
        #expect(inputInfo["freeze"].string == "A2")
        #expect(inputInfo["columnWidths"]["A"].number.map { abs($0 - 18) < 1 } == true)
        #expect(inputInfo["comments"]["B2"]["text"].string == "年增長率，按名義值計")
        #expect(inputInfo["comments"]["B2"]["author"].string == "財政局")
        #expect(inputInfo["validations"][0]["type"].string == "list")
        #expect(inputInfo["validations"][0]["sqref"].string == "B5")
        #expect(inputInfo["validations"][0]["formula1"].string == "\"是,否\"")

        let summaryInfo = book["sheetInfo"]["匯總"]
        #expect(summaryInfo["merged"] == .array([.string("A6:D6")]))
        #expect(summaryInfo["landscape"].bool == true)
        #expect(summaryInfo["paperSize"].number == 9)
        #expect(summaryInfo["zoom"].number == 90)
        #expect(summaryInfo["gridlines"].bool == false)
        #expect(summaryInfo["tabColor"].string == "FFFF0000")
        #expect(summaryInfo["rowHeights"]["1"].number == 24)
        #expect(summaryInfo["charts"].count == 1)
        let chart = summaryInfo["charts"][0]
        #expect(chart["type"].string == "BarChart")
        #expect(chart["title"].string == "支出趨勢")
        #expect(chart["xAxisTitle"].string == "年度")
        #expect(chart["yAxisTitle"].string == "元")
        #expect(chart["series"][0]["name"].string == "='匯總'!$A$2")
        #expect(chart["series"][0]["categories"].string == "'匯總'!$B$1:$D$1")
        #expect(chart["series"][0]["values"].string == "'匯總'!$B$2:$D$2")

        let properties = book["properties"]
        #expect(properties["title"].string == "FundSim 測試")
        #expect(properties["subject"].string == "經費模擬")
        #expect(properties["creator"].string == "FundSim")
        #expect(properties["description"].string == "由測試生成")
        #expect(properties["created"].string?.hasPrefix("2025-01-01T00:00:00") == true)
        #expect(book["custom"]["Scenario"].string == "基線")
    }

    @Test("the same cells and a fixed creation time give byte-identical files")
    func reproducibleBytes() throws {
        let folder = try ScratchFolder()
        let first = folder.path("first.xlsx")
        let second = folder.path("second.xlsx")
        try Self.writeSample(to: first)
        try Self.writeSample(to: second)
        let a = try Data(contentsOf: URL(fileURLWithPath: first))
        let b = try Data(contentsOf: URL(fileURLWithPath: second))
        #expect(a.count > 1000)
        #expect(a == b)
    }

    /// Writes 2,000 rows × 5 numbers in constant-memory mode, checking that an earlier row is refused.
    static func writeConstantMemory(in folder: ScratchFolder) throws -> String {
        let path = folder.path("big.xlsx")
        let workbook = try Workbook(path: path, options: WorkbookOptions(constantMemory: true, tmpdir: folder.url.path))
        let sheet = try workbook.addWorksheet("資料")
        for row in 0..<2_000 {
            for col in 0..<5 { try sheet.write(row, col, number: Double(row * col)) }
        }
        let error = #expect(throws: XLSXError.self) { try sheet.write(10, 0, number: 1) }
        #expect(error?.kind == .indexOutOfRange)
        try workbook.close()
        #expect(FileManager.default.fileExists(atPath: path))
        return path
    }

    @Test("constant-memory mode writes rows in order and refuses earlier rows")
    func constantMemory() throws {
        _ = try Self.writeConstantMemory(in: try ScratchFolder())
    }

    @Test("constant-memory mode: the last row reads back", .requires(.openpyxl))
    func constantMemoryReadsBack() throws {
        let folder = try ScratchFolder()
        let book = try Reader.read(try Self.writeConstantMemory(in: folder))
        #expect(book["cells"]["資料"]["E2000"]["value"].number == Double(1999 * 4))
    }
}
