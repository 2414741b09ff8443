import Foundation
import FundSimModel

/// `fundsim validate`: report every problem in the files, with positions.
public struct ValidateCommand {
    public var selection: ScenarioSelection

    public init(_ selection: ScenarioSelection) { self.selection = selection }

    /// Exit 0 when every file is valid, 1 otherwise; a usage error when no file is found.
    public func execute(_ console: Console = .standard) throws -> Int32 {
        let files = selection.files
        if files.isEmpty { throw UsageError("no scenario files found in \(selection.paths.joined(separator: ", "))") }
        if selection.actuals != nil, files.count > 1 { throw UsageError("--actuals names the actuals of one scenario, but \(files.count) scenario files were given") }
        let pipeline = selection.pipeline
        var bad = 0
        for file in files {
            let r = pipeline.project(file)
            console.diagnostics(r)
            let errors = r.diagnostics.filter { $0.severity == .error }.count
            let warnings = r.diagnostics.filter { $0.severity == .warning }.count
            if r.ok {
                console.out("\(file): valid" + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : "") + "\n")
            } else {
                bad += 1
                console.err("\(file): \(errors) error\(errors == 1 ? "" : "s")" + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "") + "\n")
            }
        }
        return bad > 0 ? ExitStatus.invalid : ExitStatus.ok
    }
}
