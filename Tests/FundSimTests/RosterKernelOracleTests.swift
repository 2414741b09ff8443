import Foundation
import Testing
import FundSimKit
import FundSimModel
@testable import FundSimEngine

/// The per-village model (villages kept in order from year to year, the supported ones merged back into place,
/// band counts by bisection) against the step it replaced, kept here as the oracle: a full sort of the eligible
/// villages and a count of every village's band, every year.
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

    /// Incomes that rounding makes equal: runs of neighbouring doubles just under a power of two (growth carries
    /// them over it, where they round together), tiny ones (a factor under 1 takes them to 0, beside the hollow
    /// villages), huge ones (growth takes them to infinity), small fractions beside a large gain, repeated
    /// whole numbers, zeros of both signs and negative incomes.
    static func incomes(_ n: Int, _ rng: inout SplitMix64) -> [Double] {
        var out: [Double] = []
        while out.count < n {
            switch Int(rng.next() % 8) {
            case 0: out.append([0.0, -0.0][Int(rng.next() % 2)])
            case 1: out.append(-Double(rng.next() % 5_000))
            case 2:
                var x = Double(sign: .plus, exponent: Int(rng.next() % 30), significand: 1).nextDown
                for _ in 0..<Int(rng.next() % 6) { out.append(x); x = x.nextDown }
            case 3: out.append(Double.leastNonzeroMagnitude * Double(rng.next() % 4 + 1))
            case 4: out.append(Double.greatestFiniteMagnitude * (0.9 + 0.1 * rng.unit()))
            case 5: out.append(Double(rng.next() % 1_000) * 1e-3 + 1e-9 * Double(rng.next() % 3))
            default: out.append(Double(rng.next() % 12) * 10_000)
            }
        }
        return Array(out.prefix(n)).shuffled(using: &rng)
    }

    @Test("every year's outputs and incomes equal the full sort's where rounding makes incomes equal, growth is negative or absent, the return is negative, or the budget supports none or all")
    func matchesFullSortOnEdges() {
        var rng = SplitMix64(seed: 18, stream: 1)
        var collapses = 0, supportedWith = (gain: 0, loss: 0)
        for round in 0..<300 {
            let n = Int(rng.next() % 300) + 1
            let base = Self.incomes(n, &rng)
            // Rising, as the decoder requires (repeats allowed).
            let thresholds = (0..<Int(rng.next() % 5)).map { _ in Double(rng.next() % 12) * 10_000 + [0, 0.5e-3][Int(rng.next() % 2)] }.sorted()
            let k = RosterKernel(incomes: base, rosterRows: Array(0..<n), counties: Array(repeating: 0, count: n), countyNames: ["縣"],
                                 thresholds: thresholds, hasHollow: rng.next() % 2 == 0, supportBelow: [50_000, 1, 2e300, 0][Int(rng.next() % 4)],
                                 lowestFirst: rng.next() % 2 == 0)
            var old = base, first = [Int32](repeating: -1, count: n)
            var villages = RosterKernel.Villages(), scratch = RosterKernel.Villages()
            k.start(&villages)
            var supported: [Int32]? = [Int32](repeating: -1, count: n)
            for year in 0..<4 {
                let g: Double = [0, 0.05, -0.3, 1e-17, 1e-7, -0.999, 3.5][Int(rng.next() % 7)]
                let pv: Double = [0, 1, 200_000][Int(rng.next() % 3)]
                let r: Double = [0.15, -0.15, 0, 1e-20][Int(rng.next() % 4)]
                let b = pv * Double(rng.next() % UInt64(n + 3))
                let distinct = Set(old.filter { $0 > 0 }).count
                collapses += Set(old.filter { $0 > 0 }.map { $0 * (g != 0 ? 1 + g : 1) }).count < distinct ? 1 : 0
                let want = Self.oldStep(k, incomes: &old, supportedYear: &first, year: year, growth: g, perVillage: pv, returnRate: r, budget: b)
                let got = k.step(&villages, supportedYear: &supported, year: year, growth: g, perVillage: pv, returnRate: r, budget: b, scratch: &scratch)
                let label = "round \(round) year \(year): thresholds \(thresholds), hollow \(k.hasHollow), lowest first \(k.lowestFirst), growth \(g), gain \(pv * r)"
                #expect(got == want, "\(label)")
                #expect(k.incomesInRosterOrder(villages).map(\.bitPattern) == old.map(\.bitPattern), "\(label)")
                #expect(supported == first, "\(label)")
                if pv * r > 0 && want.last! > 0 { supportedWith.gain += 1 } else if pv * r < 0 && want.last! > 0 { supportedWith.loss += 1 }
            }
        }
        // The cases the test is about did occur.
        #expect(collapses > 10)
        #expect(supportedWith.gain > 10 && supportedWith.loss > 10)
    }

    @Test("a national-size sort on two threads is the stable order by income, and incomes go back to roster order")
    func largeSortOnTwoThreads() {
        var rng = SplitMix64(seed: 5)
        let n = 200_000  // over the size that is sorted on two threads
        let incomes = Self.incomes(n, &rng)
        for lowestFirst in [true, false] {
            let k = RosterKernel(incomes: incomes, rosterRows: Array(0..<n), counties: Array(repeating: 0, count: n), countyNames: ["縣"],
                                 thresholds: [50_000], hasHollow: true, supportBelow: 50_000, lowestFirst: lowestFirst)
            let o = k.ordered
            let want = (0..<n).sorted { a, b in
                let (x, y) = (incomes[a], incomes[b])
                return x == y ? a < b : (lowestFirst ? x < y : x > y)
            }
            #expect(o.village == want.map { Int32($0) }, "lowest first: \(lowestFirst)")
            #expect(o.income.map(\.bitPattern) == want.map { incomes[$0].bitPattern }, "lowest first: \(lowestFirst)")
            #expect(k.incomesInRosterOrder(o).map(\.bitPattern) == incomes.map(\.bitPattern), "lowest first: \(lowestFirst)")
        }
        // Keys that share some 11-bit digits (whole numbers) and keys that share every digit.
        var whole: [UInt64] = []
        for _ in 0..<n { whole.append((rng.next() % 200_000) << 40 | 1 << 63) }
        let byKey: [Int32] = (0..<n).sorted { (a: Int, b: Int) -> Bool in whole[a] == whole[b] ? a < b : whole[a] < whole[b] }.map { Int32($0) }
        #expect(RosterKernel.radixOrder(whole) == byKey)
        let same: [Int32] = (0..<n).map { Int32($0) }
        #expect(RosterKernel.radixOrder([UInt64](repeating: 7, count: n)) == same)
    }

    @Test("the radix sort over the bits where keys differ is the stable order, whatever bits differ, on one thread or two")
    func radixOverVaryingBits() {
        var rng = SplitMix64(seed: 11)
        for size in [2, 3, 1_000, 70_000] {
            for trial in 0..<12 {
                // Keys that differ in a window of `width` bits at `low`, over a fixed pattern, with some repeated.
                let width = [1, 2, 7, 8, 9, 15, 16, 17, 28, 40, 63, 64][trial]
                let low = width == 64 ? 0 : Int(rng.next() % UInt64(64 - width + 1))
                let window: UInt64 = width == 64 ? ~0 : ((1 << UInt64(width)) - 1) << UInt64(low)
                let pattern = rng.next() & ~window
                var keys: [UInt64] = []
                for _ in 0..<size { keys.append(pattern | (rng.next() & window)) }
                for j in stride(from: 1, to: size, by: 7) { keys[j] = keys[j / 2] }
                let want: [Int32] = (0..<size).sorted { (a: Int, b: Int) -> Bool in keys[a] == keys[b] ? a < b : keys[a] < keys[b] }.map { Int32($0) }
                #expect(RosterKernel.radixOrder(keys) == want, "size \(size), \(width) bits from bit \(low)")
            }
        }
    }

}
