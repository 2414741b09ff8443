import Foundation
import Testing
import TestSupport
import FundSimKit
import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters
import XLSXReader

/// Actuals and the re-forecast (issue 16): the CSV's errors, each kind's rule worked by hand, check states, and
/// the workbook recalculated in LibreOffice.
@Suite("Actuals")
struct ActualsTests {
    // MARK: Helpers

    /// Projects a scenario with an actuals file, both written into a fresh folder (its own project).
    static func project(_ scenario: String, _ csv: String) throws -> Pipeline.Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fundsim-actuals-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try ("actuals: actuals.csv\n" + scenario).write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        try csv.write(toFile: dir + "/actuals.csv", atomically: true, encoding: .utf8)
        return Pipeline().project(dir + "/s.yaml")
    }

    static func series(_ r: Pipeline.Result, _ id: String) throws -> [Double] {
        let p = try #require(r.projection, "\(r.rendered)")
        return try #require(p.series(id), "no row \(id)")
    }

    static func comparison(_ r: Pipeline.Result) throws -> ActualsComparison {
        let s = try #require(r.scenario, "\(r.rendered)")
        let p = try #require(r.projection)
        return try #require(ActualsComparison(s, p))
    }

    static func states(_ cmp: ActualsComparison, _ check: String) throws -> [ActualsComparison.CheckState?] {
        let found = cmp.checkStates().first { $0.result.info.id == check }
        return try #require(found).states
    }

    static let header = "year,commitment,source,measure,value,cite,note\n"

    // MARK: CSV errors

    static var fixtureNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: Project.fixtures + "/actuals")) ?? []).filter { $0.hasSuffix(".csv") }.sorted()
    }

    @Test("each bad actuals file gives its recorded diagnostics, every one at file:line:column", arguments: fixtureNames)
    func fixture(_ name: String) {
        var pipeline = Pipeline(seedsDirectory: Project.seeds)
        pipeline.actualsPath = Project.fixtures + "/actuals/" + name
        let r = pipeline.project(Project.fixtures + "/actuals/scenario.yaml")
        #expect(!r.ok, "\(name) must be refused")
        let text = r.rendered.replacingOccurrences(of: Project.root + "/", with: "")
        for line in text.split(separator: "\n") where line.contains(": error:") {
            #expect(line.range(of: #"^[^:]+\.csv:\d+:\d+: error: "#, options: .regularExpression) != nil, "no position in the CSV: \(line)")
        }
        expectGolden(text, "actuals/" + name.replacingOccurrences(of: ".csv", with: ".txt"))
    }

    @Test("the error fixtures cover every kind of mistake the issue names")
    func fixtureCoverage() {
        for name in ["unknown_commitment", "unknown_measure", "year_outside", "duplicate_row", "unit_mismatch"] {
            #expect(Self.fixtureNames.contains(name + ".csv"), "missing fixture \(name).csv")
        }
    }

    @Test("an actuals file outside the project is refused without being read")
    func outsideProject() throws {
        let r = try Self.project("title: t\nyears: 2021-2022\nsources: {縣: {}}\ncommitments: []\n", Self.header)
        var pipeline = Pipeline()
        pipeline.actualsPath = "/etc/passwd"
        let again = pipeline.project(r.path)
        #expect(!again.ok)
        #expect(again.rendered.contains("outside the scenario's project"), "\(again.rendered)")
    }

    // MARK: Each kind's rule, worked by hand

    @Test("cadre_pay carries the actual headcount forward with the plan's changes, and never pays below the level paid")
    func cadrePay() throws {
        let r = try Self.project("""
        title: t
        years: 2021-2024
        sources: {縣: {}}
        commitments:
          - id: pay
            title: 報酬
            kind: cadre_pay
            headcount: {by_year: {2021: 100, 2023: 110}, assumption: t}
            pay: {by_year: {2021: 3萬, 2022: 3.5萬, 2023: 4萬}, assumption: t}
            funding: 縣
        """, Self.header + "2021,pay,,headcount,95,,t\n2021,pay,,pay,3.8萬,,t\n")
        // Headcount: 95 recorded; 2022 95 + (100 − 100); 2023 95 + (110 − 100) = 105; 2024 105.
        #expect(try Self.series(r, "pay.headcount") == [95, 95, 105, 105])
        #expect(try Self.series(r, "pay.headcount_plan") == [100, 100, 110, 110])
        // Pay: 3.8萬 recorded; 2022 max(3.8萬, plan 3.5萬); 2023 max(3.8萬, 4萬); 2024 4萬.
        #expect(try Self.series(r, "pay.pay") == [38000, 38000, 40000, 40000])
        // Cost: 95 × 3.8萬 = 361萬 twice, then 105 × 4萬 = 420萬.
        #expect(try Self.series(r, "pay.cost") == [3_610_000, 3_610_000, 4_200_000, 4_200_000])
    }

    @Test("construction with units catches up on its schedule in the next year and reports the year it fell short")
    func constructionUnits() throws {
        let r = try Self.project("""
        title: t
        years: 2021-2024
        sources: {縣: {}}
        commitments:
          - id: c
            title: 中心
            kind: construction
            units: {by_year: {2021: 20, 2024: 0}, assumption: t}
            unit_cost: {value: 10萬, assumption: t}
            funding: 縣
        """, Self.header + "2021,c,,units,14,,t\n")
        // Planned stock 20, 40, 60, 60. Built 14 in 2021; 2022 builds 40 − 14 = 26; 2023 60 − 40 = 20; 2024 none.
        #expect(try Self.series(r, "c.planned_stock") == [20, 40, 60, 60])
        #expect(try Self.series(r, "c.units") == [14, 26, 20, 0])
        #expect(try Self.series(r, "c.shortfall") == [6, 0, 0, 0])
        #expect(try Self.series(r, "c.cost") == [1_400_000, 2_600_000, 2_000_000, 0])
        let cmp = try Self.comparison(r)
        let states = try Self.states(cmp, "c.on_schedule")
        #expect(states == [.missed, .passing, .passing, .passing])
    }

    @Test("construction with a target spreads what is left up to `by`; short at the deadline it is missed, and at risk after it")
    func constructionTarget() throws {
        let scenario = """
        title: t
        years: 2021-2024
        sources: {縣: {}}
        commitments:
          - id: c
            title: 中心
            kind: construction
            target: {stock: 60, by: 2023, assumption: t}
            unit_cost: {value: 10萬, assumption: t}
            funding: 縣
        """
        // 14 and 10 built: 2023 must build 60 − 24 = 36, and reaches the target.
        let r = try Self.project(scenario, Self.header + "2021,c,,units,14,,t\n2022,c,,units,10,,t\n")
        #expect(try Self.series(r, "c.units") == [14, 10, 36, 0])
        #expect(try Self.series(r, "c.shortfall") == [0, 0, 0, 0])
        let ok = try Self.comparison(r)
        #expect(try Self.states(ok, "c.on_schedule") == [nil, nil, .passing, .passing])
        // 30 built in 2023 as well: 54 of 60 by the deadline. 2023 (an actual) is missed, 2024 (a forecast) at risk.
        let short = try Self.project(scenario, Self.header + "2021,c,,units,14,,t\n2022,c,,units,10,,t\n2023,c,,units,30,,t\n")
        #expect(try Self.series(short, "c.shortfall") == [0, 0, 6, 6])
        let cmp = try Self.comparison(short)
        #expect(try Self.states(cmp, "c.on_schedule") == [nil, nil, .missed, .atRisk])
        let summary = TerminalSummary.render(short.scenario!, short.projection!)
        #expect(summary.contains("已错过 2023; 有风险 2024"), "\(summary)")
    }

    @Test("operating_fund carries the actual count forward with the plan's changes; years before the first actual keep the plan")
    func operatingFund() throws {
        let r = try Self.project("""
        title: t
        years: 2021-2024
        sources: {縣: {}}
        commitments:
          - id: f
            title: 運轉經費
            kind: operating_fund
            count: {by_year: {2021: 100, 2023: 120}, assumption: t}
            rate: {value: 2萬, assumption: t}
            funding: 縣
        """, Self.header + "2022,f,,count,90,,t\n")
        // 2021 plan 100; 2022 90 recorded; 2023 90 + (120 − 100) = 110; 2024 110.
        #expect(try Self.series(r, "f.count") == [100, 90, 110, 110])
        #expect(try Self.series(r, "f.cost") == [2_000_000, 1_800_000, 2_200_000, 2_200_000])
    }

    @Test("lump_sum: actual spending replaces the year's amount; spending by source becomes what each source paid")
    func lumpSumAndSources() throws {
        let r = try Self.project("""
        title: t
        years: 2021-2023
        sources: {市: {}, 縣: {}}
        commitments:
          - id: l
            title: 培訓
            kind: lump_sum
            amount: {value: 50萬, assumption: t}
            funding: {市: 60%, 縣: rest, assumption: t}
        """, Self.header + "2021,l,,spent,42萬,,t\n2022,l,市,spent,20萬,,t\n2022,l,縣,spent,25萬,,t\n")
        // 2021: 42萬, split 60/40 → 25.2萬 and 16.8萬. 2022: 20萬 + 25萬 as paid. 2023: the plan, 30萬 and 20萬.
        #expect(try Self.series(r, "l.cost") == [420_000, 450_000, 500_000])
        #expect(try Self.series(r, "l.to.市") == [252_000, 200_000, 300_000])
        #expect(try Self.series(r, "l.to.縣") == [168_000, 250_000, 200_000])
        let cmp = try Self.comparison(r)
        let rate = cmp.commitmentLines()[0].line.rate
        #expect(rate[0] == 0.84 && rate[1] == 0.9 && rate[2] == nil)
    }

    @Test("collective_economy restarts from the actual distribution; supported villages replace the budget's capacity")
    func collectiveEconomy() throws {
        let r = try Self.project("""
        title: t
        years: 2021-2023
        sources: {縣: {}}
        commitments:
          - id: ce
            title: 集體經濟
            kind: collective_economy
            villages: {value: 100, assumption: t}
            bands:
              - {name: 空殼, hollow: true, initial: 20, assumption: t}
              - {name: 低, below: 5萬, initial: 50, assumption: t}
              - {name: 高, initial: rest}
            support: {per_village: 10萬, return: 30%, budget: 100萬, assumption: t}
            funding: 縣
        """, Self.header + "2021,ce,,band1,16,,t\n2021,ce,,band2,50,,t\n2021,ce,,band3,34,,t\n2022,ce,,supported,4,,t\n")
        // 2021 as recorded. 2022: 4 supported, hollow first: 16 − 4 = 12 hollow, 50 + 4 = 54 below 5萬 (a 3萬 gain),
        // 34 above. 2023: the budget's 10 villages: 12 − 10 = 2 hollow, 64, 34.
        #expect(try Self.series(r, "ce.band1") == [16, 12, 2])
        #expect(try Self.series(r, "ce.band2") == [50, 54, 64])
        #expect(try Self.series(r, "ce.band3") == [34, 34, 34])
        // Cost: the budget's 10 villages in 2021 (no spending or count recorded), 4 in 2022, 10 in 2023.
        #expect(try Self.series(r, "ce.cost") == [1_000_000, 400_000, 1_000_000])
    }

    @Test("a per-village collective economy (roster_income) takes only spending: the cost follows it, its model keeps its own values")
    func rosterCollectiveSpent() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fundsim-actuals-roster-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "id,name,county,kind,income\n1,甲,A,village,0\n2,乙,A,village,10000\n3,丙,B,village,80000\n".write(toFile: dir + "/r.csv", atomically: true, encoding: .utf8)
        let scenario = """
        title: t
        years: 2021-2022
        roster: r.csv
        sources: {縣: {}}
        commitments:
          - id: ce
            title: 集體經濟
            kind: collective_economy
            roster_income: income
            bands: [{name: 空殼, hollow: true}, {name: 低, below: 5萬}, {name: 高}]
            support: {per_village: 10萬, return: 30%, budget: 10萬, assumption: t}
            funding: 縣
        """
        try ("actuals: a.csv\n" + scenario).write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        try (Self.header + "2021,ce,,spent,8萬,,t\n").write(toFile: dir + "/a.csv", atomically: true, encoding: .utf8)
        let r = Pipeline().project(dir + "/s.yaml")
        // The budget supports one village a year (10萬); 8萬 was spent in 2021; 2022 keeps the model's 10萬.
        #expect(try Self.series(r, "ce.cost_model") == [100_000, 100_000])
        #expect(try Self.series(r, "ce.cost") == [80_000, 100_000])
        try (Self.header + "2021,ce,,supported,1,,t\n").write(toFile: dir + "/a.csv", atomically: true, encoding: .utf8)
        let refused = Pipeline().project(dir + "/s.yaml")
        #expect(!refused.ok && refused.rendered.contains("has no measure `supported`"), "\(refused.rendered)")
    }

    @Test("--actuals on the command line: for one scenario it replaces `actuals:`; with two scenarios it is a usage error")
    func commandLine() throws {
        let ok = try fundsim(["validate", "scenarios/enshi.yaml", "--actuals", "scenarios/variants/enshi-actuals.csv"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("fundsim-actuals-cli-\(UUID().uuidString)").path
        let run = try fundsim(["run", "scenarios/enshi.yaml", "--actuals", "scenarios/variants/enshi-actuals.csv", "-o", out])
        #expect(run.status == 0 && run.stdout.contains("執行率"), "\(run.stderr)")
        let two = try fundsim(["run", "scenarios/enshi.yaml", "scenarios/suizhou.yaml", "--actuals", "scenarios/variants/enshi-actuals.csv", "-o", out])
        #expect(two.status == 64 && two.stderr.contains("--actuals names the actuals of one scenario"), "\(two.stderr)")
    }

    @Test("plan against re-forecast: a year under budget is a surplus, never a negative gap (enshi 2016 spent 1,300萬 less)")
    func gapAndSurplusInTheComparison() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("fundsim-actuals-gap-\(UUID().uuidString)").path
        let run = try fundsim(["run", "scenarios/variants/enshi-actuals.yaml", "-o", out])
        #expect(run.status == 0, "\(run.stderr)")
        let table = run.stdout.components(separatedBy: "\n").drop { !$0.hasPrefix("原計劃與重新預測") }
        let gap = table.filter { $0.contains(" 缺口 ") }, surplus = table.filter { $0.contains(" 結餘 重新預測") }
        #expect(gap.count == 2 && !gap.contains { $0.contains("-") }, "\(gap)")
        #expect(surplus.count == 1 && surplus[0].contains("1,300.00"), "\(surplus)")
    }

    @Test("a scenario without actuals gains no row: the plan compiles exactly as before")
    func noActualsNoRows() throws {
        for path in Project.scenarios {
            let r = Pipeline().project(path)
            let p = try #require(r.projection, "\(path)")
            #expect(!p.model.rows.contains { if case .actual = $0.section { return true } else { return false } })
        }
    }

    @Test("the plan of a scenario with actuals is its projection without them")
    func planIsWithoutActuals() throws {
        var pipeline = Pipeline()
        pipeline.actualsPath = nil
        let withActuals = pipeline.project(Project.root + "/docs/examples/actuals.yaml")
        let cmp = try Self.comparison(withActuals)
        var s = withActuals.scenario!
        s.actuals = nil
        let plain = try Projection.evaluate(try Compiler.compile(s).get()).get()
        #expect(cmp.plan.series("total") == plain.series("total"))
        #expect(cmp.plan.series("total") != withActuals.projection!.series("total"))
    }

    @Test("the terminal shows execution rates by source and year, the plan beside the re-forecast, and missed and at-risk years")
    func terminalGolden() throws {
        let r = Pipeline().project(Project.root + "/docs/examples/actuals.yaml")
        let text = TerminalSummary.render(try #require(r.scenario, "\(r.rendered)"), try #require(r.projection))
        #expect(text.contains("执行率") && text.contains("重新预测") && text.contains("已错过 2021, 2022; 有风险 2023"))
        expectGolden(text, "actuals/terminal-example.txt")
    }

    // MARK: Workbook

    @Test("LibreOffice recalculates the actuals workbooks to the engine's numbers", .requires(.openpyxl, .libreOffice))
    func libreOfficeRecalculates() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("fundsim-actuals-lo-\(UUID().uuidString)").path
        let files = ["docs/examples/actuals.yaml", "scenarios/variants/enshi-actuals.yaml"]
        let r = try fundsim(["run"] + files + ["-o", out, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let books = ["actuals.xlsx", "enshi-actuals.xlsx"].map { out + "/" + $0 }
        let recalc = try runScript("recalc.py", [out + "/lo"] + books)
        #expect(recalc.status == 0, "\(recalc.stderr)")
        let reports = recalc.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(reports.count == 2)
        for rep in reports {
            #expect((rep["formulas"] as? Int ?? 0) > 300, "\(rep)")
            #expect(rep["mismatches"] as? Int == 0, "\(rep)")
        }
    }

    @Test("an actual typed into the Actuals sheet in LibreOffice moves the re-forecast to what the engine gives for the same actual",
          .requires(.python3, .libreOffice))
    func typedActual() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fundsim-actuals-typed-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let scenario = Project.root + "/docs/examples/actuals.yaml"
        let base = try fundsim(["run", scenario, "-o", dir + "/base", "--quiet"])
        #expect(base.status == 0, "\(base.stderr)")
        // The same actual recorded in a file: 20 centres built in 2023 (the plan would build 28).
        let csv = try String(contentsOfFile: Project.root + "/docs/examples/actuals.csv", encoding: .utf8) + "2023,centres,,units,20,,typed\n"
        try csv.write(toFile: dir + "/typed.csv", atomically: true, encoding: .utf8)
        var pipeline = Pipeline(allowOutside: [dir])
        pipeline.actualsPath = dir + "/typed.csv"
        let engine = pipeline.project(scenario)
        let s = try #require(engine.scenario, "\(engine.rendered)")
        let p = try #require(engine.projection)
        var builder = WorkbookBuilder(scenario: s, projection: p)
        _ = builder.build()
        // Where the actual goes, in the workbook of the plan with the first actuals.
        let cell = try #require(builder.placement[p.model.index["centres.actual.units"]!])
        let sheetIndex = try #require(builder.build().sheets.firstIndex { $0.name == cell.sheet })
        let y2023 = try #require(p.years.firstIndex(of: 2023))
        // A1 name of the cell (the year columns are within A–Z).
        let a1 = String(UnicodeScalar(UInt8(65 + WorkbookBuilder.firstYearCol + y2023))) + String(cell.row + 1)
        let typed = dir + "/typed.xlsx"
        let edit = try runScript("lo_edit.py", [dir + "/base/actuals.xlsx", typed, "\(sheetIndex)!\(a1)=20"])
        #expect(edit.status == 0, "\(edit.stderr)")
        let file = try XLSXFile(path: typed)
        func value(_ id: String, _ y: Int) throws -> Double {
            let (sheet, row) = try #require(builder.placement[p.model.index[id]!])
            let cells = try file.cells(of: try #require(file.sheet(named: sheet)))
            guard case .number(let n)? = cells.first(where: { $0.row == row && $0.col == WorkbookBuilder.firstYearCol + y })?.value else { return .nan }
            return n
        }
        let moved = ["centres.units", "centres.built", "centres.shortfall", "centres.cost", "縣財政.committed", "total"]
        for id in moved {
            for y in p.years.indices {
                // Money cells hold the display unit (萬元 here).
                let money = builder.displayMeasure(p.model.index[id]!) == .money
                let lo = try value(id, y), want = p.series(id)![y] / (money ? s.unit.divisor : 1)
                #expect(abs(lo - want) <= 1e-6 * max(1, abs(want)), "\(id) \(p.years[y]): LibreOffice \(lo), engine \(want)")
            }
        }
        // And the typed figure did move the re-forecast: 20 built in 2023 instead of 28, so 8 short from 2023.
        #expect(p.series("centres.shortfall")![y2023] == 8)
    }
}
