import ArgumentParser
import FundSimKit

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
        var command = SolveCommand(file: file, vary: vary, until: until)
        command.low = low
        command.high = high
        command.seeds = common.seeds
        command.allowOutside = common.allowOutside
        try finish { try command.execute() }
    }
}
