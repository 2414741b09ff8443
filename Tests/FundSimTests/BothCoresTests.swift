import Foundation
import Testing
import FundSimKit
import FundSimModel
import FundSimEngine
import FundSimReport

/// Work split over two cores (long check lists, long lists of diagnostics) must give what one core gives.
@Suite("Work on both cores")
struct BothCoresTests {
    /// A scenario with `count` checks titled 檢查0…; every seventh (k % 7 == 3) fails.
    static func manyChecks(_ count: Int) -> String {
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
            text += "  - {id: k\(k), title: 檢查\(k), assert: x <= \(k % 7 == 3 ? 50 : 100 + k), assumption: 測試}\n"
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
        var joined = ""
        for (k, cell) in names.enumerated() {
            if k % 7 == 3 { joined += (joined.isEmpty ? "" : ";") + "檢查\(k)" }
            guard case .formula(let formula, .text(let cached)) = cell.value else {
                Issue.record("check \(k): the failing-titles cell is not a formula with a text")
                continue
            }
            #expect(cached == joined, "check \(k)")
            if k > 0 {
                let above = "J\(names[k - 1].row + 1)"
                #expect(formula.hasPrefix("=IF(D\(cell.row + 1)=1,\(above),\(above)&"), "check \(k): \(formula)")
            }
        }
        #expect(p.checkResults().filter { !$0.passed }.count == count / 7)
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
