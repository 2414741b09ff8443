import ArgumentParser
import FundSimKit

struct RosterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "roster", abstract: "Roster tools.", subcommands: [Synth.self])

    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic roster CSV with documented, seed-derived distributions (docs/roster.md).")
        @Option(help: "Number of villages.") var villages: Int
        @Option(help: "Number of communities (default: a fifth of the villages).") var communities: Int?
        @Option(help: "Random seed.") var seed: UInt64 = 1
        @Option(name: .shortAndLong, help: "Output file (default: standard output); never replaces a file FundSim did not write.") var output: String?
        @Flag(help: "Replace the output file even if FundSim did not write it.") var force = false

        func validate() throws {
            if let problem = SynthCommand.problem(villages: villages, communities: communities) { throw ValidationError(problem) }
        }

        func run() throws {
            var command = SynthCommand(villages: villages)
            command.communities = communities
            command.seed = seed
            command.output = output
            command.force = force
            try finish { command.execute() }
        }
    }
}
