import Foundation
import Testing
import FundSimModel
import FundSimEngine
@testable import FundSimReport

/// The operator table: one meaning per operator, used by the evaluator, the roster filter and the workbook.
@Suite("Operator table")
struct OperatorTableTests {
    private func project(_ inputs: [Input], check: Expr? = nil) throws -> Projection {
        let checks = check.map { [Check(id: "c", title: "c", assertion: $0)] } ?? []
        return try Build.project(Build.scenario(inputs, [], sources: [FundingSource(name: "市財政")], checks: checks))
    }

    private func expression(_ text: String) throws -> Expr { try ExpressionParser.parse(text, at: nil).get() }

    @Test("division by zero is the same error in the projection and in a roster filter")
    func divisionByZeroEverywhere() throws {
        #expect(throws: OperationError.divisionByZero) { try BinaryOperator.divide.apply(1, 0) }
        let s = Build.scenario([Build.input("a", 1), Build.input("b", 0), Build.input("q", .expression(try expression("a / b")))], [],
                               sources: [FundingSource(name: "市財政")])
        let model = try Compiler.compile(s).get()
        guard case .failure(let d) = Projection.evaluate(model) else { Issue.record("a division by zero evaluated"); return }
        #expect(d.diagnostics.first?.message.hasPrefix("division by zero") == true)

        var roster = Roster(file: "r.csv")
        roster.ids = ["1", "2"]; roster.names = ["甲村", "乙村"]; roster.counties = ["縣", "縣"]; roster.isCommunity = [false, false]
        roster.attributes = ["area": [120, 0]]
        let agg = RosterAggregate(operation: .count, filter: try expression("100 / area > 0.5"), of: nil)
        guard case .failure(let r) = agg.perRow(roster) else { Issue.record("the roster filter divided by zero without an error"); return }
        #expect(r.message.hasPrefix("division by zero"))
        #expect(r.message.contains("乙村"))
    }

    @Test("round: half away from zero at decimal halves, as spreadsheets; absurd digits are an error")
    func round() throws {
        #expect(try Function.round(1.005, digits: 2) == 1.01)      // 1.005 × 100 is 100.49999999999999 in binary
        #expect(try Function.round(2.675, digits: 2) == 2.68)
        #expect(try Function.round(-2.5, digits: 0) == -3)
        #expect(try Function.round(0.285, digits: 2) == 0.29)
        #expect(try Function.round(1234.5, digits: -2) == 1200)
        #expect(try Function.round(2.9999999999, digits: 9) == 3)
        #expect(try Function.round(2.99999999, digits: 9) == 2.99999999)
        #expect(throws: OperationError.badDigits(2.5)) { try Function.round(1, digits: 2.5) }
        #expect(throws: OperationError.badDigits(400)) { try Function.round(1, digits: 400) }
    }

    @Test("a comparison decides at the measure's precision, and the engine agrees with the formula it writes")
    func comparisonRules() throws {
        let villages = Build.input("村數", 2400, .count)
        // 2400 >= 2400.000001: one millionth short for a count, so it fails — in the engine and in the sheet.
        let p1 = try project([villages], check: try expression("村數 >= 2400.000001"))
        #expect(p1.checkResults()[0].passed == false)
        let p2 = try project([villages], check: try expression("村數 >= 2400.0000001"))
        #expect(p2.checkResults()[0].passed == true)
        // Money to the fen: 0.004 yuan short passes, 0.006 fails.
        let pay = Build.input("報酬", 42000, .money)
        #expect(try project([pay], check: try expression("報酬 >= 42000.004")).checkResults()[0].passed)
        #expect(try !project([pay], check: try expression("報酬 >= 42000.006")).checkResults()[0].passed)
        // A ratio that is 1 but for binary error is 1.
        let share = Build.input("份額", .expression(try expression("0.1 * 3 / 0.3")), .ratio)
        #expect(try project([share], check: try expression("份額 >= 1")).checkResults()[0].passed)
        // The formula says the rule.
        let p = try project([pay], check: try expression("報酬 >= 42000.004"))
        let builder = WorkbookBuilder(scenario: Build.scenario([pay], [], sources: [FundingSource(name: "市財政")]), projection: p)
        let row = p.model.rows[p.model.index["check.c"]!]
        guard case .formula(let f) = row.definition else { Issue.record("the check is not a formula"); return }
        #expect(builder.formula(f, year: 0, host: "x").contains("ROUND("))
        // The sheet holds money in 萬元 (the scenario's display unit): the fen is the sixth decimal there.
        #expect(p.model.rows[p.model.index["報酬"]!].dimension == .money && builder.scenario.unit == .wan)
        #expect(builder.formula(f, year: 0, host: "x").hasSuffix(",6)>=0"))
    }

    @Test("floor and ceil of a near-integer: 2.9999999999 is 3, 2.99999999 is 2")
    func nearIntegers() throws {
        let p = try project([Build.input("a", .expression(try expression("floor(2.9999999999)"))),
                             Build.input("b", .expression(try expression("floor(2.99999999)"))),
                             Build.input("c", .expression(try expression("ceil(3.0000000001)"))),
                             Build.input("d", .expression(try expression("ceil(3.00000001)")))])
        #expect(p.series("a")?.first == 3)
        #expect(p.series("b")?.first == 2)
        #expect(p.series("c")?.first == 3)
        #expect(p.series("d")?.first == 4)
    }

    @Test("and/or evaluate every argument, as spreadsheets do; if evaluates only the chosen branch")
    func evaluationOrder() throws {
        let zero = Build.input("z", 0)
        let bad = try? project([zero, Build.input("x", .expression(try expression("0 and 1 / z > 0")))])
        #expect(bad == nil)
        let good = try project([zero, Build.input("x", .expression(try expression("if(z > 0, 1 / z, 7)")))])
        #expect(good.series("x")?.first == 7)
    }

    @Test("every operator has a spreadsheet form and a result type")
    func spreadsheetForms() {
        #expect(BinaryOperator.notEqual.spreadsheet("A1", "B1") == "(A1<>B1)")
        #expect(BinaryOperator.and.spreadsheet("A1", "B1") == "AND(A1,B1)")
        #expect(Function.ceil.spreadsheet(["A1"]) == "-INT(-(A1))")
        #expect(Function.round.spreadsheet(["A1"]) == "ROUND(A1,0)")
        #expect(BinaryOperator.less.resultType == .boolean)
        #expect(Function.max.resultType == .number)
        #expect(Expr(.binary(.multiply, Expr(.binary(.add, .literal(1), .literal(2))), .literal(3))).text == "(1 + 2) * 3")
    }
}
