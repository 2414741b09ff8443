import Foundation

/// The limits a scenario must keep, stated once: validation checks them with the scenario's position, so a
/// scenario `validate` accepts is one that every writer can write (docs/scenario-format.md, "Limits").
public enum Limits {
    /// A figure (input, draw, varied value or computed row) whose magnitude is over this is absurd: 10^15 yuan
    /// is a thousand times a province's budget, and it is where doubles stop holding every fen.
    public static let absurdMagnitude = 1e15

    /// The deepest an expression may nest, counting every operator, unary minus and function call.
    ///
    /// The workbook writes each of them as one level of parentheses or one function, and a spreadsheet
    /// formula may nest 64 levels (Excel's limit; LibreOffice gives `#N/A` far beyond it). The same bound
    /// keeps every recursive walk over an expression shallow.
    public static let expressionDepth = 64

    /// The most characters one text may have: a spreadsheet cell holds 32,767 (libxlsxwriter refuses more).
    /// The longest formula a spreadsheet takes (Excel: 8,192 characters), and the most arguments one function takes
    /// (Excel: 255).
    public static let formulaCharacters = 8_192
    public static let functionArguments = 255
    public static let cellCharacters = 32_767

    /// The calendar years a workbook's `created:` date may fall in (libxlsxwriter stores it as seconds after
    /// 1970-01-01; a spreadsheet's dates end with 9999).
    public static let createdYears = 1971...9999

    /// Whether a text is safe in every writer: no control characters other than tab and line breaks (an XML part
    /// of a workbook cannot hold them, and a terminal would act on them).
    public static func firstControlCharacter(in text: String) -> (offset: Int, scalar: Unicode.Scalar)? {
        for (k, s) in text.unicodeScalars.enumerated() where isControl(s) { return (k, s) }
        return nil
    }

    /// C0 and C1 controls, DEL, and the non-characters XML forbids; not tab, line feed or carriage return.
    ///
    /// Every one is below U+00A0 or is U+FFFE or U+FFFF: the roster reader asks only about those (a test holds it).
    @inline(__always) public static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00...0x1F, 0x7F...0x9F, 0xFFFE, 0xFFFF: return true
        default: return false
        }
    }

    /// A text with control characters written as `\u{1}` escapes, for messages shown on a terminal.
    public static func escaped(_ text: String, keepingNewlines: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) || (!keepingNewlines && ($0 == "\n" || $0 == "\r")) }) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if isControl(s) || (!keepingNewlines && (s == "\n" || s == "\r")) {
                out.append(contentsOf: "\\u{\(String(s.value, radix: 16))}".unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}
