import Foundation
import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters

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
    /// Files or folders outside the scenario's project that it may name (`--allow-outside`).
    public var allowOutside: [String] = []
    /// Scenario files projected and written at once (default: one per core); the output is the same whatever the number.
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// An actuals file for the one scenario run (`--actuals FILE`), instead of its `actuals:`.
    public var actuals: String?

    public init(paths: [String], output: String, formats: [OutputFormat]) {
        self.paths = paths
        self.output = output
        self.formats = formats
    }

    /// The jobs a run may use: enough for any machine, few enough that a typo is caught.
    public static let jobsRange = 1...256

    /// What is wrong with these options (a usage mistake), or nil: `--jobs` out of range, or no scenario
    /// file in `paths`.
    public static func problem(paths: [String], jobs: Int, actuals: String? = nil) -> String? {
        if !jobsRange.contains(jobs) { return "--jobs must be between \(jobsRange.lowerBound) and \(jobsRange.upperBound)" }
        let files = Pipeline.expand(paths)
        if files.isEmpty { return "no scenario files found in \(paths.joined(separator: ", "))" }
        if actuals != nil, files.count > 1 { return "--actuals names the actuals of one scenario, but \(files.count) scenario files were given" }
        return nil
    }

    /// A file's size in bytes (0 when it cannot be read): roughly how long it takes to project.
    static func fileSize(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }

    /// Writes the roll-up of `items`; what to print, and whether it failed.
    private func writeRollup(_ items: [(file: String, scenario: Scenario, projection: Projection, seconds: Double)],
                             _ pipeline: Pipeline) -> (messages: [(toErr: Bool, text: String)], failed: Bool) {
        do {
            let path = try pipeline.writeRollup(items.map { ($0.scenario, $0.projection) }, to: output, force: force)
            let variants = items.filter { $0.scenario.isVariant }.count
            if quiet { return ([], false) }
            return ([(false, "→ \(path) (\(items.count - variants) jurisdictions summed by category, jurisdiction and year"
                      + (variants > 0 ? "; \(variants) variant(s) listed apart, not added" : "") + ")\n")], false)
        } catch {
            return ([(true, "error: \(error)\n")], true)
        }
    }

    /// Runs and returns the exit status.
    ///
    /// Every scenario is projected first; then every file the run would write is planned, and two that would
    /// share a name (`d1/a.yaml` and `d2/a.yaml`, a scenario named `rollup.yaml` beside the roll-up) stop the
    /// run before anything is written.
    public func execute(_ console: Console = .standard) -> Int32 {
        // A file named twice (`run scenarios/ scenarios/enshi.yaml`) runs once.
        var seen = Set<String>()
        let files = Pipeline.expand(paths).filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
        var pipeline = Pipeline(seedsDirectory: seeds, allowOutside: allowOutside)
        pipeline.actualsPath = actuals
        pipeline.waitNotice = console.err
        var status = ExitStatus.ok
        var projected: [(file: String, scenario: Scenario, projection: Projection, seconds: Double)] = []
        // Scenario files are independent: project them on `jobs` threads, the largest files first, report them in
        // file order.
        let sizes = files.map(Self.fileSize)
        let bySize = files.indices.sorted { a, b in sizes[a] != sizes[b] ? sizes[a] > sizes[b] : a < b }
        var clock = PhaseClock()
        InOrder.forEach(count: files.count, threads: jobs, startOrder: bySize) { [pipeline] i in
            let (t0, c0) = (Date(), PhaseClock.threadCPU())
            let r = pipeline.project(files[i])
            return (r, Date().timeIntervalSince(t0), PhaseClock.threadCPU() - c0)
        } deliver: { i, done in
            let (r, seconds, cpu) = done
            clock.projectingCPU += cpu
            console.diagnostics(r)
            guard let scenario = r.scenario, let p = r.projection else {
                console.err("\(files[i]): not run: \(r.diagnostics.filter { $0.severity == .error }.count) error(s)\n")
                status = max(status, ExitStatus.invalid)
                return
            }
            projected.append((files[i], scenario, p, seconds))
        }
        clock.endProjecting()
        // A folder of scenarios also gets one workbook that sums them.
        let folders = paths.filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &d) && d.boolValue }
        let rollup = !folders.isEmpty && projected.count >= 2 && formats.contains(.xlsx)
        // The roll-up adds jurisdictions: one named twice (variants aside) would be counted twice.
        if rollup {
            let clashes = RollupBuilder.clashes(projected.map(\.scenario))
            if !clashes.isEmpty {
                for c in clashes { console.err("error: \(c.description)\n") }
                console.err("  hint: \(RollupBuilder.Clash.hint); nothing was written\n")
                return ExitStatus.invalid
            }
        }
        // The detail CSV is one file: it needs exactly one scenario with a roster.
        let detailed = projected.filter { $0.scenario.roster != nil }
        if let detailCSV, detailed.isEmpty, !projected.isEmpty {
            console.err("error: --detail-csv \(detailCSV): no scenario of this run has a roster\n  hint: --detail-csv writes the per-village detail of a scenario with `roster:`\n")
            return ExitStatus.usage
        }
        // Plan every file; a name two outputs would share is an error before anything is written.
        var plan: [String: String] = [:]
        var clash: [String] = []
        func claim(_ path: String, _ by: String) {
            let key = URL(fileURLWithPath: path).standardizedFileURL.path
            if let other = plan[key] { clash.append("\(path) would be written for both \(other) and \(by)") } else { plan[key] = by }
        }
        for item in projected {
            for f in formats { claim(Pipeline.outputPath(item.scenario, f, in: output), item.file) }
        }
        if rollup { claim((output as NSString).appendingPathComponent(Pipeline.rollupName), "the roll-up of \(folders.joined(separator: ", "))") }
        if let detailCSV { for item in detailed { claim(detailCSV, "the detail of \(item.file)") } }
        if !clash.isEmpty {
            for c in clash { console.err("error: two outputs of this run share a name: \(c)\n") }
            console.err("  hint: rename one of the scenario files, or run them into different --output folders; nothing was written\n")
            return ExitStatus.usage
        }
        if !projected.isEmpty {
            do {
                try SafeOutput.prepareFolder(output)
            } catch {
                console.err("error: \(error)\n")
                return ExitStatus.cannotWrite
            }
        }
        // Their names are planned apart, so the files can be written on `jobs` threads too, and the roll-up beside
        // them (it reads only the projections): the roll-up and the largest models first, each reported in order,
        // the roll-up last.
        let items = projected
        let parallel = min(jobs, items.count + (rollup ? 1 : 0)) > 1
        clock.startWriting()
        let largestFirst = items.indices.sorted { a, b in
            let (x, y) = (items[a].projection.model.rows.count, items[b].projection.model.rows.count)
            return x != y ? x > y : a < b
        }
        InOrder.forEach(count: items.count + (rollup ? 1 : 0), threads: jobs, startOrder: (rollup ? [items.count] : []) + largestFirst) {
            [self, pipeline] i -> (messages: [(toErr: Bool, text: String)], failed: Bool, cpu: Double) in
            let c0 = PhaseClock.threadCPU()
            guard i < items.count else {
                let (messages, failed) = writeRollup(items, pipeline)
                return (messages, failed, PhaseClock.threadCPU() - c0)
            }
            let item = items[i]
            let (scenario, p) = (item.scenario, item.projection)
            var messages: [(toErr: Bool, text: String)] = []
            let t1 = Date()
            do {
                // With a job on every core, a workbook is built on its job's thread alone.
                let written = try BothCores.sharingCores(parallel) {
                    try pipeline.write(scenario, p, to: output, formats: formats, force: force, detail: detail)
                }
                if timings {
                    messages.append((true, String(format: "timing: %@: load+project %.3f s, write %.3f s\n", item.file, item.seconds, Date().timeIntervalSince(t1))))
                }
                if let detailCSV, scenario.roster != nil { try pipeline.writeDetailCSV(scenario, p, to: detailCSV, force: force) }
                if !quiet { messages.append((false, summary(scenario, p) + "→ " + written.joined(separator: ", ") + "\n\n")) }
                return (messages, false, PhaseClock.threadCPU() - c0)
            } catch {
                messages.append((true, "error: \(error)\n"))
                return (messages, true, PhaseClock.threadCPU() - c0)
            }
        } deliver: { i, done in
            if i < items.count { clock.writingCPU += done.cpu } else { clock.rollupCPU = done.cpu }
            for m in done.messages { m.toErr ? console.err(m.text) : console.out(m.text) }
            if done.failed { status = ExitStatus.cannotWrite }
            if strict, i < items.count, items[i].projection.checkResults().contains(where: { !$0.passed }) { status = max(status, ExitStatus.invalid) }
        }
        if timings, files.count > 1 { console.err(clock.summary(threads: min(jobs, files.count))) }
        return status
    }
}

/// The phases of a run over several files, for `--timings`: each phase's wall time, and the CPU time of the
/// jobs' own threads in it (work a job hands to a further thread is not counted), so that the time two threads
/// lose to waiting and to each other can be told from the work itself.
struct PhaseClock {
    let start = Date()
    var projected: Date?
    var writingStart: Date?
    var projectingCPU = 0.0, writingCPU = 0.0, rollupCPU: Double?

    /// CPU seconds of the calling thread so far.
    static func threadCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    mutating func endProjecting() { projected = Date() }
    mutating func startWriting() { writingStart = Date() }

    func summary(threads: Int) -> String {
        let ms = { (s: Double) in String(format: "%.1f", s * 1000) }
        let end = Date(), projected = projected ?? end, writing = writingStart ?? end
        return "timing: run phases on \(threads) thread(s): projecting \(ms(projected.timeIntervalSince(start))) ms (CPU \(ms(projectingCPU)) ms)"
            + ", planning \(ms(writing.timeIntervalSince(projected))) ms"
            + ", writing \(ms(end.timeIntervalSince(writing))) ms (CPU \(ms(writingCPU)) ms"
            + (rollupCPU.map { ", roll-up \(ms($0)) ms" } ?? "") + ")\n"
    }
}
