import ArgumentParser
import FundSimKit

struct Sensitivity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move each input to its low and high value and rank the effect on the total and the largest gap.",
        discussion: "Low and high come from the input's `range: [low, high]`, or ±10% (--share). Writes OUTPUT/SLUG-sensitivity.xlsx with a tornado chart.")

    @Argument(help: "The scenario.") var file: String
    @Option(help: "The default move when an input states no range, as a fraction.") var share: Double = 0.10
    @OptionGroup var output: OutputOptions
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if !(share > 0 && share < 1) { throw ValidationError("--share must be between 0 and 1, e.g. 0.1 for ±10%") }
    }

    func run() throws {
        var command = SensitivityCommand(file: file)
        command.share = share
        command.output = output.output
        command.force = output.force
        command.seeds = common.seeds
        command.allowOutside = common.allowOutside
        try finish { command.execute(common.console) }
    }
}
