import Foundation
import Testing
import TestSupport
import FundSimKit
@testable import FundSimReport

/// `fundsim run` over a folder runs its scenario files on several threads; what it prints and writes does not
/// depend on how many.
@Suite("Parallel run")
struct ParallelRunTests {
    @Test("run scenarios/ with --jobs 1 and --jobs 2: the same output, byte for byte, the same files and ledger")
    func sameOutput() throws {
        func run(_ jobs: Int) throws -> ((status: Int32, stdout: String, stderr: String), [String: Data]) {
            let dir = Project.tempDir("jobs\(jobs)")
            let r = try fundsim(["run", "scenarios", "--output", dir, "--format", "xlsx,csv,json", "--jobs", "\(jobs)", "--strict"])
            let printed = (status: r.status, stdout: r.stdout.replacingOccurrences(of: dir, with: "OUT"),
                           stderr: r.stderr.replacingOccurrences(of: dir, with: "OUT"))
            var files: [String: Data] = [:]
            // Every file, the ledger and the folder lock (emptied when released) included.
            for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
                files[name] = FileManager.default.contents(atPath: dir + "/" + name)
            }
            return (printed, files)
        }
        let (one, filesOne) = try run(1)
        let (two, filesTwo) = try run(2)
        #expect(one.status == two.status)
        #expect(one.stdout == two.stdout)
        #expect(one.stderr == two.stderr)
        #expect(one.stdout.contains("→ OUT/rollup.xlsx") || one.stdout.contains("→ OUT/"), "\(one.stdout.suffix(300))")
        #expect(filesOne.count > 40, "every scenario wrote xlsx, csv and json (\(filesOne.count) files)")
        #expect(Set(filesOne.keys) == Set(filesTwo.keys))
        for (name, data) in filesOne { #expect(filesTwo[name] == data, "\(name) differs between --jobs 1 and --jobs 2") }
    }

    @Test("with a job on every core, a workbook's two halves are built on its job's thread, and the workbook is the one built on two threads")
    func coresBusy() throws {
        // The mechanism: both pieces on the calling thread when the cores are busy, the second on another otherwise.
        let here = pthread_self()
        let apart = BothCores.run({ pthread_self() }, { pthread_self() })
        #expect(pthread_equal(apart.0, here) != 0 && pthread_equal(apart.1, here) == 0)
        let busy = BothCores.sharingCores(true) { BothCores.run({ pthread_self() }, { pthread_self() }) }
        #expect(pthread_equal(busy.0, here) != 0 && pthread_equal(busy.1, here) != 0)
        #expect(!BothCores.coresBusy, "the setting ends with the job")
        // The result: a scenario long enough for every split (the funding and checks sheets, the check list in halves).
        let r = Pipeline(seedsDirectory: Project.seeds).project(text: BothCoresTests.manyChecks(2_100), path: "many.yaml")
        let (scenario, p) = (try #require(r.scenario, "\(r.rendered)"), try #require(r.projection))
        let dir = Project.tempDir("cores-busy")
        var files: [Data?] = []
        for busy in [false, true] {
            let path = dir + "/busy-\(busy).xlsx"
            try BothCores.sharingCores(busy) {
                var builder = WorkbookBuilder(scenario: scenario, projection: p)
                try Pipeline().write(builder.build(), to: path, force: true)
            }
            files.append(FileManager.default.contents(atPath: path))
        }
        #expect(files[0] != nil && files[0] == files[1])
    }

    @Test("--timings over a folder prints each phase's wall time and its jobs' CPU time, once, after the files")
    func phaseTimings() throws {
        let dir = Project.tempDir("phases")
        let r = try fundsim(["run", "scenarios", "--output", dir, "--jobs", "2", "--timings", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("timing: run phases") }
        #expect(lines.count == 1 && r.stderr.hasSuffix(String(lines.last ?? "") + "\n"), "\(r.stderr.suffix(400))")
        let line = String(lines.first ?? "")
        #expect(line.hasPrefix("timing: run phases on 2 thread(s): projecting "), "\(line)")
        // Every figure is a number of milliseconds, and some work was done in each phase.
        let figures = line.split(separator: " ").compactMap { Double($0) }
        #expect(figures.count == 7 && figures.first == 2, "\(line)")
        #expect(figures.dropFirst().allSatisfy { $0 >= 0 } && figures[2] > 0 && figures[5] > 0, "\(line)")
        // The bench reads the per-file lines by `write N s`: the summary must not look like one.
        #expect(line.range(of: #"write [0-9.]+ s"#, options: .regularExpression) == nil)
    }

    @Test("jobs started in any order are each run once and handed on in index order, on one to four threads")
    func inOrderWithStartOrder() {
        final class Log: @unchecked Sendable {
            let lock = NSLock()
            var started: [Int] = []
        }
        let count = 40
        var rng = SystemRandomNumberGenerator()
        let orders: [[Int]?] = [nil, Array((0..<count).reversed()), Array(0..<count).shuffled(using: &rng), [0, 0, 1]]
        for threads in 1...4 {
            for order in orders {
                let log = Log()
                var delivered: [(Int, Int)] = []
                InOrder.forEach(count: count, threads: threads, startOrder: order) { i in
                    log.lock.lock(); log.started.append(i); log.lock.unlock()
                    usleep(UInt32((i * 7919) % 5) * 200)
                    return i * i
                } deliver: { i, result in
                    delivered.append((i, result))
                }
                #expect(delivered.map(\.0) == Array(0..<count), "threads \(threads), order \(order.map { "\($0.prefix(5))…" } ?? "nil")")
                #expect(delivered.allSatisfy { $0.1 == $0.0 * $0.0 })
                #expect(log.started.sorted() == Array(0..<count), "each job runs once")
            }
        }
    }
}
