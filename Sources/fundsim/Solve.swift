import ArgumentParser
import FundSimKit

struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Goal seek: the value of one input at which a check just holds.",
        discussion: "Searches the input's `range`, or --low/--high (default: 0 to 10 × its value). Exit 1 when no value in the range works.")

    @Argument(help: "The scenario.") var file: String
    @Option(help: "The input to vary (its name, or COMMITMENT:FIELD for a figure written in a commitment).") var vary: String
    @Option(help: "The check that must hold (its id; `envelope.SOURCE` for a built-in envelope check).") var until: String
    @Option(help: "Lowest value to try: a figure as in a scenario (`1500萬`, `30%`, `200`); a plain number of money is yuan.") var low: String?
    @Option(help: "Highest value to try, written as --low.") var high: String?
    @OptionGroup var common: CommonOptions

    func run() throws {
        var command = SolveCommand(file: file, vary: vary, until: until)
        command.seeds = common.seeds
        command.allowOutside = common.allowOutside
        try finish {
            command.low = try low.map { try SolveCommand.figure($0, option: "--low") }
            command.high = try high.map { try SolveCommand.figure($0, option: "--high") }
            return try command.execute(common.console)
        }
    }
}
