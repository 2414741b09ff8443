import Foundation
import FundSimModel
import FundSimEngine
import FundSimReport

/// Exit statuses: 0 success, 1 an invalid scenario (or a failing check under --strict), 73 an output not written.
public enum ExitStatus {
    public static let ok: Int32 = 0
    public static let invalid: Int32 = 1
    public static let cannotWrite: Int32 = 73
}

/// Where commands print: the terminal, or a test's buffers.
public struct Console: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void
    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.err = err
    }
    public static let standard = Console(out: { print($0, terminator: "") },
                                         err: { FileHandle.standardError.write(Data($0.utf8)) })
}

/// `fundsim run`: project each scenario, write its files, print its summary; a folder also gets the roll-up.
public struct RunCommand: Sendable {
    public var paths: [String]
    public var output: String
    public var formats: [OutputFormat]
    public var strict = false
    public var force = false
    public var quiet = false
    public var detail = false
    public var timings = false
    public var detailCSV: String?
    public var seeds: String?
    /// Scenario files run at once (default: one per core); the output is the same whatever the number.
    public var jobs = ProcessInfo.processInfo.activeProcessorCount

    public init(paths: [String], output: String, formats: [OutputFormat]) {
        self.paths = paths
        self.output = output
        self.formats = formats
    }

    /// What running one scenario file printed and how it ended.
    struct OneRun: @unchecked Sendable {
        var messages: [(toErr: Bool, text: String)] = []
        var notRun = false
        var projected: (scenario: Scenario, projection: Projection)?
        var writeFailed = false
        var checkFailed = false
    }

    /// Projects one scenario file and writes its files.
    func runOne(_ file: String, _ pipeline: Pipeline) -> OneRun {
        var one = OneRun()
        let t0 = Date()
        let r = pipeline.project(file)
        let t1 = Date()
        if !r.diagnostics.isEmpty { one.messages.append((true, r.rendered)) }
        guard let scenario = r.scenario, let p = r.projection else {
            one.messages.append((true, "\(file): not run: \(r.diagnostics.filter { $0.severity == .error }.count) error(s)\n"))
            one.notRun = true
            return one
        }
        one.projected = (scenario, p)
        do {
            let written = try pipeline.write(scenario, p, to: output, formats: formats, force: force, detail: detail)
            if timings {
                one.messages.append((true, String(format: "timing: %@: load+project %.3f s, write %.3f s\n", file, t1.timeIntervalSince(t0), Date().timeIntervalSince(t1))))
            }
            if let detailCSV { try pipeline.writeDetailCSV(scenario, p, to: detailCSV) }
            if !quiet { one.messages.append((false, summary(scenario, p) + "→ " + written.joined(separator: ", ") + "\n\n")) }
        } catch {
            one.messages.append((true, "error: \(error)\n"))
            one.writeFailed = true
        }
        one.checkFailed = strict && p.checkResults().contains(where: { !$0.passed })
        return one
    }

    /// One job at a time when two files would write the same outputs (the same name, or --detail-csv).
    func parallelJobs(_ files: [String]) -> Int {
        let names = files.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
        return detailCSV == nil && Set(names).count == names.count ? jobs : 1
    }

    /// Runs and returns the exit status.
    public func execute(_ console: Console = .standard) -> Int32 {
        let files = Pipeline.expand(paths)
        if !FileManager.default.fileExists(atPath: output) {
            try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        }
        let pipeline = Pipeline(seedsDirectory: seeds)
        var status = ExitStatus.ok
        var projected: [(scenario: Scenario, projection: Projection)] = []
        // Scenario files are independent: run them on `jobs` threads, print and count them in file order.
        InOrder.forEach(count: files.count, threads: parallelJobs(files)) { [self] i in
            runOne(files[i], Pipeline(seedsDirectory: seeds))
        } deliver: { _, one in
            for (toErr, text) in one.messages { toErr ? console.err(text) : console.out(text) }
            if one.notRun { status = max(status, ExitStatus.invalid); return }
            projected.append(one.projected!)
            if one.writeFailed { status = ExitStatus.cannotWrite }
            if one.checkFailed, strict { status = max(status, ExitStatus.invalid) }
        }
        // A folder of scenarios also gets one workbook that sums them.
        let folders = paths.filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &d) && d.boolValue }
        if !folders.isEmpty, projected.count >= 2, formats.contains(.xlsx) {
            do {
                let path = try pipeline.writeRollup(projected, to: output, force: force)
                if !quiet { console.out("→ \(path) (\(projected.count) scenarios summed by category, jurisdiction and year)\n") }
            } catch {
                console.err("error: \(error)\n")
                status = ExitStatus.cannotWrite
            }
        }
        return status
    }
}

/// `fundsim watch`: re-run on every save; a broken save shows diagnostics and keeps the previous files.
public struct Watcher {
    public var file: String
    public var output: String
    public var formats: [OutputFormat]
    public var interval: Double
    public var maxRuns: Int?
    public var force = false
    public var seeds: String?

    public init(file: String, output: String, formats: [OutputFormat], interval: Double, maxRuns: Int?) {
        self.file = file
        self.output = output
        self.formats = formats
        self.interval = interval
        self.maxRuns = maxRuns
    }

    public func run(_ console: Console = .standard) {
        let pipeline = Pipeline(seedsDirectory: seeds)
        if !FileManager.default.fileExists(atPath: output) {
            try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        }
        var last: Data? = nil
        var runs = 0
        console.out("watching \(file) (Ctrl-C to stop)\n")
        while maxRuns.map({ runs < $0 }) ?? true {
            guard let data = FileManager.default.contents(atPath: file), data != last else {
                Thread.sleep(forTimeInterval: interval)
                continue
            }
            // Editors save in steps: wait until two looks agree before running.
            Thread.sleep(forTimeInterval: interval)
            guard FileManager.default.contents(atPath: file) == data else { continue }
            last = data
            runs += 1
            let stamp = ISO8601DateFormatter().string(from: Date())
            let r = pipeline.project(text: String(decoding: data, as: UTF8.self), path: file)
            if !r.diagnostics.isEmpty { console.err(r.rendered) }
            guard let s = r.scenario, let p = r.projection else {
                console.out("[\(stamp)] \(file) has errors; the previous files are kept\n")
                continue
            }
            do {
                let written = try pipeline.write(s, p, to: output, formats: formats, force: force)
                console.out("[\(stamp)] " + summary(s, p) + "→ " + written.joined(separator: ", ") + "\n")
            } catch {
                console.err("error: \(error)\n")
            }
        }
    }
}
