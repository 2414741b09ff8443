import Foundation
import Testing
import FundSimKit
import FundSimModel
import FundSimEngine
import FundSimReport

/// The label catalogue: written-out Simplified labels, user text never converted.
@Suite("Labels")
struct LabelTests {
    /// True when ICU's Traditional→Simplified transform leaves the text as it is.
    static func isSimplified(_ s: String) -> Bool {
        s.applyingTransform(StringTransform("Hant-Hans"), reverse: false) == s
    }

    static var scenarioFiles: [String] {
        let dir = Project.root + "/scenarios"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { dir + "/" + $0 }
    }

    /// Every piece of text the scenario's author wrote, longest first.
    static func userText(_ s: Scenario, _ m: Model) -> [String] {
        var out: [String] = [s.title, s.region, s.description ?? ""]
        for i in s.inputs { out += [i.name, i.title ?? ""] }
        for src in s.sources { out += [src.name, src.title ?? ""] }
        for c in s.commitments {
            out += [c.id, c.title]
            if case .collectiveEconomy(let k) = c.kind { out += k.bands.map(\.name) }
        }
        for c in s.checks { out += [c.id, c.title, c.assertion.text] }
        for r in m.rows {
            out.append(r.id)
            for p in r.provenance {
                switch p {
                case .cite(let c): out += [c.quote, c.document]
                case .assumption(let a, _): out.append(a)
                }
            }
        }
        for p in m.commitments.flatMap(\.provenance) + m.checks.flatMap(\.provenance) {
            switch p {
            case .cite(let c): out += [c.quote, c.document]
            case .assumption(let a, _): out.append(a)
            }
        }
        return Set(out.filter { !$0.isEmpty }).sorted { $0.count > $1.count }
    }

    @Test("every zh-Hans phrase of the catalogue is free of Traditional-only characters")
    func catalogueIsSimplified() {
        let bad = Phrase.rows.filter { !Self.isSimplified($0.value.zhHans) }.map(\.key.rawValue)
        #expect(bad.isEmpty, "\(bad)")
        let labels = Labels(.zhHans)
        for sheet in [labels.summary, labels.inputs, labels.calculations, labels.funding, labels.collective, labels.checks,
                      labels.sources, labels.scenarioValues, labels.comparison, labels.assumptionChanges] {
            #expect(Self.isSimplified(sheet), "\(sheet)")
        }
    }

    @Test("every label key a commitment kind declares is in the catalogue")
    func everyKeyHasAPhrase() {
        var keys: [LabelKey] = []
        for kind in CommitmentKindSpec.all {
            keys += kind.rows.map(\.label)
            keys += kind.fields.flatMap { [$0] + $0.subfields }.compactMap(\.inputLabel)
        }
        keys += [CommonRows.share, CommonRows.shareRest, CommonRows.paidBy, CommonRows.committed, CommonRows.envelope, CommonRows.gap,
                 CommonRows.cumulativeGap, CommonRows.total].map(\.label)
        keys += [CommonRows.envelopeInput, CommonRows.shareInput, CommonRows.envelopeCheckRow, CommonRows.envelopeCheckTitle,
                 CommonRows.lhs, CommonRows.rhs, CollectiveEconomyRows.bandInput, CollectiveEconomyRows.targetShareCheck,
                 CollectiveEconomyRows.targetHollowCheck]
        keys += Category.allCases.map(\.labelKey)
        let missing = keys.filter { Phrase.rows[$0] == nil }
        #expect(missing.isEmpty, "\(missing)")
    }

    @Test("a zh-Hans workbook of every scenario has no Traditional-only character in any label FundSim writes")
    func workbookLabelsAreSimplified() throws {
        let files = Self.scenarioFiles
        #expect(files.count >= 10)
        for file in files {
            let r = Pipeline().project(file)
            var scenario = try #require(r.scenario, "\(file)")
            let projection = try #require(r.projection, "\(file)")
            scenario.language = .zhHans
            var builder = WorkbookBuilder(scenario: scenario, projection: projection)
            let book = builder.build()
            let user = Self.userText(scenario, projection.model)
            var texts = book.sheets.map(\.name) + [book.properties.subject]
            for sheet in book.sheets {
                for cell in sheet.cells {
                    if case .text(let t) = cell.value { texts.append(t) }
                    if let c = cell.comment { texts.append(c) }
                }
                texts += sheet.charts.compactMap(\.title)
            }
            for t in texts {
                // What FundSim wrote around the author's text.
                var own = t
                for u in user { own = own.replacingOccurrences(of: u, with: "·") }
                #expect(Self.isSimplified(own), "\(URL(fileURLWithPath: file).lastPathComponent): \(t)")
            }
        }
    }

    @Test("user-written names, band names and quotes are untouched in a zh-Hans workbook")
    func userTextUntouched() throws {
        let r = Pipeline().project(Project.root + "/scenarios/enshi.yaml")
        var scenario = try #require(r.scenario)
        let projection = try #require(r.projection)
        scenario.language = .zhHans
        var builder = WorkbookBuilder(scenario: scenario, projection: projection)
        let book = builder.build()
        let texts = book.sheets.flatMap(\.cells).compactMap { c -> String? in if case .text(let t) = c.value { return t } else { return nil } }
        let traditionalName = try #require(scenario.inputs.map { $0.title ?? $0.name }.first { !Self.isSimplified($0) })
        #expect(texts.contains(traditionalName), "input name \(traditionalName) written as is")
        let band = try #require(scenario.commitments.compactMap { c -> String? in
            if case .collectiveEconomy(let k) = c.kind { return k.bands.map(\.name).first { !Self.isSimplified($0) } } else { return nil }
        }.first)
        // The band model's counts are expected values, and say so.
        #expect(texts.contains(Labels(.zhHans).expected("村数 " + band)), "band name \(band) kept inside a Simplified label")
        let quote = try #require(projection.model.rows.flatMap(\.provenance).compactMap { p -> String? in
            if case .cite(let c) = p, !Self.isSimplified(c.quote) { return c.quote } else { return nil }
        }.first)
        #expect(texts.contains(quote))
        #expect(texts.contains("单位换算"))
    }
}
