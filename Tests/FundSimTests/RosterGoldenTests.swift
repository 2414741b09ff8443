import Foundation
import Testing
import FundSimKit
import FundSimModel
import FundSimEngine

/// Roster results pinned to goldens recorded with the row-by-row reader and tree-walking filters that the
/// columnar loader and compiled filters replaced (issue 18): the same rows, the same numbers to the last bit,
/// the same diagnostics for bad rows.
@Suite("Roster goldens")
struct RosterGoldenTests {
    /// Every value of a parsed roster, or its diagnostics; numbers to 17 significant digits.
    static func dump(_ data: Data, file: String) -> String {
        switch Roster.parse(data, file: file) {
        case .failure(let list):
            return DiagnosticRenderer().render(list.diagnostics)
        case .success(let r):
            var out = "\(r.count) rows; attributes: \(r.attributeNames.joined(separator: ","))\n"
            for i in 0..<r.count {
                let values = r.attributeNames.map { String(format: "%.17g", r.attributes[$0]![i]) }
                out += "\(r.ids[i])|\(r.names[i])|\(r.counties[i])|\(r.isCommunity[i] ? "community" : "village")|"
                    + values.joined(separator: ",") + "\n"
            }
            return out
        }
    }

    @Test("every roster fixture parses to the same rows, or the same diagnostics, as before", arguments: fixtureNames)
    func fixtures(_ name: String) throws {
        let data = try #require(FileManager.default.contents(atPath: Project.fixtures + "/rosters/" + name))
        expectGolden(Self.dump(data, file: name), "rosters/" + name.replacingOccurrences(of: ".csv", with: ".txt"))
    }

    static var fixtureNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: Project.fixtures + "/rosters")) ?? []).filter { $0.hasSuffix(".csv") }.sorted()
    }

    /// 30,000 villages and 300 communities from the generator.
    static let synthetic: String = {
        var text = ""
        RosterSynth.generate(villages: 30_000, communities: 300, seed: 11) { text += $0 }
        return text
    }()

    /// A digest of a column of numbers: count, exact sum, and a hash of the bit patterns in order.
    static func digest(_ xs: [Double]) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for x in xs { h = (h ^ x.bitPattern) &* 0x100000001b3 }
        return "n=\(xs.count) sum=\(String(format: "%.17g", xs.reduce(0, +))) fnv=\(String(h, radix: 16))"
    }

    static func digest(_ xs: [String]) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for s in xs { for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }; h = (h ^ 0xFF) &* 0x100000001b3 }
        return "n=\(xs.count) fnv=\(String(h, radix: 16))"
    }

    static func digest(_ xs: RosterText) -> String { digest(Array(xs)) }

    @Test("the synthetic roster loads to the same columns as before")
    func syntheticColumns() throws {
        let r = try Roster.parse(Data(Self.synthetic.utf8), file: "synth.csv").get()
        var out = "ids \(Self.digest(r.ids))\nnames \(Self.digest(r.names))\ncounties \(Self.digest(r.counties))\n"
        out += "communities \(r.isCommunity.filter { $0 }.count)\n"
        for a in r.attributeNames { out += "\(a) \(Self.digest(r.attributes[a]!))\n" }
        expectGolden(out, "rosters/synthetic-columns.txt")
    }

    /// A scenario over the synthetic roster: filters and sums that use every operator a roster rule may,
    /// and the per-village collective economy with its parameters drawn for `simulate`.
    static func scenario(_ dir: String) throws -> String {
        try Self.synthetic.write(toFile: dir + "/synth.csv", atomically: true, encoding: .utf8)
        let path = dir + "/synth.yaml"
        try """
        title: 合成台賬
        years: 2016-2020
        roster: synth.csv
        sources: {中央: {}, 縣財政: {}}
        inputs:
          村數: {roster: count, where: village, assumption: t}
          社區數: {roster: count, where: community, assumption: t}
          小中心數: {roster: count, where: "village and centre_area < 120", assumption: t}
          中心範圍: {roster: count, where: "centre_area >= 200 and centre_area <= 400 or not(cadres > 4)", assumption: t}
          不等: {roster: count, where: "cadres != 5 and members == max(members, 30)", assumption: t}
          黨員總數: {roster: sum, of: members, assumption: t}
          人均收入: {roster: sum, of: "income / (members + 1)", where: "village and income > 0", assumption: t}
          加權: {roster: sum, of: "round(min(income, 20萬) * 1.05 - 3 ^ 2, 1) + floor(centre_area / 7) + ceil(cadres / 2) + abs(-members)", assumption: t}
          條件: {roster: sum, of: "if(income < 5萬, 5萬 - income, 0)", where: "or(village, community) and and(cadres > 2, members > 3)", assumption: t}
          差額: {roster: sum, of: "sum(cadres, members, -centre_area) - (income - income)", assumption: t}
          自然增長率: {value: 5%, distribution: {triangular: [2%, 5%, 8%]}, assumption: t}
          每村扶持資金: {value: 20萬, distribution: {uniform: [15萬, 25萬]}, assumption: t}
          扶持收益率: {value: 15%, distribution: {normal: {mean: 15%, sd: 3%, low: 5%}}, assumption: t}
        commitments:
          - {id: funds, title: 運轉經費, kind: operating_fund, count: 村數 + 社區數, rate: {value: 2萬, assumption: t}, funding: {中央: 50%, 縣財政: rest, assumption: t}}
          - {id: training, title: 培訓, kind: operating_fund, count: 黨員總數, rate: {value: 200元, assumption: t}, funding: 縣財政}
          - {id: misc, title: 其他, kind: lump_sum, amount: "人均收入 + 加權 / 100 + 條件 / 1000 + 中心範圍 + 不等 + 小中心數 + 差額 / 1000", funding: 縣財政, assumption: t}
          - id: ce
            title: 集體經濟
            kind: collective_economy
            assumption: t
            roster_income: income
            bands:
              - {name: 空殼村, hollow: true}
              - {name: 5萬以下, below: 5萬}
              - {name: 5至10萬, below: 10萬}
              - {name: 10萬以上}
            growth: 自然增長率
            support: {per_village: 每村扶持資金, return: 扶持收益率, budget: 6億}
            targets:
              - {above: 5萬, share: 90%, by: 2018}
            funding: 中央
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("projection over the synthetic roster: every figure and every village's income as before")
    func syntheticProjection() throws {
        let dir = Project.tempDir("roster-golden")
        let r = Pipeline().project(try Self.scenario(dir))
        let p = try #require(r.projection, "\(r.rendered)")
        var out = ""
        for (i, row) in p.model.rows.enumerated() {
            out += row.id + " " + p.values[i].map { String(format: "%.17g", $0) }.joined(separator: " ") + "\n"
        }
        let d = try #require(p.rosterDetails["ce"])
        for (y, incomes) in d.incomes.enumerated() { out += "incomes[\(y)] \(Self.digest(incomes))\n" }
        out += "supportedYear \(Self.digest(d.supportedYear.map(Double.init)))\n"
        expectGolden(out, "rosters/synthetic-projection.txt")
    }

    @Test("Monte Carlo over the synthetic roster: same seed, same numbers, on one thread or two, as before")
    func syntheticSimulation() throws {
        let dir = Project.tempDir("roster-golden-mc")
        let p = try #require(Pipeline().project(try Self.scenario(dir)).projection)
        func text(_ threads: Int) -> String {
            let s = Analysis.simulate(p.model, draws: 24, seed: 7, threads: threads)
            var out = "inputs \(s.inputs.joined(separator: ",")) failed \(s.failedDraws)\n"
            func f(_ q: (p10: Double, p50: Double, p90: Double)) -> String { String(format: "%.17g %.17g %.17g", q.p10, q.p50, q.p90) }
            for (y, q) in s.total.enumerated() { out += "total[\(y)] \(f(q))\n" }
            for g in s.gaps { for (y, q) in g.years.enumerated() { out += "gap \(g.source)[\(y)] \(f(q))\n" } }
            for c in s.checks { out += "check \(c.id) \(String(format: "%.17g", c.probability))\n" }
            return out
        }
        let one = text(1)
        #expect(one == text(2))
        expectGolden(one, "rosters/synthetic-simulation.txt")
    }
}
