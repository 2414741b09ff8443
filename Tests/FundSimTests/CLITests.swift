import Foundation
import Testing
import TestSupport
import FundSimKit

/// The built `fundsim` binary, run as a user runs it.
@Suite("Command line", .serialized)
struct CLITests {
    let megacity = Project.fixtures + "/scenarios/megacity.yaml"

    @Test("run writes the workbook, CSV and JSON and prints the summary table")
    func run() throws {
        let out = Project.tempDir("cli-run")
        let r = try fundsim(["run", "--allow-outside", Project.fixtures, megacity, "--output", out, "--format", "xlsx,csv,json"])
        #expect(r.status == 0, "\(r.stderr)")
        for ext in ["xlsx", "csv", "json"] {
            #expect(FileManager.default.fileExists(atPath: out + "/megacity." + ext))
        }
        expectGolden(r.stdout.replacingOccurrences(of: out, with: "OUT"), "cli/run-megacity.txt")
    }

    @Test("validate: exit 0 for valid files, 1 with every diagnostic for invalid ones, 64 for bad usage")
    func validateExitCodes() throws {
        #expect(try fundsim(["validate", megacity]).status == 0)
        let bad = try fundsim(["validate", Project.fixtures + "/errors/unknown_kind.yaml", Project.fixtures + "/errors/shares_not_100.yaml"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("unknown kind `cadre_pays`") && bad.stderr.contains("add up to 90%"))
        #expect(try fundsim(["validate"]).status == 64)
        #expect(try fundsim(["run", "--allow-outside", Project.fixtures, megacity, "--format", "pdf"]).status == 64)
        #expect(try fundsim(["frobnicate"]).status == 64)
    }

    @Test("run --strict exits 1 when a check fails, and still writes the workbook")
    func strict() throws {
        let dir = Project.tempDir("cli-strict")
        let file = dir + "/tight.yaml"
        try """
        extends: \(megacity)
        sources:
          市財政: {title: 市級財政, envelope: {value: 1億, assumption: 測試:預算過緊}}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try fundsim(["run", "--allow-outside", Project.fixtures, file, "--output", dir, "--strict"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("✗"))
        #expect(FileManager.default.fileExists(atPath: dir + "/tight.xlsx"))
        #expect(try fundsim(["run", "--allow-outside", Project.fixtures, file, "--output", dir]).status == 0)
    }

    @Test("new writes a starter that validates without warnings and runs")
    func starter() throws {
        let dir = Project.tempDir("cli-new")
        let r = try fundsim(["new", "mine"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let v = try fundsim(["validate", "mine.yaml", "--seeds", Project.seeds], cwd: dir)
        #expect(v.status == 0 && !v.stderr.contains("warning"), "\(v.stderr)")
        #expect(try fundsim(["run", "--allow-outside", Project.fixtures, "mine.yaml", "--output", dir], cwd: dir).status == 0)
        let again = try fundsim(["new", "mine"], cwd: dir)
        #expect(again.status == 73 && again.stderr.contains("mine.yaml") && !again.stderr.contains("Usage:"), "does not overwrite: \(again.stderr)")
        // Inside the project, the starter points at the committed schema.
        let inProject = Project.tempDir("cli-new-proj")
        _ = inProject
        #expect(Starter.text(for: Project.root + "/scenarios/x.yaml").hasPrefix("# yaml-language-server: $schema=../docs/scenario.schema.json"))
    }

    @Test("schema prints the committed docs/scenario.schema.json")
    func schema() throws {
        let r = try fundsim(["schema"])
        let committed = try String(contentsOfFile: Project.root + "/docs/scenario.schema.json", encoding: .utf8)
        #expect(r.stdout == committed)
    }

    @Test("the JSON Schema accepts every scenario and rejects fixtures that break its rules", .requires(.jsonschema, .pyyaml))
    func schemaValidates() throws {
        let rejected = ["unknown_top_key", "unknown_kind", "unknown_input_key", "inputs_not_a_mapping", "not_a_mapping", "missing_title",
                        "missing_years", "missing_funding", "unknown_language", "unknown_display_unit", "unknown_currency",
                        "years_not_a_range", "construction_without_schedule"]
        let dir = Project.tempDir("schema")
        let new = try fundsim(["new", "starter"], cwd: dir)
        #expect(new.status == 0, "\(new.stderr)")
        let files = Project.scenarios + [dir + "/starter.yaml"] + rejected.map { Project.fixtures + "/errors/\($0).yaml" }
        let r = try runScript("schema_check.py", [Project.root + "/docs/scenario.schema.json"] + files)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == files.count, "one verdict per file: \(r.stdout)")
        for line in lines {
            let d = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let file = d["file"] as! String
            let shouldPass = !file.contains("/Fixtures/")
            #expect((d["ok"] as? Bool) == shouldPass, "\(file): \(d["error"] ?? "accepted")")
        }
    }

    @Test("run refuses to replace a file it did not write, unless --force")
    func noClobber() throws {
        let dir = Project.tempDir("cli-clobber")
        let target = dir + "/megacity.xlsx"
        try "my own spreadsheet".write(toFile: target, atomically: true, encoding: .utf8)
        let r = try fundsim(["run", "--allow-outside", Project.fixtures, megacity, "--output", dir])
        #expect(r.status == 73)
        #expect(r.stderr.contains(target) && r.stderr.contains("did not write"))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "my own spreadsheet")
        #expect(try fundsim(["run", "--allow-outside", Project.fixtures, megacity, "--output", dir, "--force"]).status == 0)
        // Its own file it replaces without --force.
        #expect(try fundsim(["run", "--allow-outside", Project.fixtures, megacity, "--output", dir]).status == 0)
    }

    @Test("a folder that cannot be written: the message names the path, the previous workbook is untouched")
    func unwritable() throws {
        let dir = Project.tempDir("cli-ro")
        #expect(try fundsim(["run", "--allow-outside", Project.fixtures, megacity, "--output", dir]).status == 0)
        let before = FileManager.default.contents(atPath: dir + "/megacity.xlsx")
        chmod(dir, 0o555)
        defer { chmod(dir, 0o755) }
        // As root the permission bits do not stop writes; a file size limit does (ulimit -f).
        let r = try runProcess("/bin/sh", ["-c", "ulimit -f 8; exec \"$0\" \"$@\"", Project.binary, "run", megacity, "--output", dir, "--force"])
        #expect(r.status != 0)
        #expect(r.stderr.contains(dir + "/megacity.xlsx"), "\(r.stderr)")
        #expect(FileManager.default.contents(atPath: dir + "/megacity.xlsx") == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }
}
