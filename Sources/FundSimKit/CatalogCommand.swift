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
                console.diagnostics(r)
                return ExitStatus.invalid
            }
            items.append((file, s, p))
        }
        console.out(Pipeline.catalog(items) + appendix)
        return ExitStatus.ok
    }

    /// The name of a file in a catalogued folder whose text follows the table (the folder's conventions).
    public static let appendixName = "CONVENTIONS.md"

    /// The text of `CONVENTIONS.md` in each folder named, after a blank line; empty when there is none.
    var appendix: String {
        selection.paths.compactMap { p -> String? in
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue else { return nil }
            return try? String(contentsOfFile: (p as NSString).appendingPathComponent(Self.appendixName), encoding: .utf8)
        }.map { "\n" + $0 }.joined()
    }
}
