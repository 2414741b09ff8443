import Foundation
import Testing
import TestSupport
import FundSimModel
import FundSimEngine

/// Builds scenarios in code and projects them.
enum Build {
    static func input(_ name: String, _ v: Double, _ m: Measure = .number) -> Input {
        Input(name: name, dimension: m, definition: .constant(v), provenance: [.assumption("test", location: nil)])
    }
    static func input(_ name: String, _ d: SeriesDefinition, _ m: Measure = .number) -> Input {
        Input(name: name, dimension: m, definition: d, provenance: [.assumption("test", location: nil)])
    }
    static func n(_ s: String) -> Expr { Expr(.name(s.split(separator: ".").map(String.init))) }
    static func project(_ s: Scenario) throws -> Projection {
        let model = try Compiler.compile(s).get()
        return try Projection.evaluate(model).get()
    }
    static func scenario(_ inputs: [Input], _ commitments: [Commitment], sources: [FundingSource] = [FundingSource(name: "市財政"), FundingSource(name: "縣級財政")],
                         checks: [Check] = []) -> Scenario {
        Scenario(file: "test.yaml", title: "test", years: 2016...2020, inputs: inputs, sources: sources, commitments: commitments, checks: checks)
    }
}

extension DiagnosticList: CustomStringConvertible {
    public var description: String { diagnostics.map { "\($0.message)" }.joined(separator: "; ") }
}

@Suite("Engine: each kind against figures worked by hand")
struct EngineKindTests {
    @Test("cadre pay: 2200 deputies × (1.8萬 pay + 1000 pension subsidy)")
    func cadrePay() throws {
        // Seed §14: 「副職干部提高到1.8萬元」; §15: 「按每人每年1000元標準為2200名村副職干部提供養老保險補貼」.
        // 2200 × (18000 + 1000) = 41,800,000 yuan a year.
        let s = Build.scenario([Build.input("副職人數", 2200, .count), Build.input("副職報酬", 18000, .money), Build.input("養老補貼", 1000, .money)],
                               [Commitment(id: "deputy", title: "副職", kind: .cadrePay(CadrePay(headcount: Build.n("副職人數"), pay: Build.n("副職報酬"), oncost: Build.n("養老補貼"))),
                                           funding: .all("市財政"))])
        let p = try Build.project(s)
        #expect(p.series("deputy.cost") == Array(repeating: 41_800_000, count: 5))
    }

    @Test("cadre pay: a path to 4.2萬 by 2017 from 3.0萬 in 2015, with a floor of 1.5 × income")
    func payPathAndFloor() throws {
        // Seed §1: 「確保村主職、副職工作報酬分別達到4.2萬元/年」. Linear from 30000 (2015): 36000 in 2016, 42000 from 2017.
        // Floor (seed §2: 「按照當地農民人均純收入1.5至2.5倍標準」): 1.5 × 30000 = 45000 from 2019 when income steps up.
        let s = Build.scenario([Build.input("報酬", .path(from: 30000, to: 42000, start: 2015, by: 2017, compound: false), .money),
                                Build.input("收入", .step(before: 20000, after: 30000, year: 2019), .money),
                                Build.input("人數", 100, .count)],
                               [Commitment(id: "pay", title: "主職", kind: .cadrePay(CadrePay(headcount: Build.n("人數"), pay: Build.n("報酬"),
                                                                                          floor: Expr(.binary(.multiply, .literal(1.5), Build.n("收入"))))),
                                           funding: .all("市財政"))])
        let p = try Build.project(s)
        #expect(p.series("pay.pay") == [36000, 42000, 42000, 45000, 45000])
        #expect(p.series("pay.cost") == [3_600_000, 4_200_000, 4_200_000, 4_500_000, 4_500_000])
    }

    @Test("construction: 200 centres by 2018 at 20萬, 10萬 award from the city, upkeep 1萬 a year after completion")
    func constructionTarget() throws {
        // Seed §3: 「市縣兩級預算4000萬元新建、改擴建200個黨員群眾服務中心」 ⇒ 4000萬 / 200 = 20萬 a centre.
        // Seed §8: 「對新建黨員群眾服務中心按照10萬元標準“以獎代補”」.
        // Schedule: round(200/3) = 67, round(133/2) = 67 (66.5 rounds away from zero), 66; then 0, 0.
        let s = Build.scenario([Build.input("目標", 200, .count), Build.input("造價", 200_000, .money), Build.input("獎補", 100_000, .money),
                                Build.input("運維", 10_000, .money)],
                               [Commitment(id: "centres", title: "中心", kind: .construction(ConstructionProgramme(
                                    schedule: .target(stock: Build.n("目標"), by: 2018), unitCost: Build.n("造價"), award: Build.n("獎補"),
                                    awardSource: "市財政", upkeepPerUnit: Build.n("運維"))), funding: .all("縣級財政"))])
        let p = try Build.project(s)
        #expect(p.series("centres.units") == [67, 67, 66, 0, 0])
        #expect(p.series("centres.built") == [67, 134, 200, 200, 200])
        #expect(p.series("centres.capital") == [13_400_000, 13_400_000, 13_200_000, 0, 0])
        #expect(p.series("centres.upkeep") == [0, 670_000, 1_340_000, 2_000_000, 2_000_000])
        // The award goes to the city, the rest (capital − award + upkeep) to the county.
        #expect(p.series("centres.to.市財政") == [6_700_000, 6_700_000, 6_600_000, 0, 0])
        #expect(p.series("centres.to.縣級財政") == [6_700_000, 7_370_000, 7_940_000, 2_000_000, 2_000_000])
    }

    @Test("construction: 91 small centres upgraded 30 a year until none is left")
    func belowStandard() throws {
        // Seed §5: 「全市還有91個村黨群服務中心面積狹小」.
        let s = Build.scenario([Build.input("每年改造", 30, .count), Build.input("造價", 150_000, .money), Build.input("未達標", 91, .count)],
                               [Commitment(id: "upgrade", title: "改造", kind: .construction(ConstructionProgramme(
                                    schedule: .units(Build.n("每年改造")), unitCost: Build.n("造價"), belowStandard: Build.n("未達標"))),
                                           funding: .all("市財政"))])
        let p = try Build.project(s)
        #expect(p.series("upgrade.below_standard") == [61, 31, 1, 0, 0])
    }

    @Test("operating fund: 356 villages and communities × 10萬 = 3560萬")
    func operatingFund() throws {
        // Seed §7: 「3560萬元保障每個村(社區)年辦事經費10萬元」 ⇒ 3560萬 / 10萬 = 356 units.
        let s = Build.scenario([Build.input("村社區數", 356, .count), Build.input("辦事經費", 100_000, .money)],
                               [Commitment(id: "office", title: "辦事經費", kind: .operatingFund(OperatingFund(count: Build.n("村社區數"), rate: Build.n("辦事經費"))),
                                           funding: .all("市財政"))])
        #expect(try Build.project(s).series("office.cost") == Array(repeating: 35_600_000, count: 5))
    }

    @Test("lump sum: a 1億 fund in 2016 only")
    func lumpSum() throws {
        // Seed §5: 「統籌1億元資金支持發展村集體經濟」.
        let s = Build.scenario([Build.input("基金", .table([2016: 100_000_000, 2017: 0]), .money)],
                               [Commitment(id: "fund", title: "基金", kind: .lumpSum(LumpSum(amount: Build.n("基金"))), funding: .all("市財政"))])
        #expect(try Build.project(s).series("fund.cost") == [100_000_000, 0, 0, 0, 0])
    }

    @Test("collective economy: organic growth and supported villages move between bands")
    func collectiveEconomy() throws {
        // 1000 villages: 100 hollow, 200 in (0, 5萬), 400 in [5萬, 10萬), 300 at 10萬 or more; growth 25%.
        // Evenly spread incomes: (0,5萬) loses 5萬×0.25/(1.25×5萬) = 20% = 40; [5萬,10萬) loses 10萬×0.25/(1.25×5萬) = 40% = 160.
        // Support: 10萬 a village at 30% return = 3萬 more income; 500萬 supports 50, lowest first: 50 hollow → (0, 5萬).
        // End of 2016: hollow 50; (0,5萬) 200−40+50 = 210; [5萬,10萬) 400+40−160 = 280; ≥10萬 300+160 = 460.
        let ce = CollectiveEconomyProgramme(
            villages: .literal(1000),
            bands: [.init(name: "空殼", below: nil, hollow: true, initial: .count(.literal(100))),
                    .init(name: "<5萬", below: 50_000, initial: .count(.literal(200))),
                    .init(name: "5-10萬", below: 100_000, initial: .count(.literal(400))),
                    .init(name: "≥10萬", below: nil, initial: .rest)],
            growth: .literal(0.25), perVillage: .literal(100_000), returnRate: .literal(0.3), budget: .literal(5_000_000),
            targets: [.init(above: 50_000, share: 0.9, by: 2018)])
        let s = Build.scenario([], [Commitment(id: "ce", title: "集體經濟", kind: .collectiveEconomy(ce), funding: .all("市財政"))])
        let p = try Build.project(s)
        #expect(p.series("ce.band1")?[0] == 50)
        #expect(abs(p.series("ce.band2")![0] - 210) < 1e-9)
        #expect(abs(p.series("ce.band3")![0] - 280) < 1e-9)
        #expect(abs(p.series("ce.band4")![0] - 460) < 1e-9)
        #expect(abs(p.series("ce.share_above_1")![0] - 0.74) < 1e-12)
        #expect(p.series("ce.cost")?[0] == 5_000_000)
        // 2017: the last 50 hollow villages are supported: (0,5萬) 210 − 42 + 50 = 218; [5萬,10萬) 280 − 112 + 42 = 210.
        // 2018: support comes from (0,5萬), spread evenly over [0, 5萬): +3萬 fills [3萬, 8萬), so 40% stay and
        // 60% (30 villages) move up: (0,5萬) 218 − 43.6 − 30 = 144.4; [5萬,10萬) 210 − 84 + 43.6 + 30 = 199.6; ≥10萬 656.
        #expect(abs(p.series("ce.band2")![2] - 144.4) < 1e-9)
        #expect(abs(p.series("ce.band3")![2] - 199.6) < 1e-9)
        #expect(abs(p.series("ce.band4")![2] - 656) < 1e-9)
        // Villages are neither created nor lost.
        for y in 0..<5 {
            let total = (1...4).map { p.series("ce.band\($0)")![y] }.reduce(0, +)
            #expect(abs(total - 1000) < 1e-9)
        }
        // The target check exists and applies from 2018.
        let check = p.checkResults().first { $0.info.id == "ce.target1" }
        #expect(check?.byYear[0] == nil && check?.byYear[2] != nil)
    }

    @Test("envelopes: the gap and which commitment causes it")
    func envelopeAttribution() throws {
        // Seed §5: 「安排市財政每年新增預算2200萬元,配套解決村干部報酬」 as the city's envelope.
        let s = Build.scenario([Build.input("額度", 22_000_000, .money), Build.input("a", 15_000_000, .money), Build.input("b", 10_000_000, .money)],
                               [Commitment(id: "a", title: "A", kind: .lumpSum(LumpSum(amount: Build.n("a"))), funding: .all("市財政")),
                                Commitment(id: "b", title: "B", kind: .lumpSum(LumpSum(amount: Build.n("b"))), funding: .all("市財政"))],
                               sources: [FundingSource(name: "市財政", envelope: "額度")])
        let p = try Build.project(s)
        let src = p.sourceFigures()[0]
        #expect(src.gap == Array(repeating: 3_000_000, count: 5))
        #expect(src.cumulativeGap == [3_000_000, 6_000_000, 9_000_000, 12_000_000, 15_000_000])
        #expect(src.attribution.map(\.commitment) == ["a", "b"])
        #expect(src.attribution[0].amounts[0] == 0 && src.attribution[1].amounts[0] == 3_000_000)
        let envelopeCheck = p.checkResults().first { $0.info.builtIn }
        #expect(envelopeCheck?.passed == false && envelopeCheck?.failingYears == [2016, 2017, 2018, 2019, 2020])
    }

    @Test("a check holds or fails in the years it applies to")
    func checks() throws {
        let s = Build.scenario([Build.input("報酬", .table([2016: 36000, 2017: 42000]), .money), Build.input("人數", 1, .count)],
                               [Commitment(id: "pay", title: "P", kind: .cadrePay(CadrePay(headcount: Build.n("人數"), pay: Build.n("報酬"))), funding: .all("市財政"))],
                               checks: [Check(id: "c", title: "≥4.2萬", assertion: Expr(.binary(.greaterEqual, Build.n("pay.pay"), .literal(42000))), years: 2016...2020)])
        let r = try Build.project(s).checkResults()[0]
        #expect(r.byYear == [false, true, true, true, true])
        #expect(r.failingYears == [2016])
    }
}

@Suite("Engine: properties over generated scenarios")
struct EnginePropertyTests {
    /// A random scenario of every kind but the collective economy, with random funding splits.
    static func generate(_ seed: UInt64, scale: (String, Double)? = nil, zero: Bool = false) -> Scenario {
        var rng = SplitMix64(seed: seed)
        func r(_ a: Double, _ b: Double) -> Double { zero ? 0 : (Double.random(in: a...b, using: &rng) * 100).rounded() / 100 }
        var inputs: [Input] = []
        var cs: [Commitment] = []
        let n = Int.random(in: 2...6, using: &rng)
        for k in 0..<n {
            let id = "c\(k)"
            func inp(_ f: String, _ v: Double, _ m: Measure) -> Expr {
                var v = v
                if let scale, scale.0 == "\(id).\(f)" { v *= scale.1 }
                inputs.append(Build.input("\(id)_\(f)", v, m))
                return Build.n("\(id)_\(f)")
            }
            let share = (Double.random(in: 0...1, using: &rng) * 100).rounded() / 100
            let funding = FundingSplit(shares: [.init(source: "市財政", share: .literal(share)), .init(source: "縣級財政", share: nil)])
            let kind: CommitmentKind
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: kind = .cadrePay(CadrePay(headcount: inp("headcount", r(1, 3000).rounded(), .count), pay: inp("pay", r(10_000, 50_000), .money), oncost: inp("oncost", r(0, 2000), .money)))
            case 1: kind = .construction(ConstructionProgramme(schedule: .units(inp("units", r(0, 100).rounded(), .count)), unitCost: inp("unit_cost", r(50_000, 500_000), .money),
                                                               award: inp("award", r(0, 50_000), .money), awardSource: "市財政", upkeepPerUnit: inp("upkeep", r(0, 10_000), .money)))
            case 2: kind = .operatingFund(OperatingFund(count: inp("count", r(1, 5000).rounded(), .count), rate: inp("rate", r(100, 300_000), .money)))
            default: kind = .lumpSum(LumpSum(amount: inp("amount", r(0, 1e8), .money)))
            }
            cs.append(Commitment(id: id, title: id, kind: kind, funding: funding))
        }
        return Build.scenario(inputs, cs)
    }

    static let seeds: [UInt64] = Array(1...40)

    @Test("commitments add up to the total, and sources add up to the total, to the fen", arguments: seeds)
    func partsAddUp(_ seed: UInt64) throws {
        let p = try Build.project(Self.generate(seed))
        let cs = p.commitmentFigures()
        let total = p.series("total")!.map(Money.fen)
        for y in 0..<5 {
            let byCommitment = cs.map { $0.cost[y] }.reduce(0, +)
            let bySource = p.sourceFigures(cs).map { $0.committed[y] }.reduce(0, +)
            let byCategory = p.categoryTotals(cs).map { $0.amounts[y] }.reduce(0, +)
            #expect(abs(byCommitment - total[y]) < 0.005 * Double(cs.count + 1))
            #expect(abs(bySource - byCommitment) < 1e-6)
            #expect(abs(byCategory - byCommitment) < 1e-6)
            for c in cs {
                // Each commitment's parts add up to its rounded cost exactly.
                #expect(abs(c.bySource.map { $0.amounts[y] }.reduce(0, +) - c.cost[y]) < 1e-6)
            }
        }
    }

    @Test("scaling a headcount, count or unit cost scales exactly that commitment", arguments: seeds)
    func scaling(_ seed: UInt64) throws {
        let base = try Build.project(Self.generate(seed))
        let s = Self.generate(seed)
        let c = try #require(s.commitments.first)
        let field = try #require(["headcount", "units", "count", "amount"].first(where: { f in s.inputs.contains { $0.name == "c0_\(f)" } }),
                                 "the first commitment has a field to scale")
        let scaled = try Build.project(Self.generate(seed, scale: ("c0.\(field)", 3)))
        let a = base.series(c.id + ".cost")!, b = scaled.series(c.id + ".cost")!
        for y in 0..<5 {
            // For construction, capital scales with units and upkeep with the built stock, so the whole cost scales.
            #expect(abs(b[y] - 3 * a[y]) <= 1e-6 * max(1, abs(a[y])))
        }
        for other in s.commitments.dropFirst() {
            #expect(base.series(other.id + ".cost") == scaled.series(other.id + ".cost"))
        }
    }

    @Test("zero inputs give zero costs", arguments: seeds.prefix(10))
    func zeros(_ seed: UInt64) throws {
        let p = try Build.project(Self.generate(seed, zero: true))
        #expect(p.series("total")! == [0, 0, 0, 0, 0])
    }

    @Test("a scenario projected twice gives identical results", arguments: seeds.prefix(10))
    func deterministic(_ seed: UInt64) throws {
        let a = try Build.project(Self.generate(seed)), b = try Build.project(Self.generate(seed))
        #expect(a.values == b.values)
    }
}

@Suite("Money rounding")
struct MoneyTests {
    @Test("split keeps parts adding up to the rounded total")
    func split() {
        let parts = Money.split(total: 100.00, parts: [33.333, 33.333, 33.334])
        #expect(parts.reduce(0, +) == 100.00)
        #expect(Money.fen(0.125) == 0.13 && Money.fen(-0.125) == -0.13)
    }
}
