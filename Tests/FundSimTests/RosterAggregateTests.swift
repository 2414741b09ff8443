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

    @Test("a column in two parts, checked on one or two threads, has a repeat exactly when a set of its texts says so")
    func repeatsInTwoParts() {
        var seed: UInt64 = 18
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) }
        for size in [0, 1, 2, 300, 70_000, 140_000] {
            for trial in 0..<4 {
                // Texts of a few bytes drawn from a range that gives a repeat in some trials and none in others.
                let range = trial % 2 == 0 ? size * 4 + 1 : Swift.max(1, size * 2)
                var texts: [String] = []
                var seen = Set<String>()
                while texts.count < size {
                    let t = "V\(next() % range)"
                    if trial < 2 && !seen.insert(t).inserted { continue }  // trials 0 and 1: no repeat
                    texts.append(t)
                }
                let expected = Set(texts).count != texts.count
                let cut = size == 0 ? 0 : next() % (size + 1)
                let a = RosterText(texts[..<cut]), b = RosterText(texts[cut...])
                let hashes = [a, b].map { column in (0..<column.count).map { i in column.withUTF8(i) { rosterHash($0) } } }
                for threads in [1, 2] {
                    #expect(RosterText.hasRepeat([a, b], hashes: hashes, threads: threads) == expected, "size \(size), trial \(trial), threads \(threads)")
                }
                #expect(RosterText(texts).hasRepeat() == expected, "size \(size), trial \(trial)")
            }
        }
    }

    @Test("a roster read in two halves with an id repeated in the first half, the second, or across them: the one-pass error and line")
    func repeatedIdsInHalves() {
        var rows: [String] = []
        for i in 0..<150_000 { rows.append("V\(i),村\(i),縣\(i % 300),village,\(i % 9),\(i * 7)") }
        for (from, to) in [(10, 20_000), (60_000, 90_000), (5, 80_000), (99_999, 3), (70_000, 40_000)] {
            var r = rows
            r[to] = "V\(from),重複,縣1,village,1,1"
            let data = Data(("id,name,county,kind,cadres,income\n" + r.joined(separator: "\n") + "\n").utf8)
            #expect(data.count >= 4 << 20, "large enough to be split")
            let one = Roster.parse(data, file: "d.csv", threads: 1), two = Roster.parse(data, file: "d.csv", threads: 2)
            guard case .failure(let a) = two, case .failure(let b) = one else { Issue.record("V\(from) twice read without an error"); continue }
            #expect(a.diagnostics.map(\.message) == b.diagnostics.map(\.message))
            #expect(a.diagnostics.map(\.message) == ["id `V\(from)` appears twice"])
            #expect(a.diagnostics.first?.location?.line == Swift.max(from, to) + 2)
        }
    }
}
