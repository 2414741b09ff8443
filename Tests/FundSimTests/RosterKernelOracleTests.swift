import Foundation
import Testing
import FundSimKit
import FundSimModel
import FundSimEngine

/// The per-village model (one pass, selection instead of a sort, band counts moved for the supported
/// villages) against the step it replaced, kept here as the oracle: a full sort of the eligible villages and
/// a count of every village's band, every year.
@Suite("Per-village model against a full sort")
struct RosterKernelOracleTests {
    /// The replaced step, unchanged but for its parameters.
    static func oldStep(_ k: RosterKernel, incomes inc: inout [Double], supportedYear: inout [Int32], year: Int, growth g: Double,
                        perVillage pv: Double, returnRate r: Double, budget b: Double) -> [Double] {
        let n = inc.count
        let thresholds = k.thresholds, hasHollow = k.hasHollow, supportBelow = k.supportBelow, lowestFirst = k.lowestFirst
        if g != 0 { for v in 0..<n where inc[v] > 0 { inc[v] *= (1 + g) } }
        let capacity = pv > 0 ? Int(((b / pv) + 1e-9).rounded(.down)) : 0
        let gain = pv * r
        var supported = 0
        if capacity > 0 {
            var eligible = (0..<n).filter { inc[$0] < supportBelow }
            if capacity < eligible.count {
                eligible.sort { lowestFirst ? (inc[$0], $0) < (inc[$1], $1) : (inc[$0], $1) > (inc[$1], $0) }
                eligible.removeLast(eligible.count - capacity)
            }
            for v in eligible {
                inc[v] += gain
                if supportedYear[v] < 0 { supportedYear[v] = Int32(year) }
            }
            supported = eligible.count
        }
        var out = [Double](repeating: 0, count: k.outputCount)
        var above = [Double](repeating: 0, count: thresholds.count)
        var hollow = 0.0
        for v in 0..<n {
            let x = inc[v]
            var band: Int
            if hasHollow && x <= 0 { band = 0; hollow += 1 } else {
                band = thresholds.count
                for (k, t) in thresholds.enumerated() where x < t { band = k; break }
                if hasHollow { band += 1 }
            }
            out[band] += 1
            for (k, t) in thresholds.enumerated() where x >= t { above[k] += 1 }
        }
        var o = k.bandCount
        if hasHollow { out[o] = hollow; o += 1 }
        for j in thresholds.indices { out[o + j] = n > 0 ? above[j] / Double(n) : 0 }
        o += thresholds.count
        out[o] = Double(supported)
        out[o + 1] = Double(supported) * pv
        return out
    }

    /// A scenario over a synthetic roster with `bands` (YAML lines), `order` and a budget for `budget` villages.
    static func project(bands: String, order: String, below: String?, dir: String) throws -> Projection {
        var text = ""
        RosterSynth.generate(villages: 20_000, communities: 50, seed: 23) { text += $0 }
        try text.write(toFile: dir + "/r.csv", atomically: true, encoding: .utf8)
        try """
        title: 逐村
        years: 2016-2021
        roster: r.csv
        sources: {中央: {}}
        commitments:
          - id: ce
            title: 集體經濟
            kind: collective_economy
            assumption: t
            roster_income: income
            bands:
        \(bands)
            growth: 4%
            support: {per_village: 20萬, return: 12%, budget: 3億, order: \(order)\(below.map { ", below: \($0)" } ?? "")}
            funding: 中央
        """.write(toFile: dir + "/r.yaml", atomically: true, encoding: .utf8)
        let r = Pipeline().project(dir + "/r.yaml")
        return try #require(r.projection, "\(r.rendered)")
    }

    static let cases: [(name: String, bands: String, order: String, below: String?)] = [
        ("two thresholds, hollow, lowest first", "      - {name: 空殼, hollow: true}\n      - {name: 低, below: 5萬}\n      - {name: 中, below: 10萬}\n      - {name: 高}", "lowest_first", nil),
        ("two thresholds, nearest first", "      - {name: 空殼, hollow: true}\n      - {name: 低, below: 5萬}\n      - {name: 中, below: 10萬}\n      - {name: 高}", "nearest_first", "8萬"),
        ("six thresholds, no hollow band", (1...6).map { "      - {name: b\($0), below: \($0 * 3)萬}" }.joined(separator: "\n") + "\n      - {name: top}", "nearest_first", "12萬"),
        ("one threshold", "      - {name: 低, below: 5萬}\n      - {name: 高}", "lowest_first", nil),
    ]

    @Test("every year's outputs, incomes and first support equal the full sort's", arguments: 0..<4)
    func matchesFullSort(_ c: Int) throws {
        let spec = Self.cases[c]
        let p = try Self.project(bands: spec.bands, order: spec.order, below: spec.below, dir: Project.tempDir("kernel-oracle"))
        let d = try #require(p.rosterDetails["ce"])
        let k = d.kernel
        var inc = k.incomes
        var first = [Int32](repeating: -1, count: inc.count)
        let outputs = p.model.rows.indices.filter { if case .formula(.kernel) = p.model.rows[$0].definition { return true }; return false }
        #expect(outputs.count == k.outputCount, "\(spec.name)")
        for y in p.years.indices {
            let want = Self.oldStep(k, incomes: &inc, supportedYear: &first, year: y, growth: p.series("ce.growth")![y],
                                    perVillage: p.series("ce.per_village")![y], returnRate: p.series("ce.return")![y], budget: p.series("ce.budget")![y])
            for (o, row) in outputs.enumerated() {
                guard case .formula(.kernel(_, let output)) = p.model.rows[row].definition else { continue }
                #expect(p.values[row][y] == want[output], "\(spec.name): \(p.model.rows[row].id) in year \(y) (output \(o))")
            }
            #expect(d.incomes[y].map(\.bitPattern) == inc.map(\.bitPattern), "\(spec.name): incomes in year \(y)")
        }
        #expect(d.supportedYear == first, "\(spec.name)")
        #expect(p.series("ce.supported")!.contains { $0 > 0 }, "\(spec.name): the budget supports someone")
    }
}
