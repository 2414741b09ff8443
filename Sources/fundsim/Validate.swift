import ArgumentParser
import FundSimKit

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check scenario files and report every problem with its position.")

    @Argument(help: "Scenario files, or folders of them.")
    var paths: [String]

    @OptionGroup var common: CommonOptions

    func run() throws {
        let command = ValidateCommand(ScenarioSelection(paths: paths, seeds: common.seeds, allowOutside: common.allowOutside))
        try finish { try command.execute() }
    }
}
