import Foundation
import Testing
import TestSupport
import FundSimKit
import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters

/// Every terminal line of a 萬元 scenario reads in 萬元: check messages, `solve`, `sensitivity`, `simulate`,
/// `compare`, `catalog` and the run summary show no amount in yuan.
@Suite("Terminal output in the display unit", .serialized)
struct TerminalUnitTests {
    static let dir = Project.fixtures + "/units"
    static let wan = dir + "/wan.yaml"
    static let raise = dir + "/wan-raise.yaml"

    static func projected(_ path: String) throws -> (Scenario, Projection) {
        let r = Pipeline(seedsDirectory: Project.seeds).project(path)
        return (try #require(r.scenario, "\(r.rendered)"), try #require(r.projection, "\(r.rendered)"))
    }

    /// Every amount of money the engine computes for the scenario, in yuan: yearly rows, their totals over
    /// the horizon, and the money inputs.
    static func yuanFigures(_ p: Projection) -> Set<Double> {
        var out: Set<Double> = []
        for (i, row) in p.model.rows.enumerated() where row.dimension == .money {
            let v = p.values[i]
            out.formUnion(v)
            out.insert(v.reduce(0, +))
        }
        for c in p.commitmentFigures() { out.formUnion(c.cost); out.insert(c.cost.reduce(0, +)) }
        return out.filter { abs($0) >= 10_000 }   // below 1萬 a yuan figure and a 萬元 figure cannot be told apart
    }

    /// The figures written in `text` (`1,430`, `2.5`, `-3,000.00`), as numbers.
    static func numbers(_ text: String) -> [Double] {
        let re = try! NSRegularExpression(pattern: #"-?\d[\d,]*(\.\d+)?"#)
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Double(String(text[Range($0.range, in: text)!]).replacingOccurrences(of: ",", with: ""))
        }
    }

    /// Fails for every figure of `text` that is one of the engine's amounts in yuan.
    static func expectNoYuan(_ text: String, _ figures: Set<Double>, _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let found = numbers(text).filter { n in figures.contains { abs($0 - n) < 0.5 } }
        #expect(found.isEmpty, "\(what) shows amounts in yuan: \(found)\n\(text)", sourceLocation: sourceLocation)
    }

    @Test("the run summary and its check messages: money in 萬元, counts as counts")
    func runSummary() throws {
        let (s, p) = try Self.projected(Self.wan)
        let text = TerminalSummary.render(s, p)
        Self.expectNoYuan(text, Self.yuanFigures(p), "the run summary")
        // The envelope check fails in 2021: 500 × 2.5萬 + 9,000 × 200元 = 1,430萬元 against 1,200萬元.
        #expect(text.contains("(2021: 1,430 vs 1,200 萬元)"), "\(text)")
        // A head count is compared as a count.
        #expect(text.contains("(2021: 9,000 vs 10,000)"), "\(text)")
    }

    @Test("an expected count (not whole) is shown to one decimal and called an expected value")
    func expectedCount() {
        let style = ValueStyle(unit: .wan, labels: Labels(.zhHant, unit: .wan))
        #expect(style.comparison(613.2249, 659.86, .count) == "613.2 vs 659.9 期望值")
        #expect(style.comparison(15_000_000, 12_000_000, .money) == "1,500 vs 1,200 萬元")
        #expect(style.comparison(0.66706447026, 0.8, .ratio) == "66.71% vs 80%")
        #expect(ValueStyle(unit: .yuan, labels: Labels(.en, unit: .yuan)).comparison(83.24, 90, .count) == "83.2 vs 90 expected")
        #expect(style.show(2400, .count) == "2,400" && style.show(83.25, .count) == "83.3")
    }

    @Test("solve answers in 萬元, and takes --low/--high as figures")
    func solve() throws {
        let (_, p) = try Self.projected(Self.wan)
        let r = try fundsim(["solve", Self.wan, "--vary", "村副職報酬", "--until", "envelope.縣財政", "--low", "1萬", "--high", "5萬"])
        #expect(r.status == 0, "\(r.stderr)")
        Self.expectNoYuan(r.stdout, Self.yuanFigures(p), "solve")
        #expect(r.stdout.contains("萬元") && !r.stdout.contains(" 元"), "\(r.stdout)")
    }

    @Test("sensitivity: base values, ranges and changes in the display unit, counts as counts")
    func sensitivity() throws {
        let (_, p) = try Self.projected(Self.wan)
        let r = try fundsim(["sensitivity", Self.wan, "--output", Project.tempDir("units-sens")])
        #expect(r.status == 0, "\(r.stderr)")
        Self.expectNoYuan(r.stdout, Self.yuanFigures(p), "sensitivity")
        #expect(r.stdout.contains("2.5 萬元") && r.stdout.contains("400 … 600"), "\(r.stdout)")
    }

    @Test("simulate: yearly and horizon percentiles in 萬元")
    func simulate() throws {
        let (_, p) = try Self.projected(Self.wan)
        let r = try fundsim(["simulate", Self.wan, "--draws", "200", "--seed", "3", "--output", Project.tempDir("units-sim")])
        #expect(r.status == 0, "\(r.stderr)")
        Self.expectNoYuan(r.stdout, Self.yuanFigures(p), "simulate")
        #expect(r.stdout.contains("全期合計 2021–2025") && r.stdout.contains("縣財政 累計缺口"), "\(r.stdout)")
    }

    @Test("compare: scenarios by title, a changed series as the years it changes, in 萬元")
    func compare() throws {
        let (_, p) = try Self.projected(Self.wan)
        let (_, q) = try Self.projected(Self.raise)
        let r = try fundsim(["compare", Self.wan, Self.raise, "--output", Project.tempDir("units-compare")])
        #expect(r.status == 0, "\(r.stderr)")
        Self.expectNoYuan(r.stdout, Self.yuanFigures(p).union(Self.yuanFigures(q)), "compare")
        #expect(!r.stdout.contains("wan-raise"), "scenarios are named by their titles: \(r.stdout)")
        // The last line names the workbook in a temporary folder.
        expectGolden(r.stdout.components(separatedBy: "→ /").first ?? "", "cli/compare-wan.txt")
    }

    @Test("the years a series changes in, as runs of years")
    func changedYears() {
        let style = ValueStyle(unit: .wan, labels: Labels(.zhHant, unit: .wan))
        let years = [2021, 2022, 2023, 2024, 2025]
        let step = CompareBuilder.changedYears([[25_000, 25_000, 30_000, 30_000, 30_000], [25_000, 25_000, 25_000, 35_000, 35_000]],
                                               years: years, style: style, measure: .money)
        #expect(step == "2023: 3萬元 → 2.5萬元; 2024–2025: 3萬元 → 3.5萬元")
        let missing = CompareBuilder.changedYears([[500, 500, 500, 500, 500], nil], years: years, style: style, measure: .count)
        #expect(missing == "2021–2025: 500 → —")
        // A year without a value (NaN: no recorded actual) is none, not a crash, and equal to another none.
        let gaps = CompareBuilder.changedYears([[.nan, .nan, 3, 3, 3], [.nan, .nan, 3, 4, 4]], years: years, style: style, measure: .count)
        #expect(gaps == "2024–2025: 3 → 4")
        #expect(ValueStyle.grouped(.nan) == "—" && style.show(.nan, .count) == "—")
    }

    @Test("catalog: amounts in 萬元")
    func catalog() throws {
        let (_, p) = try Self.projected(Self.wan)
        let r = try fundsim(["catalog", Self.wan])
        #expect(r.status == 0, "\(r.stderr)")
        Self.expectNoYuan(r.stdout, Self.yuanFigures(p), "catalog")
    }

    @Test("CSV names the display unit in its header and holds amounts in it; JSON stays in yuan and says so")
    func exports() throws {
        let (s, p) = try Self.projected(Self.wan)
        let csv = TidyExport.csv(s, p)
        #expect(csv.hasPrefix("scenario,commitment,title,category,source,year,amount_萬元\n"), "\(csv.prefix(200))")
        // 500 deputies × 2.5萬 in 2021: 1,250萬元.
        #expect(csv.contains(",deputy_pay,村副職報酬,pay,縣財政,2021,1250\n"), "\(csv.prefix(400))")
        // 9,000 members × 200元: 180萬元.
        #expect(csv.contains(",training,黨員培訓,"), "\(csv)")
        Self.expectNoYuan(csv, Self.yuanFigures(p), "the CSV")
        let json = try JSONSerialization.jsonObject(with: Data(TidyExport.json(s, p).utf8)) as? [String: Any]
        #expect(json?["unit"] as? String == "yuan" && json?["display_unit"] as? String == "萬元")
        #expect((json?["total"] as? [Double])?.first == 14_300_000)
    }
}

/// `simulate` reports the total over the horizon and each source's cumulative gap: percentiles of each
/// draw's sum, not sums of yearly percentiles.
@Suite("Simulate over the horizon")
struct HorizonPercentileTests {
    /// Two years; the amount is 1萬 in 2021 and 3萬 in 2022 (a step), scaled by one drawn factor, and the
    /// envelope is 1萬 a year: every draw's horizon total is 4 × X and its cumulative gap 4 × X − 2萬, where
    /// X (the drawn 2021 amount) is the 2021 total.
    static let text = """
    title: 兩年
    years: 2021-2022
    inputs:
      金額: {step: {before: 1萬, after: 3萬, year: 2022}, distribution: {uniform: [0.5萬, 1.5萬]}, assumption: t}
    sources:
      縣財政: {envelope: {value: 1萬, assumption: t}}
    commitments:
      - {id: grant, title: 補助, kind: lump_sum, amount: 金額, funding: 縣財政, assumption: t}
    """

    @Test("by hand: with one draw the horizon is that draw's sum; with many, 4 × the 2021 percentile")
    func byHand() throws {
        let r = Pipeline(seedsDirectory: nil).project(text: Self.text, path: "/tmp/horizon.yaml")
        let m = try #require(r.projection, "\(r.rendered)").model
        let one = Analysis.simulate(m, draws: 1, seed: 7, threads: 1)
        let x = one.total[0].p50
        #expect(abs(one.total[1].p50 - 3 * x) < 1e-6)
        #expect(abs(one.horizonTotal.p50 - 4 * x) < 1e-6 && one.horizonTotal.p10 == one.horizonTotal.p90)
        #expect(one.cumulativeGaps.count == 1 && abs(one.cumulativeGaps[0].horizon.p50 - (4 * x - 20_000)) < 1e-6)
        let many = Analysis.simulate(m, draws: 501, seed: 7, threads: 2)
        // Type-7 percentiles of 501 draws are order statistics (k = 50, 250, 450): scaling commutes with them.
        for (h, y) in [(many.horizonTotal.p10, many.total[0].p10), (many.horizonTotal.p50, many.total[0].p50), (many.horizonTotal.p90, many.total[0].p90)] {
            #expect(abs(h - 4 * y) < 1e-6, "\(h) vs 4 × \(y)")
        }
        #expect(abs(many.cumulativeGaps[0].horizon.p90 - (4 * many.total[0].p90 - 20_000)) < 1e-6)
        // Same seed, same numbers, whatever the threads.
        let again = Analysis.simulate(m, draws: 501, seed: 7, threads: 1)
        #expect(again.horizonTotal == many.horizonTotal && again.cumulativeGaps[0].horizon == many.cumulativeGaps[0].horizon)
    }

    @Test("the horizon percentile is of each draw's sum, not the sum of yearly percentiles")
    func notSumOfPercentiles() throws {
        // Two independent draws per year: the P90 of the sum is below the sum of the P90s.
        let text = Self.text.replacingOccurrences(of: "  金額: {step: {before: 1萬, after: 3萬, year: 2022}, distribution: {uniform: [0.5萬, 1.5萬]}, assumption: t}",
                                                  with: "  甲: {step: {before: 1萬, after: 0, year: 2022}, distribution: {uniform: [0.5萬, 1.5萬]}, assumption: t}\n  乙: {step: {before: 0, after: 1萬, year: 2022}, distribution: {uniform: [0.5萬, 1.5萬]}, assumption: t}\n  金額: {expr: 甲 + 乙}")
        let r = Pipeline(seedsDirectory: nil).project(text: text, path: "/tmp/horizon2.yaml")
        let m = try #require(r.projection, "\(r.rendered)").model
        let s = Analysis.simulate(m, draws: 2000, seed: 1, threads: 2)
        #expect(s.horizonTotal.p90 < s.total[0].p90 + s.total[1].p90)
        #expect(s.horizonTotal.p10 > s.total[0].p10 + s.total[1].p10)
    }
}
