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

    // Empty: the eight problems this list held (issue 19's operator chains, writer limits, formula depth,
    // control characters in the workbook and the terminal, roster text; the fuzzer's own finds, a chart with
    // no series and a defined name over 128 bytes) are fixed, and their witnesses are regression fixtures
    // that the strict oracle replays (FuzzHarnessTests). Add an entry here only for a bug that is being fixed.
    static let all: [Entry] = []

    /// Screens an input before it runs, for a known crash (none is known).
    static func before(_ text: String) -> Entry? { nil }

    /// Recognises an oracle violation that an open bug explains (a new entry adds its case here; none is open).
    static func classify(_ v: Oracle.Violation, text: String, roster: Bool) -> Entry? { nil }
}
