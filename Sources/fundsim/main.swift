import ArgumentParser
import Foundation
import FundSimKit
import FundSimModel
import FundSimEngine

/// Exit codes: 0 success, 1 invalid scenario or failing checks under --strict, 64 usage, 73 cannot write output.
enum ExitStatus {
    static let invalid: Int32 = 1
    static let cannotWrite: Int32 = 73
}

@main
struct FundSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fundsim",
        abstract: "Project multi-year grassroots funding commitments into live Excel models.",
        discussion: "Exit codes: 0 success; 1 invalid scenario (or a failing check with --strict); 64 bad usage; 73 output not written.",
        version: "0.1.0",
        subcommands: [Run.self, Validate.self, New.self, Schema.self, Catalog.self],
        defaultSubcommand: nil
    )
}

struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The folder of seed documents that `cite:` quotes are checked against (default: the nearest `seeds` folder above each scenario).")
    var seeds: String?
}

func printError(_ s: String) {
    FileHandle.standardError.write(Data(s.utf8))
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Project scenarios and write their workbooks (and CSV/JSON).")

    @Argument(help: "Scenario files, or folders of them.")
    var paths: [String]

    @Option(name: .shortAndLong, help: "Folder for the output files.")
    var output: String = "output"

    @Option(name: .long, help: "Comma-separated output formats: xlsx, csv, json.")
    var format: String = "xlsx"

    @Flag(help: "Exit 1 when any check fails (files are still written).")
    var strict = false

    @Flag(help: "Replace output files that FundSim did not write or that were changed since.")
    var force = false

    @Flag(name: .shortAndLong, help: "Print only problems, not the summary tables.")
    var quiet = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        for f in format.split(separator: ",") where OutputFormat(rawValue: f.trimmingCharacters(in: .whitespaces)) == nil {
            throw ValidationError("unknown format `\(f)`: use xlsx, csv or json, separated by commas")
        }
    }

    func run() throws {
        let formats = format.split(separator: ",").compactMap { OutputFormat(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        let files = Pipeline.expand(paths)
        if files.isEmpty { throw ValidationError("no scenario files found in \(paths.joined(separator: ", "))") }
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: output, isDirectory: &isDir) {
            try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        }
        let pipeline = Pipeline(seedsDirectory: common.seeds)
        var status: Int32 = 0
        var projected: [(scenario: Scenario, projection: Projection)] = []
        for file in files {
            let r = pipeline.project(file)
            if !r.diagnostics.isEmpty { printError(r.rendered) }
            guard let scenario = r.scenario, let p = r.projection else {
                printError("\(file): not run: \(r.diagnostics.filter { $0.severity == .error }.count) error(s)\n")
                status = max(status, ExitStatus.invalid)
                continue
            }
            projected.append((scenario, p))
            do {
                let written = try pipeline.write(scenario, p, to: output, formats: formats, force: force)
                if !quiet {
                    print(FundSimKit.summary(scenario, p), terminator: "")
                    print("→ " + written.joined(separator: ", ") + "\n")
                }
            } catch {
                printError("error: \(error)\n")
                status = ExitStatus.cannotWrite
            }
            if strict, p.checkResults().contains(where: { !$0.passed }) { status = max(status, ExitStatus.invalid) }
        }
        // A folder of scenarios also gets one workbook that sums them.
        let folders = paths.filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &d) && d.boolValue }
        if !folders.isEmpty, projected.count >= 2, formats.contains(.xlsx) {
            do {
                let path = try pipeline.writeRollup(projected, to: output, force: force)
                if !quiet { print("→ \(path) (\(projected.count) scenarios summed by category, jurisdiction and year)") }
            } catch {
                printError("error: \(error)\n")
                status = ExitStatus.cannotWrite
            }
        }
        if status != 0 { throw ExitCode(status) }
    }
}

struct Catalog: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a Markdown table of scenarios: jurisdiction, total, largest commitment, gap, failing checks.",
        discussion: "`make catalog` writes it to scenarios/README.md.")

    @Argument(help: "Scenario files, or folders of them.")
    var paths: [String]

    @OptionGroup var common: CommonOptions

    func run() throws {
        let pipeline = Pipeline(seedsDirectory: common.seeds)
        var items: [(path: String, scenario: Scenario, projection: Projection)] = []
        for file in Pipeline.expand(paths) {
            let r = pipeline.project(file)
            guard let s = r.scenario, let p = r.projection else {
                printError(r.rendered)
                throw ExitCode(ExitStatus.invalid)
            }
            items.append((file, s, p))
        }
        print(Pipeline.catalog(items), terminator: "")
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check scenario files and report every problem with its position.")

    @Argument(help: "Scenario files, or folders of them.")
    var paths: [String]

    @OptionGroup var common: CommonOptions

    func run() throws {
        let files = Pipeline.expand(paths)
        if files.isEmpty { throw ValidationError("no scenario files found in \(paths.joined(separator: ", "))") }
        let pipeline = Pipeline(seedsDirectory: common.seeds)
        var bad = 0
        for file in files {
            let r = pipeline.project(file)
            if !r.diagnostics.isEmpty { printError(r.rendered) }
            let errors = r.diagnostics.filter { $0.severity == .error }.count
            let warnings = r.diagnostics.filter { $0.severity == .warning }.count
            if r.ok {
                print("\(file): valid" + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : ""))
            } else {
                bad += 1
                printError("\(file): \(errors) error\(errors == 1 ? "" : "s")" + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "") + "\n")
            }
        }
        if bad > 0 { throw ExitCode(ExitStatus.invalid) }
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a commented starter scenario that validates and runs.")

    @Argument(help: "The new scenario's name or path (`.yaml` is added).")
    var name: String

    @Flag(help: "Replace the file if it exists.")
    var force = false

    func run() throws {
        let path = name.hasSuffix(".yaml") ? name : name + ".yaml"
        if FileManager.default.fileExists(atPath: path), !force {
            throw ValidationError("\(path) exists; choose another name or pass --force")
        }
        let text = Starter.text(for: path)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            printError("error: cannot write \(path)\n")
            throw ExitCode(ExitStatus.cannotWrite)
        }
        print("wrote \(path); try: fundsim run \(path)")
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the JSON Schema of scenario files (for editor completion).")
    func run() throws {
        print(ScenarioSchema.json, terminator: "")
    }
}
