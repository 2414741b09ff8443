import Foundation
import Testing
import TestSupport
import FundSimKit
import FundSimModel
import FundSimEngine
import FundSimReport

/// What FundSim knows and does not know (issue 15): funding status, sourced against assumed money, the money
/// basis, what decides a check, and the roll-up of jurisdictions. Figures worked by hand.
@Suite("Honest status")
struct StandingTests {
    /// Projects a scenario written in the test, in a folder of its own inside the project (so quotes are checked
    /// against the real seed).
    static func project(_ text: String, _ name: String = "s.yaml") throws -> (Scenario, Projection) {
        let r = Pipeline(seedsDirectory: Project.seeds).project(text: text, path: Project.tempDir("standing") + "/" + name)
        #expect(r.diagnostics.filter { $0.severity == .error }.isEmpty, "\(r.rendered)")
        return (try #require(r.scenario), try #require(r.projection))
    }

    /// 1000 members (assumed) × 200元 (cited); 3.4億 (cited) a year; 3.4億 / 10 (cited) + 10萬 (assumed).
    static let small = """
    title: 小例
    years: 2016-2017
    inputs:
      黨員人數: {value: 1000, assumption: 測試}
      培訓標準: {value: 200元, cite: "按每名黨員每年200元標準列入財政預算"}
      惠民資金: {value: 3.4億, cite: "財政全年投入近3.4億元,作為社區和村黨組織惠民項目資金"}
      運轉: {value: 10萬, assumption: 測試}
    sources:
      市財政: {envelope: {by_year: {2016: 3.5億, 2017: 3億}, assumption: 測試}}
      縣財政: {}
    commitments:
      - {id: training, title: 培訓, kind: operating_fund, count: 黨員人數, rate: 培訓標準, funding: 市財政}
      - {id: benefit, title: 惠民, kind: lump_sum, amount: 惠民資金, funding: 市財政}
      - {id: mixed, title: 混合, kind: lump_sum, amount: 惠民資金 / 10 + 運轉, funding: 縣財政}
    checks:
      - {id: on_seed, title: 惠民資金不少於3億, assert: 惠民資金 >= 3億, cite: "財政全年投入近3.4億元,作為社區和村黨組織惠民項目資金"}
      - {id: on_assumption, title: 黨員不少於500, assert: 黨員人數 >= 500, assumption: 測試}
    """

    @Test("funding status: a gap, a surplus, and unbudgeted money (never a gap of 0), worked by hand")
    func status() throws {
        let (_, p) = try Self.project(Self.small)
        let sources = p.sourceFigures()
        let city = try #require(sources.first { $0.info.name == "市財政" })
        let county = try #require(sources.first { $0.info.name == "縣財政" })
        // 市財政 pays 20萬 + 34,000萬 = 34,020萬 a year: 980萬 under 3.5億 in 2016, 4,020萬 over 3億 in 2017.
        #expect(city.committed == [340_200_000, 340_200_000])
        #expect(city.status == [.surplus(9_800_000), .gap(40_200_000)])
        // 縣財政 states no envelope: 3,410萬 unbudgeted each year, and no gap at all.
        #expect(county.status == [.unbudgeted(34_100_000), .unbudgeted(34_100_000)])
        #expect(county.gap == nil && county.status.allSatisfy { $0.gap == 0 && $0.surplus == 0 })
        // An envelope met exactly is a surplus of 0, not a gap.
        #expect(FundingStatus(committed: 100, envelope: 100) == .surplus(0))
        #expect(FundingStatus(committed: 100.004, envelope: 100) == .surplus(0))
        #expect(FundingStatus(committed: 100.01, envelope: 100) == .gap(0.01))
    }

    @Test("sourced and assumed money on a small scenario, worked by hand: products, sums and shares")
    func provenanceWeight() throws {
        let (_, p) = try Self.project(Self.small)
        let cs = p.commitmentFigures()
        func figures(_ id: String) throws -> Projection.CommitmentFigures { try #require(cs.first { $0.info.id == id }) }
        // training = members (assumed) × 200元 (cited): a product with an assumed factor rests on the assumption.
        #expect(try figures("training").cost == [200_000, 200_000])
        #expect(try figures("training").sourced == [0, 0])
        // benefit = 3.4億, cited and nothing else: all on the seed.
        #expect(try figures("benefit").sourced == [340_000_000, 340_000_000])
        // mixed = 3.4億 / 10 (cited, divided by a figure) + 10萬 (assumed): the sum splits by its terms.
        #expect(try figures("mixed").cost == [34_100_000, 34_100_000])
        #expect(try figures("mixed").sourced == [34_000_000, 34_000_000])
        #expect(try figures("mixed").assumed == [100_000, 100_000])
        // Totals add the commitments: 37,430萬 a year, of which 37,400萬 on the seed and 30萬 on assumptions.
        let t = p.totalFigures(cs)
        #expect(t.cost == [374_300_000, 374_300_000])
        #expect(t.sourced == [374_000_000, 374_000_000])
        #expect(t.assumed == [300_000, 300_000])
        // A source's money follows its commitments' shares: 市財政 pays training (assumed) and benefit (sourced).
        let city = try #require(p.sourceFigures(cs).first { $0.info.name == "市財政" })
        #expect(city.sourced == [340_000_000, 340_000_000] && city.assumed == [200_000, 200_000])
        // The parts never pass the whole, in any commitment or year.
        for c in cs { for y in c.cost.indices { #expect(abs(c.sourced[y]) <= abs(c.cost[y])) } }
    }

    @Test("a cited figure with an assumption beside it, and a share written as an assumption, rest on assumptions")
    func assumptionBesideCite() throws {
        let (_, p) = try Self.project("""
        title: 例
        years: 2016-2016
        inputs:
          惠民資金: {value: 3.4億, cite: "財政全年投入近3.4億元,作為社區和村黨組織惠民項目資金", assumption: 按每年延續}
          培訓標準: {value: 200元, cite: "按每名黨員每年200元標準列入財政預算"}
        sources: {市財政: {}, 縣財政: {}}
        commitments:
          - {id: benefit, title: 惠民, kind: lump_sum, amount: 惠民資金, funding: 市財政}
          - {id: fee, title: 標準, kind: lump_sum, amount: 培訓標準, funding: {市財政: {value: 40%, assumption: 測試}, 縣財政: rest}}
        """)
        let cs = p.commitmentFigures()
        #expect(cs[0].sourced == [0])
        // The cost of `fee` rests on the seed; the money each source pays rests on the assumed split.
        #expect(cs[1].sourced == [200] && cs[1].sourcedBySource == [[0], [0]])
    }

    @Test("an assumption on a target, award or upkeep mapping reaches the money its figure drives, written as a literal, a name or an expression")
    func mappingAssumption() throws {
        let q = "全州還有386個村和10個城市社區黨員群眾服務中心沒有達標"
        let (_, p) = try Self.project("""
        title: 例
        years: 2016-2017
        inputs:
          村中心: {value: 386, cite: "\(q)"}
          社區中心: {value: 10, cite: "\(q)"}
          標準: {value: 200元, cite: "按每名黨員每年200元標準列入財政預算"}
        sources: {州財政: {}, 縣財政: {}}
        commitments:
          - {id: named, title: 名, kind: construction, target: {stock: 村中心, by: 2016, assumption: 測試}, unit_cost: 標準, funding: 州財政}
          - {id: expr, title: 式, kind: construction, target: {stock: 村中心 + 社區中心, by: 2016, assumption: 測試}, unit_cost: 標準, funding: 州財政}
          - {id: literal, title: 數, kind: construction, target: {stock: 10, by: 2016, assumption: 測試}, unit_cost: 標準, funding: 州財政}
          - {id: cited, title: 引, kind: construction, target: {stock: 社區中心, by: 2016, cite: "\(q)"}, unit_cost: 標準, funding: 州財政}
          - {id: award, title: 獎, kind: construction, units: 社區中心, unit_cost: 標準, award: {per_unit: 標準 / 2, source: 縣財政, assumption: 測試}, funding: 州財政}
          - {id: upkeep, title: 維, kind: construction, target: {stock: 社區中心, by: 2016, cite: "\(q)"}, unit_cost: 標準, upkeep: {per_unit: 標準 / 2, assumption: 測試}, funding: 州財政}
          - {id: payer, title: 付, kind: lump_sum, amount: 標準, funding: {縣財政: rest, assumption: 測試}}
        """)
        let cs = Dictionary(uniqueKeysWithValues: p.commitmentFigures().map { ($0.info.id, $0) })
        func figures(_ id: String) throws -> Projection.CommitmentFigures { try #require(cs[id]) }
        // The stock is assumed to be reached in 2016, whether it is a name (386 × 200元), an expression
        // ((386 + 10) × 200元) or a figure (10 × 200元): all of that money rests on the assumption.
        #expect(try figures("named").cost == [77_200, 0] && figures("named").sourced == [0, 0])
        #expect(try figures("expr").cost == [79_200, 0] && figures("expr").sourced == [0, 0])
        #expect(try figures("literal").cost == [2_000, 0] && figures("literal").sourced == [0, 0])
        // With a quote only, the same target rests on the seed: 10 × 200元.
        #expect(try figures("cited").cost == [2_000, 0] && figures("cited").sourced == [2_000, 0])
        // An assumed award (200元 / 2 per unit): the cost, 10 × 200元 a year, rests on the seed; what 縣財政 pays
        // (the award, 1,000) rests on the assumption, and so does what 州財政 pays (the cost less the award).
        #expect(try figures("award").cost == [2_000, 2_000] && figures("award").sourced == [2_000, 2_000])
        #expect(try figures("award").sourcedBySource == [[0, 0], [0, 0]])
        // An assumed upkeep rate: the 2016 capital (10 × 200元) is on the seed; the 2017 upkeep, 10 × 100元, is assumed.
        #expect(try figures("upkeep").cost == [2_000, 1_000] && figures("upkeep").sourced == [2_000, 0])
        // Who pays, assumed on `funding:`: the 200元 rests on the seed, the money 縣財政 pays on the assumption;
        // a source named without an assumption pays money on the seed.
        #expect(try figures("payer").sourced == [200, 200] && figures("payer").sourcedBySource == [[0, 0]])
        #expect(try figures("cited").sourcedBySource == [[2_000, 0]])
        // The assumption is the row's own, so it is what a reader is pointed to.
        let s = Sourcing(p)
        #expect(s.assumptions(of: "named.cost") == ["named.target"])
        #expect(s.assumptions(of: "expr.cost") == ["expr.target"])
        #expect(s.assumptions(of: "upkeep.cost") == ["upkeep.upkeep_per_unit"])
        #expect(s.isSourced("cited.cost"))
    }

    @Test("each check is decided by the seed's own figures or by the assumptions it reads")
    func checkBasis() throws {
        let (_, p) = try Self.project(Self.small)
        let results = Dictionary(uniqueKeysWithValues: p.checkResults().map { ($0.info.id, $0) })
        #expect(results["on_seed"]?.basis == .seed)
        #expect(results["on_assumption"]?.basis == .assumptions(["黨員人數"]))
        // The built-in envelope check reads an assumed envelope and the assumed member count through training.
        guard case .assumptions(let rows) = results["envelope.市財政"]?.basis else { Issue.record("the envelope check rests on assumptions"); return }
        #expect(rows.contains("黨員人數") && rows.contains { $0.contains("envelope") }, "\(rows)")
    }

    @Test("money basis: whole with a base splits continuing from new money; increase, new and continuing; no basis is not split")
    func moneyBasis() throws {
        let (_, p) = try Self.project("""
        title: 例
        years: 2016-2016
        inputs:
          人數: {value: 100, assumption: 測試}
        sources: {市財政: {}}
        commitments:
          - {id: whole_pay, title: 全額, kind: cadre_pay, headcount: 人數, pay: {value: 4.2萬, assumption: 測試}, base_pay: {value: 3萬, assumption: 測試}, basis: whole, funding: 市財政}
          - {id: rise, title: 增加, kind: operating_fund, count: {value: 10, assumption: 測試}, rate: {value: 2萬, assumption: 測試}, base_rate: {value: 1萬, assumption: 測試}, basis: increase, funding: 市財政}
          - {id: implied, title: 增加(默認), kind: cadre_pay, headcount: 人數, pay: {value: 2萬, assumption: 測試}, base_pay: {value: 1.5萬, assumption: 測試}, funding: 市財政}
          - {id: carried, title: 延續, kind: lump_sum, amount: {value: 500萬, assumption: 測試}, basis: continuing, funding: 市財政}
          - {id: fresh, title: 新增, kind: lump_sum, amount: {value: 50萬, assumption: 測試}, basis: new, funding: 市財政}
          - {id: bill, title: 未區分, kind: operating_fund, count: {value: 5, assumption: 測試}, rate: {value: 1萬, assumption: 測試}, funding: 市財政}
          - {id: centres, title: 建設, kind: construction, units: {value: 2, assumption: 測試}, unit_cost: {value: 10萬, assumption: 測試}, funding: 市財政}
        """)
        let cs = Dictionary(uniqueKeysWithValues: p.commitmentFigures().map { ($0.info.id, $0) })
        // 100 × 4.2萬 = 420萬, of which 100 × 3萬 = 300萬 continuing and 120萬 new.
        #expect(cs["whole_pay"]?.cost == [4_200_000] && cs["whole_pay"]?.continuingMoney == [3_000_000] && cs["whole_pay"]?.newMoney == [1_200_000])
        // 10 × (2萬 − 1萬) = 10萬, all new; a base alone means increase: 100 × (2萬 − 1.5萬) = 50萬.
        #expect(cs["rise"]?.cost == [100_000] && cs["rise"]?.newMoney == [100_000] && cs["rise"]?.info.basis == .increase)
        #expect(cs["implied"]?.cost == [500_000] && cs["implied"]?.info.basis == .increase)
        #expect(cs["carried"]?.continuingMoney == [5_000_000] && cs["carried"]?.newMoney == [0])
        #expect(cs["fresh"]?.newMoney == [500_000])
        #expect(cs["bill"]?.unsplit == [50_000] && cs["bill"]?.newMoney == [0] && cs["bill"]?.info.basis == .whole)
        #expect(cs["centres"]?.newMoney == [200_000] && cs["centres"]?.info.basis == nil)
        let t = p.totalFigures()
        #expect(t.newMoney == [1_200_000 + 100_000 + 500_000 + 500_000 + 200_000])
        #expect(t.continuingMoney == [3_000_000 + 5_000_000] && t.unsplit == [50_000])
        #expect(zip(t.cost, zip(t.newMoney, zip(t.continuingMoney, t.unsplit))).allSatisfy { $0 == $1.0 + $1.1.0 + $1.1.1 })
    }

    /// A base scenario, two variants of it, and (in `duplicate`) a copy of the base under another file name.
    static func folder(duplicate: Bool) throws -> String {
        let dir = Project.tempDir("standing-rollup")
        let base = """
        title: 甲縣
        jurisdiction: 甲縣
        years: 2016-2017
        inputs: {基金額: {value: 100萬, assumption: 測試}}
        sources: {縣財政: {envelope: {value: 150萬, assumption: 測試}}}
        commitments:
          - {id: fund, title: 基金, kind: lump_sum, amount: 基金額, funding: 縣財政}
        """
        try base.write(toFile: dir + "/a-county.yaml", atomically: true, encoding: .utf8)
        try "extends: a-county.yaml\ntitle: 甲縣 變體一\ninputs: {基金額: {value: 200萬, assumption: 變體}}\n"
            .write(toFile: dir + "/b-variant.yaml", atomically: true, encoding: .utf8)
        try "extends: a-county.yaml\ntitle: 甲縣 變體二\ninputs: {基金額: {value: 300萬, assumption: 變體}}\n"
            .write(toFile: dir + "/c-variant.yaml", atomically: true, encoding: .utf8)
        try """
        title: 乙縣
        years: 2016-2017
        inputs: {標準: {value: 200元, cite: "按每名黨員每年200元標準列入財政預算"}}
        sources: {市財政: {}}
        commitments:
          - {id: fee, title: 費用, kind: lump_sum, amount: 標準, funding: 市財政}
        """.write(toFile: dir + "/d-other.yaml", atomically: true, encoding: .utf8)
        if duplicate { try base.replacingOccurrences(of: "title: 甲縣", with: "title: 甲縣(副本)").write(toFile: dir + "/e-copy.yaml", atomically: true, encoding: .utf8) }
        return dir
    }

    @Test("the roll-up of a base and two variants sums the jurisdictions only and lists the variants apart")
    func rollupSumsJurisdictions() throws {
        let dir = try Self.folder(duplicate: false)
        let out = Project.tempDir("standing-rollup-out")
        let r = try fundsim(["run", dir, "-o", out, "--format", "xlsx", "--seeds", Project.seeds])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("2 jurisdictions summed") && r.stdout.contains("2 variant(s) listed apart"), "\(r.stdout)")
        // The same roll-up, as built from the projections: its cells and their cached values.
        let items = try Pipeline.expand([dir]).map { path -> (scenario: Scenario, projection: Projection) in
            let r = Pipeline(seedsDirectory: Project.seeds).project(path)
            return (try #require(r.scenario), try #require(r.projection))
        }
        let book = RollupBuilder(items).build(created: nil)
        func rows(_ sheet: ReportSheet) -> [[String]] {
            let last = sheet.cells.map(\.row).max() ?? 0
            return (0...last).map { r in
                sheet.cells.filter { $0.row == r }.sorted { $0.col < $1.col }.map { c -> String in
                    switch c.value {
                    case .text(let t): return t
                    case .number(let v), .formula(_, cached: .number(let v)): return ValueStyle.plain(v)
                    default: return ""
                    }
                }
            }
        }
        // 甲縣 100萬 + 乙縣 200元 a year: 100.02萬, never 100 + 200 + 300.
        let summary = rows(book.sheets[0])
        let total = try #require(summary.first { $0.first == "合計" })
        #expect(Array(total.dropFirst().prefix(3)) == ["100.02", "100.02", "200.04"], "\(total)")
        let byScenario = rows(book.sheets[1])
        #expect(byScenario.contains { $0 == ["變體(不計入合計)"] })
        #expect(byScenario.filter { $0.last?.hasPrefix("變體,基於 a-county.yaml") == true }.count == 2, "\(byScenario)")
        // 甲縣 rests wholly on assumptions; 乙縣 wholly on the seed.
        #expect(try #require(byScenario.first { $0.first == "甲縣" }).contains("全部依據假設"))
        #expect(try !#require(byScenario.first { $0.first == "乙縣" }).contains("全部依據假設"))
        // Category × jurisdiction holds the two jurisdictions only.
        #expect(rows(book.sheets[2]).filter { $0.first?.hasPrefix("甲縣") == true }.count == 1)
    }

    @Test("a jurisdiction named twice in the roll-up is an error with both paths, and nothing is written")
    func rollupDuplicate() throws {
        let dir = try Self.folder(duplicate: true)
        let out = Project.tempDir("standing-dup-out")
        let r = try fundsim(["run", dir, "-o", out, "--format", "xlsx", "--seeds", Project.seeds])
        #expect(r.status == 1)
        #expect(!FileManager.default.fileExists(atPath: out + "/rollup.xlsx") && !FileManager.default.fileExists(atPath: out + "/a-county.xlsx"))
        expectGolden(r.stderr.replacingOccurrences(of: dir, with: "DIR"), "cli/rollup-duplicate.txt")
    }

    @Test("every seed scenario's Summary states sourced against assumed money and unbudgeted amounts", arguments: Project.scenarios)
    func seedSummaries(_ path: String) throws {
        let r = Pipeline(seedsDirectory: Project.seeds).project(path)
        let scenario = try #require(r.scenario), p = try #require(r.projection)
        var builder = WorkbookBuilder(scenario: scenario, projection: p)
        let sheet = try #require(builder.build().sheets.first)
        let texts = sheet.cells.compactMap { c -> String? in if case .text(let t) = c.value { return t } else { return nil } }
        let labels = Labels(scenario.language)
        let t = p.totalFigures()
        let style = ValueStyle(unit: scenario.unit, labels: labels)
        let sentence = labels[.sourcedSentence(style.wholeAmount(t.cost.reduce(0, +)), style.wholeAmount(t.sourced.reduce(0, +)),
                                               style.wholeAmount(t.assumed.reduce(0, +)))]
        #expect(texts.contains(sentence), "\(path): no sentence \(sentence)")
        #expect(texts.contains(labels[.sourcedColumn]) && texts.contains(labels[.assumedColumn]))
        #expect(texts.contains(labels[.newMoney]) && texts.contains(labels[.continuingMoney]))
        for s in p.sourceFigures() where !s.isBudgeted {
            #expect(texts.contains(s.info.title + " " + labels[.statusUnbudgeted]), "\(path): \(s.info.title) is not shown as unbudgeted")
        }
        // The terminal summary says the same.
        let terminal = FundSimKit.summary(scenario, p)
        #expect(terminal.contains(sentence))
    }
}
