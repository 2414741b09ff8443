import Foundation
import Testing
@testable import FundSimModel

/// Roster counts and sums computed a block at a time, column by column, on two threads (issue 18) against the
/// row-by-row rule they replaced: the same value for every row to the bit, and the same first error.
@Suite("Roster counts and sums by blocks")
struct RosterAggregateTests {
    /// The old `perRow`: every row through the compiled rule, stopping at the first error.
    static func rowByRow(_ agg: RosterAggregate, _ roster: Roster) -> Result<[Double], Diagnostic> {
        var columns = roster.attributes
        columns["village"] = roster.isCommunity.map { $0 ? 0 : 1 }
        columns["community"] = roster.isCommunity.map { $0 ? 1 : 0 }
        let keep = agg.filter.map { RosterAggregate.compile($0, columns) }
        let value = agg.of.map { RosterAggregate.compile($0, columns) }
        var out = [Double](repeating: 0, count: roster.count)
        for i in 0..<roster.count {
            do {
                if let keep, try keep(i) == 0 { continue }
                out[i] = agg.operation == .count ? 1 : try (value?(i) ?? 0)
            } catch let e as RosterAggregate.RowError {
                return .failure(.error("\(e.error) for `\(roster.names[i])` of the roster", at: e.location,
                                       hint: "a roster column used here may be 0 or empty for this row"))
            } catch {
                return .failure(.error("\(error)", at: nil))
            }
        }
        return .success(out)
    }

    /// A roster of `rows` rows: `a` counts 0…6 (so dividing by it fails on every seventh row), `b` is a fraction,
    /// `z` is 0 only in row `zeroAt`, and every 13th row is a community.
    static func roster(rows: Int, zeroAt: Int) -> Roster {
        var r = Roster(file: "r.csv")
        r.ids = RosterText((0..<rows).map { "V\($0)" })
        r.names = RosterText((0..<rows).map { "村\($0)" })
        r.counties = (0..<rows).map { "縣\($0 % 50)" }
        r.isCommunity = (0..<rows).map { $0 % 13 == 0 }
        r.attributes = ["a": (0..<rows).map { Double($0 % 7) }, "b": (0..<rows).map { Double($0) / 3 + 0.1 },
                        "z": (0..<rows).map { $0 == zeroAt ? 0 : Double($0 % 5 + 1) }]
        r.attributeNames = ["a", "b", "z"]
        return r
    }

    static func same(_ x: Result<[Double], Diagnostic>, _ y: Result<[Double], Diagnostic>) -> Bool {
        switch (x, y) {
        case (.success(let a), .success(let b)): return a.map(\.bitPattern) == b.map(\.bitPattern)
        case (.failure(let a), .failure(let b)): return a.message == b.message && a.location == b.location && a.hint == b.hint
        default: return false
        }
    }

    @Test("every rule gives the row-by-row values or its first error", arguments: [
        ("count", "village", nil), ("count", "community and a < 3", nil), ("sum", nil, "b * 2 - a"),
        ("sum", "a > 0", "b / a"),              // fails only in rows the filter leaves out
        ("sum", nil, "if(a > 0, b / a, 0)"),    // fails only in the branch rows do not take
        ("sum", nil, "b / a"),                  // fails in the first row
        ("sum", nil, "100 / z"),                // fails in one row, late in the second half
        ("count", "100 / z > 1", nil),
        ("sum", "not(village)", "round(b / 3, 2) + floor(b) - ceil(a / 2) + max(a, b, 1) - min(a, 2) + abs(-b)"),
        ("sum", nil, "-b ^ 2 + b ^ 0.5"), ("count", "a = 3 or b >= 10 and a != 6", nil),
        ("sum", nil, "round(b, 2.5)"),          // an error of the function itself
    ] as [(String, String?, String?)])
    func rules(_ rule: (op: String, filter: String?, of: String?)) throws {
        let parse = { (t: String) in try ExpressionParser.parse(t, at: SourceLocation(file: "s.yaml", line: 3, column: 5)).get() }
        let agg = RosterAggregate(operation: RosterAggregate.Operation(rawValue: rule.op)!, filter: try rule.filter.map(parse), of: try rule.of.map(parse))
        for (rows, zeroAt) in [(10, 4), (5_000, 4_100), (40_000, 33_333), (40_000, 3)] {
            let roster = Self.roster(rows: rows, zeroAt: zeroAt)
            let blocks = agg.perRow(roster), reference = Self.rowByRow(agg, roster)
            #expect(Self.same(blocks, reference), "\(rule) over \(rows) rows: \(blocks) against \(reference)")
        }
    }
}

@Suite("Roster reader shortcuts")
struct RosterReaderShortcutTests {
    @Test("every control character is below U+00A0 or is U+FFFE or U+FFFF, as the reader's text check assumes")
    func controlsWhereTheReaderLooks() {
        let elsewhere = (0xA0..<0xFFFE).compactMap(Unicode.Scalar.init).filter(Limits.isControl)
            + (0x10000...0x10FFFF).compactMap(Unicode.Scalar.init).filter(Limits.isControl)
        #expect(elsewhere.isEmpty)
        #expect(RosterReader.textProblem(in: UnsafeRawBufferPointer(start: nil, count: 0)) == nil)
        for (text, problem) in [("村\u{85}", "holds the control character U+0085"), ("村\u{FFFF}", "holds the control character U+FFFF"),
                                ("村一", nil), ("a\u{1}", "holds a control character (byte 0x1)")] as [(String, String?)] {
            var t = text
            #expect(t.withUTF8 { RosterReader.textProblem(in: UnsafeRawBufferPointer($0)) } == problem, "\(text.debugDescription)")
        }
    }

    @Test("ids equal as strings are one id, whatever their bytes: K1 and \u{212A}1 (Kelvin sign) appear twice, in either order")
    func canonicallyEqualIds() {
        for ids in [["K1", "\u{212A}1"], ["\u{212A}1", "K1"], ["é", "e\u{301}"], ["A2", "B3", "e\u{301}", "C4", "é"]] {
            let rows = ids.enumerated().map { "\($1),村\($0),縣,village,1" }
            let csv = "id,name,county,kind,cadres\n" + rows.joined(separator: "\n") + "\n"
            guard case .failure(let list) = Roster.parse(Data(csv.utf8), file: "r.csv") else {
                Issue.record("\(ids) read without an error")
                continue
            }
            #expect(list.diagnostics.map(\.message) == ["id `\(ids.last!)` appears twice"], "\(ids)")
            #expect(list.diagnostics.first?.location?.line == ids.count + 1)
        }
    }

    @Test("a text column holds each text's bytes; repeats are found across the whole column")
    func textColumn() {
        var t = RosterText(["V1", "村二", "", "V10"])
        #expect(Array(t) == ["V1", "村二", "", "V10"])
        #expect(!t.hasRepeat() && !t.isASCII)
        t.append("V10")
        #expect(t.hasRepeat())
        t.removeLast()
        var big = RosterText((0..<100_000).map { "V\($0)" })
        #expect(big.isASCII && !big.hasRepeat())
        big.append(contentsOf: RosterText(["W1", "V99999"]))
        #expect(big.count == 100_002 && big[100_000] == "W1" && big.hasRepeat())
    }
}
