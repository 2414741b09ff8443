import Foundation
import Testing
import TestSupport
import FundSimKit
import FundSimModel
import FundSimEngine

/// The seed scenarios follow the convention stated in `scenarios/README.md`.
@Suite("Seed scenario convention")
struct SeedConventionTests {
    /// Every seed scenario: `scenarios/` and `scenarios/variants/`.
    static let files: [String] = Project.scenarios + Pipeline.expand([Project.root + "/scenarios/variants"])

    @Test("the seed scenarios include the variants")
    func includesVariants() {
        #expect(Self.files.count >= 18 && Self.files.contains { $0.hasSuffix("variants/enshi-uncertain.yaml") })
    }

    @Test("no seed scenario has a check that cannot fail", arguments: files)
    func everyCheckCanFail(_ path: String) throws {
        let r = Pipeline(seedsDirectory: Project.seeds).project(path)
        let p = try #require(r.projection, "\(r.rendered)")
        let found = VacuousChecks(p.model).findings(p.values)
        #expect(found.isEmpty, "\(found.map { "\($0.check.id): \($0.kind.rawValue) (\($0.reason))" })")
        #expect(!r.diagnostics.contains { $0.message.contains("cannot fail") }, "\(r.rendered)")
    }

    /// The `背景:` mark of an input's `note:`, and the reason after it.
    static func backgroundReason(_ input: Input) -> String? {
        guard let note = input.note?.trimmingCharacters(in: .whitespaces), note.hasPrefix("背景:") else { return nil }
        return String(note.dropFirst(3))
    }

    @Test("every input that reaches no cost line, source or check, and every input titled 背景, says in its note why it is background", arguments: files)
    func noUnexplainedBackground(_ path: String) throws {
        let r = Pipeline(seedsDirectory: Project.seeds).project(path)
        let scenario = try #require(r.scenario, "\(r.rendered)")
        let p = try #require(r.projection)
        let unused = Set(p.model.backgroundInputs().map { p.model.rows[$0].id })
        for input in scenario.inputs where input.owner == nil {
            let titled = input.title?.contains("背景") == true
            guard unused.contains(input.name) || titled else { continue }
            let reason = Self.backgroundReason(input)
            #expect(reason != nil, "\(path): input `\(input.name)` is background (\(unused.contains(input.name) ? "it reaches no cost line, source or check" : "its title says 背景")) but has no `note: \"背景:REASON\"`")
            // A reason is a sentence, not a word: it says why the figure is not (or not again) new money.
            #expect((reason ?? "").count >= 12, "\(path): the background reason of `\(input.name)` is too short: \(reason ?? "")")
        }
    }

    @Test("an input marked background costs nothing: it reaches no cost line", arguments: files)
    func backgroundCostsNothing(_ path: String) throws {
        let r = Pipeline(seedsDirectory: Project.seeds).project(path)
        let scenario = try #require(r.scenario, "\(r.rendered)")
        let p = try #require(r.projection)
        let m = p.model
        // Rows every commitment's cost depends on.
        var reached = Set<Int>(), stack = m.commitments.compactMap { m.index[$0.costRow] }
        while let i = stack.popLast() {
            guard reached.insert(i).inserted, case .formula(let f) = m.rows[i].definition else { continue }
            var next = Set<Int>()
            f.allRows(into: &next)
            stack += next
        }
        for input in scenario.inputs where Self.backgroundReason(input) != nil {
            let row = try #require(m.index[input.name])
            #expect(!reached.contains(row), "\(path): `\(input.name)` is marked 背景 but a cost line uses it")
        }
    }

    @Test("scenarios/README.md states the convention")
    func conventionStated() throws {
        let text = try String(contentsOfFile: Project.root + "/scenarios/README.md", encoding: .utf8)
        for phrase in ["## Convention", "carried forward", "背景:", "Every check can fail"] {
            #expect(text.contains(phrase), "scenarios/README.md does not say \(phrase)")
        }
    }
}

extension SeedConventionTests {
    @Test("what decides each check of the seed scenarios: a failure decided by the seed's own figures is a seed inconsistency")
    func deciders() throws {
        var decided: [String: Bool] = [:]
        for path in Self.files {
            let r = Pipeline(seedsDirectory: Project.seeds).project(path)
            let p = try #require(r.projection, "\(r.rendered)")
            let sourcing = Sourcing(p)
            for c in p.model.checks { decided[(path as NSString).lastPathComponent + ":" + c.id] = sourcing.basis(of: c).isSeed }
        }
        // The seed's own inconsistency (1000萬 against 200 centres × 10萬) is decided by the seed, and fails.
        #expect(decided["five-functions-brand.yaml:awards_within_fund"] == true)
        // 11400萬 + 1000萬 + 5000萬 = 17400萬: the seed's figures, and they reconcile.
        #expect(decided["enshi.yaml:parts_reconcile"] == true)
        // A target reached or missed through assumed bands and growth is a modelling outcome.
        #expect(decided["enshi.yaml:collective.target1"] == false)
    }
}
