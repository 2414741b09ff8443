import ArgumentParser
import FundSimKit

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check scenario files and report every problem with its position.")

    @Argument(help: "Scenario files, or folders of them.")
    var paths: [String]

    @Option(help: ArgumentHelp("An actuals CSV for the scenario, instead of its `actuals:` (docs/actuals.md).", valueName: "file"))
    var actuals: String?

    @OptionGroup var common: CommonOptions

    func run() throws {
        var selection = ScenarioSelection(paths: paths, seeds: common.seeds, allowOutside: common.allowOutside)
        selection.actuals = actuals
        let command = ValidateCommand(selection)
        try finish { try command.execute(common.console) }
    }
}
