import ArgumentParser
import FundSimKit

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put scenarios side by side: totals by category, source and year, differences, changed assumptions.",
        discussion: "Writes OUTPUT/compare-BASE.xlsx: the base's live model with a drop-down that switches it between the scenarios.")

    @Argument(help: "The base scenario.") var base: String
    @Argument(help: "Alternatives (often variants that `extends` the base).") var alternatives: [String]
    @OptionGroup var output: OutputOptions
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if alternatives.isEmpty { throw ValidationError("name at least one alternative to compare with the base") }
    }

    func run() throws {
        var command = CompareCommand(base: base, alternatives: alternatives)
        command.output = output.output
        command.force = output.force
        command.seeds = common.seeds
        command.allowOutside = common.allowOutside
        try finish { command.execute(common.console) }
    }
}
