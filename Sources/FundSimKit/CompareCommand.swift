import Foundation
import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters

/// `fundsim compare`: scenarios side by side, and a workbook whose drop-down switches between them.
public struct CompareCommand {
    public var base: String
    public var alternatives: [String]
    public var output = "output"
    public var force = false
    public var seeds: String?
    /// Files or folders outside the scenario's project that it may name (`--allow-outside`).
    public var allowOutside: [String] = []

    public init(base: String, alternatives: [String]) {
        self.base = base
        self.alternatives = alternatives
    }

    public func execute(_ console: Console = .standard) -> Int32 {
        let pipeline = Pipeline(seedsDirectory: seeds, allowOutside: allowOutside)
        guard let b = pipeline.projectValid(base, console) else { return ExitStatus.invalid }
        var alts: [(Scenario, Projection)] = []
        for file in alternatives {
            guard let a = pipeline.projectValid(file, console) else { return ExitStatus.invalid }
            alts.append(a)
        }
        let cmp = CompareBuilder(base: b, alternatives: alts)
        console.out(cmp.table())
        return pipeline.writeWorkbook(cmp.build(), folder: output, name: "compare-\(b.0.slug).xlsx", force: force, console)
    }
}
