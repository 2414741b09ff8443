import Foundation
import Testing
import FundSimKit
import FundSimModel
import FundSimEngine
import FundSimReport

/// No formula FundSim writes is longer than a spreadsheet takes (Limits.formulaCharacters: Excel's 8,192), however many
/// commitments a scenario has: a longer total is computed in labelled parts below its sheet (docs/engine.md).
@Suite("Formulas within a spreadsheet's length")
struct LongFormulaTests {
    static let count = 1_500

    /// `count` commitments paid by one source with an envelope, and a check adding up the first five costs again and again
    /// in `sum` calls of 250 terms (one formula of about 16,000 characters before it is split, over few inputs: the check's
    /// vacuity analysis moves each input it reads).
    static func scenario(_ count: Int = count) -> String {
        var text = """
        title: 許多承諾
        years: 2016-2019
        sources:
          市財政: {envelope: {value: 1000萬, assumption: 測試}}
        commitments:

        """
        for k in 0..<count {
            text += "  - {id: c\(k), title: 承諾\(k), kind: lump_sum, amount: {value: \(k % 7 + 1)萬, assumption: 測試}, funding: 市財政}\n"
        }
        let sums = stride(from: 0, to: count, by: 250).map { start in
            "sum(" + (start..<min(start + 250, count)).map { "c\($0 % 5)" }.joined(separator: ", ") + ")"
        }
        text += "checks:\n  - {id: all_costs, title: 全部費用不超過十億, assert: \"\(sums.joined(separator: " + ")) <= 10億\", assumption: 測試}\n"
        return text
    }

    static func build(_ text: String) throws -> (book: ReportBook, builder: WorkbookBuilder, projection: Projection) {
        let r = Pipeline(seedsDirectory: Project.seeds).project(text: text, path: "many.yaml")
        let p = try #require(r.projection, "\(r.rendered)")
        var builder = WorkbookBuilder(scenario: try #require(r.scenario), projection: p)
        return (builder.build(), builder, p)
    }

    static func formulas(_ sheet: ReportSheet) -> [(cell: ReportCell, text: String, cached: Double?)] {
        sheet.cells.compactMap { cell in
            guard case .formula(let f, let cached) = cell.value else { return nil }
            if case .number(let v) = cached { return (cell, f, v) }
            return (cell, f, nil)
        }
    }

    @Test("1,500 commitments: every formula of every sheet is within 8,192 characters, the long totals are taken over labelled parts, and each total's cached value is the engine's")
    func everyFormulaFits() throws {
        let (book, builder, p) = try Self.build(Self.scenario())
        let labels = builder.labels
        var parts: [String: Int] = [:]
        for sheet in book.sheets {
            for (cell, text, _) in Self.formulas(sheet) {
                #expect(text.utf16.count <= Limits.formulaCharacters, "\(sheet.name) R\(cell.row + 1)C\(cell.col + 1): \(text.utf16.count) characters")
                #expect(!text.unicodeScalars.contains { (0xE000...0xF8FF).contains($0.value) }, "a stand-in left in \(sheet.name) R\(cell.row + 1)")
            }
            // The parts sit under a heading that says why, each row labelled with the row it serves and its terms.
            let heading = sheet.cells.first { if case .text(let t) = $0.value { t.hasPrefix("分段计算") } else { false } }
            let partLabels = sheet.cells.compactMap { c -> String? in if case .text(let t) = c.value, t.contains(" 段(第 ") { t } else { nil } }
            if !partLabels.isEmpty { #expect(heading != nil, "\(sheet.name) has parts without their heading") }
            if let heading {
                // Below the heading there is nothing but parts.
                let partRows = Set(sheet.cells.filter { if case .text(let t) = $0.value { t.contains(" 段(第 ") } else { false } }.map(\.row))
                #expect(!partRows.isEmpty && sheet.cells.filter { $0.row > heading.row }.allSatisfy { partRows.contains($0.row) }, "\(sheet.name)")
            }
            parts[sheet.name] = partLabels.count
        }
        // The source's commitment total, the category total and the Summary's unsplit money: each over ⌈1,500 / 255⌉ = 6
        // parts (a part holds at most 255 terms). The check's side adds six sums of 250 terms, about 2,600 characters each:
        // the longest go into a part each (one part: 250 terms fit) until the rest fits.
        #expect(parts[labels.funding] == 6 && parts[labels.calculations] == 6 && parts[labels.summary] == 6, "\(parts)")
        #expect((1...5).contains(parts[labels.checks] ?? 0), "\(parts)")
        let checks = try #require(book.sheet(labels.checks))
        #expect(checks.cells.contains { if case .text(let t) = $0.value { t.hasPrefix("左边 · 第 ") && t.hasSuffix("第 1/1 段(第 1–250 项)") } else { false } })

        // Each total is now a SUM over a column of parts, and caches the engine's figure.
        let div = builder.scenario.unit.divisor
        for (sheetName, id) in [(labels.funding, "市財政.committed"), (labels.calculations, "total.other")] {
            let sheet = try #require(book.sheet(sheetName))
            let i = try #require(p.model.index[id])
            let row = try #require(builder.placement[i]).row
            for y in p.years.indices {
                let cell = try #require(sheet.cell(row, WorkbookBuilder.firstYearCol + y))
                guard case .formula(let f, .number(let cached)) = cell.value else { Issue.record("\(id): \(cell.value)"); continue }
                #expect(f.wholeMatch(of: /=SUM\([A-Z]+[0-9]+:[A-Z]+[0-9]+\)/) != nil, "\(id) \(y): \(f)")
                #expect(cached == p.values[i][y] / div)
                // Its parts, read from the range, add up to it.
                let range = f.dropFirst("=SUM(".count).dropLast().split(separator: ":").map { Int($0.drop { $0.isLetter })! - 1 }
                let partValues = (range[0]...range[1]).compactMap { r -> Double? in
                    if case .formula(let g, .number(let v))? = sheet.cell(r, WorkbookBuilder.firstYearCol + y)?.value, g.hasPrefix("=SUM(") { return v }
                    return nil
                }
                #expect(partValues.count == range[1] - range[0] + 1 && partValues.count >= 6)
                #expect(abs(partValues.reduce(0, +) - cached) <= 1e-9 * max(1, abs(cached)))
            }
        }
        // The part rows are labelled in the scenario's language: what they serve, the row, and the terms they hold.
        let funding = try #require(book.sheet(labels.funding))
        #expect(funding.cells.contains { if case .text(let t) = $0.value { t.hasPrefix("承诺支出 · 第 ") && t.hasSuffix("段(第 1–255 项)") } else { false } })
    }

    @Test("a scenario whose formulas fit writes no parts: 255 terms stay one SUM", arguments: [200, 255])
    func noPartsWhenItFits(count: Int) throws {
        let (book, _, _) = try Self.build(Self.scenario(count))
        for sheet in book.sheets {
            #expect(!sheet.cells.contains { if case .text(let t) = $0.value { t.hasPrefix("分段计算") } else { false } }, "\(sheet.name)")
        }
    }

    /// `count` commitments with an actual recorded in the first year, all paid by one source: the Actuals sheet's lines for
    /// the source and its total run over every one of them.
    static func withActuals(_ count: Int) -> (scenario: String, csv: String) {
        var text = "actuals: actuals.csv\ntitle: 許多執行數\nyears: 2016-2018\nsources:\n  市財政: {}\ncommitments:\n"
        var csv = "year,commitment,source,measure,value,cite,note\n"
        for k in 0..<count {
            text += "  - {id: c\(k), title: 承諾\(k), kind: lump_sum, amount: {value: \(k % 5 + 1)萬, assumption: 測試}, funding: 市財政}\n"
            csv += "2016,c\(k),,spent,\(k % 3 + 1)萬,,測試\n"
        }
        return (text, csv)
    }

    @Test("700 commitments with actuals: the Actuals sheet's source lines and total fit, in parts, and LibreOffice recalculates them to the engine's figures",
          .requires(.openpyxl, .libreOffice))
    func actualsFit() throws {
        let (text, csv) = Self.withActuals(700)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fundsim-long-actuals-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try text.write(toFile: dir + "/many.yaml", atomically: true, encoding: .utf8)
        try csv.write(toFile: dir + "/actuals.csv", atomically: true, encoding: .utf8)
        let r = Pipeline().project(dir + "/many.yaml")
        let p = try #require(r.projection, "\(r.rendered)")
        var builder = WorkbookBuilder(scenario: try #require(r.scenario), projection: p)
        let book = builder.build()
        let sheet = try #require(book.sheet(builder.labels[.actualsSheet]))
        let formulas = Self.formulas(sheet)
        #expect(formulas.allSatisfy { $0.text.utf16.count <= Limits.formulaCharacters }, "\(formulas.map(\.text.utf16.count).max() ?? 0)")
        // The plan and actual lines of the source, the count of its recorded figures and the recorded total: four blocks
        // of at least ⌈700 / 255⌉ = 3 parts each (more where the terms are long: a part also stays within the length).
        let partLabels = sheet.cells.compactMap { c -> String? in if case .text(let t) = c.value, t.contains(" 段(第 ") { t } else { nil } }
        #expect(partLabels.count >= 4 * 3 && partLabels.filter { $0.contains("第 1/") }.count == 4, "\(partLabels)")
        let run = try fundsim(["run", dir + "/many.yaml", "-o", dir, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let recalc = try runScript("recalc.py", [dir + "/lo", dir + "/many.xlsx"])
        #expect(recalc.status == 0, "\(recalc.stderr)")
        #expect(recalc.stdout.contains("\"mismatches\": 0"), "\(recalc.stdout)")
    }

    @Test("1,500 commitments: LibreOffice recalculates the workbook, its parts included, to the engine's figures",
          .requires(.openpyxl, .libreOffice))
    func libreOfficeAgrees() throws {
        try BothCoresTests.expectLibreOfficeAgrees(Self.scenario())
    }
}
