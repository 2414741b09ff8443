import Foundation
import Testing
import FundSimKit
import FundSimModel
import FundSimEngine

/// Commitment kinds are declared once (FundSimModel/Kinds); everything that lists them follows the declarations.
@Suite("Commitment kinds")
struct KindTests {
    @Test("docs/scenario-format.md holds each kind's generated reference (FUNDSIM_RECORD=1 rewrites it)")
    func docsTables() throws {
        let path = Project.root + "/docs/scenario-format.md"
        let doc = try String(contentsOfFile: path, encoding: .utf8)
        let expected = try #require(KindReference.rewrite(doc), "every kind needs its `<!-- kind KEY … -->` block in \(path)")
        if Project.recording, expected != doc {
            try expected.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(doc == expected, "the kind tables in docs/scenario-format.md differ from the declarations; re-record with FUNDSIM_RECORD=1")
        for k in CommitmentKindSpec.all {
            for f in k.fields { #expect(doc.contains("| `\(f.key)` |"), "\(k.key).\(f.key) is not in the reference") }
        }
    }

    @Test("a commitment accepts exactly the keys its kind declares")
    func decoderKeys() throws {
        for k in CommitmentKindSpec.all {
            let text = """
            title: t
            years: 2016-2017
            sources: {市財政: {}}
            commitments:
              - {id: c, kind: \(k.key), funding: 市財政, assumption: a, not_a_key: 1}
            """
            let r = Pipeline().project(text: text, path: Project.tempDir("kinds") + "/k.yaml")
            let hint = r.diagnostics.first { $0.message.contains("unknown key `not_a_key`") }?.hint ?? ""
            let allowed = Set(hint.replacingOccurrences(of: "allowed keys: ", with: "").components(separatedBy: ", "))
            #expect(allowed == Set(CommitmentKindSpec.commonKeys + k.fields.map(\.key)), "\(k.key): \(hint)")
        }
    }

    @Test("every row a kind adds (in scenarios/ and docs/examples/) is declared by the kind, with the declared unit")
    func rowsDeclared() throws {
        var files: [String] = []
        for dir in ["/scenarios/", "/docs/examples/"] {
            files += try FileManager.default.contentsOfDirectory(atPath: Project.root + dir).filter { $0.hasSuffix(".yaml") }.map { dir + $0 }
        }
        var seenKinds = Set<String>()
        for file in files {
            let r = Pipeline().project(Project.root + file)
            let p = try #require(r.projection, "\(file)")
            for c in p.model.commitments {
                let spec = try #require(CommitmentKindSpec.named(c.kind), "\(c.kind)")
                seenKinds.insert(c.kind)
                for id in c.rows {
                    let row = try #require(p.model.row(id))
                    guard case .key(let key, _) = row.label else { Issue.record("\(id) has no label key"); continue }
                    let declared = spec.rows.filter { $0.label == key }
                    #expect(!declared.isEmpty, "\(file): \(id) (\(key)) is not declared by \(c.kind)")
                    #expect(declared.contains { $0.measure == row.dimension }, "\(file): \(id) unit")
                    #expect(row.owner == RowOwner.commitment(c.id) && row.field.map { id == c.id + "." + $0 } == true, "\(file): \(id) identity")
                }
            }
        }
        #expect(seenKinds == Set(CommitmentKindSpec.all.map(\.key)), "the scenarios and docs/examples use every kind")
    }

    @Test("inline figures carry their owner: the report needs no parsing of `ID:FIELD`")
    func inlineOwners() throws {
        let p = try #require(Pipeline().project(Project.root + "/scenarios/enshi.yaml").projection)
        let inline = p.model.rows.filter { $0.section == .input && $0.id.contains(":") }
        #expect(!inline.isEmpty)
        for row in inline {
            let owner = String(row.id.split(separator: ":")[0])
            #expect(row.owner?.id == owner && row.field == String(row.id.dropFirst(owner.count + 1)), "\(row.id)")
        }
    }
}
