import Foundation
import Testing
import FundSimKit
import FundSimModel
import FundSimEngine
import FundSimReport

/// Work split over two cores (long check lists, long lists of diagnostics) must give what one core gives.
@Suite("Work on both cores")
struct BothCoresTests {
    /// A scenario with `count` checks titled 檢查0… (each title followed by `padding`); every seventh (k % 7 == 3) fails.
    static func manyChecks(_ count: Int, padding: String = "") -> String {
        var text = """
        title: 許多檢查
        years: 2016-2020
        inputs:
          x: {value: 100, assumption: 測試}
        sources:
          市財政: {}
        commitments:
          - {id: c, title: C, kind: lump_sum, amount: {value: 1萬, assumption: 測試}, funding: 市財政}
        checks:

        """
        for k in 0..<count {
            text += "  - {id: k\(k), title: 檢查\(k)\(padding), assert: x <= \(k % 7 == 3 ? 50 : 100 + k), assumption: 測試}\n"
        }
        return text
    }

    @Test("a check list long enough to be written in two halves keeps its cells in row order and chains the failing titles from the first check to the last")
    func longCheckList() throws {
        let count = 2_100
        let r = Pipeline(seedsDirectory: Project.seeds).project(text: Self.manyChecks(count), path: "many.yaml")
        let p = try #require(r.projection, "\(r.rendered)")
        var builder = WorkbookBuilder(scenario: try #require(r.scenario), projection: p)
        let book = builder.build()
        let sheet = try #require(book.sheet(builder.labels.checks))
        let firstCheckRow = WorkbookBuilder.headerRow + 4
        // The checks' cells come in row order: the second half after the first, each check's rows in turn (up to
        // the overall result above them, and the "decided by" column added after).
        let start = try #require(sheet.cells.firstIndex { $0.row >= firstCheckRow })
        let end = try #require(sheet.cells[start...].firstIndex { $0.row < firstCheckRow })
        let checkCells = Array(sheet.cells[start..<end])
        #expect(zip(checkCells, checkCells.dropFirst()).allSatisfy { $0.row <= $1.row })
        // The failing-titles column: one cell per check, each adding its title to the cell above when it fails.
        let namesCol = WorkbookBuilder.firstYearCol + 5
        let names = checkCells.filter { $0.col == namesCol }
        #expect(names.count == count)
        // The column holds the titles up to 1,000 characters (as LEN counts them), then leaves the rest out.
        var joined = "", full = false
        for (k, cell) in names.enumerated() {
            if k % 7 == 3 && !full {
                let next = joined + (joined.isEmpty ? "" : ";") + "檢查\(k)"
                if next.utf16.count >= 1_000 { joined = String(decoding: Array(next.utf16.prefix(1_000)), as: UTF16.self); full = true }
                else { joined = next }
            }
            guard case .formula(let formula, .text(let cached)) = cell.value else {
                Issue.record("check \(k): the failing-titles cell is not a formula with a text")
                continue
            }
            #expect(cached == joined, "check \(k)")
            if k > 0 {
                let above = "J\(names[k - 1].row + 1)"
                #expect(formula.hasPrefix("=IF(OR(D\(cell.row + 1)=1,LEN(\(above))>=1000),\(above),LEFT(\(above)&"), "check \(k): \(formula)")
            }
        }
        #expect(p.checkResults().filter { !$0.passed }.count == count / 7)
        #expect(full, "the failing titles reach the cap, so the test sees it")
    }

    @Test("past the 255 arguments AND takes, the overall result counts the passing checks, stays within a formula's length, and LibreOffice computes the engine's answer and the capped failing titles",
          .requires(.openpyxl, .libreOffice), arguments: [true, false])
    func overallPastAndArguments(failing: Bool) throws {
        let count = Limits.functionArguments + 45
        // Long titles: the failing ones (43 of them) pass the failing-titles column's 1,000 characters.
        let checks = Self.manyChecks(count, padding: String(repeating: "長", count: 30))
        let text = failing ? checks : checks.replacingOccurrences(of: "x <= 50,", with: "x <= 500,")
        let r = Pipeline(seedsDirectory: Project.seeds).project(text: text, path: "many.yaml")
        let p = try #require(r.projection, "\(r.rendered)")
        var builder = WorkbookBuilder(scenario: try #require(r.scenario), projection: p)
        let book = builder.build()
        let sheet = try #require(book.sheet(builder.labels.checks))
        let overall = try #require(sheet.cells.first { $0.row == WorkbookBuilder.headerRow + 2 && $0.col == WorkbookBuilder.valueCol })
        guard case .formula(let formula, .number(let cached)) = overall.value else { Issue.record("\(overall.value)"); return }
        #expect(formula.hasPrefix("=IF(COUNTIF(") && formula.hasSuffix(",1)=\(count),1,0)"), "\(formula)")
        #expect(formula.count <= Limits.formulaCharacters)
        #expect(cached == (failing ? 0 : 1))
        // LibreOffice recalculates the written workbook to the cached values, the overall result included.
        try Self.expectLibreOfficeAgrees(text)
    }

    @Test("a source paying for 300 commitments: the attribution keeps its formulas short (a running total per row), sums past 255 terms nest in chunks of 255, and LibreOffice computes the engine's figures",
          .requires(.openpyxl, .libreOffice))
    func longAttribution() throws {
        let count = 300
        var text = """
        title: 許多承諾
        years: 2016-2018
        sources:
          市財政: {envelope: {value: 100萬, assumption: 測試}}
        commitments:

        """
        for k in 0..<count { text += "  - {id: c\(k), title: 承諾\(k), kind: lump_sum, amount: {value: \(k % 5 + 1)萬, assumption: 測試}, funding: 市財政}\n" }
        let r = Pipeline(seedsDirectory: Project.seeds).project(text: text, path: "many.yaml")
        let p = try #require(r.projection, "\(r.rendered)")
        var builder = WorkbookBuilder(scenario: try #require(r.scenario), projection: p)
        let book = builder.build()
        let sheet = try #require(book.sheet(builder.labels.funding))
        let formulas = sheet.cells.compactMap { cell -> String? in
            if case .formula(let f, _) = cell.value { return f }
            return nil
        }
        #expect(formulas.filter { $0.hasPrefix("=MAX(0,MIN(") }.count == count * 3)
        // Each attribution cell: its amount, its running total (the one above plus its amount) and the envelope.
        let attribution = formulas.filter { $0.hasPrefix("=MAX(0,MIN(") }
        #expect(attribution.map(\.count).max() ?? 0 < 80, "the longest: \(attribution.max { $0.count < $1.count } ?? "")")
        // The source's committed total sums 300 amounts: SUM(SUM(255 of them),SUM(the other 45)).
        let nested = formulas.filter { $0.hasPrefix("=SUM(SUM(") }
        #expect(!nested.isEmpty)
        for f in nested {
            let inner = f.dropFirst("=SUM(".count).dropLast().components(separatedBy: "),SUM(")
            #expect(inner.count == 2 && inner[0].split(separator: ",").count == 255 && inner[1].split(separator: ",").count == 45, "\(f.prefix(200))")
        }
        try Self.expectLibreOfficeAgrees(text)
    }

    /// Runs scenario `text` through `fundsim run` and has LibreOffice recalculate the workbook: every formula must
    /// give the value the engine cached.
    static func expectLibreOfficeAgrees(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fundsim-long-lists-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try text.write(toFile: dir + "/many.yaml", atomically: true, encoding: .utf8)
        let run = try fundsim(["run", dir + "/many.yaml", "-o", dir, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)", sourceLocation: sourceLocation)
        let recalc = try runScript("recalc.py", [dir + "/lo", dir + "/many.xlsx"])
        #expect(recalc.status == 0, "\(recalc.stderr)", sourceLocation: sourceLocation)
        #expect(recalc.stdout.contains("\"mismatches\": 0"), "\(recalc.stdout)", sourceLocation: sourceLocation)
    }

    @Test("many diagnostics, rendered in two halves, are each diagnostic's rendering in order")
    func manyDiagnostics() {
        let lines = (0..<2_500).map { "  - {id: k\($0), assert: x <= \($0)}" }
        let text = lines.joined(separator: "\n") + "\n"
        let diagnostics = (0..<2_500).map { k in
            Diagnostic.warning("check `k\(k)` cannot fail", at: SourceLocation(file: "many.yaml", line: k + 1, column: 7), hint: "rewrite it")
        }
        let renderer = DiagnosticRenderer(sources: ["many.yaml": text])
        let all = renderer.render(diagnostics)
        #expect(all == diagnostics.map { renderer.render($0) }.joined())
        #expect(all.contains("many.yaml:2500:7: warning: check `k2499` cannot fail\n    - {id: k2499, assert: x <= 2499}\n"))
    }
}

/// The YAML layer reads every scalar as text (no implicit tags: FundSim decides what a value means itself), so a
/// key written plain and the same key quoted are one key, whatever a YAML tag rule would make of the plain one.
@Suite("YAML keys are text")
struct YAMLKeyTests {
    @Test("a key written plain and again quoted is a duplicate at the second one, for a name and for a word YAML could read as true", arguments: ["x", "true"])
    func plainAndQuoted(_ key: String) {
        let text = """
        title: T
        years: 2016-2017
        sources:
          市財政: {}
        inputs:
          \(key): {value: 100, assumption: 測試}
          "\(key)": {value: 100, assumption: 測試}
        commitments:
          - {id: c, title: C, kind: lump_sum, amount: {value: 1萬, assumption: 測試}, funding: 市財政}
        """
        let r = Pipeline(seedsDirectory: Project.seeds).project(text: text, path: "keys.yaml")
        #expect(!r.ok)
        #expect(r.rendered.hasPrefix("keys.yaml:7:3: error: `\(key)` appears twice in the same mapping\n"), "\(r.rendered)")
    }
}
