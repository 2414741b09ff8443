import Foundation
import Testing
import FundSimModel
import FundSimScenario
import FundSimReport

/// One unit table for values, expressions, `unit:` and the display unit.
@Suite("Unit table")
struct UnitTableTests {
    @Test("every unit that may follow a figure reads the same in a value and in an expression")
    func valuesAndExpressionsAgree() throws {
        for (spelling, unit) in UnitTable.figureSpellings {
            let value = try Quantity.parse("3" + spelling).get()
            #expect(value.unit == unit.measure, "3\(spelling)")
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
