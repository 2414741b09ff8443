import ArgumentParser
import FundSimKit

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a commented starter scenario that validates and runs.")

    @Argument(help: "The new scenario's name or path (`.yaml` is added).")
    var name: String

    @Flag(help: "Replace the file if it exists.")
    var force = false

    func run() throws {
        var command = NewCommand(name: name)
        command.force = force
        try finish { try command.execute() }
    }
}
