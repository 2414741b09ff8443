import Foundation
import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters

/// Exit statuses: 0 success, 1 an invalid scenario (or a failing check under --strict), 64 a command-line
/// mistake, 73 an output not written.
public enum ExitStatus {
    public static let ok: Int32 = 0
    public static let invalid: Int32 = 1
    public static let usage: Int32 = 64
    public static let cannotWrite: Int32 = 73
}

/// A command-line mistake found by a command (exit 64); the executable shows it as a usage error.
public struct UsageError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Where commands print: the terminal, or a test's buffers.
public struct Console: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void
    /// How many warnings of one kind a scenario's diagnostics show (nil: all, `--all-warnings`).
    public var warningsPerKind: Int? = DiagnosticRenderer.warningsPerKind
    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.err = err
    }
    public static let standard = Console(out: { print($0, terminator: "") },
                                         err: { FileHandle.standardError.write(Data($0.utf8)) })
}

extension Console {
    /// Prints a scenario's diagnostics, if it has any: the one place commands show them (on standard error).
    public func diagnostics(_ r: Pipeline.Result) {
        if !r.diagnostics.isEmpty { err(r.rendered(perKind: warningsPerKind)) }
    }

    /// This console showing every warning (`allWarnings`) or a few of each kind.
    public func showing(allWarnings: Bool) -> Console {
        var c = self
        c.warningsPerKind = allWarnings ? nil : DiagnosticRenderer.warningsPerKind
        return c
    }
}

extension Pipeline {
    /// Loads and projects one scenario for a command that needs it valid: prints its diagnostics, and says
    /// it was not run when it is invalid (the command then exits 1).
    public func projectValid(_ file: String, _ console: Console) -> (Scenario, Projection)? {
        let r = project(file)
        console.diagnostics(r)
        guard let s = r.scenario, let p = r.projection else {
            console.err("\(file): not run: \(r.diagnostics.filter { $0.severity == .error }.count) error(s)\n")
            return nil
        }
        return (s, p)
    }

    /// Writes a report workbook into `folder` (created if its parent exists) and prints its path; returns the exit status.
    public func writeWorkbook(_ book: ReportBook, folder: String, name: String, force: Bool, _ console: Console) -> Int32 {
        let path = (folder as NSString).appendingPathComponent(name)
        do {
            try SafeOutput.prepareFolder(folder)
            try write(book, to: path, force: force)
            console.out("→ \(path)\n")
            return ExitStatus.ok
        } catch {
            console.err("error: \(error)\n")
            return ExitStatus.cannotWrite
        }
    }
}
