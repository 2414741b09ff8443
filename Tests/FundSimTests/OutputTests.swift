import Foundation
import Testing
import FundSimKit
import FundSimModel
import FundSimWriters
#if canImport(Glibc)
import Glibc
#endif

/// Output that never loses a file: every file FundSim writes goes through one no-clobber,
/// temporary-then-rename path with a ledger and a folder lock; mistakes are found before anything is written.
@Suite("Safe output", .serialized)
struct OutputTests {
    let megacity = Project.fixtures + "/scenarios/megacity.yaml"

    /// The megacity fixture under another name (the slug, and so the output names, follow the file name).
    func scenario(_ dir: String, _ name: String) throws -> String {
        let path = dir + "/" + name
        try "extends: \(megacity)\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func ledger(_ dir: String) -> [String] {
        let text = (try? String(contentsOfFile: dir + "/" + SafeOutput.ledgerName, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { $0.split(separator: "\t").first.map(String.init) }
    }

    @Test("CSV: text a spreadsheet would run as a formula is escaped, also after leading whitespace; numbers are not")
    func csvFormulaTriggers() {
        #expect(TidyExport.field(" =1+1") == "' =1+1")
        #expect(TidyExport.field("  +cmd") == "'  +cmd")
        #expect(TidyExport.field("\u{3000}@SUM(1)") == "'\u{3000}@SUM(1)")
        #expect(TidyExport.field("\u{A0}-1+2") == "'\u{A0}-1+2")
        #expect(TidyExport.field("\t=x") == "'\t=x")
        #expect(TidyExport.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(TidyExport.field("-5") == "-5")
        #expect(TidyExport.field(" -5") == " -5")
        #expect(TidyExport.field("a = b") == "a = b")
        #expect(TidyExport.field(" 村 =") == " 村 =")
    }

    @Test("JSON goes through JSONEncoder: quotes, backslashes, newlines and tabs survive a round trip (control characters are refused earlier)")
    func jsonEscaping() throws {
        let title = "A\"B\\C\nD\tE/F"
        let text = "title: \"A\\\"B\\\\C\\nD\\tE/F\"\nyears: 2016-2017\nsources: {市財政: {}}\ncommitments:\n  - {id: x, title: X, kind: lump_sum, amount: {value: 1萬, assumption: t}, funding: 市財政}\n"
        let r = Pipeline().project(text: text, path: "j.yaml")
        let (s, p) = (try #require(r.scenario, "\(r.rendered)"), try #require(r.projection))
        #expect(s.title == title)
        let json = TidyExport.json(s, p)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["title"] as? String == title)
        #expect((object["years"] as? [Int]) == [2016, 2017])
        #expect(json == TidyExport.json(s, p), "the same projection gives the same bytes (keys sorted)")
    }

    @Test("--detail-csv never replaces a file FundSim did not write (here the scenario itself) and needs a roster (64)")
    func detailCSV() throws {
        let dir = Project.tempDir("detail-csv")
        let path = try RosterTests.scenario(dir)
        let before = try String(contentsOfFile: path, encoding: .utf8)
        let r = try fundsim(["run", "--allow-outside", Project.fixtures, path, "--output", dir, "--detail-csv", path])
        #expect(r.status == 73, "\(r.stderr)")
        #expect(r.stderr.contains("did not write"), "\(r.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == before, "the scenario is untouched")
        let csv = dir + "/detail.csv"
        #expect(try fundsim(["run", "--allow-outside", Project.fixtures, path, "--output", dir, "--detail-csv", csv]).status == 0)
        #expect(ledger(dir).contains("detail.csv"))
        #expect(try fundsim(["run", "--allow-outside", Project.fixtures, path, "--output", dir, "--detail-csv", csv]).status == 0, "its own file it replaces")
        let noRoster = try fundsim(["run", "--allow-outside", Project.fixtures, megacity, "--output", dir, "--detail-csv", dir + "/none.csv"])
        #expect(noRoster.status == 64 && noRoster.stderr.contains("no scenario of this run has a roster"), "\(noRoster.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/megacity.xlsx"), "nothing written")
    }

    @Test("two outputs of one run that would share a name are an error before anything is written")
    func sharedNames() throws {
        let dir = Project.tempDir("shared")
        for d in ["d1", "d2", "folder", "out"] { try FileManager.default.createDirectory(atPath: dir + "/" + d, withIntermediateDirectories: true) }
        let a1 = try scenario(dir + "/d1", "a.yaml"), a2 = try scenario(dir + "/d2", "a.yaml")
        let r = try fundsim(["run", "--allow-outside", Project.fixtures, a1, a2, "--output", dir + "/out"])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("a.xlsx") && r.stderr.contains(a1) && r.stderr.contains(a2), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out").isEmpty, "nothing written")
        // A scenario named rollup.yaml beside the roll-up of its folder.
        _ = try scenario(dir + "/folder", "rollup.yaml")
        _ = try scenario(dir + "/folder", "other.yaml")
        let f = try fundsim(["run", "--allow-outside", Project.fixtures, dir + "/folder", "--output", dir + "/out"])
        #expect(f.status == 64 && f.stderr.contains("rollup.xlsx"), "\(f.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out").isEmpty, "nothing written")
        // The same file named twice runs once.
        let twice = try fundsim(["run", "--allow-outside", Project.fixtures, a1, a1, "--output", dir + "/out", "--format", "csv", "--quiet"])
        #expect(twice.status == 0, "\(twice.stderr)")
        // Without xlsx there is no roll-up, so no clash.
        #expect(try fundsim(["run", "--allow-outside", Project.fixtures, dir + "/folder", "--output", dir + "/out", "--format", "csv"]).status == 0)
    }

    @Test("two runs into one folder at once lose no ledger entry (20 trials); the next run accepts both files")
    func concurrentRuns() throws {
        for trial in 0..<20 {
            let dir = Project.tempDir("concurrent")
            let a = try scenario(dir, "a.yaml"), b = try scenario(dir, "b.yaml")
            let out = dir + "/out"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let group = DispatchGroup()
            final class Box: @unchecked Sendable { var status: [Int32] = [0, 0] }
            let box = Box()
            for (k, file) in [a, b].enumerated() {
                group.enter()
                DispatchQueue.global().async {
                    box.status[k] = (try? fundsim(["run", "--allow-outside", Project.fixtures, file, "--output", out, "--format", "xlsx,csv", "--quiet"]))?.status ?? -1
                    group.leave()
                }
            }
            group.wait()
            #expect(box.status == [0, 0], "trial \(trial)")
            #expect(Set(ledger(out)) == ["a.xlsx", "a.csv", "b.xlsx", "b.csv"], "trial \(trial): \(ledger(out))")
            let again = try fundsim(["run", "--allow-outside", Project.fixtures, a, b, "--output", out, "--format", "xlsx,csv", "--quiet"])
            #expect(again.status == 0, "trial \(trial): \(again.stderr)")
        }
    }

    @Test("a second run waits for the folder's lock and says who holds it")
    func lockWait() throws {
        let dir = Project.tempDir("lock")
        let fd = open(dir + "/" + SafeOutput.lockName, O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        let me = "\(getpid())\n"
        _ = me.withCString { pwrite(fd, $0, strlen($0), 0) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 1.5) { flock(fd, LOCK_UN) }
        let start = Date()
        let r = try fundsim(["run", "--allow-outside", Project.fixtures, megacity, "--output", dir, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("waiting for process \(getpid())"), "\(r.stderr)")
        #expect(Date().timeIntervalSince(start) >= 1.0, "it waited")
        #expect(ledger(dir).contains("megacity.xlsx"))
    }

    @Test("a ledger that cannot be saved fails the run (73)")
    func ledgerNotSaved() throws {
        let dir = Project.tempDir("ledger")
        // A folder where the ledger should be: renaming the new ledger over it fails.
        try FileManager.default.createDirectory(atPath: dir + "/" + SafeOutput.ledgerName + "/x", withIntermediateDirectories: true)
        let r = try fundsim(["run", "--allow-outside", Project.fixtures, megacity, "--output", dir, "--quiet"])
        #expect(r.status == 73, "\(r.stderr)")
        #expect(r.stderr.contains("ledger"), "\(r.stderr)")
    }

    @Test("temporary files left by a dead process are removed by the next run; a live process's are kept")
    func leftovers() throws {
        let dir = Project.tempDir("leftovers")
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let deadTmp = dir + "/.megacity.xlsx.tmp-\(dead.processIdentifier)"
        let liveTmp = dir + "/.other.xlsx.tmp-\(getpid())"
        try "half a workbook".write(toFile: deadTmp, atomically: false, encoding: .utf8)
        try "being written".write(toFile: liveTmp, atomically: false, encoding: .utf8)
        #expect(try fundsim(["run", "--allow-outside", Project.fixtures, megacity, "--output", dir, "--quiet"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: deadTmp), "the dead process's file is removed")
        #expect(FileManager.default.fileExists(atPath: liveTmp), "a running process's file is kept")
    }

    @Test("small usage mistakes: --format '' is 64; -o under a missing folder is 73 and creates nothing; -o NEW is created")
    func usage() throws {
        let dir = Project.tempDir("usage")
        #expect(try fundsim(["run", "--allow-outside", Project.fixtures, megacity, "--output", dir, "--format", ""]).status == 64)
        #expect(try fundsim(["run", "--allow-outside", Project.fixtures, megacity, "--output", dir, "--format", "xlsx,"]).status == 64)
        let missing = dir + "/no/such/dir"
        let r = try fundsim(["run", "--allow-outside", Project.fixtures, megacity, "--output", missing])
        #expect(r.status == 73 && r.stderr.contains(dir + "/no/such") && r.stderr.contains("does not exist"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/no"), "no folder created")
        #expect(try fundsim(["run", "--allow-outside", Project.fixtures, megacity, "--output", dir + "/new", "--quiet"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/new/megacity.xlsx"))
    }

    @Test("replacing a user's file: refused when it changed since it was read; otherwise replaced whole, old text kept in .bak")
    func replaceUserFile() throws {
        let dir = Project.tempDir("replace")
        let path = dir + "/mine.yaml"
        try "title: one\n".write(toFile: path, atomically: true, encoding: .utf8)
        let changed = #expect(throws: SafeOutput.Failure.self) {
            try SafeOutput.replace(path, expecting: "title: zero\n", with: "title: two\n")
        }
        #expect(changed?.reason.contains("changed on disk") == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "title: one\n", "a file that changed is left alone")
        #expect(!FileManager.default.fileExists(atPath: path + ".bak"), "and no backup is made of it")
        try SafeOutput.replace(path, expecting: "title: one\n", with: "title: two\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "title: two\n")
        #expect(try String(contentsOfFile: path + ".bak", encoding: .utf8) == "title: one\n")
        #expect(!ledger(dir).contains("mine.yaml"), "a user's file is not an output")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("new and roster synth write through the ledger: no clobbering, no temporary file left")
    func newAndSynth() throws {
        let dir = Project.tempDir("new-synth")
        #expect(try fundsim(["new", "mine"], cwd: dir).status == 0)
        #expect(ledger(dir).contains("mine.yaml"))
        let roster = dir + "/r.csv"
        try "my own roster".write(toFile: roster, atomically: true, encoding: .utf8)
        let r = try fundsim(["roster", "synth", "--villages", "50", "--seed", "2", "-o", roster])
        #expect(r.status == 73 && r.stderr.contains("did not write"), "\(r.stderr)")
        #expect(try String(contentsOfFile: roster, encoding: .utf8) == "my own roster")
        #expect(try fundsim(["roster", "synth", "--villages", "50", "--seed", "2", "-o", roster, "--force"]).status == 0)
        let written = try String(contentsOfFile: roster, encoding: .utf8)
        #expect(written == (try fundsim(["roster", "synth", "--villages", "50", "--seed", "2"])).stdout)
        #expect(try fundsim(["roster", "synth", "--villages", "50", "--seed", "3", "-o", roster]).status == 0, "its own file it replaces")
        #expect(try fundsim(["roster", "synth", "--villages", "0"]).status == 64)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("watch validates its options: --interval 0, inf, nan and --max-runs 0 are usage errors (64)")
    func watchOptions() throws {
        for bad in [["--interval", "0"], ["--interval", "inf"], ["--interval", "nan"], ["--interval", "-1"], ["--max-runs", "0"], ["--format", ""]] {
            let r = try fundsim(["watch", megacity, "--output", Project.tempDir("watch-usage")] + bad)
            #expect(r.status == 64, "\(bad): \(r.stderr)")
        }
    }

    @Test("watch re-runs when a file the scenario extends changes, not only the scenario itself")
    func watchDependencies() throws {
        let dir = Project.tempDir("watch-deps")
        let base = dir + "/base.yaml", variant = dir + "/variant.yaml"
        let text = "title: 基礎\nyears: 2016-2017\nsources: {市財政: {}}\ninputs:\n  a: {value: 100萬, assumption: t}\ncommitments:\n  - {id: x, title: X, kind: lump_sum, amount: a, funding: 市財政}\n"
        try text.write(toFile: base, atomically: true, encoding: .utf8)
        try "extends: base.yaml\ntitle: 變體\n".write(toFile: variant, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Project.binary)
        p.arguments = ["watch", variant, "--output", dir, "--max-runs", "2", "--interval", "0.1", "--format", "csv"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { p.terminate() } }
        let csv = dir + "/variant.csv"
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: csv) { Thread.sleep(forTimeInterval: 0.1) }
        // The CSV holds amounts in the display unit (萬元 by default): 100萬 is 100.
        #expect(try String(contentsOfFile: csv, encoding: .utf8).contains(",2016,100\n"))
        try text.replacingOccurrences(of: "100萬", with: "300萬").write(toFile: base, atomically: true, encoding: .utf8)
        for _ in 0..<100 where p.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        #expect(!p.isRunning, "the change to base.yaml made the second run")
        #expect(try String(contentsOfFile: csv, encoding: .utf8).contains(",2016,300\n"))
    }
}
