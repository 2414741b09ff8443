import Foundation

/// A seed document as the citation check reads it: its lines, and where a quote first occurs.
///
/// The rule is Foundation's `range(of:)` on each line in turn (Unicode canonical equivalence, whole
/// characters). Most seed text is made of characters for which that rule is plain byte equality: printable
/// ASCII, CJK ideographs and the usual CJK and full-width punctuation have no canonical decomposition, combine
/// with nothing, and each is a character of its own. When both the quote and a line are made only of those,
/// the line is searched as UTF-8 bytes, which finds exactly what `range(of:)` finds and takes a fraction of its
/// time; any other line or quote is searched with `range(of:)` itself.
struct SeedDocument: Sendable {
    /// The lines, split at line feeds.
    let lines: [String]
    /// Each line's UTF-8 bytes when every scalar in it is plain (see `isPlain`); nil otherwise.
    let plainBytes: [[UInt8]?]

    init(_ text: String) {
        lines = text.components(separatedBy: "\n")
        plainBytes = lines.map { line in line.unicodeScalars.allSatisfy(Self.isPlain) ? Array(line.utf8) : nil }
    }

    /// Where `quote` first occurs: 1-based line, and 1-based column counted in Unicode scalars; nil when no
    /// line contains it.
    func find(_ quote: String) -> (line: Int, column: Int)? {
        let plainQuote = !quote.isEmpty && quote.unicodeScalars.allSatisfy(Self.isPlain) ? Array(quote.utf8) : nil
        for (i, line) in lines.enumerated() {
            if let needle = plainQuote, let hay = plainBytes[i] {
                guard let at = Self.firstOffset(of: needle, in: hay) else { continue }
                // Scalars before the match: the bytes that start one (not UTF-8 continuation bytes).
                return (i + 1, hay[..<at].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } + 1)
            }
            if let r = line.range(of: quote) {
                let scalars = line.unicodeScalars
                return (i + 1, scalars.distance(from: scalars.startIndex, to: r.lowerBound.samePosition(in: scalars) ?? scalars.startIndex) + 1)
            }
        }
        return nil
    }

    /// Whether a scalar is its own character and canonically equivalent to nothing else: printable ASCII and tab,
    /// CJK ideographs (main block and extension A), CJK symbols and punctuation without the combining tone marks
    /// U+302A–U+302F, the general punctuation U+2010–U+2027 and U+2030–U+205E (no spaces, separators or
    /// invisible marks), number forms U+2150–U+2188 (Ⅻ), bopomofo U+3100–U+312F, full-width forms U+FF01–U+FF60
    /// and U+FFE0–U+FFE6. None of them has a canonical decomposition, a non-zero combining class, or a
    /// grapheme-cluster rule that joins it to a neighbour.
    static func isPlain(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x20...0x7E: return true
        case 0x3000...0x3029, 0x3030...0x303F: return true
        case 0x3400...0x4DBF, 0x4E00...0x9FFF: return true
        case 0x2010...0x2027, 0x2030...0x205E, 0x2150...0x2188: return true
        case 0x3100...0x312F: return true
        case 0xFF01...0xFF60, 0xFFE0...0xFFE6: return true
        default: return false
        }
    }

    /// The byte offset of the first occurrence of `needle` (not empty) in `hay`.
    private static func firstOffset(of needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard needle.count <= hay.count else { return nil }
        let first = needle[0]
        var at = 0
        while at <= hay.count - needle.count {
            if hay[at] == first, hay[at..<at + needle.count].elementsEqual(needle) { return at }
            at += 1
        }
        return nil
    }
}
