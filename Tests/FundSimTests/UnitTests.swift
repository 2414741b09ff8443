import Foundation
import Testing
import FundSimModel
import FundSimScenario
import FundSimReport
import FundSimKit

/// One unit table for values, expressions, `unit:` and the display unit.
@Suite("Unit table")
struct UnitTableTests {
    @Test("every unit that may follow a figure reads the same in a value and in an expression")
    func valuesAndExpressionsAgree() throws {
        for (spelling, unit) in UnitTable.figureSpellings {
            let value = try Quantity.parse("3" + spelling).get()
            #expect(value.unit == (unit.scale ? nil : unit.measure), "3\(spelling): a bare 萬 or 億 names no measure")
            let e = try ExpressionParser.parse("3\(spelling) * 2", at: nil).get()
            guard case .binary(.multiply, let lhs, _) = e.kind, case .literal(let v, let text) = lhs.kind else {
                Issue.record("`3\(spelling) * 2` did not parse as a product of a figure")
                continue
            }
            #expect(v == value.double, "3\(spelling): \(v) in an expression, \(value.double) as a value")
            #expect(text == "3" + spelling)
        }
    }

    @Test("`3名 * 2` is an expression, as `3名` is a value")
    func countInExpression() throws {
        #expect(try Quantity.parse("3名").get().double == 3)
        let e = try ExpressionParser.parse("3名 * 2", at: nil).get()
        #expect(e.text == "3名 * 2")
    }

    @Test("`unit:` names and display units come from the same table")
    func namesAndDisplayUnits() {
        #expect(UnitTable.measure(named: "元/人/年") == .money)
        #expect(UnitTable.measure(named: "名") == .count)
        #expect(UnitTable.measure(named: "share") == .ratio)
        #expect(UnitTable.measure(named: "年") == .year)
        #expect(UnitTable.measure(named: "斤") == nil)
        #expect(DisplayUnit.parse("万") == .wan)
        #expect(DisplayUnit.parse("億元") == .yi)
        #expect(DisplayUnit.parse("yuan") == .yuan)
        #expect(DisplayUnit.parse("%") == nil)
        #expect(DisplayUnit.wan.divisor == 10_000)
        // A word that only names a measure is not a unit after a figure.
        if case .success = Quantity.parse("2018年") { Issue.record("`2018年` read as a figure") }
    }

    @Test("one style shows every measure: money in the display unit, ratios in %, years plain, counts grouped")
    func valueStyle() {
        let wan = ValueStyle(unit: .wan, labels: Labels(.zhHant, unit: .wan))
        #expect(wan.show(174_000_000, .money) == "17,400 萬元")
        #expect(wan.show(0.0725, .ratio) == "7.25%")
        #expect(wan.show(2018, .year) == "2018")
        #expect(wan.show(2400, .count) == "2,400")
        #expect(wan.cell(12_345) == "1.23")
        #expect(wan.amount(1_000_000) == "100萬元")
        let yuan = ValueStyle(unit: .yuan, labels: Labels(.zhHans, unit: .yuan))
        #expect(yuan.show(12_345, .money) == "12,345 元" && yuan.amount(1_000_000) == "1000000元")
        #expect(Labels(.zhHant, unit: .yi).argument(.amount(300_000_000)) == "3億元", "an amount in a label follows the display unit")
        #expect(Labels(.en).argument(.amount(5_000)) == "5000 yuan" && Labels(.zhHant).argument(.amount(50_000)) == "5萬元")
    }
}

/// A bare 萬 or 億 is a multiplier; the measure comes from where the figure is used.
@Suite("Measures from use")
struct MeasureFromUseTests {
    static func scenario(_ inputs: String, headcount: String = "黨員人數", pay: String = "報酬") -> Pipeline.Result {
        let text = """
        title: 測試
        years: 2021-2025
        inputs:
        \(inputs)
        sources:
          市財政: {}
        commitments:
          - id: training
            title: 培訓
            kind: cadre_pay
            headcount: \(headcount)
            pay: \(pay)
            funding: 市財政
            assumption: 測試
        """
        return Pipeline(seedsDirectory: nil).project(text: text, path: "/tmp/measure.yaml")
    }

    @Test("a bare 萬 is a multiplier: `0.9萬` party members used as a head count are a count of 9,000")
    func bareWanAsCount() throws {
        let r = Self.scenario("  黨員人數: {value: 0.9萬, assumption: 測試}\n  報酬: {value: 200元, assumption: 測試}")
        #expect(r.ok, "\(r.rendered)")
        let input = try #require(r.scenario?.inputs.first { $0.name == "黨員人數" })
        #expect(input.dimension == .count)
        #expect(input.definition == .constant(9_000))
        #expect(r.projection?.series("training.cost")?.first == Double(9_000 * 200), "\(String(describing: r.projection?.series("training.cost")))")
    }

    @Test("a bare 萬 used as money is money, as before; unused, it stays money")
    func bareWanAsMoney() throws {
        let r = Self.scenario("  黨員人數: {value: 100, assumption: 測試}\n  報酬: {value: 0.5萬, assumption: 測試}\n  閑置: {value: 3萬, assumption: 測試}")
        #expect(r.ok, "\(r.rendered)")
        #expect(r.scenario?.inputs.first { $0.name == "報酬" }?.dimension == .money)
        #expect(r.scenario?.inputs.first { $0.name == "閑置" }?.dimension == .money, "an unused bare 萬 keeps today's reading")
    }

    @Test("a plain input takes the measure of its use, also through an expression and a share")
    func plainTakesUse() throws {
        let r = Self.scenario("  村數: {value: 300, assumption: 測試}\n  每村人數: {value: 2, assumption: 測試}\n  黨員人數: {expr: 村數 + 每村人數}\n  報酬: {value: 40000, assumption: 測試}",
                              pay: "報酬 * 50%")
        #expect(r.ok, "\(r.rendered)")
        let dims = Dictionary(uniqueKeysWithValues: (r.scenario?.inputs ?? []).map { ($0.name, $0.dimension) })
        #expect(dims["黨員人數"] == .count && dims["村數"] == .count && dims["每村人數"] == .count)
        #expect(dims["報酬"] == .money, "pay × a share: pay is money")
    }

    @Test("a plain input used as a count and as money takes its first use's measure and is no error: its figures name none")
    func plainUsedTwice() {
        let r = Self.scenario("  黨員人數: {value: 900, assumption: 測試}", headcount: "黨員人數", pay: "黨員人數 + 100")
        #expect(r.ok, "\(r.rendered)")
        #expect(r.scenario?.inputs.first { $0.name == "黨員人數" }?.dimension == .count)
    }

    @Test("`3名 * 2` works wherever `3名` does: as a value, inline under a kind key, in `by_year`")
    func countProductIsAFigure() throws {
        let six = try Quantity.evaluate("3名 * 2").get()
        #expect(six.double == 6 && six.unit == .count && !six.scaled)
        #expect(try Quantity.evaluate("4.2萬 / 12").get().scaled)
        let members = try Quantity.parse("4萬名").get()
        #expect(members.double == 40_000 && members.unit == .count)
        #expect(try Quantity.parse("1.2萬畝").get().unit == .area)
        let r = Self.scenario("  黨員人數: {value: 3名 * 2, assumption: 測試}\n  報酬: {by_year: {2021: 1萬元 * 2}, assumption: 測試}",
                              headcount: "{value: 3名 * 2, assumption: 測試}")
        #expect(r.ok, "\(r.rendered)")
        #expect(r.projection?.series("training.cost")?.first == Double(6 * 20_000))
        #expect(r.scenario?.inputs.first { $0.name == "黨員人數" }?.dimension == .count)
    }

    @Test("an explicit unit that does not fit is an error at its position, directly and through an input")
    func misfits() {
        for (inputs, headcount, pay, message) in [
            ("  報酬: {value: 1萬, assumption: 測試}", "{value: 3萬元, assumption: 測試}", "報酬", "`3萬元` is money"),
            ("  黨員人數: {value: 9000, assumption: 測試}", "黨員人數", "3名 * 2", "`3名 * 2` is a count"),
            ("  黨員人數: {value: 3萬元, assumption: 測試}\n  報酬: {value: 1萬, assumption: 測試}", "黨員人數 + 1", "報酬", "input `黨員人數` is money"),
            ("  黨員人數: {value: 9000, assumption: 測試}\n  報酬: {value: 3名, assumption: 測試}", "黨員人數", "min(報酬, 5萬)", "input `報酬` is a count"),
        ] {
            let r = Self.scenario(inputs, headcount: headcount, pay: pay)
            #expect(!r.ok)
            let errors = r.diagnostics.filter { $0.severity == .error }
            #expect(errors.count == 1 && errors[0].message.contains(message) && errors[0].location != nil, "\(r.rendered)")
        }
    }
}
