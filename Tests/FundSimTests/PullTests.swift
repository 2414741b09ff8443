import Foundation
import Testing
import FundSimKit
import FundSimModel
import FundSimScenario
import FundSimEngine
import FundSimReport
import TestSupport
import XLSXReader

/// `fundsim pull`: a workbook's changed inputs back into the scenario.
@Suite("Pull", .serialized)
struct PullTests {
    /// A fresh folder holding copies of seeds/, scenarios/ and the pull fixture (scenarios/county.yaml), so
    /// that `--in-place` never touches the repository.
    static func project() throws -> String {
        let dir = Project.tempDir("pull")
        let fm = FileManager.default
        try fm.copyItem(atPath: Project.seeds, toPath: dir + "/seeds")
        try fm.copyItem(atPath: Project.root + "/scenarios", toPath: dir + "/scenarios")
        try fm.copyItem(atPath: Project.fixtures + "/pull/county.yaml", toPath: dir + "/scenarios/county.yaml")
        return dir
    }

    /// Runs `fundsim run` in `dir`; returns the workbook's path relative to `dir`.
    @discardableResult
    static func run(_ dir: String, _ scenario: String, output: String = "out") throws -> String {
        let r = try fundsim(["run", scenario, "-o", output, "-q"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        return output + "/" + URL(fileURLWithPath: scenario).deletingPathExtension().lastPathComponent + ".xlsx"
    }

    /// Edits cells with openpyxl (`values`: sheet, cell, JSON value) and saves to `to`; the file's
    /// modification time is then set to a fixed instant so that the notes pull writes are reproducible.
    static func edit(_ book: String, to: String, _ values: [(String, String, String)], in dir: String) throws {
        let script = """
        import openpyxl, sys, json
        wb = openpyxl.load_workbook(sys.argv[1])
        for sheet, cell, value in json.loads(sys.argv[3]):
            wb[sheet][cell] = json.loads(value)
        wb.save(sys.argv[2])
        """
        let json = String(data: try JSONSerialization.data(withJSONObject: values.map { [$0.0, $0.1, $0.2] }), encoding: .utf8)!
        try runPython(["-c", script, dir + "/" + book, dir + "/" + to, json])
        try stamp(dir + "/" + to)
    }

    static let editedAt = Date(timeIntervalSince1970: 1_764_230_400)  // 2025-11-27 08:00 UTC
    static func stamp(_ path: String) throws {
        try FileManager.default.setAttributes([.modificationDate: editedAt], ofItemAtPath: path)
    }

    /// What pull printed, both streams, with the exit status: the text a golden file holds.
    static func transcript(_ r: ProcessResult) -> String {
        "exit \(r.status)\n--- stdout\n\(r.stdout)--- stderr\n\(r.stderr)"
    }

    // MARK: Hash and record

    @Test("SHA-256 gives the standard's test vectors")
    func sha256Vectors() {
        #expect(SHA256.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // Lengths around the padding boundary (55, 56 and 64 bytes), checked with Python's hashlib.
        #expect(SHA256.hex(Data(repeating: 0x61, count: 55)) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(SHA256.hex(Data(repeating: 0x61, count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(SHA256.hex(Data(repeating: 0x61, count: 64)) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
        // 1,000 bytes cross several 64-byte blocks and the length's padding boundary.
        #expect(SHA256.hex(Data(repeating: 0x61, count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test("SHA-256 agrees with Python's hashlib on every scenario file", .requires(.python3))
    func sha256Files() throws {
        let files = Project.scenarios
        let r = try runPython(["-c", "import hashlib,sys\nfor f in sys.argv[1:]: print(hashlib.sha256(open(f,'rb').read()).hexdigest())"] + files)
        let expected = r.stdout.split(separator: "\n").map(String.init)
        #expect(expected.count == files.count)
        for (f, h) in zip(files, expected) { #expect(SHA256.hex(FileManager.default.contents(atPath: f)!) == h, "\(f)") }
    }

    @Test("the record a workbook holds reads back as written, and names every input cell with its scale")
    func recordRoundTrip() throws {
        let r = Pipeline(seedsDirectory: Project.seeds).project(Project.fixtures + "/pull/county.yaml")
        let (s, p) = (try #require(r.scenario), try #require(r.projection))
        var builder = WorkbookBuilder(scenario: s, projection: p)
        let book = builder.build()
        let record = builder.pullRecord(book, scenarioFromWorkbook: "../county.yaml", files: [.init(path: "county.yaml", sha256: "ab")])
        let sheet = record.sheet()
        #expect(sheet.hidden)
        let cells = sheet.cells.map { c -> (row: Int, col: Int, value: PullRecord.Field) in
            switch c.value {
            case .number(let n): return (c.row, c.col, .number(n))
            case .text(let t): return (c.row, c.col, .text(t))
            default: return (c.row, c.col, .empty)
            }
        }
        #expect(try PullRecord.read(cells) == record)
        // Every scalar input of the scenario has its cell, and a cell's figure times its scale is the engine's value.
        for input in s.inputs where input.rosterAggregate == nil {
            guard let i = p.model.index[input.name], p.model.rows[i].isInput else { continue }
            let cells = record.inputs.filter { $0.input == input.name }
            #expect(!cells.isEmpty, "\(input.name) has no recorded cell")
            for c in cells {
                let y = c.year.flatMap { p.years.firstIndex(of: $0) } ?? 0
                #expect(abs(c.written * c.scale - p.values[i][y]) <= 1e-9 * max(1, abs(p.values[i][y])), "\(c.reference)")
            }
        }
        // Formula blocks cover exactly the book's formula cells.
        let calc = try #require(book.sheet(Labels(s.language).calculations))
        let expected = Set(calc.cells.compactMap { c -> String? in if case .formula = c.value { return "\(c.row),\(c.col)" } else { return nil } })
        #expect(Set(record.formulaCells(calc.name).map { "\($0.row),\($0.col)" }) == expected)
        // A sheet that is not a record is not taken for one.
        #expect(try PullRecord.read([(0, 0, .text("something else"))]) == nil)
    }

    // MARK: Round trips

    /// The scenario's totals by year, as the engine computes them.
    static func engineTotals(_ path: String) throws -> [Double] {
        let r = Pipeline().project(path)
        let p = try #require(r.projection, "\(r.rendered)")
        return try #require(p.series("total"))
    }

    /// The Calculations sheet's total row of a workbook recalculated by LibreOffice, in yuan.
    static func workbookTotals(_ book: String, scenario: String) throws -> [Double] {
        let r = Pipeline().project(scenario)
        let (s, p) = (try #require(r.scenario), try #require(r.projection))
        var builder = WorkbookBuilder(scenario: s, projection: p)
        _ = builder.build()
        let (sheet, row) = try #require(builder.placement[p.model.index["total"]!])
        let file = try XLSXFile(path: book)
        let cells = try file.cells(of: try #require(file.sheet(named: sheet)))
        return p.years.indices.map { y in
            let col = WorkbookBuilder.firstYearCol + y
            // The sheet holds money in the display unit: back to yuan.
            if case .number(let n)? = cells.first(where: { $0.row == row && $0.col == col })?.value { return n * s.unit.divisor }
            return .nan
        }
    }

    @Test("edited with openpyxl, and saved again by LibreOffice: the pulled variant runs to the recalculated totals",
          .requires(.openpyxl, .libreOffice))
    func roundTrip() throws {
        let dir = try Self.project()
        let book = try Self.run(dir, "scenarios/enshi.yaml")
        // Named inputs (a cited one moves the totals), one year of a per-year envelope, an inline figure in a
        // flow mapping, a band's bare share.
        try Self.edit(book, to: "out/edited.xlsx", [("輸入", "D9", "6000"), ("輸入", "D15", "2600"), ("輸入", "F30", "12000"),
                                                     ("輸入", "D22", "25"), ("輸入", "D19", "0.25")], in: dir)
        // LibreOffice recalculates the edited workbook and saves it as xlsx (its own rewrite of every part).
        let lo = dir + "/lo"
        try runScript("recalc.py", [lo, dir + "/out/edited.xlsx"])
        try FileManager.default.copyItem(atPath: lo + "/edited.xlsx", toPath: dir + "/out/lo-edited.xlsx")
        let recalculated = try Self.workbookTotals(dir + "/out/lo-edited.xlsx", scenario: dir + "/scenarios/enshi.yaml")
        let before = try Self.engineTotals(dir + "/scenarios/enshi.yaml")
        #expect(zip(recalculated, before).contains { abs($0 - $1) > 1 }, "the edits must move the totals")

        for (workbook, variant) in [("out/edited.xlsx", "out/a.yaml"), ("out/lo-edited.xlsx", "out/b.yaml")] {
            let r = try fundsim(["pull", workbook, "-o", variant], cwd: dir)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("5 figures of 5 inputs changed"), "\(r.stdout)")
            let totals = try Self.engineTotals(dir + "/" + variant)
            for (a, b) in zip(totals, recalculated) { #expect(abs(a - b) < 0.01, "\(workbook): engine \(a), LibreOffice \(b)") }
            // The variant holds only the changed inputs.
            let text = try String(contentsOfFile: dir + "/" + variant, encoding: .utf8)
            #expect(text.contains("extends: ../scenarios/enshi.yaml"))
            #expect(!text.contains("新增預算總額:") && !text.contains("centres_upgrade"))
        }
        // --in-place gives the same totals and keeps a backup.
        let r = try fundsim(["pull", "out/lo-edited.xlsx", "--in-place"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        for (a, b) in zip(try Self.engineTotals(dir + "/scenarios/enshi.yaml"), recalculated) { #expect(abs(a - b) < 0.01) }
        #expect(try String(contentsOfFile: dir + "/scenarios/enshi.yaml.bak", encoding: .utf8)
                == String(contentsOfFile: Project.root + "/scenarios/enshi.yaml", encoding: .utf8))
        // Now the scenario changed since the workbook: pulling again is refused.
        let again = try fundsim(["pull", "out/lo-edited.xlsx"], cwd: dir)
        #expect(again.status == 1 && again.stderr.contains("changed since"))
    }

    @Test("edited in LibreOffice itself (a macro types the figures, LibreOffice recalculates and saves): the pulled variant runs to LibreOffice's totals",
          .requires(.python3, .libreOffice))
    func libreOfficeEdit() throws {
        let dir = try Self.project()
        let book = try Self.run(dir, "scenarios/enshi.yaml")
        // Sheet 1 is the Inputs sheet: a cited budget, one year of the envelope, a band's share, an inline figure.
        try runScript("lo_edit.py", [dir + "/" + book, dir + "/out/lo-typed.xlsx", "1!D9=6000", "1!F30=12000", "1!D19=0.25", "1!D22=25"])
        let typed = try Self.workbookTotals(dir + "/out/lo-typed.xlsx", scenario: dir + "/scenarios/enshi.yaml")
        #expect(zip(typed, try Self.engineTotals(dir + "/scenarios/enshi.yaml")).contains { abs($0 - $1) > 1 }, "the edits must move the totals")
        let r = try fundsim(["pull", "out/lo-typed.xlsx"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("4 figures of 4 inputs changed"), "\(r.stdout)")
        #expect(r.stderr.isEmpty, "LibreOffice's rewrite must not look like overwritten formulas: \(r.stderr)")
        for (a, b) in zip(try Self.engineTotals(dir + "/out/enshi-pulled.yaml"), typed) { #expect(abs(a - b) < 0.01, "engine \(a), LibreOffice \(b)") }
    }

    @Test("--in-place on every seed scenario with one changed input changes exactly that figure and its provenance",
          .requires(.openpyxl))
    func inPlaceEverySeed() throws {
        let dir = try Self.project()
        let seeds = Project.scenarios.map { "scenarios/" + URL(fileURLWithPath: $0).lastPathComponent }
        let pipeline = Pipeline()
        var picks: [(scenario: String, book: String, input: String, cell: PullRecord.InputCell, figure: Double)] = []
        for scenario in seeds {
            let book = try Self.run(dir, scenario)
            let r = pipeline.project(dir + "/" + scenario)
            let s = try #require(r.scenario)
            let file = try XLSXFile(path: dir + "/" + book)
            let recordSheet = try #require(file.sheet(named: PullRecord.sheetName))
            let record = try #require(try PullRecord.read(file, recordSheet))
            // The first named input written as a figure in this file.
            guard let input = s.inputs.first(where: { i in
                guard i.owner == nil, i.rosterAggregate == nil, i.location?.file == s.file, case .constant = i.definition else { return false }
                return record.inputs.contains { $0.input == i.name }
            }), let cell = record.inputs.first(where: { $0.input == input.name }) else {
                Issue.record("\(scenario) has no named figure to change")
                continue
            }
            let figure = cell.written == 0 ? 1 : (cell.written * 1.25).rounded()
            picks.append((scenario, book, input.name, cell, figure == cell.written ? figure + 1 : figure))
        }
        #expect(picks.count == seeds.count)
        for p in picks {
            let edited = p.book.replacingOccurrences(of: ".xlsx", with: "-edited.xlsx")
            try Self.edit(p.book, to: edited, [(p.cell.sheet, p.cell.reference.split(separator: "!").last.map(String.init)!, Expr.format(p.figure))], in: dir)
            let before = try String(contentsOfFile: dir + "/" + p.scenario, encoding: .utf8)
            let old = try #require(pipeline.project(dir + "/" + p.scenario).projection)
            let r = try fundsim(["pull", edited, "--in-place"], cwd: dir)
            #expect(r.status == 0, "\(p.scenario): \(r.stderr)")
            let after = try String(contentsOfFile: dir + "/" + p.scenario, encoding: .utf8)
            // Only the figure's line and its provenance's line change (a citation's line may go); every other
            // line (comments, blank lines, key order) stays.
            let a = before.split(separator: "\n", omittingEmptySubsequences: false), b = after.split(separator: "\n", omittingEmptySubsequences: false)
            let diff = b.difference(from: a)
            let removed = diff.removals.map { change -> Substring in if case .remove(_, let line, _) = change { return line } else { return "" } }
            let inserted = diff.insertions.map { change -> Substring in if case .insert(_, let line, _) = change { return line } else { return "" } }
            #expect((1...2).contains(inserted.count), "\(p.scenario): \(inserted.count) lines written: \(inserted)")
            #expect(removed.count <= inserted.count + 1 && removed.count >= inserted.count, "\(p.scenario): \(removed)")
            #expect(removed.count == inserted.count || removed.contains { $0.contains("cite:") }, "\(p.scenario): only a citation's line may go")
            #expect(!inserted.contains { $0.contains("cite:") }, "\(p.scenario): a changed figure keeps a citation")
            // The scenario now gives the new figure for that input and the same for every other.
            let new = try #require(pipeline.project(dir + "/" + p.scenario).projection, "\(p.scenario)")
            for (i, row) in old.model.rows.enumerated() where row.isInput && row.section == .input {
                let j = try #require(new.model.index[row.id])
                if row.id == p.input {
                    #expect(new.values[j].allSatisfy { abs($0 - p.figure * p.cell.scale) < 1e-6 }, "\(p.scenario): \(row.id)")
                } else {
                    #expect(new.values[j] == old.values[i], "\(p.scenario): \(row.id) moved")
                }
            }
        }
    }

    // MARK: Refusals and warnings

    @Test("a workbook FundSim did not write, and a file that is not a workbook, are refused clearly")
    func notOurs() throws {
        let dir = try Self.project()
        let cmp = try fundsim(["compare", "scenarios/enshi.yaml", "scenarios/variants/enshi-upgrade-by-2018.yaml", "-o", "out"], cwd: dir)
        #expect(cmp.status == 0, "\(cmp.stderr)")
        let compareBook = try #require(try FileManager.default.contentsOfDirectory(atPath: dir + "/out").first { $0.hasSuffix(".xlsx") })
        let a = try fundsim(["pull", "out/" + compareBook], cwd: dir)
        try "not a workbook\n".write(toFile: dir + "/out/notes.xlsx", atomically: true, encoding: .utf8)
        let b = try fundsim(["pull", "out/notes.xlsx"], cwd: dir)
        let c = try fundsim(["pull", "out/missing.xlsx"], cwd: dir)
        expectGolden([a, b, c].map(Self.transcript).joined(separator: "\n"), "pull/not-fundsim.txt")
        #expect([a, b, c].allSatisfy { $0.status == 1 })
    }

    @Test("a scenario changed since the workbook is refused unless --force")
    func scenarioChanged() throws {
        let dir = try Self.project()
        let book = try Self.run(dir, "scenarios/county.yaml")
        let path = dir + "/scenarios/county.yaml"
        try (String(contentsOfFile: path, encoding: .utf8) + "# a comment added later\n").write(toFile: path, atomically: true, encoding: .utf8)
        let refused = try fundsim(["pull", book], cwd: dir)
        let forced = try fundsim(["pull", book, "--force"], cwd: dir)
        expectGolden(Self.transcript(refused) + "\n" + Self.transcript(forced), "pull/scenario-changed.txt")
        #expect(refused.status == 1 && forced.status == 0)
    }

    @Test("a moved workbook finds its scenario by the path given to run, or by --scenario")
    func movedWorkbook() throws {
        let dir = try Self.project()
        let book = try Self.run(dir, "scenarios/county.yaml")
        try FileManager.default.createDirectory(atPath: dir + "/elsewhere/deeper", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: dir + "/" + book, toPath: dir + "/elsewhere/deeper/county.xlsx")
        // From the project folder, the path as given to `run` still names the scenario.
        let fromProject = try fundsim(["pull", "elsewhere/deeper/county.xlsx"], cwd: dir)
        #expect(fromProject.status == 0 && fromProject.stdout.contains("no input changed"), "\(fromProject.stderr)")
        // From elsewhere neither path works: a clear error, then --scenario.
        let lost = try fundsim(["pull", "county.xlsx"], cwd: dir + "/elsewhere/deeper")
        #expect(lost.status == 1 && lost.stderr.contains("--scenario"), "\(lost.stderr)")
        let named = try fundsim(["pull", "county.xlsx", "--scenario", "../../scenarios/county.yaml"], cwd: dir + "/elsewhere/deeper")
        #expect(named.status == 0, "\(named.stderr)")
        // --in-place and --output contradict each other: a usage error.
        #expect(try fundsim(["pull", "county.xlsx", "--in-place", "-o", "x.yaml"], cwd: dir + "/elsewhere/deeper").status == 64)
    }

    @Test("changes are shown in the display unit, and the variant says where and when each was made", .requires(.openpyxl))
    func changesAndVariant() throws {
        let dir = try Self.project()
        let book = try Self.run(dir, "scenarios/county.yaml")
        try Self.edit(book, to: "out/county-edited.xlsx", [("輸入", "D6", "18000"), ("輸入", "D7", "2500"), ("輸入", "F13", "2000"),
                                                           ("輸入", "G13", "2100"), ("輸入", "D9", "3100")], in: dir)
        let r = try fundsim(["pull", "out/county-edited.xlsx"], cwd: dir)
        #expect(r.status == 0)
        let variant = try String(contentsOfFile: dir + "/out/county-pulled.yaml", encoding: .utf8)
        expectGolden(Self.transcript(r) + "--- out/county-pulled.yaml\n" + variant, "pull/variant.txt")
        // In place, a year that `by_year` does not list (2018 carries 2017 forward) cannot be changed.
        let refused = try fundsim(["pull", "out/county-edited.xlsx", "--in-place"], cwd: dir)
        #expect(refused.status == 1)
        try Self.edit(book, to: "out/county-edited2.xlsx", [("輸入", "D6", "18000"), ("輸入", "D7", "2500"), ("輸入", "F13", "2000"),
                                                            ("輸入", "E13", "1700"), ("輸入", "D9", "3100")], in: dir)
        let inPlace = try fundsim(["pull", "out/county-edited2.xlsx", "--in-place"], cwd: dir)
        #expect(inPlace.status == 0, "\(inPlace.stderr)")
        let edited = try String(contentsOfFile: dir + "/scenarios/county.yaml", encoding: .utf8)
        expectGolden(Self.transcript(refused) + "\n" + Self.transcript(inPlace) + "--- scenarios/county.yaml\n" + edited, "pull/in-place.txt")
    }

    @Test("formula cells overwritten, text, a negative count and a share above 100% are reported at their cells", .requires(.openpyxl))
    func cellProblems() throws {
        let dir = try Self.project()
        let book = try Self.run(dir, "scenarios/county.yaml")
        var out: [String] = []
        let cases: [(String, [(String, String, String)])] = [
            ("formula", [("計算", "E6", "12345"), ("匯總", "E6", "null"), ("輸入", "D7", "2500")]),
            ("text", [("輸入", "D7", "\"兩千五\""), ("輸入", "D6", "\"=D7*2\"")]),
            ("negative-count", [("輸入", "D9", "-3000")]),
            ("share", [("輸入", "D11", "1.2")]),
            ("negative-pay", [("輸入", "D10", "-0.5")]),
        ]
        for (name, values) in cases {
            try Self.edit(book, to: "out/\(name).xlsx", values, in: dir)
            let r = try fundsim(["pull", "out/\(name).xlsx", "--dry-run"], cwd: dir)
            out.append("## \(name)\n" + Self.transcript(r))
        }
        expectGolden(out.joined(separator: "\n"), "pull/cell-problems.txt")
        // Nothing was written by any of them.
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/county-pulled.yaml"))
    }
}

