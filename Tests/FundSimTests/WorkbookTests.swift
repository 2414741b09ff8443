import Foundation
import Testing
import TestSupport
import FundSimKit
import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters
import XLSX

struct RecalcReport: Decodable {
    var file: String
    var formulas: Int?
    var mismatches: Int?
    var error: String?
    var examples: [[String: String]]?
}

/// Recalculates workbooks with LibreOffice and compares each formula cell with the value FundSim cached.
func recalculate(_ files: [String]) throws -> [RecalcReport] {
    let out = Project.tempDir("recalc")
    let r = try runScript("recalc.py", [out] + files)
    return try r.stdout.split(separator: "\n").map { try JSONDecoder().decode(RecalcReport.self, from: Data($0.utf8)) }
}

func inspect(_ file: String, cells sheets: [String] = []) throws -> [String: Any] {
    let r = try runScript("inspect_xlsx.py", [file] + sheets)
    return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
}

@Suite("Workbook", .serialized)
struct WorkbookTests {
    /// Every scenario in scenarios/, written to one temporary folder.
    static func writeAll() throws -> (dir: String, files: [String], results: [Pipeline.Result]) {
        let dir = Project.tempDir("workbooks")
        let pipeline = Pipeline(seedsDirectory: Project.seeds, allowOutside: [Project.fixtures])
        var files: [String] = []
        var results: [Pipeline.Result] = []
        for path in Project.scenarios {
            let r = pipeline.project(path)
            #expect(r.ok, "\(path) does not run:\n\(r.rendered)")
            guard let s = r.scenario, let p = r.projection else { continue }
            files += try pipeline.write(s, p, to: dir, formats: [.xlsx, .json])
            results.append(r)
        }
        let rollup = try pipeline.writeRollup(results.map { ($0.scenario!, $0.projection!) }, to: dir)
        return (dir, files.filter { $0.hasSuffix(".xlsx") } + [rollup], results)
    }

    @Test("LibreOffice recalculates every workbook from scenarios/ to the engine's numbers (to 1e-8 of a display unit, 1e-9 of a ratio)", .requires(.openpyxl, .libreOffice))
    func recalculatesToEngine() throws {
        let (_, files, _) = try Self.writeAll()
        #expect(files.count == Project.scenarios.count + 1, "every scenario and the roll-up")
        for report in try recalculate(files) {
            #expect(report.error == nil, "\(report.file): \(report.error ?? "")")
            #expect((report.formulas ?? 0) > 50, "\(report.file): too few formulas")
            #expect(report.mismatches == 0, "\(report.file): \(report.mismatches ?? -1) formula cells differ after recalculation: \(report.examples ?? [])")
        }
    }

    @Test("the recalculation check catches a wrong cached value (negative control)", .requires(.openpyxl, .libreOffice))
    func recalcCatchesWrongCache() throws {
        let path = Project.tempDir("control") + "/wrong.xlsx"
        let wb = try Workbook(path: path)
        let ws = try wb.addWorksheet("Sheet1")
        try ws.write(0, 0, number: 2)
        try ws.writeFormula(0, 1, "=A1*3", cached: 7)   // should be 6
        try wb.close()
        let report = try recalculate([path])
        #expect(report.first?.mismatches == 1)
    }

    @Test("openpyxl loads every workbook with the listed sheets, names, charts and comments", .requires(.openpyxl))
    func structure() throws {
        let (_, files, results) = try Self.writeAll()
        #expect(files.last?.hasSuffix("rollup.xlsx") == true)
        for (file, r) in zip(files, results) {
            let info = try inspect(file)
            let labels = Labels(r.scenario!.language)
            let hasCollective = r.scenario!.commitments.contains { if case .collectiveEconomy = $0.kind { return true } else { return false } }
            let expected = [labels.summary, labels.inputs, labels.calculations] + (hasCollective ? [labels.collective] : []) + [labels.funding, labels.checks, labels.sources]
                + [PullRecord.sheetName]   // hidden: what `fundsim pull` reads
            #expect(info["sheets"] as? [String] == expected, "\(file)")
            let names = info["defined_names"] as? [String] ?? []
            #expect(names.contains(labels[.unitDivisor]), "\(file): \(names)")
            for input in r.scenario!.inputs where input.owner == nil && WorkbookBuilder.isDefinableName(input.name) {
                #expect(names.contains(input.name), "\(file): no defined name for \(input.name)")
            }
            let charts = info["charts"] as? [String: Int] ?? [:]
            #expect((charts[labels.summary] ?? 0) >= 2, "\(file): charts \(charts)")
            let comments = info["comments"] as? [String: Int] ?? [:]
            #expect((comments[labels.inputs] ?? 0) > 0, "\(file): input cells carry provenance comments")
            #expect((info["freeze"] as? [String: Any])?[labels.inputs] is String)
            #expect((info["landscape"] as? [String: String])?.values.allSatisfy { $0 == "landscape" } == true)
        }
    }

    @Test("the Summary shows the engine's totals in the display unit", .requires(.openpyxl))
    func summaryTotals() throws {
        let path = Project.fixtures + "/scenarios/megacity.yaml"
        let r = Pipeline(seedsDirectory: Project.seeds, allowOutside: [Project.fixtures]).project(path)
        let (s, p) = (r.scenario!, r.projection!)
        let dir = Project.tempDir("summary")
        let file = try Pipeline(seedsDirectory: Project.seeds, allowOutside: [Project.fixtures]).write(s, p, to: dir, formats: [.xlsx])[0]
        let labels = Labels(s.language)
        let info = try inspect(file, cells: [labels.summary])
        let cells = (info["cells"] as? [String: Any])?[labels.summary] as? [String: Any] ?? [:]
        // Row 11 holds the grand total (A11 label, E11..I11 by year).
        let total = p.series("total")!
        for (k, col) in ["E", "F", "G", "H", "I"].enumerated() {
            let v = cells["\(col)11"] as? Double
            #expect(v != nil && abs(v! - total[k] / s.unit.divisor) < 1e-6, "\(col)11 = \(String(describing: v))")
        }
    }

    @Test("changing an input cell and recalculating moves the totals by what the engine gives for the same change", .requires(.openpyxl, .libreOffice))
    func liveInputChange() throws {
        let path = Project.fixtures + "/scenarios/megacity.yaml"
        let pipeline = Pipeline(seedsDirectory: Project.seeds, allowOutside: [Project.fixtures])
        let base = pipeline.project(path)
        // The same change in the engine, through a variant.
        let variant = pipeline.project(text: "extends: \(path)\ninputs:\n  農村黨員人數: {value: 150000, assumption: test}\n", path: Project.tempDir("variant") + "/v.yaml")
        #expect(variant.ok, "\(variant.rendered)")
        let (s, p0, p1) = (try #require(base.scenario), try #require(base.projection), try #require(variant.projection))
        let dir = Project.tempDir("live")
        let file = try pipeline.write(s, p0, to: dir, formats: [.xlsx])[0]
        var builder = WorkbookBuilder(scenario: s, projection: p0)
        _ = builder.build()
        let row = builder.placement[p0.model.index["農村黨員人數"]!]!.row
        let edited = dir + "/edited.xlsx"
        let script = """
        import openpyxl, sys
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = wb[sys.argv[3]]
        ws.cell(row=int(sys.argv[4]) + 1, column=4).value = 150000
        wb.save(sys.argv[2])
        """
        try runPython(["-c", script, file, edited, Labels(s.language).inputs, String(row)])
        let out = Project.tempDir("live-recalc")
        try runScript("recalc.py", [out, edited])
        let info = try inspect(out + "/edited.xlsx", cells: [Labels(s.language).summary])
        let cells = (info["cells"] as? [String: Any])?[Labels(s.language).summary] as? [String: Any] ?? [:]
        for (k, col) in ["E", "F", "G", "H", "I"].enumerated() {
            let moved = (cells["\(col)11"] as? Double ?? .nan) * s.unit.divisor
            let expected = p1.series("total")![k]
            #expect(abs(moved - expected) < 0.01, "\(col)11: workbook \(moved), engine \(expected)" as Comment)
            #expect(abs(expected - p0.series("total")![k]) > 1, Comment(rawValue: "the change must move the total"))
        }
    }

    @Test("the same scenario gives byte-identical xlsx, CSV and JSON")
    func reproducible() throws {
        let path = Project.fixtures + "/scenarios/megacity.yaml"
        let pipeline = Pipeline(seedsDirectory: Project.seeds, allowOutside: [Project.fixtures])
        var outputs: [[Data]] = []
        for _ in 0..<2 {
            let r = pipeline.project(path)
            let dir = Project.tempDir("repro")
            let files = try pipeline.write(r.scenario!, r.projection!, to: dir, formats: [.xlsx, .csv, .json])
            outputs.append(files.map { FileManager.default.contents(atPath: $0)! })
        }
        #expect(outputs[0] == outputs[1])
    }
}

@Suite("Workbook languages")
struct LanguageTests {
    @Test("sheet names and labels follow the scenario's language", arguments: [("zh-Hans", "汇总", "输入", "合计"), ("zh-Hant", "匯總", "輸入", "合計"), ("en", "Summary", "Inputs", "Total")])
    func language(_ lang: String, _ summary: String, _ inputs: String, _ total: String) throws {
        let text = "title: 語言\nyears: 2016-2017\nlanguage: \(lang)\nsources: {市財政: {}}\ncommitments:\n  - {id: x, title: X, kind: lump_sum, amount: {value: 1萬, assumption: t}, funding: 市財政}\n"
        let r = Pipeline().project(text: text, path: "lang.yaml")
        let (s, p) = (try #require(r.scenario), try #require(r.projection))
        var builder = WorkbookBuilder(scenario: s, projection: p)
        let book = builder.build()
        #expect(book.sheets.map(\.name).prefix(2) == [summary, inputs])
        let labels = book.sheets[0].cells.compactMap { c -> String? in if case .text(let t) = c.value { return t } else { return nil } }
        #expect(labels.contains(total), "\(labels)")
        #expect(TerminalSummary.render(s, p).contains(total))
    }
}
