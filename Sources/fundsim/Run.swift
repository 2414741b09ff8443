import Foundation
import ArgumentParser
import FundSimKit

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Project scenarios and write their workbooks (and CSV/JSON).")

    @Argument(help: "Scenario files, or folders of them.")
    var paths: [String]

    @OptionGroup var output: OutputOptions
    @OptionGroup var formats: FormatOptions

    @Flag(help: "Exit 1 when any check fails (files are still written).")
    var strict = false

    @Flag(name: .shortAndLong, help: "Print only problems, not the summary tables.")
    var quiet = false

    @Flag(help: "For a scenario with a roster, add the per-village detail sheet (one row per roster row).")
    var detail = false

    @Flag(help: "Print how long each phase took, on standard error.")
    var timings = false

    @Option(help: "Also write the per-village detail grid of the run's scenario with a roster as CSV to this file (for benchmarks).")
    var detailCsv: String?

    @Option(help: "Scenario files projected and written at once (default: one per core); the output is the same.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("An actuals CSV for the scenario, instead of its `actuals:` (docs/actuals.md).", valueName: "file"))
    var actuals: String?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let problem = RunCommand.problem(paths: paths, jobs: jobs, actuals: actuals) { throw ValidationError(problem) }
    }

    func run() throws {
        var command = RunCommand(paths: paths, output: output.output, formats: formats.formats)
        command.strict = strict
        command.force = output.force
        command.quiet = quiet
        command.detail = detail
        command.timings = timings
        command.detailCSV = detailCsv
        command.seeds = common.seeds
        command.allowOutside = common.allowOutside
        command.jobs = jobs
        command.actuals = actuals
        try finish { command.execute(common.console) }
    }
}
