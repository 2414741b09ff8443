/// Open bugs the fuzzer finds at once, which others are fixing: the harness counts and reports an input that
/// matches one (the first of each on standard error, the totals at exit) instead of failing, so that the CI
/// pass fails only on something new. Each entry names its issue; when a fix lands, delete the entry and
/// run `make fuzz-lf` — `FUNDSIM_FUZZ_STRICT=1` ignores this list, to check that a fix holds.
///
/// Crashes cannot be recognised after the fact, so their entries screen the input before it runs; oracle
/// violations are recognised by what the oracle saw.
enum KnownProblems {
    struct Entry {
        var id: String
        var issue: Int
        var summary: String
    }

    /// `1+1+…`, `---…-1`, `1^1^…`: an expression tree as deep as its operator chain, walked recursively in
    /// Compiler.resolve (FundSimEngine/Compiler.swift), overflows the stack; the 64-level nesting limit
    /// counts parentheses, not operators.
    static let operatorChain = Entry(id: "operator-chain", issue: 19,
                                     summary: "a long operator chain in one expression overflows the stack in Compiler.resolve")
    /// `round(1, 400)` evaluates to NaN (Projection's round multiplies by 10^400); validation lets it through.
    static let roundNaN = Entry(id: "round-nan", issue: 19,
                                summary: "round(x, 400) gives NaN, which validation passes and the xlsx writer refuses")
    /// A scenario `validate` accepts holds a value a writer limit refuses: a row height over 409 points (an
    /// assumption of 28+ lines), a date before 1970 or after 9999, a string over 32,767 characters.
    static let writerLimit = Entry(id: "writer-limit", issue: 19,
                                   summary: "validate accepts a value over a libxlsxwriter limit (row height, date, string length), so run fails with 73")
    /// A unary-minus chain is written as a formula nested as deep as the chain (WorkbookBuilder's formula text).
    static let formulaDepth = Entry(id: "formula-depth", issue: 19,
                                    summary: "a formula nested deeper than Excel's 64 levels is written (LibreOffice computes #N/A)")
    /// `title: "A\x01B"` reaches docProps/core.xml raw: an invalid XML part, so a corrupt workbook.
    static let controlCharacter = Entry(id: "control-character", issue: 19,
                                        summary: "a control character in scenario text is written raw into the workbook's XML properties")

    static let all = [operatorChain, roundNaN, writerLimit, formulaDepth, controlCharacter]

    /// Operator characters on one line from which an expression is taken to be a known stack overflow. The
    /// debug and fuzzer builds crash from about 2,000; 500 leaves a margin without hiding real scenarios,
    /// whose longest line has a handful.
    static let chainLength = 500

    /// Screens an input before it runs: the crashes.
    static func before(_ text: String) -> Entry? {
        var n = 0
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "\n"): n = 0
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "^"):
                n += 1
                if n >= chainLength { return operatorChain }
            default: break
            }
        }
        return nil
    }

    /// Recognises an oracle violation that an open bug explains.
    static func classify(_ v: Oracle.Violation, text: String) -> Entry? {
        switch v.kind {
        case .nonFinite where text.contains("round"):
            return roundNaN
        case .writerFailed where v.detail.contains("not a finite number") && text.contains("round"):
            return roundNaN
        case .writerFailed where ["worksheet_set_row", "row height", "workbook_set_properties", "date", "32,767", "32767", "too long"]
                .contains(where: v.detail.contains):
            return writerLimit
        case .formulaTooDeep:
            return formulaDepth
        case .controlCharacter:
            return controlCharacter
        default:
            return nil
        }
    }
}
