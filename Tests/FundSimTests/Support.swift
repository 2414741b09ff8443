import Foundation
import Testing
import FundSimKit
import FundSimModel

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
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
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

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program and collects its output.
@discardableResult
func runProcess(_ exe: String, _ args: [String], cwd: String? = nil, env: [String: String] = [:], stdin: String? = nil) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    var environment = ProcessInfo.processInfo.environment
    for (k, v) in env { environment[k] = v }
    p.environment = environment
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let inPipe = Pipe()
    p.standardInput = inPipe
    try p.run()
    if let stdin { inPipe.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? inPipe.fileHandleForWriting.close()
    // Read both pipes concurrently so a full pipe cannot block the child.
    final class Box: @unchecked Sendable { var data = Data() }
    let errBox = Box()
    let group = DispatchGroup()
    group.enter()
    let errHandle = err.fileHandleForReading
    DispatchQueue.global().async {
        errBox.data = errHandle.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let errData = errBox.data
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// Runs the built `fundsim` binary.
func fundsim(_ args: [String], cwd: String = Project.root, env: [String: String] = [:]) throws -> ProcessResult {
    try runProcess(Project.binary, args, cwd: cwd, env: env)
}

/// Python 3 with the packages the workbook checks need, or nil (a failure under CI).
func python(requiring modules: [String]) -> String? {
    let exe = ["/usr/bin/env"]
    guard let r = try? runProcess(exe[0], ["python3", "-c", "import " + modules.joined(separator: ", ")]), r.status == 0 else {
        if Project.isCI { Issue.record("CI=true but python3 cannot import \(modules.joined(separator: ", ")); .ci/run must install them") }
        return nil
    }
    return "/usr/bin/env"
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
