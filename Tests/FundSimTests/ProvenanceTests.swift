import Foundation
import Testing
import TestSupport
import FundSimKit
import FundSimModel
import FundSimScenario

/// The showcase scenarios: every figure traced to the seed or to a stated assumption.
@Suite("Seed scenarios")
struct ProvenanceTests {
    static let seedText: String = {
        let dir = Project.seeds
        let file = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).first { $0.hasSuffix(".txt") } ?? ""
        return (try? String(contentsOfFile: dir + "/" + file, encoding: .utf8)) ?? ""
    }()

    @Test("there is one scenario per section of the seed (sixteen)")
    func sixteen() {
        #expect(Project.scenarios.count == 16, "\(Project.scenarios)")
    }

    @Test("each scenario validates with no error and no warning: every figure has provenance", arguments: Project.scenarios)
    func noWarnings(_ path: String) {
        let r = Pipeline(seedsDirectory: Project.seeds).project(path)
        #expect(r.ok, "\(r.rendered)")
        #expect(r.diagnostics.isEmpty, "\(r.rendered)")
    }

    /// Ways a figure can be written in the seed's text.
    static func spellings(_ v: Double) -> [String] {
        var out = [Expr.format(v)]
        if v >= 1000, v.truncatingRemainder(dividingBy: 1) == 0 {
            // 「2200多萬元」, 「6000余萬元」, 「近3.4億元」: the seed's approximate forms count too.
            for (d, unit) in [(10_000.0, "萬"), (100_000_000.0, "億")] {
                let n = Expr.format(v / d)
                out += [n + unit, n + "多" + unit, n + "余" + unit]
            }
        }
        out.append(Expr.format((v * 1000).rounded() / 10) + "%")
        return out
    }

    @Test("every citation occurs in the seed at the line recorded, and a figure cited alone appears in its quote", arguments: Project.scenarios)
    func citations(_ path: String) throws {
        var loader = ScenarioLoader(seedsDirectory: Project.seeds)
        let outcome = loader.load(path: path)
        let scenario = try #require(outcome.scenario)
        let lines = Self.seedText.components(separatedBy: "\n")
        var cited = 0
        for input in scenario.inputs {
            let cites = input.provenance.compactMap { p -> Citation? in if case .cite(let c) = p { return c } else { return nil } }
            let assumed = input.provenance.contains { if case .assumption = $0 { return true } else { return false } }
            for c in cites {
                cited += 1
                #expect(c.line >= 1 && c.line <= lines.count && lines[c.line - 1].contains(c.quote), "\(input.name): 「\(c.quote)」 is not on line \(c.line)")
            }
            // A constant backed only by quotes must be one of the figures those quotes state.
            if case .constant(let v) = input.definition, !cites.isEmpty, !assumed {
                let found = Self.spellings(v).contains { s in cites.contains { $0.quote.contains(s) } }
                #expect(found, "\(path): \(input.name) = \(Expr.format(v)) is cited, but no quote states it: \(cites.map(\.quote))")
            }
        }
        #expect(cited > 0, "\(path) cites nothing from the seed")
    }

    @Test("scenarios/README.md is what `fundsim catalog scenarios/` prints")
    func catalogIsGenerated() throws {
        let r = try fundsim(["catalog", "scenarios/"])
        #expect(r.status == 0, "\(r.stderr)")
        let committed = try String(contentsOfFile: Project.root + "/scenarios/README.md", encoding: .utf8)
        #expect(r.stdout == committed, "run `make catalog` and commit scenarios/README.md")
    }
}
