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
        /// An input that shows it, relative to the project (`fundsim-libfuzz --known` replays each).
        var witness: String
    }

    /// `1+1+…`, `---…-1`, `1^1^…`: an expression tree as deep as its operator chain, walked recursively in
    /// Compiler.resolve (FundSimEngine/Compiler.swift), overflows the stack; the 64-level nesting limit
    /// counts parentheses, not operators.
    static let operatorChain = Entry(id: "operator-chain", issue: 19,
                                     summary: "a long operator chain in one expression overflows the stack in Compiler.resolve",
                                     witness: "Tests/FundSimTests/Fixtures/hostile/minus_chain.yaml")
    /// A scenario `validate` accepts holds a value a writer limit refuses: a row height over 409 points (an
    /// assumption of 28+ lines), a date before 1970 or after 9999, a string over 32,767 characters.
    static let writerLimit = Entry(id: "writer-limit", issue: 19,
                                   summary: "validate accepts a value over a libxlsxwriter limit (row height, date, string length), so run fails with 73",
                                   witness: "Tests/FundSimTests/Fixtures/hostile/created_1969.yaml")
    /// A unary-minus chain is written as a formula nested as deep as the chain (WorkbookBuilder.formula).
    static let formulaDepth = Entry(id: "formula-depth", issue: 19,
                                    summary: "a formula nested deeper than Excel's 64 levels is written (LibreOffice computes #N/A)",
                                    witness: "Tests/FundSimTests/Fixtures/fuzz/formula-nested-120-deep.yaml")
    /// `title: "A\x01B"` reaches docProps/core.xml raw: an invalid XML part, so a corrupt workbook.
    static let controlCharacter = Entry(id: "control-character", issue: 19,
                                        summary: "a control character in scenario text is written raw into the workbook's XML properties",
                                        witness: "Tests/FundSimTests/Fixtures/hostile/title_control_char.yaml")

    /// A roster text field (name, county) with a NUL character or over 32,767 characters reaches the detail
    /// sheet (`--detail`); RosterKernel/Roster.parse accept it and libxlsxwriter refuses it.
    static let rosterText = Entry(id: "roster-text", issue: 19,
                                  summary: "a roster text field with a NUL byte or over 32,767 characters passes validation; the detail sheet's writer refuses it",
                                  witness: "Tests/FundSimTests/Fixtures/fuzz/roster-nul-in-county.csv")

    /// Diagnostics quote the scenario's line, and the summary its titles, as they are: an escape sequence
    /// in the file reaches the terminal (FundSimModel/Diagnostic.swift: DiagnosticRenderer; TerminalSummary).
    static let terminalControl = Entry(id: "terminal-control", issue: 19,
                                       summary: "control characters and escape sequences from the input are printed raw to the terminal",
                                       witness: "Tests/FundSimTests/Fixtures/fuzz/escape-in-diagnostic.yaml")

    /// Found by this fuzzer (not in the issue's list, but its invariant): a scenario without sources is valid,
    /// and the summary sheet's "each source" chart then has no series (FundSimReport/WorkbookBuilder.swift,
    /// the summary sheet's charts), which libxlsxwriter refuses: run exits 73.
    static let chartWithoutSeries = Entry(id: "chart-without-series", issue: 19,
                                          summary: "a scenario without sources is valid, but its summary chart has no series and the xlsx writer refuses it",
                                          witness: "Tests/FundSimTests/Fixtures/fuzz/no-sources-chart-without-series.yaml")

    /// Found by this fuzzer: an input name over 128 characters is valid, and the workbook defines an Excel
    /// name for each input (FundSimReport/WorkbookBuilder.swift, `definedNames`), which libxlsxwriter
    /// refuses over 128 characters: run exits 73.
    static let definedNameLength = Entry(id: "defined-name-length", issue: 19,
                                         summary: "an input name over 128 characters is valid, but the workbook's defined name for it is refused",
                                         witness: "Tests/FundSimTests/Fixtures/fuzz/input-name-over-128.yaml")

    static let all = [operatorChain, writerLimit, formulaDepth, controlCharacter, rosterText, terminalControl, chartWithoutSeries,
                      definedNameLength]

    /// Operator characters on one line from which an expression is taken to be the known stack overflow.
    /// Measured on 2026-11-27 with a chain of `-`, `1+` or `1^`: the debug build (the replayer, and `fundsim`
    /// as `make run` builds it) survives 2,000 and crashes at 2,600; the release fuzzer build did not crash
    /// even at 15,000, past `-max_len`. 1,500 keeps the debug replayer and the tests safe. A shorter chain
    /// still runs, and the formula-depth entry catches what it writes.
    static let chainLength = 1_500

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
    static func classify(_ v: Oracle.Violation, text: String, roster: Bool) -> Entry? {
        switch v.kind {
        case .writerFailed where roster && (v.detail.contains("NUL character") || v.detail.contains("32,767") || v.detail.contains("32767")):
            return rosterText
        case .writerFailed where v.detail.contains("worksheet_insert_chart") && v.detail.contains("a chart needs a series"):
            return chartWithoutSeries
        case .writerFailed where v.detail.contains("workbook_define_name") && v.detail.contains("128 characters"):
            return definedNameLength
        case .writerFailed where ["worksheet_set_row", "workbook_set_properties", "32,767", "32767"].contains(where: v.detail.contains):
            return writerLimit
        case .formulaTooDeep:
            return formulaDepth
        case .controlCharacter:
            return controlCharacter
        case .terminalControl:
            return terminalControl
        default:
            return nil
        }
    }
}
