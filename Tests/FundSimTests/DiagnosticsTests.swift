import Foundation
import Testing
import TestSupport
import FundSimKit
import FundSimModel

/// One fixture per kind of error: each must give exactly its recorded diagnostics.
@Suite("Diagnostics")
struct DiagnosticsTests {
    static let fixtures: [String] = {
        let dir = Project.fixtures + "/errors"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.hasSuffix(".yaml") && $0 != "extends_loop_b.yaml" }.sorted()
    }()

    /// What `fundsim validate` prints for a fixture, with the project root stripped from paths.
    static func diagnose(_ name: String) -> (text: String, ok: Bool) {
        let path = Project.fixtures + "/errors/" + name
        let r = Pipeline(seedsDirectory: Project.seeds).project(path)
        let text = r.rendered.replacingOccurrences(of: Project.root + "/", with: "")
        return (text, r.ok)
    }

    @Test("there are at least 30 error fixtures")
    func count() {
        #expect(Self.fixtures.count >= 30)
    }

    @Test("each fixture gives its recorded diagnostics", arguments: fixtures)
    func fixture(_ name: String) {
        let (text, ok) = Self.diagnose(name)
        let warningOnly = ["missing_provenance.yaml", "path_start_base_year.yaml"].contains(name)
        #expect(ok == warningOnly, "\(name) should \(warningOnly ? "run with a warning" : "fail")")
        #expect(text.contains(warningOnly ? "warning:" : "error:"))
        // Every diagnostic names its file, line and column.
        for line in text.split(separator: "\n") where line.contains(": error:") || line.contains(": warning:") {
            #expect(line.range(of: #"^[^:]+\.yaml:\d+:\d+: (error|warning): "#, options: .regularExpression) != nil, "no position in: \(line)")
        }
        expectGolden(text, "errors/" + name.replacingOccurrences(of: ".yaml", with: ".txt"))
    }

    @Test("all problems in a file are reported in one run")
    func collectsAll() {
        let text = """
        title: 多個錯誤
        years: 2016-2020
        unit: 千元
        sources: {市財政: {}}
        commitments:
          - id: a
            kind: lump_sum
            amount: {value: 4.2x萬, assumption: 測試}
            funding: 市財務
          - id: b
            kind: cadre_pays
            funding: 市財政
        """
        let r = Pipeline(seedsDirectory: Project.seeds).project(text: text, path: "many.yaml")
        let errors = r.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 4, "\(r.rendered)")
    }

    @Test("the evaluator reports every bad row once, and nothing computed from one")
    func everyBadRow() {
        let text = """
        title: 多個壞行
        years: 2016-2020
        sources: {市財政: {}}
        inputs:
          零: {value: 0, assumption: 測試}
          甲: {expr: 1 / 零}
          乙: {expr: 2 / 零}
          丙: {expr: 甲 * 2}
        commitments:
          - {id: a, title: A, kind: lump_sum, amount: 丙, funding: 市財政}
        """
        let r = Pipeline(seedsDirectory: Project.seeds).project(text: text, path: "rows.yaml")
        let errors = r.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.message) == ["division by zero in `甲` in 2016", "division by zero in `乙` in 2016"], "\(r.rendered)")
        #expect(r.projection == nil)
    }

    @Test("a decoding error does not hide an unknown name, nor make a name it declared unknown")
    func namesAfterDecodingErrors() {
        let text = """
        title: 名稱
        years: 2016-2020
        sources: {市財政: {}}
        inputs:
          甲: {value: 4.2x萬, assumption: 測試}
        commitments:
          - {id: a, title: A, kind: lump_sum, amount: 甲 + 乙, funding: 市財政}
        """
        let r = Pipeline(seedsDirectory: Project.seeds).project(text: text, path: "names.yaml")
        let errors = r.diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(errors.count == 2, "\(r.rendered)")
        #expect(errors.contains { $0.contains("is not a figure") } && errors.contains("unknown name `乙`"), "\(r.rendered)")
    }

    @Test("the caret sits under the problem, counting Chinese characters as two columns")
    func caret() {
        let text = "title: 測試\nyears: 2016-2020\nsources: {市財政: {}}\ncommitments:\n  - {id: a, kind: lump_sum, amount: 村主職 + 1, funding: 市財政}\n"
        let r = Pipeline(seedsDirectory: Project.seeds).project(text: text, path: "caret.yaml")
        let lines = r.rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let i = lines.firstIndex(where: { $0.contains("unknown name `村主職`") }) else {
            Issue.record("no unknown-name error in:\n\(r.rendered)")
            return
        }
        #expect(lines[i].hasPrefix("caret.yaml:5:37: error:"))
        let source = lines[i + 1], caret = lines[i + 2]
        let caretColumn = caret.firstIndex(of: "^").map { caret.distance(from: caret.startIndex, to: $0) }!
        let prefix = source.prefix { $0 != "村" }
        #expect(caretColumn == prefix.count, "caret at \(caretColumn), name at \(prefix.count)")
    }
}
