import ArgumentParser
import FundSimKit
import FundSimModel

/// Where seed documents are found, for every command that reads scenarios.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The folder of seed documents that `cite:` quotes are checked against (default: the nearest `seeds` folder above each scenario).")
    var seeds: String?

    @Option(name: .customLong("allow-outside"), help: ArgumentHelp("Let scenarios name files in this file or folder, outside their project (repeatable).", valueName: "path"))
    var allowOutside: [String] = []

    @Flag(name: .customLong("all-warnings"), help: "Show every warning; without it, the first \(DiagnosticRenderer.warningsPerKind) of each kind and how many more there are.")
    var allWarnings = false

    /// The terminal, showing every warning or a few of each kind.
    var console: Console { Console.standard.showing(allWarnings: allWarnings) }
}

/// Where files go, for every command that writes them.
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Folder for the output files (created if its parent folder exists).")
    var output: String = "output"

    @Flag(help: "Replace output files that FundSim did not write or that were changed since.")
    var force = false
}

/// Which files `run` and `watch` write.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "Comma-separated output formats: xlsx, csv, json.")
    var format: String = "xlsx"

    var formats: [OutputFormat] {
        format.split(separator: ",").compactMap { OutputFormat(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
    }

    func validate() throws {
        let names = format.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        for f in names where OutputFormat(rawValue: f) == nil {
            throw ValidationError(f.isEmpty ? "--format names no format: use xlsx, csv or json, separated by commas"
                                            : "unknown format `\(f)`: use xlsx, csv or json, separated by commas")
        }
    }
}

/// Runs a FundSimKit command: its usage mistakes become ValidationError (exit 64), any other status its exit code.
func finish(_ command: () throws -> Int32) throws {
    let status: Int32
    do {
        status = try command()
    } catch let e as UsageError {
        throw ValidationError(e.description)
    }
    if status != ExitStatus.ok { throw ExitCode(status) }
}
