import ArgumentParser
import Foundation
import FundSimKit
import FundSimModel
import FundSimEngine
import FundSimReport

@main
struct FundSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fundsim",
        abstract: "Project multi-year grassroots funding commitments into live Excel models.",
        discussion: "Exit codes: 0 success; 1 invalid scenario (or a failing check with --strict); 64 bad usage; 73 output not written.",
        version: "0.1.0",
        subcommands: [Run.self, Validate.self, Compare.self, Sensitivity.self, Simulate.self, Solve.self, Watch.self, RosterCommand.self, New.self, Schema.self, Catalog.self],
        defaultSubcommand: nil
    )
}

struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The folder of seed documents that `cite:` quotes are checked against (default: the nearest `seeds` folder above each scenario).")
    var seeds: String?
}

func printError(_ s: String) {
    FileHandle.standardError.write(Data(s.utf8))
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Project scenarios and write their workbooks (and CSV/JSON).")

    @Argument(help: "Scenario files, or folders of them.")
    var paths: [String]

    @Option(name: .shortAndLong, help: "Folder for the output files.")
    var output: String = "output"

    @Option(name: .long, help: "Comma-separated output formats: xlsx, csv, json.")
    var format: String = "xlsx"

    @Flag(help: "Exit 1 when any check fails (files are still written).")
    var strict = false

    @Flag(help: "Replace output files that FundSim did not write or that were changed since.")
    var force = false

    @Flag(name: .shortAndLong, help: "Print only problems, not the summary tables.")
    var quiet = false

    @Flag(help: "For a scenario with a roster, add the per-village detail sheet (one row per roster row).")
    var detail = false

    @Flag(help: "Print how long each phase took, on standard error.")
    var timings = false

    @Option(help: "Also dump the per-village detail grid as CSV to this file (for benchmarks).")
    var detailCsv: String?

    @Option(help: "Scenario files run at once (default: all cores); the output is the same.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if jobs < 1 || jobs > 256 { throw ValidationError("--jobs must be between 1 and 256") }
        for f in format.split(separator: ",") where OutputFormat(rawValue: f.trimmingCharacters(in: .whitespaces)) == nil {
            throw ValidationError("unknown format `\(f)`: use xlsx, csv or json, separated by commas")
        }
    }

    func run() throws {
        if Pipeline.expand(paths).isEmpty { throw ValidationError("no scenario files found in \(paths.joined(separator: ", "))") }
        var command = RunCommand(paths: paths, output: output,
                                 formats: format.split(separator: ",").compactMap { OutputFormat(rawValue: $0.trimmingCharacters(in: .whitespaces)) })
        command.strict = strict
        command.force = force
        command.quiet = quiet
        command.detail = detail
        command.timings = timings
        command.detailCSV = detailCsv
        command.seeds = common.seeds
        command.jobs = jobs
        let status = command.execute()
        if status != 0 { throw ExitCode(status) }
    }
}

struct Catalog: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a Markdown table of scenarios: jurisdiction, total, largest commitment, gap, failing checks.",
        discussion: "`make catalog` writes it to scenarios/README.md.")

    @Argument(help: "Scenario files, or folders of them.")
    var paths: [String]

    @OptionGroup var common: CommonOptions

    func run() throws {
        let pipeline = Pipeline(seedsDirectory: common.seeds)
        var items: [(path: String, scenario: Scenario, projection: Projection)] = []
        for file in Pipeline.expand(paths) {
            let r = pipeline.project(file)
            guard let s = r.scenario, let p = r.projection else {
                printError(r.rendered)
                throw ExitCode(ExitStatus.invalid)
            }
            items.append((file, s, p))
        }
        print(Pipeline.catalog(items), terminator: "")
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check scenario files and report every problem with its position.")

    @Argument(help: "Scenario files, or folders of them.")
    var paths: [String]

    @OptionGroup var common: CommonOptions

    func run() throws {
        let files = Pipeline.expand(paths)
        if files.isEmpty { throw ValidationError("no scenario files found in \(paths.joined(separator: ", "))") }
        let pipeline = Pipeline(seedsDirectory: common.seeds)
        var bad = 0
        for file in files {
            let r = pipeline.project(file)
            if !r.diagnostics.isEmpty { printError(r.rendered) }
            let errors = r.diagnostics.filter { $0.severity == .error }.count
            let warnings = r.diagnostics.filter { $0.severity == .warning }.count
            if r.ok {
                print("\(file): valid" + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : ""))
            } else {
                bad += 1
                printError("\(file): \(errors) error\(errors == 1 ? "" : "s")" + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "") + "\n")
            }
        }
        if bad > 0 { throw ExitCode(ExitStatus.invalid) }
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a commented starter scenario that validates and runs.")

    @Argument(help: "The new scenario's name or path (`.yaml` is added).")
    var name: String

    @Flag(help: "Replace the file if it exists.")
    var force = false

    func run() throws {
        let path = name.hasSuffix(".yaml") ? name : name + ".yaml"
        if FileManager.default.fileExists(atPath: path), !force {
            throw ValidationError("\(path) exists; choose another name or pass --force")
        }
        let text = Starter.text(for: path)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            printError("error: cannot write \(path)\n")
            throw ExitCode(ExitStatus.cannotWrite)
        }
        print("wrote \(path); try: fundsim run \(path)")
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the JSON Schema of scenario files (for editor completion).")
    func run() throws {
        print(ScenarioSchema.json, terminator: "")
    }
}

/// Loads and projects one scenario for an analysis command, printing diagnostics; exits 1 when invalid.
func projectOrExit(_ pipeline: Pipeline, _ file: String) throws -> (Scenario, Projection) {
    let r = pipeline.project(file)
    if !r.diagnostics.isEmpty { printError(r.rendered) }
    guard let s = r.scenario, let p = r.projection else {
        printError("\(file): not run: \(r.diagnostics.filter { $0.severity == .error }.count) error(s)\n")
        throw ExitCode(ExitStatus.invalid)
    }
    return (s, p)
}

func ensureFolder(_ path: String) {
    if !FileManager.default.fileExists(atPath: path) { try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
}

func writeOrExit(_ pipeline: Pipeline, _ book: ReportBook, _ path: String, force: Bool) throws {
    do {
        try pipeline.write(book, to: path, force: force)
        print("→ \(path)")
    } catch {
        printError("error: \(error)\n")
        throw ExitCode(ExitStatus.cannotWrite)
    }
}

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put scenarios side by side: totals by category, source and year, differences, changed assumptions.",
        discussion: "Writes OUTPUT/compare-BASE.xlsx: the base's live model with a drop-down that switches it between the scenarios.")

    @Argument(help: "The base scenario.") var base: String
    @Argument(help: "Alternatives (often variants that `extends` the base).") var alternatives: [String]
    @Option(name: .shortAndLong, help: "Folder for the workbook.") var output: String = "output"
    @Flag(help: "Replace a workbook FundSim did not write.") var force = false
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if alternatives.isEmpty { throw ValidationError("name at least one alternative to compare with the base") }
    }

    func run() throws {
        let pipeline = Pipeline(seedsDirectory: common.seeds)
        let b = try projectOrExit(pipeline, base)
        let alts = try alternatives.map { try projectOrExit(pipeline, $0) }
        let cmp = CompareBuilder(base: b, alternatives: alts)
        print(cmp.table(), terminator: "")
        ensureFolder(output)
        try writeOrExit(pipeline, cmp.build(), (output as NSString).appendingPathComponent("compare-\(b.0.slug).xlsx"), force: force)
    }
}

struct Sensitivity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move each input to its low and high value and rank the effect on the total and the largest gap.",
        discussion: "Low and high come from the input's `range: [low, high]`, or ±10% (--share). Writes OUTPUT/SLUG-sensitivity.xlsx with a tornado chart.")

    @Argument(help: "The scenario.") var file: String
    @Option(help: "The default move when an input states no range, as a fraction.") var share: Double = 0.10
    @Option(name: .shortAndLong, help: "Folder for the workbook.") var output: String = "output"
    @Flag(help: "Replace a workbook FundSim did not write.") var force = false
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if !(share > 0 && share < 1) { throw ValidationError("--share must be between 0 and 1, e.g. 0.1 for ±10%") }
    }

    func run() throws {
        let pipeline = Pipeline(seedsDirectory: common.seeds)
        let (s, p) = try projectOrExit(pipeline, file)
        guard let r = Analysis.sensitivity(p.model, defaultShare: share) else { throw ExitCode(ExitStatus.invalid) }
        print(AnalysisReports.sensitivityTable(s, r), terminator: "")
        ensureFolder(output)
        try writeOrExit(pipeline, AnalysisReports.sensitivityBook(s, r), (output as NSString).appendingPathComponent("\(s.slug)-sensitivity.xlsx"), force: force)
    }
}

/// A progress bar on standard error, shown only when it is a terminal.
final class ProgressBar: @unchecked Sendable {
    let total: Int
    let enabled = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    init(total: Int) { self.total = total }
    func update(_ done: Int) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let width = 30, filled = min(width, done * width / max(1, total))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(min(done, total))/\(total)".utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Monte Carlo: draw every input that has a distribution and report P10/P50/P90 and check probabilities.",
        discussion: "The same seed gives the same result whatever --threads is. Writes OUTPUT/SLUG-simulation.xlsx with a fan chart.")

    @Argument(help: "The scenario.") var file: String
    @Option(help: "Number of draws.") var draws: Int = 1000
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Threads (default: all cores).") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .shortAndLong, help: "Folder for the workbook.") var output: String = "output"
    @Flag(help: "Replace a workbook FundSim did not write.") var force = false
    @Flag(help: "Print the summary only; write no workbook.") var noWorkbook = false
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if draws < 1 || draws > 10_000_000 { throw ValidationError("--draws must be between 1 and 10,000,000") }
        if threads < 1 || threads > 256 { throw ValidationError("--threads must be between 1 and 256") }
    }

    func run() throws {
        let pipeline = Pipeline(seedsDirectory: common.seeds)
        let (s, p) = try projectOrExit(pipeline, file)
        let bar = ProgressBar(total: draws)
        let r = Analysis.simulate(p.model, draws: draws, seed: seed, threads: threads) { bar.update($0) }
        print(AnalysisReports.simulationTable(s, r, years: p.years), terminator: "")
        if !noWorkbook {
            ensureFolder(output)
            try writeOrExit(pipeline, AnalysisReports.simulationBook(s, r, years: p.years), (output as NSString).appendingPathComponent("\(s.slug)-simulation.xlsx"), force: force)
        }
    }
}

struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Goal seek: the value of one input at which a check just holds.",
        discussion: "Searches the input's `range`, or --low/--high (default: 0 to 10 × its value). Exit 1 when no value in the range works.")

    @Argument(help: "The scenario.") var file: String
    @Option(help: "The input to vary (its name, or COMMITMENT:FIELD for a figure written in a commitment).") var vary: String
    @Option(help: "The check that must hold (its id; `envelope.SOURCE` for a built-in envelope check).") var until: String
    @Option(help: "Lowest value to try (in base units: yuan, 1 = 100%).") var low: Double?
    @Option(help: "Highest value to try.") var high: Double?
    @OptionGroup var common: CommonOptions

    func run() throws {
        let pipeline = Pipeline(seedsDirectory: common.seeds)
        let (s, p) = try projectOrExit(pipeline, file)
        let m = p.model
        let movable = Analysis.movableInputs(m)
        guard let i = m.index[vary], movable.contains(i) else {
            let names = movable.map { m.rows[$0].id }
            throw ValidationError("`\(vary)` is not an input that can be varied" + (Suggest.didYouMean(vary, in: names).map { "; \($0)" } ?? "; inputs: " + names.prefix(12).joined(separator: ", ")))
        }
        guard let check = m.checks.first(where: { $0.id == until }) else {
            throw ValidationError("no check `\(until)`" + (Suggest.didYouMean(until, in: m.checks.map(\.id)).map { "; \($0)" } ?? "; checks: " + m.checks.map(\.id).joined(separator: ", ")))
        }
        let v0 = Analysis.firstValue(m, row: i)
        let lo = low ?? m.rows[i].range?.lowerBound ?? 0
        let hi = high ?? m.rows[i].range?.upperBound ?? max(1, abs(v0) * 10)
        guard lo < hi else { throw ValidationError("--low must be below --high") }
        let sol = Analysis.solve(m, input: i, check: check, low: lo, high: hi)
        let text = SolveReport.text(s, input: vary, current: v0, check: check, solution: sol)
        if sol.outcome == .neverHolds {
            printError(text)
            throw ExitCode(ExitStatus.invalid)
        }
        print(text, terminator: "")
    }
}

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-run a scenario on every save and rewrite its workbook; show diagnostics while it is invalid.",
        discussion: "A broken save never replaces a good workbook: files are written only from a valid scenario, to a temporary name, then renamed.")

    @Argument(help: "The scenario.") var file: String
    @Option(name: .shortAndLong, help: "Folder for the output files.") var output: String = "output"
    @Option(help: "Comma-separated output formats.") var format: String = "xlsx"
    @Option(help: "Seconds between looks at the file.") var interval: Double = 0.3
    @Option(help: "Stop after this many runs (for scripts and tests).") var maxRuns: Int?
    @Flag(help: "Replace output files FundSim did not write.") var force = false
    @OptionGroup var common: CommonOptions

    func run() throws {
        var watcher = Watcher(file: file, output: output,
                              formats: format.split(separator: ",").compactMap { OutputFormat(rawValue: $0.trimmingCharacters(in: .whitespaces)) },
                              interval: interval, maxRuns: maxRuns)
        watcher.force = force
        watcher.seeds = common.seeds
        watcher.run()
    }
}

struct RosterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "roster", abstract: "Roster tools.", subcommands: [Synth.self])

    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic roster CSV with documented, seed-derived distributions (docs/roster.md).")
        @Option(help: "Number of villages.") var villages: Int
        @Option(help: "Number of communities (default: a fifth of the villages).") var communities: Int?
        @Option(help: "Random seed.") var seed: UInt64 = 1
        @Option(name: .shortAndLong, help: "Output file (default: standard output).") var output: String?

        func validate() throws {
            if villages < 1 || villages > Roster.maxRows { throw ValidationError("--villages must be between 1 and \(Roster.maxRows)") }
        }

        func run() throws {
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil), let h = FileHandle(forWritingAtPath: output) else {
                    printError("error: cannot write \(output)\n")
                    throw ExitCode(ExitStatus.cannotWrite)
                }
                handle = h
            } else {
                handle = FileHandle.standardOutput
            }
            RosterSynth.generate(villages: villages, communities: communities ?? villages / 5, seed: seed) { handle.write(Data($0.utf8)) }
        }
    }
}
