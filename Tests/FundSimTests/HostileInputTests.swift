import Foundation
import Testing
import TestSupport
import FundSimModel

/// Crafted inputs from issue 19, run through `fundsim validate` and `fundsim run` as a user would.
///
/// Each must end with exit 1 and a message pointing into the scenario: never a crash (a signal), a hang,
/// a raw library error (exit 73), a file read outside the project, or a workbook written after all.
/// Inputs that still misbehave are wrapped in `withKnownIssue` naming what goes wrong, so the suite stays
/// green and honest; when a fix lands, the known issue stops reproducing and the test says so.
@Suite("Hostile input (issue 19)", .serialized)
struct HostileInputTests {
    static let folder = Project.fixtures + "/hostile"

    /// One crafted input and what still goes wrong with it.
    struct Case: Sendable, CustomTestStringConvertible {
        /// A file in `Fixtures/hostile/`, or a name for a generated file.
        var name: String
        /// What goes wrong today; `nil` when FundSim already handles the input.
        var knownIssue: String?
        /// A file outside the project the input names, and its text, which the test writes first;
        /// the text must not appear in any output.
        var outside: (path: String, text: String)?
        /// The text of a generated input (too big to commit).
        var generated: (@Sendable () -> String)?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "minus_chain.yaml"),
        Case(name: "plus_chain.yaml"),
        Case(name: "power_chain.yaml"),
        Case(name: "round_400.yaml"),
        Case(name: "created_1969.yaml"),
        Case(name: "extends_outside.yaml",
             outside: ("/tmp/fundsim-outside-extends.yaml", "fundsim outside marker: 1\n")),
        Case(name: "document_outside.yaml",
             outside: ("/tmp/fundsim-outside-document.txt", "fundsim outside marker\n")),
        Case(name: "value_dot.yaml"),
        Case(name: "long_description.yaml",
             generated: {
                 "title: 長說明\nyears: 2016-2017\ndescription: \"" + String(repeating: "說", count: 32_768) + "\"\nsources:\n  市財政: {}\n"
                     + "commitments:\n  - {id: c, title: C, kind: lump_sum, amount: {value: 1萬, assumption: t}, funding: 市財政}\n"
             }),
        Case(name: "extends_not_yaml.yaml"),
        Case(name: "alias_text_bomb.yaml", generated: {
            // 100,000 characters aliased 200 times: 60 MB of text once expanded, from a 300 KB file.
            "title: 別名\nyears: 2016-2017\ndescription: &big \"" + String(repeating: "長", count: 100_000) + "\"\nremarks:\n"
                + String(repeating: "  - *big\n", count: 200)
                + "sources:\n  市財政: {}\ncommitments:\n  - {id: c, title: C, kind: lump_sum, amount: {value: 1萬, assumption: t}, funding: 市財政}\n"
        }),
        Case(name: "long_line.yaml", generated: {
            // A 400 KB line with an error at its end: the diagnostic shows a window around the caret, not the line.
            "title: 長行\nyears: 2016-2017\nsources:\n  市財政: {}\ninputs: {x: {value: 1, assumption: \"" + String(repeating: "a", count: 400_000)
                + "\", bogus: 1}}\ncommitments:\n  - {id: c, title: C, kind: lump_sum, amount: {value: 1萬, assumption: t}, funding: 市財政}\n"
        }),
    ]

    /// Runs `fundsim validate` and `fundsim run` on `path`, checking what every hostile input must give.
    ///
    /// When the input names a file outside the project, no output is quoted in a message: it could hold
    /// that file's text.
    static func expectRejected(_ path: String, outside: (path: String, text: String)?) throws {
        let name = (path as NSString).lastPathComponent
        let dir = Project.tempDir("hostile")
        if let outside { try outside.text.write(toFile: outside.path, atomically: true, encoding: .utf8) }
        for args in [["validate", path], ["run", path, "--output", dir, "--quiet"]] {
            let command = "fundsim \(args[0]) \(name)"
            let r = try fundsim(args, env: ["SWIFT_BACKTRACE": "enable=no"], timeout: 60)
            let shown = outside == nil ? String(r.stderr.prefix(400)) : "(output not shown)"
            #expect(!r.timedOut, "\(command) still running after 60 s")
            #expect(!r.signalled, "\(command) crashed with signal \(r.status)")
            #expect(r.status == 1, "\(command) should exit 1, not \(r.status): \(shown)")
            let pointsIntoScenario = r.stderr.contains(name + ":")
            #expect(pointsIntoScenario, "\(command): the error should point into the scenario: \(shown)")
            #expect(r.stderr.utf8.count < 8_000, "\(command): a diagnostic shows a window around the caret, not whole lines")
            if args[0] == "validate" {
                // What a user reads, recorded: the exit status and every message, paths from the fixture's folder.
                let folder = (path as NSString).deletingLastPathComponent + "/"
                expectGolden("$ fundsim validate \(name)\nexit \(r.status)\n" + r.stderr.replacingOccurrences(of: folder, with: ""),
                             "hostile/" + (name as NSString).deletingPathExtension + ".txt")
            }
            if let outside {
                let marker = outside.text.trimmingCharacters(in: .whitespacesAndNewlines)
                let leaked = (r.stdout + r.stderr).contains(marker)
                #expect(!leaked, "\(command) shows the text of \(outside.path), a file outside the project")
            }
        }
        let written = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix(".") }
        #expect(written.isEmpty, "a rejected scenario writes nothing: \(written)")
    }

    @Test("a crafted input is rejected by validate and run with exit 1: no crash, no hang, no file read outside, nothing written",
          arguments: cases)
    func rejected(_ c: Case) throws {
        var path = Self.folder + "/" + c.name
        if let generated = c.generated {
            path = Project.tempDir("hostile-input") + "/" + c.name
            try generated().write(toFile: path, atomically: true, encoding: .utf8)
        }
        if let knownIssue = c.knownIssue {
            withKnownIssue(Comment(rawValue: "issue 19: " + knownIssue)) {
                try Self.expectRejected(path, outside: c.outside)
            }
        } else {
            try Self.expectRejected(path, outside: c.outside)
        }
    }

    @Test("a control character in the title is rejected with its position, or escaped so every XML part of the workbook parses",
          .requires(.python3))
    func controlCharacterTitle() throws {
        let path = Self.folder + "/title_control_char.yaml"
        let dir = Project.tempDir("hostile-title")
        let r = try fundsim(["run", path, "--output", dir], env: ["SWIFT_BACKTRACE": "enable=no"], timeout: 60)
        #expect(!r.timedOut && !r.signalled, "crash or hang: \(r.status)")
        #expect(!(r.stdout + r.stderr).contains("\u{01}"), "a control character is never echoed raw to a terminal")
        if r.status == 0 {
            try runPython(["-c", """
                import sys, zipfile, xml.dom.minidom
                z = zipfile.ZipFile(sys.argv[1])
                for n in z.namelist():
                    if n.endswith((".xml", ".rels")):
                        xml.dom.minidom.parseString(z.read(n))
                """, dir + "/title_control_char.xlsx"])
        } else {
            #expect(r.status == 1 && r.stderr.contains("title_control_char.yaml:2:"), "\(r.status): \(r.stderr.prefix(400))")
        }
    }

    /// An analysis command on a hostile fixture: exit 1 naming the draw or bound, recorded as a golden.
    static func expectAnalysisRefused(_ args: [String], golden: String, mentions: String) throws {
        let r = try fundsim(args, env: ["SWIFT_BACKTRACE": "enable=no"], timeout: 60)
        #expect(!r.timedOut && !r.signalled, "crash or hang: \(r.status)")
        #expect(r.status == 1, "\(args[0]) should exit 1, not \(r.status): \(r.stderr.prefix(400))")
        #expect(r.stderr.contains(mentions), "\(r.stderr.prefix(400))")
        // A fixture by its name, any other path (a temporary output folder) as DIR, wherever the project lies.
        let shown = args.map { $0.hasPrefix(folder + "/") ? ($0 as NSString).lastPathComponent : ($0.hasPrefix("/") ? "DIR" : $0) }
        expectGolden("$ fundsim " + shown.joined(separator: " ") + "\nexit \(r.status)\n"
                     + r.stderr.replacingOccurrences(of: folder + "/", with: ""), "hostile/" + golden)
    }

    @Test("simulate refuses draws a run would refuse, naming the draw and its seed")
    func simulateNegativeDraws() throws {
        try Self.expectAnalysisRefused(["simulate", Self.folder + "/simulate_negative_count.yaml", "--draws", "200", "--seed", "1", "--no-workbook"],
                                       golden: "simulate_negative_count.txt", mentions: "draw 1 of 200 (seed 1")
    }

    @Test("sensitivity refuses a bound a run would refuse, naming the input and the bound")
    func sensitivityAbsurdBound() throws {
        try Self.expectAnalysisRefused(["sensitivity", Self.folder + "/sensitivity_range_1e15.yaml", "--output", Project.tempDir("hostile-sens")],
                                       golden: "sensitivity_range_1e15.txt", mentions: "at its high value")
    }

    @Test("solve with bounds that are not finite or beyond ±10^15 is a usage error, not a crash", arguments: [
        ["--low", "0", "--high", "inf"], ["--low=-1e308", "--high", "1e308"], ["--low", "nan", "--high", "1"],
    ])
    func solveBounds(_ bounds: [String]) throws {
        let r = try fundsim(["solve", Project.root + "/docs/examples/minimal.yaml", "--vary", "村數", "--until", "fund_rate"] + bounds,
                            env: ["SWIFT_BACKTRACE": "enable=no"], timeout: 60)
        #expect(!r.timedOut && !r.signalled, "crash or hang: \(r.status)")
        #expect(r.status == 64, "\(r.status): \(r.stderr.prefix(400))")
        #expect(r.stderr.contains("not a figure FundSim can search"), "\(r.stderr.prefix(400))")
    }

    @Test("solve refuses values a run would refuse, naming the value")
    func solveNegativeCount() throws {
        let r = try fundsim(["solve", Project.root + "/docs/examples/minimal.yaml", "--vary", "村數", "--until", "fund_rate", "--low=-1000", "--high", "1000"],
                            env: ["SWIFT_BACKTRACE": "enable=no"], timeout: 60)
        #expect(r.status == 1, "\(r.status): \(r.stderr.prefix(400))")
        #expect(r.stderr.contains("`村數` = -1000") && r.stderr.contains("negative"), "\(r.stderr.prefix(400))")
    }

    @Test("a 28-line assumption validates and runs: the row is as tall as a spreadsheet allows")
    func tallAssumption() throws {
        let dir = Project.tempDir("hostile-tall")
        let path = dir + "/tall.yaml"
        let lines = (1...28).map { "第\($0)行" }.joined(separator: "\\n")
        try ("title: 高行\nyears: 2016-2017\nsources:\n  市財政: {}\ncommitments:\n"
             + "  - {id: c, title: C, kind: lump_sum, amount: {value: 1萬, assumption: \"\(lines)\"}, funding: 市財政}\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        for args in [["validate", path], ["run", path, "--output", dir + "/out", "--quiet"]] {
            let r = try fundsim(args, env: ["SWIFT_BACKTRACE": "enable=no"], timeout: 60)
            #expect(r.status == 0, "\(args[0]): \(r.status): \(r.stderr.prefix(400))")
        }
        #expect(FileManager.default.fileExists(atPath: dir + "/out/tall.xlsx"))
    }

    @Test("a roster with duplicate ids, non-decimal numbers (0x10, 20%, 5萬), 257 columns, Latin-1 text or control characters in a column name: one error each, with file:line:column",
          arguments: ["duplicate_id.csv", "not_decimal.csv", "257_columns.csv", "latin1.csv", "control_in_header.csv"])
    func rosterLimits(_ name: String) throws {
        let path = Self.folder + "/rosters/" + name
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard case .failure(let list) = Roster.parse(data, file: name) else {
            Issue.record("\(name) was accepted")
            return
        }
        for d in list.diagnostics { #expect(d.location?.file == name && (d.location?.line ?? 0) >= 1, "\(d)") }
        expectGolden(DiagnosticRenderer().render(list.diagnostics), "hostile/roster-" + (name as NSString).deletingPathExtension + ".txt")
    }

    /// A roster past one of its limits, written to a temporary file (they are too large to keep as fixtures).
    static func oversizedRoster(_ kind: String, in dir: String) throws -> String {
        let path = dir + "/" + kind + ".csv"
        switch kind {
        case "bytes":  // a sparse file one byte over the limit: refused by its size, never read
            guard FileManager.default.createFile(atPath: path, contents: Data("id,name,county,kind\n".utf8)) else { throw CocoaError(.fileWriteUnknown) }
            let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try h.truncate(atOffset: UInt64(Roster.maxBytes) + 1)
            try h.close()
        case "rows":  // one row over the limit, then a thousand more: one error, at the first row over
            var b = [UInt8]("id,name,county,kind\n".utf8)
            b.reserveCapacity(Roster.maxRows * 16)
            for i in 0..<(Roster.maxRows + 1_000) { b += Array("\(i),,縣,village\n".utf8) }
            try Data(b).write(to: URL(fileURLWithPath: path))
        case "field":  // a 200,000-byte name (and a row after it with a bad number that is never reached)
            try ("id,name,county,kind,income\nV1," + String(repeating: "長", count: 66_667) + ",縣,village,1\nV2,乙,縣,village,0x10\n")
                .write(toFile: path, atomically: true, encoding: .utf8)
        default:  // the same in quotes, running to the end of the file
            try ("id,name,county,kind\nV1,\"" + String(repeating: "a,\n", count: 50_000)).write(toFile: path, atomically: true, encoding: .utf8)
        }
        return path
    }

    @Test("a roster past its size, row or field limit fails fast: one error with file:line:column, then reading stops",
          arguments: ["bytes", "rows", "field", "quoted-field"])
    func rosterFailsFast(_ kind: String) throws {
        let dir = Project.tempDir("roster-limit")
        let path = try Self.oversizedRoster(kind, in: dir)
        guard let read = Roster.read(path: path, file: kind + ".csv") else {
            Issue.record("cannot open \(path)")
            return
        }
        guard case .failure(let list) = read else {
            Issue.record("\(kind): accepted")
            return
        }
        #expect(list.diagnostics.count == 1, "\(list.diagnostics.map(\.message))")
        expectGolden(DiagnosticRenderer().render(list.diagnostics), "hostile/roster-limit-" + kind + ".txt")
        try? FileManager.default.removeItem(atPath: dir)
    }
}
