import Foundation

/// The scenario files a command reads: paths (files or folders), where the seeds are, and the places outside
/// a scenario's project it may name (`--allow-outside`).
public struct ScenarioSelection: Sendable {
    public var paths: [String]
    public var seeds: String?
    public var allowOutside: [String]
    /// An actuals file for the one scenario selected (`--actuals FILE`).
    public var actuals: String?

    public init(paths: [String], seeds: String? = nil, allowOutside: [String] = []) {
        self.paths = paths
        self.seeds = seeds
        self.allowOutside = allowOutside
    }

    /// The scenario files, folders expanded.
    public var files: [String] { Pipeline.expand(paths) }

    /// The pipeline that loads them.
    public var pipeline: Pipeline {
        var p = Pipeline(seedsDirectory: seeds, allowOutside: allowOutside)
        p.actualsPath = actuals
        return p
    }
}
