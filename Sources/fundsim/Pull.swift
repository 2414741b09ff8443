import ArgumentParser
import FundSimKit

struct Pull: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring the inputs changed in a workbook back into its scenario.",
        discussion: """
            Reads the input cells of a workbook that `fundsim run` wrote, compares them with what it wrote, and
            shows each changed figure. By default it writes a variant that extends the scenario and holds only the
            changed inputs (SLUG-pulled.yaml beside the workbook); with --in-place it changes the figures in the
            scenario file itself, keeping its comments and layout (the previous text goes to FILE.bak).
            """)

    @Argument(help: "A workbook written by `fundsim run`.")
    var workbook: String

    @Flag(help: "Change the figures in the scenario file itself instead of writing a variant.")
    var inPlace = false

    @Option(name: .shortAndLong, help: "Where to write the variant (default: SLUG-pulled.yaml beside the workbook).")
    var output: String?

    @Option(help: "The scenario file, when it is no longer where the workbook says.")
    var scenario: String?

    @Flag(help: "Apply the workbook's changes even though the scenario changed since the workbook was written.")
    var force = false

    @Flag(help: "Show what changed and check it; write nothing.")
    var dryRun = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if inPlace && output != nil { throw ValidationError("--in-place changes the scenario itself: --output names a variant, so give one or the other") }
    }

    func run() throws {
        var command = PullCommand(workbook: workbook)
        command.inPlace = inPlace
        command.output = output
        command.scenario = scenario
        command.force = force
        command.dryRun = dryRun
        command.seeds = common.seeds
        try finish { command.execute(common.console) }
    }
}
