// A mutation fuzzer for FundSim's input side: scenario text and roster CSV through the loader, the
// compiler, the engine and the report builder. Any crash kills the process; the input that caused it is
// in the `--current` file, ready to become a regression fixture. A watchdog aborts on a hang.
//
// usage: fundsim-fuzz [--count N] [--seed S] [--current FILE] [--timeout SECONDS] CORPUS_FILES...
import Foundation
import FundSimKit
import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters

extension SplitMix64 {
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}

let tokens = [":", "- ", "{", "}", "[", "]", "&a ", "*a", "\t", "萬", "億", "%", "1e308", "-1", "0", "999999999999999",
              "nan", "inf", "prev(", "if(", "/0", "rest", "extends: x.yaml\n", "\n", "    ", "year", "'", "\"", "\\", ",",
              "#", "<<: *a", "!!binary ", "---\n", "...\n", "?", "|\n", ">\n", "村", "0.0001", "-0", "1,000", "4.2萬元/年",
              "cite: \"x\"", "assumption: x", "kind: collective_economy", "kind: construction", "by: 1900", "by: 2200",
              "\u{0}", "\u{FEFF}", "😀", "\r\n", "=HYPERLINK(\"x\")", "@SUM(1)", "+1", "min(", "max(", ")", "^", "**"]

func mutate(_ input: [UInt8], _ corpus: [[UInt8]], _ r: inout SplitMix64) -> [UInt8] {
    var b = input
    // Mostly one small change, so that many inputs still reach the engine; sometimes several.
    for _ in 0..<(r.below(3) == 0 ? 1 + r.below(4) : 1) {
        switch r.below(8) {
        case 0 where !b.isEmpty:
            b[r.below(b.count)] ^= UInt8(1 << r.below(8))
        case 1 where !b.isEmpty:
            let a = r.below(b.count), n = min(b.count - a, 1 + r.below(16))
            b.removeSubrange(a..<(a + n))
        case 2 where !b.isEmpty:
            let a = r.below(b.count), n = min(b.count - a, 1 + r.below(64))
            b.insert(contentsOf: b[a..<(a + n)], at: r.below(b.count))
        case 3:
            b.insert(contentsOf: Array(tokens[r.below(tokens.count)].utf8), at: r.below(b.count + 1))
        case 4:
            // Replace a run of digits with an extreme figure.
            if let i = b.indices.dropFirst(r.below(max(1, b.count))).first(where: { (48...57).contains(b[$0]) }) {
                var j = i
                while j < b.count, (48...57).contains(b[j]) || b[j] == 46 { j += 1 }
                let extremes = ["0", "1e300", "-5", "999999999999999999", "0.0000001", "2147483648", "3"]
                b.replaceSubrange(i..<j, with: Array(extremes[r.below(extremes.count)].utf8))
            }
        case 5:
            // Splice lines from another corpus file.
            let other = corpus[r.below(corpus.count)]
            let lines = other.split(separator: 10, omittingEmptySubsequences: false)
            if !lines.isEmpty {
                let k = r.below(lines.count), n = min(lines.count - k, 1 + r.below(8))
                let chunk = Array(lines[k..<(k + n)].joined(separator: [10])) + [10]
                b.insert(contentsOf: chunk, at: lineStart(b, r.below(b.count + 1)))
            }
        case 6:
            // Swap two lines.
            var lines = b.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
            if lines.count > 2 { lines.swapAt(r.below(lines.count), r.below(lines.count)) }
            b = Array(lines.joined(separator: [10]))
        default:
            // Change indentation of a line.
            let at = lineStart(b, r.below(b.count + 1))
            if r.below(2) == 0 { b.insert(contentsOf: [32, 32], at: at) } else if at < b.count, b[at] == 32 { b.remove(at: at) }
        }
    }
    return b
}

func lineStart(_ b: [UInt8], _ i: Int) -> Int {
    var j = min(i, b.count)
    while j > 0, b[j - 1] != 10 { j -= 1 }
    return j
}

var count = 1000, seed: UInt64 = 1, current = ".fuzz-current", timeout = 10.0
var files: [String] = []
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--count": count = Int(args.removeFirst()) ?? count
    case "--seed": seed = UInt64(args.removeFirst()) ?? seed
    case "--current": current = args.removeFirst()
    case "--timeout": timeout = Double(args.removeFirst()) ?? timeout
    default: files.append(a)
    }
}
let corpus: [(path: String, bytes: [UInt8])] = files.compactMap { p in FileManager.default.contents(atPath: p).map { (p, Array($0)) } }
guard !corpus.isEmpty else {
    FileHandle.standardError.write(Data("fundsim-fuzz: no corpus files\n".utf8))
    exit(64)
}
let yamlCorpus = corpus.filter { !$0.path.hasSuffix(".csv") }.map(\.bytes)
let seeds = corpus.first { $0.path.contains("/seeds/") }?.path
let seedsDir = files.compactMap { ScenarioLoaderSeeds.find(near: $0) }.first

/// Heartbeat for the watchdog: the input number being run and when it started.
final class Beat: @unchecked Sendable {
    var n = 0
    var started = Date()
    let lock = NSLock()
}
let beat = Beat()
let watchdogTimeout = timeout, watchdogFile = current
Thread.detachNewThread {
    while true {
        Thread.sleep(forTimeInterval: 1)
        beat.lock.lock()
        let age = Date().timeIntervalSince(beat.started), n = beat.n
        beat.lock.unlock()
        if age > watchdogTimeout {
            FileHandle.standardError.write(Data("fundsim-fuzz: HANG on input \(n) (over \(watchdogTimeout) s); input saved in \(watchdogFile)\n".utf8))
            exit(2)
        }
    }
}

var rng = SplitMix64(seed: seed)
var stats = (valid: 0, invalid: 0, rosters: 0)
let pipeline = Pipeline(seedsDirectory: seedsDir)
let tmp = NSTemporaryDirectory() + "fundsim-fuzz-\(getpid())"
try? FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
for n in 0..<count {
    let base = corpus[rng.below(corpus.count)]
    let bytes = mutate(base.bytes, yamlCorpus.isEmpty ? [base.bytes] : yamlCorpus, &rng)
    _ = FileManager.default.createFile(atPath: current, contents: Data(bytes))
    beat.lock.lock(); beat.n = n; beat.started = Date(); beat.lock.unlock()
    if base.path.hasSuffix(".csv") {
        _ = Roster.parse(Data(bytes), file: "fuzz.csv")
        stats.rosters += 1
        continue
    }
    let text = String(decoding: bytes, as: UTF8.self)
    let r = pipeline.project(text: text, path: base.path)
    _ = r.rendered
    guard let s = r.scenario, let p = r.projection else { stats.invalid += 1; continue }
    stats.valid += 1
    // No NaN or infinity may reach a report.
    for (i, row) in p.values.enumerated() where row.contains(where: { !$0.isFinite }) {
        FileHandle.standardError.write(Data("fundsim-fuzz: non-finite value in \(p.model.rows[i].id) on input \(n); input saved in \(current)\n".utf8))
        exit(3)
    }
    var builder = WorkbookBuilder(scenario: s, projection: p)
    let book = builder.build()
    _ = TidyExport.csv(s, p)
    _ = TidyExport.json(s, p)
    if n % 50 == 0 { try? XLSXRenderer.write(book, to: tmp + "/f.xlsx") }
}
try? FileManager.default.removeItem(atPath: current)
print("fundsim-fuzz: \(count) inputs (seed \(seed)): \(stats.valid) valid scenarios projected and reported, \(stats.invalid) rejected with diagnostics, \(stats.rosters) rosters parsed; no crash, no hang, no non-finite value")
