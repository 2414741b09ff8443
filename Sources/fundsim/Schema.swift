import ArgumentParser
import FundSimKit

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the JSON Schema of scenario files (for editor completion).")

    func run() throws {
        print(ScenarioSchema.json, terminator: "")
    }
}
