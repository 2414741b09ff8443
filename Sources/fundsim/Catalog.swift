import ArgumentParser
import FundSimKit

struct Catalog: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a Markdown table of scenarios: jurisdiction, total, largest commitment, gap, failing checks.",
        discussion: "`make catalog` writes it to scenarios/README.md.")

    @Argument(help: "Scenario files, or folders of them.")
    var paths: [String]

    @OptionGroup var common: CommonOptions

    func run() throws {
        let command = CatalogCommand(ScenarioSelection(paths: paths, seeds: common.seeds, allowOutside: common.allowOutside))
        try finish { command.execute(common.console) }
    }
}
