import Foundation
import FundSimModel
import FundSimEngine

/// `fundsim catalog`: the Markdown table of scenarios in `scenarios/README.md`.
public struct CatalogCommand {
    public var selection: ScenarioSelection

    public init(_ selection: ScenarioSelection) { self.selection = selection }

    /// Prints the table; exit 1 (and no table) when a scenario is invalid.
    public func execute(_ console: Console = .standard) -> Int32 {
        let pipeline = selection.pipeline
        var items: [(path: String, scenario: Scenario, projection: Projection)] = []
        for file in selection.files {
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
