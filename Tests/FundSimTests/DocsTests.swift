import Foundation
import Testing
import TestSupport
import FundSimKit

/// The format reference: every example in it is a tested file.
@Suite("Documentation")
struct DocsTests {
    static let examplesDir = Project.root + "/docs/examples"
    static var examples: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: examplesDir)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// The ```yaml blocks of a Markdown file.
    static func yamlBlocks(_ path: String) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var blocks: [String] = []
        var current: [Substring]? = nil
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```yaml" { current = []; continue }
            if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" { blocks.append(current!.joined(separator: "\n")); current = nil; continue }
            current?.append(line)
        }
        return blocks
    }

    @Test("every yaml block in docs/scenario-format.md is one of the example files, word for word")
    func blocksAreFiles() throws {
        let blocks = Self.yamlBlocks(Project.root + "/docs/scenario-format.md")
        #expect(blocks.count >= 10)
        let files = Self.examples.map { (try? String(contentsOfFile: Self.examplesDir + "/" + $0, encoding: .utf8)) ?? "" }
        for b in blocks {
            #expect(files.contains { $0.trimmingCharacters(in: .newlines) == b.trimmingCharacters(in: .newlines) },
                    "a yaml block is not an example file:\n\(b.prefix(200))")
        }
    }

    @Test("each example validates without a warning and runs", arguments: examples)
    func exampleRuns(_ name: String) throws {
        let path = Self.examplesDir + "/" + name
        let r = Pipeline(seedsDirectory: Project.seeds).project(path)
        #expect(r.ok && r.diagnostics.isEmpty, "\(r.rendered)")
        let dir = Project.tempDir("example")
        #expect(try fundsim(["run", path, "--output", dir, "--quiet"]).status == 0)
    }

    @Test("the JSON Schema accepts every example", .requires(.jsonschema, .pyyaml))
    func schemaAcceptsExamples() throws {
        let files = Self.examples.map { Self.examplesDir + "/" + $0 }
        #expect(!files.isEmpty)
        let r = try runScript("schema_check.py", [Project.root + "/docs/scenario.schema.json"] + files)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == files.count, "one verdict per example: \(r.stdout)")
        for line in lines {
            #expect(line.contains("\"ok\": true"), "\(line)")
        }
    }
}
