import ArgumentParser
import FundSimKit

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-run a scenario whenever it, a file it extends, its roster or a seed it quotes is saved; show diagnostics while it is invalid.",
        discussion: "A broken save never replaces a good workbook: files are written only from a valid scenario, to a temporary name, then renamed.")

    @Argument(help: "The scenario.") var file: String
    @OptionGroup var output: OutputOptions
    @OptionGroup var formats: FormatOptions
    @Option(help: "Seconds between looks at the files (0.05 to 3600).") var interval: Double = 0.3
    @Option(help: "Stop after this many runs (for scripts and tests).") var maxRuns: Int?
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let problem = Watcher.problem(interval: interval, maxRuns: maxRuns) { throw ValidationError(problem) }
    }

    func run() throws {
        var watcher = Watcher(file: file, output: output.output, formats: formats.formats, interval: interval, maxRuns: maxRuns)
        watcher.force = output.force
        watcher.seeds = common.seeds
        watcher.allowOutside = common.allowOutside
        try finish { watcher.run(common.console) }
    }
}
