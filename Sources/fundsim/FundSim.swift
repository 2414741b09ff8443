import ArgumentParser

/// The `fundsim` command: each subcommand parses its arguments and calls FundSimKit, which does the work.
@main
struct FundSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fundsim",
        abstract: "Project multi-year grassroots funding commitments into live Excel models.",
        discussion: "Exit codes: 0 success; 1 invalid scenario (or a failing check with --strict); 64 bad usage; 73 output not written.",
        version: "0.1.0",
        subcommands: [Run.self, Validate.self, Compare.self, Sensitivity.self, Simulate.self, Solve.self, Watch.self, RosterCommand.self, New.self, Schema.self, Catalog.self, Pull.self],
        defaultSubcommand: nil
    )
}
