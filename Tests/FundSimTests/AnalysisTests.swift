import Foundation
import Testing
import TestSupport
import FundSimKit
import FundSimModel
import FundSimEngine
import FundSimReport

/// Variants, compare, sensitivity, Monte Carlo, goal seek and watch, through the built binary where a user would.
@Suite("Alternatives and uncertainty", .serialized)
struct AnalysisTests {
    let megacity = Project.fixtures + "/scenarios/megacity.yaml"

    /// A variant of the megacity scenario that raises principal cadres' pay faster.
    func variant(_ dir: String) throws -> String {
        let path = dir + "/megacity-higher-pay.yaml"
        try """
        extends: \(megacity)
        title: 超大城市 變體:村主職報酬2018年達到5萬元
        inputs:
          村主職報酬:
            path: {from: 3.0萬, to: 5.0萬, by: 2018}
            assumption: 變體:假設2018年達到5萬元/年
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a variant runs like any other scenario, and differs only where it overrides")
    func variantRuns() throws {
        let dir = Project.tempDir("variant")
        let v = try variant(dir)
        let r = try fundsim(["run", "--allow-outside", Project.fixtures, v, "--output", dir])
        #expect(r.status == 0, "\(r.stderr)")
        let pipeline = Pipeline(seedsDirectory: Project.seeds, allowOutside: [Project.fixtures])
        let a = pipeline.project(megacity).projection!, b = pipeline.project(v).projection!
        #expect(a.series("principal_pay.cost") != b.series("principal_pay.cost"))
        #expect(a.series("deputy_pay.cost") == b.series("deputy_pay.cost"))
    }

    /// Runs `fundsim compare` on the megacity scenario and its variant; returns the variant and the output folder.
    func runCompare() throws -> (variant: String, dir: String, stdout: String) {
        let dir = Project.tempDir("compare")
        let v = try variant(dir)
        let r = try fundsim(["compare", "--allow-outside", Project.fixtures, megacity, v, "--output", dir])
        #expect(r.status == 0, "\(r.stderr)")
        return (v, dir, r.stdout)
    }

    @Test("compare: table, differences and changed assumptions on the terminal")
    func compare() throws {
        let stdout = try runCompare().stdout
        #expect(stdout.contains("Δ 超大城市 變體:村主職報酬2018年達到5萬元") && stdout.contains("村主職報酬"), "scenarios by title: \(stdout)")
    }

    @Test("compare workbook: comparison sheets, a chart, and a drop-down that switches the live model", .requires(.openpyxl, .libreOffice))
    func compareWorkbook() throws {
        let (v, dir, _) = try runCompare()
        let file = dir + "/compare-megacity.xlsx"
        let info = try inspect(file)
        let sheets = info["sheets"] as? [String] ?? []
        #expect(sheets.contains("比較") && sheets.contains("假設變化") && sheets.contains("情景值"), "\(sheets)")
        #expect(((info["charts"] as? [String: Int])?["比較"] ?? 0) >= 1)
        #expect(try recalculate([file]).first?.mismatches == 0)
        // Switch the drop-down to the variant and recalculate: the totals become the variant's.
        let switched = dir + "/switched.xlsx"
        try runPython(["-c", """
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1]); wb["匯總"]["E4"] = "megacity-higher-pay"; wb.save(sys.argv[2])
            """, file, switched])
        let out = Project.tempDir("compare-recalc")
        try runScript("recalc.py", [out, switched])
        let cells = ((try inspect(out + "/switched.xlsx", cells: ["匯總"]))["cells"] as? [String: Any])?["匯總"] as? [String: Any] ?? [:]
        let expected = Pipeline(seedsDirectory: Project.seeds, allowOutside: [Project.fixtures]).project(v).projection!.series("total")!
        for (k, col) in ["E", "F", "G", "H", "I"].enumerated() {
            let got = (cells["\(col)11"] as? Double ?? .nan) * 10_000
            #expect(abs(got - expected[k]) < 0.01, "\(col)11: \(got) vs \(expected[k])")
        }
    }

    static let sensitivityScenario = """
        title: 敏感性
        years: 2016-2017
        sources: {市財政: {envelope: {value: 200萬, assumption: t}}}
        inputs:
          big: {value: 200萬, assumption: t}
          small: {value: 10萬, range: [0, 100萬], assumption: t}
        commitments:
          - {id: a, title: A, kind: lump_sum, amount: big, funding: 市財政}
          - {id: b, title: B, kind: lump_sum, amount: small, funding: 市財政}
        """

    @Test("sensitivity: inputs ranked by effect, stated ranges used, tornado chart written")
    func sensitivity() throws {
        let dir = Project.tempDir("sens")
        let file = dir + "/s.yaml"
        try Self.sensitivityScenario.write(toFile: file, atomically: true, encoding: .utf8)
        let model = try Compiler.compile(Pipeline().project(file).scenario!).get()
        let r = Analysis.sensitivity(model)!
        // small moves 0 → 100萬 (stated), over two years a swing of 200萬; big ±10% of 200萬 swings 80萬.
        #expect(r.rows.map(\.input) == ["small", "big", "市財政:envelope"])
        #expect(r.rows[0].stated && abs(r.rows[0].swing - 2_000_000) < 1e-6)
        // Where low and high come from is said in the workbook's language, not in English.
        let book = AnalysisReports.sensitivityBook(Pipeline().project(file).scenario!, r)
        let from = r.rows.indices.map { book.sheets[0].cell(5 + $0, 5)?.value }
        #expect(from == [.text("情景范围"), .text("±10%"), .text("±10%")], "\(from)")  // the default language, zh-Hans
        let wider = AnalysisReports.sensitivityBook(Pipeline().project(file).scenario!, Analysis.sensitivity(model, defaultShare: 0.2)!)
        #expect(wider.sheets[0].cell(6, 5)?.value == .text("±20%"), "--share 0.2 is said as ±20%")
        #expect(abs(r.rows[1].swing - 800_000) < 1e-6 && !r.rows[1].stated)
        // Base: 210萬 a year against 200萬, 10萬 over. small = 0 → no gap, small = 100萬 → 100萬 over; big + 10% → 30萬 over.
        #expect(abs(r.baseGap - 100_000) < 1e-6)
        #expect(r.rows[0].gapAtLow == 0 && abs(r.rows[0].gapAtHigh - 1_000_000) < 1e-6 && abs(r.rows[1].gapAtHigh - 300_000) < 1e-6)
        // Moving the envelope changes the gap, not the total.
        #expect(r.rows[2].swing == 0 && r.rows[2].gapAtLow > r.rows[2].gapAtHigh)
        let cli = try fundsim(["sensitivity", file, "--output", dir])
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/s-sensitivity.xlsx"))
    }

    @Test("sensitivity workbook: openpyxl finds the tornado chart", .requires(.openpyxl))
    func sensitivityChart() throws {
        let dir = Project.tempDir("sens-chart")
        let file = dir + "/s.yaml"
        try Self.sensitivityScenario.write(toFile: file, atomically: true, encoding: .utf8)
        let cli = try fundsim(["sensitivity", file, "--output", dir])
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(((try inspect(dir + "/s-sensitivity.xlsx"))["charts"] as? [String: Int])?["敏感性"] == 1)
    }

    static let sumOfUniforms = """
    title: 兩個均勻分布之和
    years: 2016-2017
    sources: {市財政: {envelope: {value: 150萬, assumption: t}}}
    inputs:
      a: {value: 50萬, distribution: {uniform: [0, 100萬]}, assumption: t}
      b: {value: 50萬, distribution: {uniform: [0, 100萬]}, assumption: t}
    commitments:
      - {id: x, title: X, kind: lump_sum, amount: a, funding: 市財政}
      - {id: y, title: Y, kind: lump_sum, amount: b, funding: 市財政}
    """

    @Test("Monte Carlo: a sum of two uniforms has the known triangular quantiles and P(sum ≤ 1.5) = 87.5%")
    func knownDistribution() throws {
        let s = Pipeline().project(text: Self.sumOfUniforms, path: "mc.yaml").scenario!
        let model = try Compiler.compile(s).get()
        let r = Analysis.simulate(model, draws: 40_000, seed: 11)
        // For S = U1 + U2 on [0, 2] (in units of 100萬): P10 = √0.2 ≈ 0.4472, P50 = 1, P90 = 2 − √0.2.
        let unit = 1_000_000.0
        #expect(abs(r.total[0].p10 / unit - 0.2.squareRoot()) < 0.015)
        #expect(abs(r.total[0].p50 / unit - 1) < 0.015)
        #expect(abs(r.total[0].p90 / unit - (2 - 0.2.squareRoot())) < 0.015)
        #expect(abs(r.checks[0].probability - 0.875) < 0.01)
        #expect(r.inputs == ["a", "b"] && r.failedDraws == 0)
    }

    @Test("Monte Carlo: the same seed gives the same result whatever the number of threads")
    func threadDeterminism() throws {
        let model = try Compiler.compile(Pipeline().project(text: Self.sumOfUniforms, path: "mc.yaml").scenario!).get()
        let runs = [1, 2, 3, 7].map { Analysis.simulate(model, draws: 5_000, seed: 42, threads: $0) }
        for r in runs.dropFirst() {
            #expect(r.total.map(\.p10) == runs[0].total.map(\.p10) && r.total.map(\.p90) == runs[0].total.map(\.p90))
            #expect(r.checks.map(\.probability) == runs[0].checks.map(\.probability))
        }
        let other = Analysis.simulate(model, draws: 5_000, seed: 43)
        #expect(other.total.map(\.p50) != runs[0].total.map(\.p50), "a different seed gives different draws")
        // Through the binary: same output with 1 and 2 threads.
        let dir = Project.tempDir("mc")
        try Self.sumOfUniforms.write(toFile: dir + "/mc.yaml", atomically: true, encoding: .utf8)
        let a = try fundsim(["simulate", dir + "/mc.yaml", "--draws", "2000", "--seed", "5", "--threads", "1", "--output", dir, "--force"])
        let b = try fundsim(["simulate", dir + "/mc.yaml", "--draws", "2000", "--seed", "5", "--threads", "2", "--output", dir, "--force"])
        #expect(a.status == 0 && a.stdout == b.stdout, "\(a.stderr)")
        #expect(!a.stderr.contains("█"), "no progress bar when standard error is not a terminal")
    }

    @Test("solve: the largest rate within an envelope, worked by hand: 3560萬 / 356 = 10萬")
    func solveLargest() throws {
        // Seed §7: 「3560萬元保障每個村(社區)年辦事經費10萬元」.
        let dir = Project.tempDir("solve")
        let file = dir + "/office.yaml"
        try """
        title: 辦事經費
        years: 2016-2018
        sources: {市財政: {envelope: {value: 3560萬, assumption: t}}}
        inputs:
          村社區數: {value: 356, assumption: 3560萬 ÷ 10萬}
          辦事經費標準: {value: 8萬, assumption: t}
        commitments:
          - {id: office, title: 辦事經費, kind: operating_fund, count: 村社區數, rate: 辦事經費標準, funding: 市財政}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try fundsim(["solve", file, "--vary", "辦事經費標準", "--until", "envelope.市財政", "--low", "0", "--high", "1000000"])
        #expect(r.status == 0, "\(r.stderr)")
        let model = try Compiler.compile(Pipeline().project(file).scenario!).get()
        let sol = Analysis.solve(model, input: model.index["辦事經費標準"]!, check: model.checks[0], low: 0, high: 1_000_000)
        #expect(sol.outcome == .boundary && !sol.holdsAbove)
        #expect(sol.value == 100_000, "\(sol.value)")
        #expect(r.stdout.contains("10 万元 (± 0.000001 万元"), "the answer in the scenario's 萬元: \(r.stdout)")
    }

    @Test("solve: the smallest fund that meets a collective-economy target, and a clear message when none does")
    func solveSmallest() throws {
        // 100 villages, 20 hollow; 10萬 per supported village at 60% return lifts a hollow village to 6萬, above 5萬.
        // 90% above 5萬 in 2016 needs 10 of the 20 supported: capacity floor(budget / 10萬) ≥ 10 ⇒ budget ≥ 100萬.
        let dir = Project.tempDir("solve2")
        let file = dir + "/ce.yaml"
        try """
        title: 集體經濟
        years: 2016-2016
        sources: {市財政: {}}
        inputs:
          扶持預算: {value: 50萬, assumption: t}
        commitments:
          - id: ce
            title: 集體經濟
            kind: collective_economy
            assumption: 測試
            villages: 100
            bands:
              - {name: 空殼村, hollow: true, initial: 20}
              - {name: 5萬以下, below: 5萬, initial: 0}
              - {name: 5萬以上, initial: rest}
            support: {per_village: 10萬, return: 60%, budget: 扶持預算}
            targets:
              - {above: 5萬, share: 90%, by: 2016}
            funding: 市財政
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let model = try Compiler.compile(Pipeline().project(file).scenario!).get()
        let check = model.checks.first { $0.id == "ce.target1" }!
        let sol = Analysis.solve(model, input: model.index["扶持預算"]!, check: check, low: 0, high: 10_000_000)
        #expect(sol.outcome == .boundary && sol.holdsAbove)
        #expect(abs(sol.value - 1_000_000) <= 0.01, "\(sol.value)")
        let r = try fundsim(["solve", file, "--vary", "扶持預算", "--until", "ce.target1", "--low", "0", "--high", "500000"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("没有任何") || r.stderr.contains("no value"), "\(r.stderr)")   // zh-Hans: written out, no longer the half-converted 沒有任何
        #expect(try fundsim(["solve", file, "--vary", "扶持預", "--until", "ce.target1"]).status == 64)
    }

    @Test("watch: re-runs on save, shows diagnostics for a broken save and keeps the good workbook")
    func watch() throws {
        let dir = Project.tempDir("watch")
        let file = dir + "/w.yaml"
        let good = "title: 監視\nyears: 2016-2017\nsources: {市財政: {}}\ninputs:\n  a: {value: 100萬, assumption: t}\ncommitments:\n  - {id: x, title: X, kind: lump_sum, amount: a, funding: 市財政}\n"
        try good.write(toFile: file, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Project.binary)
        p.arguments = ["watch", file, "--output", dir, "--max-runs", "3", "--interval", "0.2"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        defer { if p.isRunning { p.terminate() } }
        let workbook = dir + "/w.xlsx"
        func waitFor(_ condition: () -> Bool) { for _ in 0..<100 where !condition() { Thread.sleep(forTimeInterval: 0.1) } }
        waitFor { FileManager.default.fileExists(atPath: workbook) }
        let first = FileManager.default.contents(atPath: workbook)
        #expect(first != nil)
        try good.replacingOccurrences(of: "kind: lump_sum", with: "kind: lump_sums").write(toFile: file, atomically: true, encoding: .utf8)
        Thread.sleep(forTimeInterval: 1.5)
        #expect(FileManager.default.contents(atPath: workbook) == first, "a broken save must not replace the workbook")
        try good.replacingOccurrences(of: "100萬", with: "200萬").write(toFile: file, atomically: true, encoding: .utf8)
        waitFor { !p.isRunning }
        let stoppedByItself = !p.isRunning
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        #expect(stoppedByItself && p.terminationReason == .exit && p.terminationStatus == 0,
                "watch --max-runs 3 must stop by itself with status 0 (status \(p.terminationStatus))")
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(stderr.contains("unknown kind `lump_sums`"), "\(stderr)")
        #expect(stdout.contains("previous files are kept"))
        let last = FileManager.default.contents(atPath: workbook)
        #expect(last != nil && last != first, "the fixed save rewrites the workbook")
    }
}

@Suite("Seed variants through the binary", .serialized)
struct SeedVariantTests {
    @Test("the committed enshi variants run, compare and simulate")
    func enshiVariants() throws {
        let dir = Project.tempDir("enshi-variants")
        let base = Project.root + "/scenarios/enshi.yaml"
        let later = Project.root + "/scenarios/variants/enshi-upgrade-by-2018.yaml"
        let uncertain = Project.root + "/scenarios/variants/enshi-uncertain.yaml"
        #expect(try fundsim(["run", "--allow-outside", Project.fixtures, later, "--output", dir, "--quiet"]).status == 0)
        let c = try fundsim(["compare", base, later, "--output", dir])
        #expect(c.status == 0, "\(c.stderr)")
        #expect(c.stdout.contains("centres_upgrade.by: 2016–2020: 2016 → 2018"), "the changed assumption is listed, a year as a year: \(c.stdout)")
        let s = try fundsim(["simulate", uncertain, "--draws", "500", "--seed", "3", "--output", dir])
        #expect(s.status == 0 && s.stdout.contains("P50"), "\(s.stderr)")
        // The 1000萬 the seed states for the collective economy against the assumed 480 hollow villages × 20萬.
        let v = try fundsim(["solve", base, "--vary", "集體經濟預算", "--until", "collective.target1", "--low", "0", "--high", "200000000"])
        #expect(v.status == 0 && v.stdout.contains("9,600 萬元"), "\(v.stdout)\(v.stderr)")
    }
}
