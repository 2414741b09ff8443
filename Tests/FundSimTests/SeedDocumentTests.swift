import Foundation
import Testing
import TestSupport
@testable import FundSimScenario

/// The citation check's quote search against the rule it stands for: Foundation's `range(of:)` on each line.
@Suite("Seed document quote search")
struct SeedDocumentTests {
    /// The rule itself, as the decoder applied it before the byte search.
    static func oracle(_ text: String, _ quote: String) -> (line: Int, column: Int)? {
        for (i, line) in text.components(separatedBy: "\n").enumerated() {
            if let r = line.range(of: quote) {
                let s = line.unicodeScalars
                return (i + 1, s.distance(from: s.startIndex, to: r.lowerBound.samePosition(in: s) ?? s.startIndex) + 1)
            }
        }
        return nil
    }

    static func same(_ a: (line: Int, column: Int)?, _ b: (line: Int, column: Int)?) -> Bool {
        a?.line == b?.line && a?.column == b?.column
    }

    @Test("every quote the scenarios cite, and pieces of every seed line, are found where range(of:) finds them")
    func seedText() throws {
        let dir = Project.seeds
        let file = try #require(((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).first { $0.hasSuffix(".txt") })
        let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
        let doc = SeedDocument(text)
        var quotes: [String] = []
        // The byte search is what is tested: most of the seed's lines are plain.
        #expect(doc.plainBytes.compactMap { $0 }.count * 4 > doc.lines.count * 3)
        // Pieces of each line: starts across it, a few lengths (a piece often recurs on a later line, or earlier).
        for line in text.components(separatedBy: "\n") {
            let chars = Array(line)
            for start in stride(from: 0, to: chars.count, by: 11) {
                for len in [1, 4, 13] where start + len <= chars.count { quotes.append(String(chars[start..<start + len])) }
            }
        }
        var lookedUp = 0
        for path in Project.scenarios {
            let yaml = try String(contentsOfFile: path, encoding: .utf8)
            // `cite: 「…」` and `quote: …` lines: the quoted text as written.
            for line in yaml.components(separatedBy: "\n") {
                for key in ["cite: ", "quote: "] {
                    guard let r = line.range(of: key) else { continue }
                    var q = String(line[r.upperBound...]).trimmingCharacters(in: .whitespaces)
                    if q.hasPrefix("\""), q.hasSuffix("\""), q.count >= 2 { q = String(q.dropFirst().dropLast()) }
                    if !q.isEmpty, !q.hasPrefix("{") { quotes.append(q); lookedUp += 1 }
                }
            }
        }
        #expect(lookedUp > 50, "the scenarios' quotes were not found in their text")
        var found = 0
        for q in quotes {
            let expected = Self.oracle(text, q)
            if expected != nil { found += 1 }
            #expect(Self.same(doc.find(q), expected), "「\(q)」: \(String(describing: doc.find(q))) against \(String(describing: expected))")
        }
        // Not found too: a piece with one character changed.
        for q in quotes.prefix(300) where q.count > 2 {
            let changed = String(q.dropLast()) + "鑫"
            #expect(Self.same(doc.find(changed), Self.oracle(text, changed)), "「\(changed)」")
        }
        #expect(found > quotes.count / 2)
    }

    @Test("text where canonical equivalence or whole characters matter is searched as range(of:) searches it",
          arguments: [
            // Precomposed and decomposed é: equivalent, found on the first line whichever is written.
            ("caf\u{E9} au lait\ncafe\u{301}", "cafe\u{301}"),
            ("cafe\u{301} au lait\ncaf\u{E9}", "caf\u{E9}"),
            // A quote ending where the line goes on with a combining mark: not a whole character there.
            ("資金e\u{301}\n資金e", "資金e"),
            ("資金e\u{301}\n資金e", "e"),
            // Hangul syllables and their jamo.
            ("\u{1100}\u{1161}\u{11A8} 가\n각", "각"),
            // A compatibility ideograph decomposes to the unified one.
            ("\u{F900}年\n豈年", "豈年"),
            // Carriage returns before the line feeds, a tab, full-width punctuation.
            ("第一行，甲\r\n第二行：乙\r\n\t（丙）", "（丙）"),
            ("第一行，甲\r\n第二行：乙\r\n", "乙\r"),
            ("第一行，甲\r\n第二行：乙\r\n", "乙"),
            // A flag (two regional indicators) and an emoji sequence: one character each.
            ("\u{1F1E8}\u{1F1F3}\u{1F1E8}\n\u{1F1F3}", "\u{1F1F3}"),
            ("👩‍👩‍👧 家\n👩 家", "👩"),
            // A plain quote over a line that is not plain, then a plain line.
            ("é 資金 3000萬元\n資金 3000萬元", "資金 3000萬元"),
            ("資金 3000萬元", "資金 3000萬元 更多"),
          ])
    func unicode(_ c: (text: String, quote: String)) {
        let doc = SeedDocument(c.text)
        #expect(Self.same(doc.find(c.quote), Self.oracle(c.text, c.quote)),
                "\(String(describing: doc.find(c.quote))) against \(String(describing: Self.oracle(c.text, c.quote)))")
    }

    @Test("the plain characters are those with no canonical decomposition, combining class or joining rule")
    func plainSet() {
        for v in [0x20, 0x41, 0x7E, 0x3002, 0x300C, 0x4E00, 0x842C, 0x2026, 0x201C, 0xFF0C, 0xFF1A] as [UInt32] {
            #expect(SeedDocument.isPlain(Unicode.Scalar(v)!), "U+\(String(v, radix: 16))")
        }
        // Decomposable (é, 가, 豈 U+F900), combining (U+0301, U+302A), joining (ZWJ, U+FF9E), separators and CR.
        for v in [0xE9, 0xAC00, 0xF900, 0x301, 0x302A, 0x200D, 0xFF9E, 0x2028, 0x2000, 0x0D, 0x0A] as [UInt32] {
            #expect(!SeedDocument.isPlain(Unicode.Scalar(v)!), "U+\(String(v, radix: 16))")
        }
        // Every plain scalar is a character of its own beside others, and its canonical decomposition is itself.
        var plain = 0
        for v in UInt32(0)...0xFFFF {
            guard let u = Unicode.Scalar(v), SeedDocument.isPlain(u) else { continue }
            plain += 1
            let s = String(u)
            #expect(("a" + s + "中" + s).count == 4 && s.decomposedStringWithCanonicalMapping == s, "U+\(String(v, radix: 16))")
        }
        #expect(plain > 20_000)
    }
}
