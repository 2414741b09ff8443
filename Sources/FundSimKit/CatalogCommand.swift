import Foundation
import FundSimModel
import FundSimEngine

/// `fundsim catalog`: the Markdown table of scenarios in `scenarios/README.md`.
public struct CatalogCommand {
    public var paths: [String]
    public var seeds: String?
    /// Files or folders outside the scenario's project that it may name (`--allow-outside`).
    public var allowOutside: [String] = []

    public init(paths: [String], seeds: String? = nil) {
        self.paths = paths
        self.seeds = seeds
    }

    /// Prints the table; exit 1 (and no table) when a scenario is invalid.
    public func execute(_ console: Console = .standard) -> Int32 {
        let pipeline = Pipeline(seedsDirectory: seeds, allowOutside: allowOutside)
        var items: [(path: String, scenario: Scenario, projection: Projection)] = []
        for file in Pipeline.expand(paths) {
            let r = pipeline.project(file)
            guard let s = r.scenario, let p = r.projection else {
                console.err(r.rendered)
                return ExitStatus.invalid
            }
            items.append((file, s, p))
        }
        console.out(Pipeline.catalog(items))
        return ExitStatus.ok
    }
}
