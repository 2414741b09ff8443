import Foundation

/// What a finished program left: its exit status (or the signal that ended it) and its output.
public struct ProcessResult: Sendable {
    /// The exit status, or the signal number when ``signalled`` is true.
    public var status: Int32
    /// True when a signal ended the program (a crash, or the kill after a timeout).
    public var signalled: Bool
    /// True when the program ran past its timeout and was killed.
    public var timedOut: Bool
    public var stdout: String
    public var stderr: String
}

/// Runs a program and collects its output; the caller checks ``ProcessResult/status``.
///
/// `timeout` kills the program (SIGKILL) after that many seconds and marks the result ``ProcessResult/timedOut``.
@discardableResult
public func runProcess(
    _ exe: String, _ args: [String], cwd: String? = nil, env: [String: String] = [:], stdin: String? = nil,
    timeout: TimeInterval? = nil
) throws -> ProcessResult {
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
    final class Flag: @unchecked Sendable { var value = false; let lock = NSLock() }
    let killed = Flag()
    var watchdog: DispatchWorkItem?
    if let timeout {
        let pid = p.processIdentifier
        let item = DispatchWorkItem {
            killed.lock.lock(); killed.value = true; killed.lock.unlock()
            kill(pid, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: item)
        watchdog = item
    }
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
    p.waitUntilExit()
    watchdog?.cancel()
    killed.lock.lock(); let timedOut = killed.value; killed.lock.unlock()
    return ProcessResult(
        status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal, timedOut: timedOut,
        stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errBox.data, as: UTF8.self))
}

/// A script or program a test ran that did not exit 0.
public struct ScriptFailure: Error, CustomStringConvertible {
    public let command: String
    public let result: ProcessResult
    public var description: String {
        let how = result.timedOut ? "timed out" : result.signalled ? "was killed by signal \(result.status)" : "exited \(result.status)"
        return "\(command) \(how):\n\(result.stderr.suffix(4000))"
    }
}

/// Runs `python3` (from `PATH`) with `args` and returns its output; any exit status but 0 throws.
///
/// Every Python script the tests run goes through here, so none has its exit status ignored.
/// The test calling it declares `.requires(.python3)` or the packages the script imports.
@discardableResult
public func runPython(_ args: [String], cwd: String? = nil) throws -> ProcessResult {
    guard let python3 = ExternalTools.python3 else { throw ExternalTools.Missing(details: ["no python3 on PATH"]) }
    let result = try runProcess(python3, args, cwd: cwd)
    guard result.status == 0, !result.signalled else {
        let script = args.first == "-c" ? "python3 -c <inline script>" : "python3 " + (args.first.map { ($0 as NSString).lastPathComponent } ?? "")
        throw ScriptFailure(command: script, result: result)
    }
    return result
}
