import Foundation
import Testing
import FundSimModel
import FundSimEngine
import FundSimKit
import FundSimReport
import FundSimWriters
import XLSXReader
import TestSupport

/// The reader's unit in the workbook (issue 14): money in the scenario's display unit on every sheet, input
/// cells that hold figures as the reader writes them, counts as counts.
@Suite("Workbook units: money in the display unit on every sheet, counts as counts")
struct WorkbookUnitTests {
    /// Every number cell of every sheet with its cached value and number format, read by openpyxl.
    static func numberCells(_ book: String) throws -> [(sheet: String, cell: String, row: Int, col: Int, value: Double, format: String)] {
        let script = """
        import openpyxl, sys, json
        wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
        out = []
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                        out.append([ws.title, c.coordinate, c.row - 1, c.column - 1, float(c.value), c.number_format])
        print(json.dumps(out))
        """
        let r = try runPython(["-c", script, book])
        let rows = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[Any]] ?? []
        return rows.map { ($0[0] as! String, $0[1] as! String, $0[2] as! Int, $0[3] as! Int, ($0[4] as! NSNumber).doubleValue, $0[5] as! String) }
    }

    /// Every text cell of every sheet.
    static func textCells(_ book: String) throws -> [(sheet: String, cell: String, text: String)] {
        let file = try XLSXFile(path: book)
        var out: [(sheet: String, cell: String, text: String)] = []
        for s in file.sheets where s.state == .visible {
            for c in try file.cells(of: s) { if case .text(let t) = c.value { out.append((s.name, c.name, t)) } }
        }
        return out
    }

    static func isMoneyFormat(_ f: String) -> Bool { f.hasPrefix("#,##0.00") }

    static func isActual(_ row: Row) -> Bool { if case .actual = row.section { return true } else { return false } }

    /// Whether a text says that figures are in yuan: the unit alone (a unit column), or 元 in a heading or a
    /// label's parentheses (`費用(元)`, `(元/人/年)`). A figure written with its unit (`1.2萬元/年`, `200元` in a
    /// quote) says nothing about the cells, nor does the divisor row, which is yuan per display unit.
    static func saysYuan(_ t: String, divisorLabel: String) -> Bool {
        if t == divisorLabel { return false }
        if t == "元" || t == "yuan" || t.contains("(yuan") { return true }
        return t.range(of: "[((][^))]*(?<![萬万億亿0-9.])元", options: .regularExpression) != nil
    }

    @Test("every workbook of a 萬元 scenario in scenarios/: each model cell holds the engine's figure in the display unit, in a format of its measure, and no label says 元",
          .requires(.openpyxl))
    func everySeedWorkbook() throws {
        let dir = Project.tempDir("units-seeds")
        let pipeline = Pipeline()
        var checkedMoney = 0, checkedCounts = 0
        for path in Project.scenarios + Pipeline.expand([Project.root + "/scenarios/variants"]) {
            let r = pipeline.project(path)
            let (s, p) = (try #require(r.scenario, "\(r.rendered)"), try #require(r.projection))
            guard s.unit == .wan else { continue }
            let file = try pipeline.write(s, p, to: dir, formats: [.xlsx])[0]
            var builder = WorkbookBuilder(scenario: s, projection: p)
            _ = builder.build()
            let cells = try Self.numberCells(file)
            let at = Dictionary(cells.map { ("\($0.sheet)!\($0.row),\($0.col)", $0) }, uniquingKeysWith: { a, _ in a })
            // Money everywhere: no money-formatted cell holds more than the largest figure the engine has, in 萬元.
            let largest = p.model.rows.indices.filter { p.model.rows[$0].dimension == .money }
                .flatMap { p.values[$0] }.map(abs).max() ?? 0
            for c in cells where Self.isMoneyFormat(c.format) {
                #expect(abs(c.value) <= largest / s.unit.divisor * (1 + 1e-9) * Double(max(1, p.years.count)) + 1e-9,
                        "\(file) \(c.sheet)!\(c.cell) = \(c.value): larger than any engine figure in 萬元 (a yuan figure?)")
            }
            // Each model row's cells: the engine's value, money divided by the divisor; the format follows the measure.
            for (i, row) in p.model.rows.enumerated() {
                guard let (sheet, r) = builder.placement[i] else { continue }
                let cols: [(col: Int, y: Int)]
                if case .scalar = row.definition { cols = [(WorkbookBuilder.valueCol, 0)] } else {
                    cols = p.years.indices.map { (WorkbookBuilder.firstYearCol + $0, $0) }
                }
                for (col, y) in cols {
                    guard let c = at["\(sheet)!\(r),\(col)"] else { continue }   // a check year that does not apply shows "—"
                    let engine = p.values[i][y]
                    // A check's two sides are plain-number rows computed from money: they show money too.
                    let measure = builder.displayMeasure(i)
                    #expect(measure == row.dimension || (row.dimension == .number && measure == .money))
                    let expected = measure == .money ? engine / s.unit.divisor : engine
                    #expect(abs(c.value - expected) <= 1e-9 * max(1, abs(expected)), "\(file) \(sheet)!\(c.cell) (\(row.id)): \(c.value), engine \(engine)")
                    switch measure {
                    case .money:
                        if row.section != .check || row.id.hasSuffix(".lhs") || row.id.hasSuffix(".rhs") {
                            #expect(c.format == "#,##0.00##", "\(file) \(sheet)!\(c.cell) (\(row.id)): format \(c.format)")
                            checkedMoney += 1
                        }
                    case .year:
                        #expect(c.format == "0", "\(file) \(sheet)!\(c.cell) (\(row.id)): a year shown as \(c.format)")
                    // Input cells (inputs, recorded actuals) show a count as typed; calculated counts are whole or one decimal.
                    case .count where engine == engine.rounded() && !row.isInput && !Self.isActual(row):
                        #expect(["#,##0", "#,##0.0"].contains(c.format), "\(file) \(sheet)!\(c.cell) (\(row.id)): format \(c.format)")
                        checkedCounts += 1
                    default: break
                    }
                }
            }
            // Years on every sheet are shown as years.
            for c in cells where c.row == WorkbookBuilder.headerRow && c.value >= 1900 && c.value <= 2100 && c.value == c.value.rounded() {
                #expect(c.format == "0", "\(file) \(c.sheet)!\(c.cell): year \(c.value) shown as \(c.format)")
            }
            for t in try Self.textCells(file) where Self.saysYuan(t.text, divisorLabel: Labels(s.language)[.displayUnitYuan]) {
                Issue.record("\(file) \(t.sheet)!\(t.cell) says yuan: \(t.text)")
            }
        }
        #expect(checkedMoney > 1000 && checkedCounts > 100, "\(checkedMoney) money cells, \(checkedCounts) count cells")
    }

    @Test("the roll-up and the compare workbook show money in 萬元 and never say 元", .requires(.openpyxl))
    func rollupAndCompare() throws {
        let dir = Project.tempDir("units-rollup")
        let run = try fundsim(["run", Project.root + "/scenarios", "-o", dir + "/run", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let enshi = Project.root + "/scenarios/enshi.yaml"
        let cmp = try fundsim(["compare", enshi, Project.root + "/scenarios/variants/enshi-upgrade-by-2018.yaml", "--output", dir + "/cmp"])
        #expect(cmp.status == 0, "\(cmp.stderr)")
        // Every scenario's total over the horizon, from the engine.
        let pipeline = Pipeline()
        var grand = 0.0
        for path in Project.scenarios { grand += try #require(pipeline.project(path).projection?.series("total")).reduce(0, +) }
        let rollup = try Self.numberCells(dir + "/run/rollup.xlsx")
        let labels = Labels(.zhHant)
        // The data sheet's amounts add up to the engine's grand total, in 萬元.
        let amounts = rollup.filter { $0.sheet == labels[.data] && $0.col == 4 }
        #expect(abs(amounts.map(\.value).reduce(0, +) - grand / 10_000) < 1e-4, "data sheet \(amounts.map(\.value).reduce(0, +)) vs engine \(grand / 10_000)")
        #expect(amounts.allSatisfy { Self.isMoneyFormat($0.format) })
        let cmpBook = try #require(try FileManager.default.contentsOfDirectory(atPath: dir + "/cmp").first { $0.hasSuffix(".xlsx") })
        let base = try #require(pipeline.project(enshi).projection)
        let largest = base.model.rows.indices.filter { base.model.rows[$0].dimension == .money }.flatMap { base.values[$0] }.map(abs).max() ?? 0
        for book in [dir + "/run/rollup.xlsx", dir + "/cmp/" + cmpBook] {
            let cells = try Self.numberCells(book)
            if book.hasSuffix("rollup.xlsx") {
                for c in cells where Self.isMoneyFormat(c.format) {
                    #expect(abs(c.value) <= grand / 10_000 + 1e-6, "\(book) \(c.sheet)!\(c.cell) = \(c.value)")
                }
            } else {
                // Five years of the largest figure bound every total of the comparison.
                for c in cells where Self.isMoneyFormat(c.format) {
                    #expect(abs(c.value) <= 5 * largest / 10_000 * 1.5, "\(book) \(c.sheet)!\(c.cell) = \(c.value)")
                }
            }
            for t in try Self.textCells(book) where Self.saysYuan(t.text, divisorLabel: labels[.displayUnitYuan]) { Issue.record("\(book) \(t.sheet)!\(t.cell) says yuan: \(t.text)") }
        }
    }

    @Test("typing 3 into the 2.5萬 deputy-pay cell in LibreOffice gives the engine's totals for 3萬, and pull brings back 3萬",
          .requires(.python3, .libreOffice))
    func typeThreeForThreeWan() throws {
        let dir = try PullTests.project()
        let scenario = "scenarios/megacity-governance.yaml"
        let book = try PullTests.run(dir, scenario)
        let r = Pipeline().project(dir + "/" + scenario)
        let (s, p) = (try #require(r.scenario), try #require(r.projection))
        var builder = WorkbookBuilder(scenario: s, projection: p)
        _ = builder.build()
        let i = try #require(p.model.index["村副職報酬"])
        let (sheet, row) = try #require(builder.placement[i])
        #expect(sheet == Labels(s.language).inputs && s.unit == .wan && p.values[i][0] == 25_000)
        // The cell shows the figure as the scenario writes it: 2.5 (萬元).
        let cell = "D\(row + 1)"
        let before = try XLSXFile(path: dir + "/" + book)
        let shown = try before.cells(of: try #require(before.sheet(named: sheet))).first { $0.name == cell }?.value
        #expect(shown == .number(2.5), "\(cell) holds \(String(describing: shown))")
        // LibreOffice types 3 into it (sheet 1 is the Inputs sheet), recalculates and saves.
        try runScript("lo_edit.py", [dir + "/" + book, dir + "/out/typed.xlsx", "1!\(cell)=3"])
        let typed = try PullTests.workbookTotals(dir + "/out/typed.xlsx", scenario: dir + "/" + scenario)
        // The engine, told 3萬 in the scenario.
        try "extends: ../\(scenario)\ninputs:\n  村副職報酬: {value: 3萬, assumption: test}\n".write(toFile: dir + "/out/three.yaml", atomically: true, encoding: .utf8)
        let engine = try PullTests.engineTotals(dir + "/out/three.yaml")
        let base = try #require(p.series("total"))
        for y in p.years.indices {
            #expect(abs(typed[y] - engine[y]) < 0.01, "\(p.years[y]): LibreOffice \(typed[y]), engine \(engine[y])")
            #expect(engine[y] - base[y] > 1_000_000, "the change must move the total")
        }
        // pull reads the cell as 3萬.
        let pulled = try fundsim(["pull", "out/typed.xlsx"], cwd: dir)
        #expect(pulled.status == 0, "\(pulled.stderr)")
        let variant = try String(contentsOfFile: dir + "/out/megacity-governance-pulled.yaml", encoding: .utf8)
        #expect(variant.contains("3萬"), "\(variant)")
        for (a, b) in zip(try PullTests.engineTotals(dir + "/out/megacity-governance-pulled.yaml"), engine) { #expect(abs(a - b) < 0.01) }
    }
}
