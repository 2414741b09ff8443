import Foundation
import Testing
import TestSupport

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
}
