import Foundation
import Testing
import FundSimKit
import FundSimModel
import TestSupport

/// Paths and helpers shared by the tests.
enum Project {
    /// The repository root (two folders above this file's folder).
    static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let tests = root + "/Tests/FundSimTests"
    static let fixtures = tests + "/Fixtures"
    static let golden = tests + "/Golden"
    static let seeds = root + "/seeds"
    static let binary = root + "/.build/debug/fundsim"
    static var recording: Bool { ProcessInfo.processInfo.environment["FUNDSIM_RECORD"] == "1" }

    /// The scenario files in scenarios/.
    static var scenarios: [String] {
        Pipeline.expand([root + "/scenarios"])
    }

    /// A fresh temporary folder.
    static func tempDir(_ tag: String = "fundsim") -> String {
        let d = NSTemporaryDirectory() + "\(tag)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }
}

/// Runs the built `fundsim` binary; `timeout` kills it after that many seconds (see ``ProcessResult/timedOut``).
func fundsim(_ args: [String], cwd: String = Project.root, env: [String: String] = [:], timeout: TimeInterval? = nil) throws -> ProcessResult {
    try runProcess(Project.binary, args, cwd: cwd, env: env, timeout: timeout)
}

/// Runs one of the Python scripts in `Scripts/`; a non-zero exit status throws.
@discardableResult
func runScript(_ name: String, _ args: [String]) throws -> ProcessResult {
    try runPython([Project.tests + "/Scripts/" + name] + args)
}

/// Compares text with a golden file; FUNDSIM_RECORD=1 writes it instead. A missing golden fails.
func expectGolden(_ text: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let path = Project.golden + "/" + name
    if Project.recording {
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
        Issue.record("missing golden file \(name): run with FUNDSIM_RECORD=1 and check it by eye", sourceLocation: sourceLocation)
        return
    }
    #expect(text == expected, "output differs from golden \(name)", sourceLocation: sourceLocation)
}
