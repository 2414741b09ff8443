import ArgumentParser
import Foundation
import FundSimKit

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Monte Carlo: draw every input that has a distribution and report P10/P50/P90 and check probabilities.",
        discussion: "The same seed gives the same result whatever --threads is. Writes OUTPUT/SLUG-simulation.xlsx with a fan chart.")

    @Argument(help: "The scenario.") var file: String
    @Option(help: "Number of draws.") var draws: Int = 1000
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Threads (default: all cores).") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @OptionGroup var output: OutputOptions
    @Flag(help: "Print the summary only; write no workbook.") var noWorkbook = false
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let problem = SimulateCommand.problem(draws: draws, threads: threads) { throw ValidationError(problem) }
    }

    func run() throws {
        var command = SimulateCommand(file: file)
        command.draws = draws
        command.seed = seed
        command.threads = threads
        command.output = output.output
        command.force = output.force
        command.workbook = !noWorkbook
        command.seeds = common.seeds
        command.allowOutside = common.allowOutside
        try finish { command.execute(common.console) }
    }
}
