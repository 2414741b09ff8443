import Foundation
import Testing
import TestSupport
import FundSimKit
import FundSimModel
import FundSimEngine
import FundSimReport

/// The Summary and Checks sheets are live: their overall result, number of failing checks and failing
/// titles are formulas, coloured by conditional formatting, and recalculate to what the engine reports.
@Suite("Live Summary and Checks", .serialized)
struct LiveSummaryTests {
    static let enshi = Project.root + "/scenarios/enshi.yaml"

    /// What the Summary should show for a projection, worked out from the engine's check results:
    /// the overall result (1/0), the number of failing checks and the text naming them.
    static func engineAnswer(_ s: Scenario, _ p: Projection) -> (overall: Double, failing: Double, text: String) {
        let labels = Labels(s.language)
        let failing = p.checkResults().filter { !$0.passed }.map { labels.text($0.info.title) }
        return (failing.isEmpty ? 1 : 0, Double(failing.count),
                failing.isEmpty ? labels[.everyCheckPasses] : labels[.failing] + failing.joined(separator: ";"))
    }

    /// The Summary's overall cell, failing count and failing titles (E3, F3, G3) of a workbook.
    static func summaryCells(_ file: String, _ summary: String) throws -> (overall: Double?, failing: Double?, text: String?) {
        let cells = ((try inspect(file, cells: [summary]))["cells"] as? [String: Any])?[summary] as? [String: Any] ?? [:]
        return (cells["E3"] as? Double, cells["F3"] as? Double, cells["G3"] as? String)
    }

    /// Sets one cell with openpyxl (keeping every formula) and saves a copy.
    static func edit(_ file: String, _ copy: String, sheet: String, cell: String, value: String) throws {
        try runPython(["-c", """
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1])
            v = sys.argv[5]
            try:
                v = float(v)
            except ValueError:
                pass
            wb[sys.argv[3]][sys.argv[4]] = v
            wb.save(sys.argv[2])
            """, file, copy, sheet, cell, value])
    }

    @Test("editing an input cell and recalculating in LibreOffice gives the Summary the engine's overall result, failing count and failing titles",
          .requires(.openpyxl, .libreOffice))
    func editedInput() throws {
        let pipeline = Pipeline(seedsDirectory: Project.seeds, allowOutside: [Project.root + "/scenarios"])
        let base = pipeline.project(Self.enshi)
        // The same change in the engine: a smaller centres budget no longer adds up to the stated 17400萬.
        let variant = pipeline.project(text: "extends: \(Self.enshi)\ninputs:\n  陣地預算: {value: 4000萬, assumption: test}\n",
                                       path: Project.tempDir("live-variant") + "/v.yaml")
        #expect(variant.ok, "\(variant.rendered)")
        let (s, p0, p1) = (try #require(base.scenario), try #require(base.projection), try #require(variant.projection))
        let before = Self.engineAnswer(s, p0), after = Self.engineAnswer(s, p1)
        #expect(after.failing > before.failing && after.text != before.text, "the change must change the failing checks")

        let dir = Project.tempDir("live-summary")
        let file = try pipeline.write(s, p0, to: dir, formats: [.xlsx])[0]
        let labels = Labels(s.language)
        let shown = try Self.summaryCells(file, labels.summary)
        #expect(shown.overall == before.overall && shown.failing == before.failing && shown.text == before.text, "as written: \(shown)")

        var builder = WorkbookBuilder(scenario: s, projection: p0)
        _ = builder.build()
        let row = try #require(builder.placement[p0.model.index["陣地預算"]!]).row
        let edited = dir + "/edited.xlsx"
        try Self.edit(file, edited, sheet: labels.inputs, cell: "D\(row + 1)", value: ValueStyle.exact(40_000_000 / s.unit.divisor))  // as the cell shows it: 4000 in 萬元
        let out = Project.tempDir("live-summary-recalc")
        try runScript("recalc.py", [out, edited])
        let got = try Self.summaryCells(out + "/edited.xlsx", labels.summary)
        #expect(got.overall == after.overall, "overall: workbook \(String(describing: got.overall)), engine \(after.overall)")
        #expect(got.failing == after.failing, "failing checks: workbook \(String(describing: got.failing)), engine \(after.failing)")
        #expect(got.text == after.text, "failing titles: workbook \(got.text ?? "nil"), engine \(after.text)")
    }

    @Test("pass and fail are coloured by conditional formatting on the Summary and every check row, not by a fixed fill",
          .requires(.openpyxl))
    func colours() throws {
        let pipeline = Pipeline(seedsDirectory: Project.seeds, allowOutside: [Project.root + "/scenarios"])
        let r = pipeline.project(Self.enshi)
        let (s, p) = (try #require(r.scenario), try #require(r.projection))
        let labels = Labels(s.language)
        let file = try pipeline.write(s, p, to: Project.tempDir("live-colours"), formats: [.xlsx])[0]
        let info = try inspect(file, cells: [labels.summary, labels.checks])
        let conditional = info["conditional"] as? [String: [[String: Any]]] ?? [:]
        let fills = info["fills"] as? [String: [String: String]] ?? [:]
        func rules(_ sheet: String, _ cells: String) -> [String: String] {
            var out: [String: String] = [:]
            for rule in conditional[sheet] ?? [] where rule["cells"] as? String == cells && rule["operator"] as? String == "equal" {
                if let f = (rule["formula"] as? [String])?.first { out[f] = rule["fill"] as? String }
            }
            return out
        }
        let green = "FFC6EFCE", red = "FFFFC7CE"
        #expect(rules(labels.summary, "E3") == ["1": green, "0": red], "\(conditional[labels.summary] ?? [])")
        #expect(fills[labels.summary]?["E3"] == nil, "the overall cell has a fixed fill")
        #expect(rules(labels.checks, "D5") == ["1": green, "0": red])
        #expect(fills[labels.checks]?["D5"] == nil)
        // Each check's result and its years: one pair of rules over the block from the first check row to the last,
        // drawing only rows with a result in column D (the two side rows under each check leave it blank).
        let block = (conditional[labels.checks] ?? []).filter { ($0["cells"] as? String)?.contains(":") == true }
        var builder = WorkbookBuilder(scenario: s, projection: p)
        _ = builder.build()
        let checkRows = p.model.checks.map { builder.placement[p.model.index[$0.row]!]!.row }
        let (first, last) = (checkRows.min()! + 1, checkRows.max()! + 1)
        let expected = ["AND(ISNUMBER($D\(first)),D\(first)=1)": green, "AND(ISNUMBER($D\(first)),D\(first)=0)": red]
        var got: [String: String] = [:]
        for rule in block {
            #expect(rule["cells"] as? String == "D\(first):I\(last)" && rule["type"] as? String == "expression", "\(rule)")
            if let f = (rule["formula"] as? [String])?.first { got[f] = rule["fill"] as? String }
        }
        #expect(block.count == 2 && got == expected, "\(block)")
        // Column D holds a number on every check row and nothing on any other row of the block.
        let cells = (info["cells"] as? [String: Any])?[labels.checks] as? [String: Any] ?? [:]
        for row in first...last {
            let isCheck = checkRows.contains(row - 1)
            #expect((cells["D\(row)"] is Double) == isCheck, "D\(row): \(String(describing: cells["D\(row)"]))")
        }
    }


    @Test("compare with 36 alternatives and a file named x,y.yaml writes its workbook; the drop-down lists every scenario from a range; switching it recalculates the Summary to that scenario's checks",
          .requires(.openpyxl, .libreOffice))
    func compareDropDown() throws {
        let dir = Project.tempDir("live-compare")
        var alternatives: [String] = []
        for k in 1...35 {
            let path = dir + "/enshi-alternative-with-a-rather-long-file-name-\(k).yaml"
            try "extends: \(Self.enshi)\ninputs:\n  村數: {value: \(1000 + 20 * k), assumption: test}\n".write(toFile: path, atomically: true, encoding: .utf8)
            alternatives.append(path)
        }
        let comma = dir + "/x,y.yaml"
        // The parts no longer add up to the 17400萬, and 州財政 spends more than its envelope: two more failures.
        try "extends: \(Self.enshi)\ninputs:\n  村數: {value: 700, assumption: test}\n  副職待遇預算: {value: 20000萬, assumption: test}\n"
            .write(toFile: comma, atomically: true, encoding: .utf8)
        alternatives.append(comma)
        let out = dir + "/out"
        let r = try fundsim(["compare", "--allow-outside", Project.root + "/scenarios", Self.enshi] + alternatives + ["--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        let file = out + "/compare-enshi.xlsx"
        #expect(FileManager.default.fileExists(atPath: file))

        let pipeline = Pipeline(seedsDirectory: Project.seeds, allowOutside: [Project.root + "/scenarios"])
        let results = ([Self.enshi] + alternatives).map { pipeline.project($0) }
        let slugs = results.compactMap { $0.scenario?.slug }
        #expect(slugs.count == 37 && slugs.last == "x,y" && slugs.joined(separator: ",").count > 255)
        let base = try #require(results[0].scenario)
        let labels = Labels(base.language)

        // The drop-down's list is a range, and that range holds every scenario's name in order.
        let info = try inspect(file, cells: [labels.summary, labels.scenarioValues])
        let validation = (info["validations"] as? [String: [[String: Any]]])?[labels.summary] ?? []
        #expect(validation.count == 1 && validation.first?["cells"] as? String == "E4")
        let list = try #require(validation.first?["list"] as? String)
        let match = try #require(list.wholeMatch(of: /'?([^'!]+)'?!\$A\$(\d+):\$A\$(\d+)/), "the list is not a range: \(list)")
        #expect(String(match.1) == labels.scenarioValues)
        let values = ((info["cells"] as? [String: Any])?[labels.scenarioValues] as? [String: Any]) ?? [:]
        let (first, last) = (Int(match.2)!, Int(match.3)!)
        #expect((first...last).map { values["A\($0)"] as? String ?? "" } == slugs)

        // Switching to x,y and recalculating gives the Summary x,y's checks as the engine reports them.
        let (xs, xp) = (try #require(results.last?.scenario), try #require(results.last?.projection))
        let expected = Self.engineAnswer(xs, xp)
        let before = Self.engineAnswer(base, try #require(results[0].projection))
        #expect(expected.failing > before.failing + 1, "x,y must fail more checks than the base")
        let switched = dir + "/switched.xlsx"
        try Self.edit(file, switched, sheet: labels.summary, cell: "E4", value: "x,y")
        let recalculated = Project.tempDir("live-compare-recalc")
        try runScript("recalc.py", [recalculated, switched])
        let got = try Self.summaryCells(recalculated + "/switched.xlsx", labels.summary)
        #expect(got.overall == expected.overall && got.failing == expected.failing, "workbook \(got), engine \(expected)")
        #expect(got.text == expected.text, "failing titles: workbook \(got.text ?? "nil"), engine \(expected.text)")
    }
}
