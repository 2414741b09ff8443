import Foundation
import Testing
import TestSupport
import FundSimKit
import FundSimModel
import FundSimEngine

/// The terminal shows a few warnings of each kind and counts the rest (`DiagnosticRenderer.render(_:perKind:)`);
/// `--all-warnings` shows every one, and errors are never cut.
@Suite("Warnings shown per kind")
struct WarningCapTests {
    /// A scenario with `checks` checks over one input, each with a figure of its own and no provenance: each check
    /// gives two warnings, "figure … has no provenance" and "check … cannot fail".
    static func scenario(checks: Int) -> String {
        var s = "title: 警告\nyears: 2021-2022\nsources:\n  市財政: {}\ninputs:\n  x: {value: 100, assumption: 基準}\n"
            + "commitments:\n  - {id: c, title: C, kind: lump_sum, amount: {value: 1萬, assumption: 示例}, funding: 市財政}\nchecks:\n"
        for k in 0..<checks { s += "  - {id: k\(k), assert: x <= \(200 + k)}\n" }
        return s
    }

    static func write(_ text: String, _ name: String = "many.yaml") throws -> (dir: String, path: String) {
        let dir = Project.tempDir("warning-cap")
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (dir, path)
    }

    static func lines(_ text: String, containing part: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.contains(part) }
    }

    @Test("one kind: the same message with other names, figures and details; other messages are other kinds")
    func kinds() {
        let a = Diagnostic.warning("figure `100` in check `k0` has no provenance", at: nil)
        let b = Diagnostic.warning("figure `7.5萬` in check `村數_ok` has no provenance", at: nil)
        #expect(a.kind == b.kind)
        #expect(a.kind == "figure `…` in check `…` has no provenance")
        let rules = VacuousChecks.Kind.allCases.map { Diagnostic.warning("check `a` cannot fail: it \($0.rawValue) (`x`)", at: nil).kind }
        #expect(Set(rules).count == rules.count, "\(rules)")
        #expect(Diagnostic.warning("share `r` is 0.5, that is 50%", at: nil).kind == Diagnostic.warning("share `q` is 0.25, that is 25%", at: nil).kind)
        #expect(a.kind != Diagnostic.warning("input `x` has no provenance", at: nil).kind)
    }

    @Test("the first 10 warnings of each kind in order, then how many more of that kind; errors all shown")
    func cap() {
        var ds: [Diagnostic] = []
        for k in 0..<25 { ds.append(.warning("figure `\(k)` in check `k\(k)` has no provenance", at: SourceLocation(file: "a.yaml", line: k + 1, column: 3))) }
        for k in 0..<3 { ds.append(.warning("input `i\(k)` has no provenance", at: nil)) }
        for k in 0..<14 { ds.append(.error("unknown name `n\(k)`", at: SourceLocation(file: "a.yaml", line: 40 + k, column: 1))) }
        ds.swapAt(2, 30)  // an error among the warnings keeps its place
        let renderer = DiagnosticRenderer()
        let text = renderer.render(ds, perKind: DiagnosticRenderer.warningsPerKind)
        let shown = ds.filter { $0.severity == .error } + ds.filter { $0.severity == .warning && $0.message.hasPrefix("input") }
            + ds.filter { $0.message.hasPrefix("figure") }.prefix(10)
        let expected = ds.filter { d in shown.contains(d) }.map { renderer.render($0) }.joined()
            + "note: 15 more warnings like “figure `…` in check `…` has no provenance” not shown; --all-warnings shows them all\n"
        #expect(text == expected)
        #expect(Self.lines(text, containing: "error:").count == 14)
        #expect(renderer.render(ds, perKind: nil) == renderer.render(ds))
        #expect(Self.lines(renderer.render(ds, perKind: nil), containing: "has no provenance").count == 28)
    }

    @Test("errors of one kind are never cut")
    func errorsAll() {
        let ds = (0..<40).map { Diagnostic.error("unknown name `n\($0)`", at: nil) }
        let text = DiagnosticRenderer().render(ds, perKind: 10)
        #expect(Self.lines(text, containing: "error: unknown name").count == 40)
        #expect(!text.contains("not shown"))
    }

    @Test("validate and run show 10 of each kind and count the rest; --all-warnings shows every one")
    func commands() throws {
        let (dir, path) = try Self.write(Self.scenario(checks: 30))
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let capped = try fundsim(["validate", path])
        #expect(capped.status == 0, "\(capped.stderr)")
        #expect(capped.stdout.contains("valid (60 warnings)"), "\(capped.stdout)")
        #expect(Self.lines(capped.stderr, containing: ": warning: figure").count == 10)
        #expect(Self.lines(capped.stderr, containing: ": warning: check").count == 10)
        #expect(Self.lines(capped.stderr, containing: ": warning: check").first?.contains("check `k0` cannot fail") == true)
        let notes = Self.lines(capped.stderr, containing: "not shown")
        #expect(notes == [
            "note: 20 more warnings like “figure `…` in check `…` has no provenance” not shown; --all-warnings shows them all",
            "note: 20 more warnings like “check `…` cannot fail: it holds under every value of its inputs (…)” not shown; --all-warnings shows them all",
        ], "\(notes)")
        let all = try fundsim(["validate", "--all-warnings", path])
        #expect(all.status == 0)
        #expect(Self.lines(all.stderr, containing: ": warning:").count == 60)
        #expect(!all.stderr.contains("not shown"))

        let run = try fundsim(["run", path, "-q", "-o", dir + "/out"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.lines(run.stderr, containing: ": warning:").count == 20)
        #expect(Self.lines(run.stderr, containing: "not shown").count == 2)
        let runAll = try fundsim(["run", path, "-q", "--all-warnings", "--force", "-o", dir + "/out"])
        #expect(Self.lines(runAll.stderr, containing: ": warning:").count == 60, "\(runAll.stderr.prefix(500))")
    }

    @Test("the analyses show the same cut, and take --all-warnings", arguments: ["sensitivity", "simulate"])
    func analyses(_ command: String) throws {
        let (dir, path) = try Self.write(Self.scenario(checks: 12))
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let extra = command == "simulate" ? ["--draws", "10"] : []
        let capped = try fundsim([command, path] + extra + ["-o", dir + "/out"])
        #expect(Self.lines(capped.stderr, containing: ": warning:").count == 20, "\(capped.stderr.prefix(500))")
        #expect(Self.lines(capped.stderr, containing: "note: 2 more warnings like").count == 2, "\(capped.stderr.suffix(500))")
        let all = try fundsim([command, path, "--all-warnings"] + extra + ["-o", dir + "/out"])
        #expect(Self.lines(all.stderr, containing: ": warning:").count == 24, "\(all.stderr.prefix(500))")
    }

    @Test("errors of one kind in a scenario are all printed, with no count line")
    func scenarioErrors() throws {
        var text = Self.scenario(checks: 0)
        for k in 0..<15 { text += "  - {id: e\(k), assert: nowhere\(k) <= 1, assumption: 示例}\n" }
        let (dir, path) = try Self.write(text)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try fundsim(["validate", path])
        #expect(r.status == 1)
        #expect(Self.lines(r.stderr, containing: ": error:").count == 15, "\(r.stderr.prefix(800))")
        #expect(!r.stderr.contains("not shown"))
    }
}
