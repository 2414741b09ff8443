import Foundation
import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters

/// `fundsim sensitivity`: each input at its low and high value, ranked by the effect on the total and the largest gap.
public struct SensitivityCommand {
    public var file: String
    /// The default move when an input states no range, as a fraction.
    public var share = 0.10
    public var output = "output"
    public var force = false
    public var seeds: String?
    /// Files or folders outside the scenario's project that it may name (`--allow-outside`).
    public var allowOutside: [String] = []

    public init(file: String) { self.file = file }

    public func execute(_ console: Console = .standard) -> Int32 {
        let pipeline = Pipeline(seedsDirectory: seeds, allowOutside: allowOutside)
        guard let (s, p) = pipeline.projectValid(file, console) else { return ExitStatus.invalid }
        guard let r = Analysis.sensitivity(p.model, defaultShare: share) else { return ExitStatus.invalid }
        if !r.problems.isEmpty {
            console.err(DiagnosticRenderer().render(r.problems.map(\.described)))
            console.err("\(file): \(r.problems.count) bound\(r.problems.count == 1 ? "" : "s") a run would refuse; narrow the `range` or --share\n")
            return ExitStatus.invalid
        }
        console.out(AnalysisReports.sensitivityTable(s, r))
        return pipeline.writeWorkbook(AnalysisReports.sensitivityBook(s, r), folder: output, name: "\(s.slug)-sensitivity.xlsx", force: force, console)
    }
}
