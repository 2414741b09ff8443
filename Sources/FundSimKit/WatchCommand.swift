import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters

/// `fundsim watch`: re-run on every save; a broken save shows diagnostics and keeps the previous files.
public struct Watcher {
    public var file: String
    public var output: String
    public var formats: [OutputFormat]
    public var interval: Double
    public var maxRuns: Int?
    public var force = false
    public var seeds: String?
    /// Files or folders outside the scenario's project that it may name (`--allow-outside`).
    public var allowOutside: [String] = []

    public init(file: String, output: String, formats: [OutputFormat], interval: Double, maxRuns: Int?) {
        self.file = file
        self.output = output
        self.formats = formats
        self.interval = interval
        self.maxRuns = maxRuns
    }

    /// The fastest and slowest looks `watch` accepts, in seconds: faster spins a core, slower is a mistake.
    public static let intervals: ClosedRange<Double> = 0.05...3600

    /// Why the options cannot work, or nil.
    public static func problem(interval: Double, maxRuns: Int?) -> String? {
        if !(interval.isFinite && intervals.contains(interval)) {
            return "--interval must be between \(intervals.lowerBound) and \(Int(intervals.upperBound)) seconds, e.g. 0.3"
        }
        if let maxRuns, maxRuns < 1 { return "--max-runs must be at least 1" }
        return nil
    }

    /// Watches until `maxRuns` runs (forever without it). Returns 73 when the output folder cannot be made.
    @discardableResult
    public func run(_ console: Console = .standard) -> Int32 {
        var pipeline = Pipeline(seedsDirectory: seeds, allowOutside: allowOutside)
        pipeline.waitNotice = console.err
        do {
            try SafeOutput.prepareFolder(output)
        } catch {
            console.err("error: \(error)\n")
            return ExitStatus.cannotWrite
        }
        // Every file the scenario was read from; the set only grows, so a broken save still watches them all.
        var watched = [file]
        var last: [FileStamp?]? = nil
        var runs = 0
        console.out("watching \(file) (Ctrl-C to stop)\n")
        while maxRuns.map({ runs < $0 }) ?? true {
            let now = watched.map(FileStamp.init(path:))
            guard now != last, now[0] != nil else {
                Thread.sleep(forTimeInterval: interval)
                continue
            }
            // Editors save in steps: wait until two looks agree before running.
            Thread.sleep(forTimeInterval: interval)
            guard watched.map(FileStamp.init(path:)) == now else { continue }
            runs += 1
            let stamp = ISO8601DateFormatter().string(from: Date())
            let r = pipeline.project(file)
            for f in pipeline.dependencies(of: r) where !watched.contains(f) { watched.append(f) }
            last = watched.map(FileStamp.init(path:))
            console.diagnostics(r)
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
        return ExitStatus.ok
    }
}

/// What tells a file's versions apart without reading it: its inode, size and modification time.
struct FileStamp: Equatable {
    var inode: UInt64
    var size: Int64
    var seconds: Int
    var nanoseconds: Int

    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        seconds = Int(st.st_mtim.tv_sec)
        nanoseconds = Int(st.st_mtim.tv_nsec)
    }
}

extension Pipeline {
    /// Every file a run of the scenario read: the file, its `extends:` chain, its roster, the seed documents
    /// it quotes, and any file a diagnostic points into (a roster with errors).
    public func dependencies(of r: Result) -> [String] {
        var files = [r.path] + (r.scenario?.files ?? [])
        files += r.sources.keys.filter { !$0.hasPrefix("seeds/") }.sorted()
        if let roster = r.scenario?.roster { files.append(roster.file) }
        files += r.diagnostics.compactMap { $0.location?.file }
        let seeds = seedsDirectory ?? files.lazy.compactMap(ScenarioLoaderSeeds.find(near:)).first
        if let seeds {
            files += r.sources.keys.filter { $0.hasPrefix("seeds/") }.sorted().map { (seeds as NSString).appendingPathComponent(String($0.dropFirst(6))) }
        }
        var seen = Set<String>()
        return files.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
