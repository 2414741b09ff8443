import Foundation
import Testing
import TestSupport
import FundSimKit
import FundSimModel
@testable import FundSimEngine

/// Checks that cannot fail are found (`VacuousChecks`): one fixture per kind, with golden output.
@Suite("Vacuous checks")
struct VacuousCheckTests {
    static let fixtures: [String] = {
        let dir = Project.fixtures + "/vacuous"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    static func project(_ path: String) -> Pipeline.Result {
        Pipeline(seedsDirectory: Project.seeds).project(path)
    }

    @Test("each fixture gives its recorded warnings, and the scenario still runs", arguments: fixtures)
    func fixture(_ name: String) {
        let r = Self.project(Project.fixtures + "/vacuous/" + name)
        #expect(r.ok, "\(r.rendered)")
        #expect(!r.diagnostics.isEmpty && r.diagnostics.allSatisfy { $0.severity == .warning }, "\(r.rendered)")
        for line in r.rendered.split(separator: "\n") where line.contains(": warning:") {
            #expect(line.range(of: #"^[^:]+\.yaml:\d+:\d+: warning: check `[^`]+` cannot fail: it "#, options: .regularExpression) != nil,
                    "no position or reason in: \(line)")
        }
        expectGolden(r.rendered.replacingOccurrences(of: Project.root + "/", with: ""), "vacuous/" + name.replacingOccurrences(of: ".yaml", with: ".txt"))
    }

    /// The findings of every fixture, by check id.
    static func findings() -> [String: VacuousChecks.Kind] {
        var out: [String: VacuousChecks.Kind] = [:]
        for name in fixtures {
            let r = project(Project.fixtures + "/vacuous/" + name)
            guard let p = r.projection else { continue }
            for f in VacuousChecks(p.model).findings(p.values) { out[name + ":" + f.check.id] = f.kind }
        }
        return out
    }

    @Test("the fixtures cover each kind, each check is found as its kind, and a check able to fail is not reported")
    func kinds() {
        let found = Self.findings()
        #expect(Set(found.values) == Set(VacuousChecks.Kind.allCases), "\(found)")
        let expected: [String: VacuousChecks.Kind] = [
            "same_input.yaml:villages_counted": .sameInput,
            "same_expression.yaml:units_reconcile": .sameExpression,
            "same_expression.yaml:cost_twice": .sameExpression,
            "defined_from.yaml:floor_met": .definedFrom,
            "defined_from.yaml:budget_reconciles": .definedFrom,
            "defined_from.yaml:total_is_sum": .definedFrom,
            "holds_everywhere.yaml:villages_cover_poor": .holdsEverywhere,
            "holds_everywhere.yaml:spent_as_budgeted": .holdsEverywhere,
            "holds_everywhere.yaml:no_inputs": .holdsEverywhere,
        ]
        #expect(found == expected)
    }

    @Test("a check that fails with the scenario's own figures is never reported, however it is written")
    func failingCheckIsNotReported() throws {
        let text = """
        title: 不通過的檢查
        years: 2016-2020
        inputs:
          村數: {value: 2400, assumption: 測試}
        sources:
          市財政: {}
        commitments:
          - {id: fund, title: 經費, kind: lump_sum, amount: {value: 100萬, assumption: 測試}, funding: 市財政}
        checks:
          - {id: never, assert: 村數 > 村數, assumption: 測試}
          - {id: too_small, assert: fund.cost >= 1億, assumption: 測試}
        """
        let r = Pipeline(seedsDirectory: Project.seeds).project(text: text, path: "failing.yaml")
        let p = try #require(r.projection, "\(r.rendered)")
        #expect(VacuousChecks(p.model).findings(p.values).isEmpty)
        #expect(p.checkResults().filter { !$0.passed }.count == 2)
    }

    @Test("moving an input that a check truly depends on makes it fail: the rule does not flag a check with a real margin")
    func realMargin() throws {
        // 2400 villages against 2000: 2400 − 50% = 1200 fails, so the check can fail and is not reported.
        let text = """
        title: 有餘量的檢查
        years: 2016-2020
        inputs:
          村數: {value: 2400, assumption: 測試}
          下限: {value: 2000, assumption: 測試}
        sources:
          市財政: {}
        commitments:
          - {id: fund, title: 經費, kind: operating_fund, count: 村數, rate: {value: 1萬, assumption: 測試}, funding: 市財政}
        checks:
          - {id: margin, assert: 村數 >= 下限, assumption: 測試}
        """
        let r = Pipeline(seedsDirectory: Project.seeds).project(text: text, path: "margin.yaml")
        #expect(r.ok && r.diagnostics.isEmpty, "\(r.rendered)")
    }

    @Test("re-evaluating only the rows an input reaches gives every row the value a whole re-evaluation gives",
          arguments: Project.scenarios.map { ($0 as NSString).lastPathComponent } + fixtures.map { "vacuous/" + $0 })
    func rerunMatchesRun(_ name: String) throws {
        let path = name.hasPrefix("vacuous/") ? Project.fixtures + "/" + name : Project.root + "/scenarios/" + name
        let r = Pipeline(seedsDirectory: Project.seeds).project(path)
        let p = try #require(r.projection, "\(r.rendered)")
        let model = p.model, readers = Evaluator.readers(model)
        let inputs = Analysis.movableInputs(model)
        #expect(!inputs.isEmpty)
        for i in inputs {
            let v0 = Analysis.firstValue(model, row: i)
            for v in [v0 * 0.5, v0 * 1.5 + 1] {
                let moved = Analysis.values(model, row: i, settingTo: v)
                var whole = Evaluator(model: model)
                whole.override = [i: moved]
                let wholeFailed = whole.run() != nil
                var part = Evaluator(model: model, values: p.values)
                part.values[i] = moved
                let partFailed = part.rerun(Evaluator.reached(from: i, model, readers: readers)) != nil
                #expect(wholeFailed == partFailed, "\(name): \(model.rows[i].id) = \(v)")
                // Compared bit for bit (NaN included), where both evaluations finished.
                if !wholeFailed {
                    let differ = model.rows.indices.filter { whole.values[$0].map(\.bitPattern) != part.values[$0].map(\.bitPattern) }
                    #expect(differ.isEmpty, "\(name): \(model.rows[i].id) = \(v): \(differ.prefix(5).map { model.rows[$0].id })")
                }
            }
        }
    }

    @Test("`validate` prints the warnings with positions and still calls the file valid")
    func validateWarns() throws {
        let r = try fundsim(["validate", "Tests/FundSimTests/Fixtures/vacuous/same_input.yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("valid (1 warning)"), "\(r.stdout)")
        #expect(r.stderr.contains("same_input.yaml:17:9: warning: check `villages_counted` cannot fail"), "\(r.stderr)")
    }
}
