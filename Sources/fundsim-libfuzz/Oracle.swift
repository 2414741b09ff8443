import Foundation
import FundSimKit
import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters

/// What must hold for every input (issue 19's invariant), checked after each one:
/// 1. no crash, no hang (libFuzzer's `-timeout`), no runaway memory (`-rss_limit_mb`);
/// 2. an input `validate` accepts is written by `run` without a writer error: the xlsx (through
///    libxlsxwriter, to a real file), the roll-up a folder run adds, the CSV, the JSON and the terminal
///    summary; so `run` exits 0 or 1;
/// 3. no NaN or infinity in any number cell, cached formula value, streamed roster cell or exported amount;
/// 4. every formula within the spreadsheet limits: at most 64 nesting levels, at most 8,192 characters;
/// 5. no control character (other than tab, line feed, carriage return) in the document properties, which
///    libxlsxwriter writes raw into `docProps/core.xml`;
/// 6. no control character (other than tab and line feed) in what goes to the terminal: the rendered
///    diagnostics and the summary (FundSim writes no escape sequences of its own).
/// A violation prints what broke and aborts, so libFuzzer saves the input; one matching an entry of
/// `KnownProblems` (an open bug others are fixing) is counted and reported at exit instead.
final class Oracle: @unchecked Sendable {
    static let shared = Oracle()

    enum Outcome: String {
        case rejected = "rejected with diagnostics"
        case written = "valid; written without a problem"
        case knownProblem = "a known open problem (reported, not failed)"
    }

    /// What the oracle saw go wrong with one input.
    struct Violation: CustomStringConvertible {
        enum Kind: String { case writerFailed, nonFinite, formulaTooDeep, formulaTooLong, controlCharacter, terminalControl }
        var kind: Kind
        var detail: String
        var description: String { "\(kind.rawValue): \(detail)" }
    }

    /// The project: the scenarios' seeds, `extends:` targets and the seed corpus are read from here.
    let root: String
    /// Where each input's files are written (removed at exit).
    let work: String
    /// With FUNDSIM_FUZZ_STRICT=1 the known-problem list is ignored: every problem fails.
    let strict: Bool
    let pipeline: Pipeline
    /// The file being replayed, for messages.
    var current: String?
    private(set) var counts: [Outcome: Int] = [:]
    private(set) var knownHits: [String: Int] = [:]

    init() {
        let env = ProcessInfo.processInfo.environment
        root = env["FUNDSIM_ROOT"] ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        strict = env["FUNDSIM_FUZZ_STRICT"] == "1"
        // In memory where the system has it: every valid input writes a workbook.
        let shm = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()
        work = shm + "fundsim-libfuzz-\(getpid())"
        // A run that aborted on a finding could not remove its folder: remove those of dead processes.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: shm)) ?? [] where name.hasPrefix("fundsim-libfuzz-") {
            if let pid = Int32(name.dropFirst("fundsim-libfuzz-".count)), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(atPath: shm + name)
            }
        }
        try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        pipeline = Pipeline(seedsDirectory: root + "/seeds")
    }

    /// The scenario file the input pretends to be: beside the variants, so `extends: ../enshi.yaml` and the
    /// project's `seeds/` resolve as they do for the real files.
    var scenarioPath: String { root + "/scenarios/variants/fuzz-input.yaml" }

    /// Byte 0x01 first: a roster (the rest of the input) under a fixed scenario that uses every roster feature.
    static let rosterMarker: UInt8 = 0x01

    func check(_ bytes: [UInt8]) -> Outcome {
        let outcome: Outcome
        if bytes.first == Self.rosterMarker {
            outcome = roster(Array(bytes.dropFirst()))
        } else if let text = String(validating: bytes, as: UTF8.self) {
            outcome = scenario(text, path: scenarioPath, detail: false)
        } else {
            // The loader refuses a file that is not UTF-8 before parsing it: nothing further to reach.
            outcome = .rejected
        }
        counts[outcome, default: 0] += 1
        return outcome
    }

    func roster(_ csv: [UInt8]) -> Outcome {
        let dir = work + "/roster"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: dir + "/r.csv", contents: Data(csv)) else { fatalError("cannot write \(dir)/r.csv") }
        return scenario(Self.rosterScenario, path: dir + "/r.yaml", detail: true, shown: String(decoding: csv, as: UTF8.self))
    }

    /// The scenario a fuzzed roster runs under: counts, sums and conditions over columns, and the
    /// per-village collective economy, with the detail sheet (`--detail`).
    static let rosterScenario = """
        title: 台賬
        years: 2016-2018
        roster: r.csv
        sources: {縣財政: {}}
        inputs:
          村數: {roster: count, where: village}
          小中心數: {roster: count, where: "village and centre_area < 120"}
          黨員總數: {roster: sum, of: members}
        commitments:
          - {id: training, title: 培訓, kind: operating_fund, count: 黨員總數, rate: {value: 200元, assumption: t}, funding: 縣財政}
          - {id: centres, title: 中心, kind: operating_fund, count: 小中心數 + 村數, rate: {value: 1萬, assumption: t}, funding: 縣財政}
          - id: ce
            title: 集體經濟
            kind: collective_economy
            assumption: t
            roster_income: income
            bands:
              - {name: 空殼村, hollow: true}
              - {name: 5萬以下, below: 5萬}
              - {name: 5萬以上}
            growth: 10%
            support: {per_village: 10萬, return: 30%, budget: 20萬}
            targets:
              - {above: 5萬, share: 50%, by: 2017}
            funding: 縣財政

        """

    func scenario(_ text: String, path: String, detail: Bool, shown: String? = nil) -> Outcome {
        if !strict, let k = KnownProblems.before(text) {
            hit(k, shown ?? text)
            return .knownProblem
        }
        let r = pipeline.project(text: text, path: path)
        var problems: [Violation] = []
        let rendered = r.rendered
        if let c = Self.terminalControl(rendered) {
            problems.append(Violation(kind: .terminalControl, detail: "the diagnostics print \(c): \(Self.excerpt(rendered))"))
        }
        guard let s = r.scenario, let p = r.projection else { return settle(problems, shown ?? text, roster: shown != nil) ?? .rejected }
        // What `run` does with a valid scenario (RunCommand → Pipeline.write), the files in memory or in `work`.
        var builder = WorkbookBuilder(scenario: s, projection: p)
        builder.includeDetail = detail
        let book = builder.build()
        problems += Self.inspect(book)
        do {
            try XLSXRenderer.write(book, to: work + "/out.xlsx")
        } catch {
            problems.append(Violation(kind: .writerFailed, detail: "the xlsx writer failed: \(error)"))
        }
        // `run FOLDER` also writes the roll-up, summing this scenario with the others (here: with itself).
        if problems.isEmpty {
            let rollup = RollupBuilder([(s, p), (s, p)], language: s.language).build(created: s.created ?? WorkbookBuilder.creationDate(s))
            problems += Self.inspect(rollup)
            do {
                try XLSXRenderer.write(rollup, to: work + "/rollup.xlsx")
            } catch {
                problems.append(Violation(kind: .writerFailed, detail: "the roll-up's xlsx writer failed: \(error)"))
            }
        }
        let figures = p.commitmentFigures()
        for c in figures {
            for part in c.bySource where part.amounts.contains(where: { !$0.isFinite }) {
                problems.append(Violation(kind: .nonFinite, detail: "the CSV/JSON amount of \(c.info.id) from \(part.source) is \(part.amounts)"))
            }
        }
        if problems.isEmpty {
            _ = TidyExport.csv(s, p)
            _ = TidyExport.json(s, p)
            let printed = summary(s, p)
            if let c = Self.terminalControl(printed) {
                problems.append(Violation(kind: .terminalControl, detail: "the summary prints \(c): \(Self.excerpt(printed))"))
            }
        }
        return settle(problems, shown ?? text, roster: shown != nil) ?? .written
    }

    /// Fails on the first problem no known entry explains; nil when there was none, `.knownProblem` otherwise.
    func settle(_ problems: [Violation], _ text: String, roster: Bool) -> Outcome? {
        guard !problems.isEmpty else { return nil }
        for v in problems {
            if !strict, let k = KnownProblems.classify(v, text: text, roster: roster) {
                hit(k, text)
            } else {
                fail(v, text)
            }
        }
        return .knownProblem
    }

    /// The first character a terminal would act on rather than show: C0 controls but tab and line feed, DEL, C1.
    static func terminalControl(_ s: String) -> String? {
        s.unicodeScalars.first { ($0.value < 0x20 && $0 != "\t" && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
            .map { String(format: "U+%04X", $0.value) }
    }

    /// Oracle items 3–5 over the report model: every number, formula and property the writer is given.
    static func inspect(_ book: ReportBook) -> [Violation] {
        var out: [Violation] = []
        func at(_ sheet: String, _ row: Int, _ col: Int) -> String { "\(sheet)!R\(row + 1)C\(col + 1)" }
        let props = book.properties
        for (name, value) in [("title", props.title), ("subject", props.subject), ("author", props.author), ("company", props.company),
                              ("keywords", props.keywords), ("comments", props.comments)]
        where value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" }) {
            out.append(Violation(kind: .controlCharacter, detail: "document property \(name) holds a control character: \(value.debugDescription.prefix(80))"))
        }
        for sheet in book.sheets {
            for cell in sheet.cells {
                switch cell.value {
                case .number(let v) where !v.isFinite:
                    out.append(Violation(kind: .nonFinite, detail: "\(at(sheet.name, cell.row, cell.col)) is \(v)"))
                case .formula(let f, let cached):
                    if case .number(let v) = cached, !v.isFinite {
                        out.append(Violation(kind: .nonFinite, detail: "\(at(sheet.name, cell.row, cell.col)) caches \(v) for \(f.prefix(80))"))
                    }
                    let depth = nesting(f)
                    if depth > 64 {
                        out.append(Violation(kind: .formulaTooDeep, detail: "\(at(sheet.name, cell.row, cell.col)) nests \(depth) levels (Excel allows 64): \(f.prefix(80))…"))
                    }
                    if f.utf16.count > Limits.formulaCharacters {
                        out.append(Violation(kind: .formulaTooLong, detail: "\(at(sheet.name, cell.row, cell.col)) is \(f.utf16.count) characters long (Excel allows 8,192)"))
                    }
                default: break
                }
            }
            if let stream = sheet.stream {
                var texts = [String](repeating: "", count: stream.textColumns)
                var numbers = [Double](repeating: 0, count: stream.numberColumns)
                for i in 0..<stream.rowCount {
                    stream.fill(i, &texts, &numbers)
                    if let k = numbers.firstIndex(where: { !$0.isFinite }) {
                        out.append(Violation(kind: .nonFinite, detail: "\(at(sheet.name, stream.startRow + i, stream.textColumns + k)) (streamed) is \(numbers[k])"))
                        break
                    }
                }
            }
        }
        return out
    }

    /// The deepest parenthesis nesting of a formula, outside string literals.
    static func nesting(_ f: String) -> Int {
        var depth = 0, deepest = 0, quoted = false
        for ch in f.utf8 {
            if ch == UInt8(ascii: "\"") { quoted.toggle() }
            if quoted { continue }
            if ch == UInt8(ascii: "(") { depth += 1; deepest = max(deepest, depth) }
            if ch == UInt8(ascii: ")") { depth -= 1 }
        }
        return deepest
    }

    private var reported = Set<String>()

    func hit(_ k: KnownProblems.Entry, _ text: String) {
        knownHits[k.id, default: 0] += 1
        if reported.insert(k.id).inserted {
            FileHandle.standardError.write(Data("fundsim-libfuzz: known problem \(k.id) (issue \(k.issue)): \(k.summary); first input: \(Self.excerpt(text))\n".utf8))
        }
    }

    func fail(_ v: Violation, _ text: String) -> Never {
        FileHandle.standardError.write(Data("""
            fundsim-libfuzz: ORACLE VIOLATION \(v)
              input\(current.map { " \($0)" } ?? ""): \(Self.excerpt(text))
              (not on the known-problem list in Sources/fundsim-libfuzz/KnownProblems.swift)

            """.utf8))
        abort()
    }

    static func excerpt(_ text: String) -> String {
        let s = text.debugDescription
        return s.count > 240 ? String(s.prefix(240)) + "… (\(text.utf8.count) bytes)" : s
    }

    /// At exit: what was run, and how often each known problem was met.
    func finish() {
        try? FileManager.default.removeItem(atPath: work)
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return }
        var line = "fundsim-libfuzz: \(total) inputs: \(counts[.written] ?? 0) valid and written, \(counts[.rejected] ?? 0) rejected with diagnostics, \(counts[.knownProblem] ?? 0) known problems"
        if !knownHits.isEmpty {
            line += " (" + knownHits.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
