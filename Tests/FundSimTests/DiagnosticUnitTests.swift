import Foundation
import Testing
import TestSupport
import FundSimKit
import FundSimModel
import FundSimReport

/// Issue 14: the engine's own diagnostics show money in the scenario's display unit, never in yuan.
@Suite("Diagnostic units (issue 14)")
struct DiagnosticUnitTests {
    /// A negative cost (10 × (3萬 − 4萬) = −10萬 a year) and a money row over 10^15 yuan
    /// (500,000 × 5000億 = 2.5 × 10^17 yuan a year), in `unit`.
    static func run(unit: String) -> Pipeline.Result {
        let text = """
        title: t
        years: 2016-2018
        unit: \(unit)
        sources: {市財政: {}}
        inputs:
          p: {value: 3萬, assumption: t}
          b: {value: 4萬, assumption: t}
        commitments:
          - {id: x, title: X, kind: cadre_pay, headcount: 10, pay: p, base_pay: b, funding: 市財政, assumption: t}
          - {id: y, title: Y, kind: operating_fund, count: 500000, rate: {value: 5000億, assumption: t}, funding: 市財政, assumption: t}

        """
        return Pipeline(seedsDirectory: Project.seeds).project(text: text, path: "h.yaml")
    }

    static func line(_ r: Pipeline.Result, _ needle: String) -> String {
        r.rendered.split(separator: "\n").first { $0.contains(needle) }.map(String.init) ?? ""
    }

    @Test("in a 萬元 scenario the negative-cost and over-10^15 hazards show their figures in 萬元, not the yuan amounts")
    func wan() {
        let r = Self.run(unit: "萬元")
        #expect(!r.ok)
        let negative = Self.line(r, "the cost of `x` is negative")
        #expect(negative.contains("(-10 萬元) in 2016"), "\(r.rendered)")
        let huge = Self.line(r, "reaches")
        #expect(huge.contains("reaches 25,000,000,000,000 萬元 in 2016"), "\(r.rendered)")
        // No figure equal to the yuan amounts, written either way.
        for yuan in ["-100000", "-100,000", "250000000000000000", "250,000,000,000,000,000", "2.5e+17"] {
            #expect(!r.rendered.contains(yuan), "\(yuan) in:\n\(r.rendered)")
        }
        #expect(!negative.contains("yuan"), "\(negative)")
    }

    @Test("the same hazards in a 元 scenario show the yuan figures: the figure follows the display unit")
    func yuan() {
        let r = Self.run(unit: "元")
        #expect(Self.line(r, "the cost of `x` is negative").contains("(-100,000 元) in 2016"), "\(r.rendered)")
        #expect(Self.line(r, "reaches").contains("reaches 250,000,000,000,000,000 元 in 2016"), "\(r.rendered)")
    }

    @Test("FigureText is the one renderer: ValueStyle shows money exactly as a diagnostic does, with the unit's name")
    func oneRenderer() {
        for unit in DisplayUnit.allCases {
            for v in [-100_000.0, 0.5, 17_400_000, 1.25e17] {
                let style = ValueStyle(unit: unit, labels: Labels(.zhHant, unit: unit))
                #expect(style.show(v, .money) == unit.show(v), "\(unit) \(v)")
            }
        }
    }
}
