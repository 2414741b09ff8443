import Foundation
import Testing
import TestSupport

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
            // The folder lock holds the process id of the last run that wrote there: not output.
            for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name != ".fundsim-lock" {
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
}
