import Foundation
import Testing
import TestSupport

/// The test infrastructure itself: what `make test` installs, and how a missing tool is reported.
@Suite("Test tooling")
struct ToolingTests {
    /// The words of a `NAME := …` line in the Makefile.
    static func makeList(_ name: String) throws -> [String] {
        let makefile = try String(contentsOfFile: Project.root + "/Makefile", encoding: .utf8)
        let line = try #require(makefile.split(separator: "\n").first { $0.hasPrefix(name + " ") }, "no \(name) in the Makefile")
        return line.split(separator: ":=", maxSplits: 1)[1].split(separator: " ").map(String.init)
    }

    @Test("make test installs every outside tool a test can require")
    func makefileInstallsEveryTool() throws {
        // `soffice|libreoffice:PACKAGE`: any of the programs will do.
        let programs = try Self.makeList("TEST_PROGRAMS").map { $0.split(separator: ":")[0].split(separator: "|").map(String.init) }
        let modules = try Self.makeList("TEST_PYTHON_PACKAGES").map { String($0.split(separator: ":")[0]) }
        #expect(!programs.isEmpty && !modules.isEmpty)
        for tool in ExternalTool.allCases where tool != .python3 {
            if let module = tool.pythonModule {
                #expect(modules.contains(module), "\(tool): the Makefile's TEST_PYTHON_PACKAGES lacks \(module)")
            } else {
                #expect(programs.contains(tool.programs), "\(tool): the Makefile's TEST_PROGRAMS lacks it, or names other programs than \(tool.programs)")
            }
        }
        #expect(Set(modules) == Set(ExternalTool.allCases.compactMap(\.pythonModule)), "the Makefile installs what no test can require")
    }

    @Test("a missing tool skips locally, fails under CI, and nothing missing runs")
    func decision() throws {
        #expect(try ExternalTools.decide(missing: [], isCI: false))
        #expect(try ExternalTools.decide(missing: [], isCI: true))
        #expect(try !ExternalTools.decide(missing: ["LibreOffice (soffice): no soffice on PATH"], isCI: false))
        let error = #expect(throws: ExternalTools.Missing.self) {
            try ExternalTools.decide(missing: ["LibreOffice (soffice): no soffice on PATH"], isCI: true)
        }
        #expect(error?.description.contains("no soffice on PATH") == true)
    }

    @Test("tools are found on PATH, as the scripts the tests run find them")
    func onPath() {
        #expect(ExternalTools.onPath("sh") != nil)
        #expect(ExternalTools.onPath("no-such-program-\(UUID().uuidString)") == nil)
    }
}
