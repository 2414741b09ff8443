import Foundation
import Testing
import FundSimModel
import FundSimEngine
import FundSimKit
import FundSimReport
import FundSimWriters
import TestSupport

/// Scenarios generated with their figures on the knife edges of the rules in `ComparisonRule`.
enum EdgeScenarios {
    /// A small deterministic generator (SplitMix64), so that the same scenarios come every run.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func pick<T>(_ xs: [T]) -> T { xs[Int(next() % UInt64(xs.count))] }
    }

    /// A figure as decimal text (at most 15 significant digits, so the workbook holds the same double).
    static func figure(_ text: String) -> Expr { try! ExpressionParser.parse(text, at: nil).get() }
    static func d(_ text: String) -> Double { Double(text)! }
    static func text(_ v: Double) -> String { Expr.format(v) }

    static func input(_ name: String, _ value: String, _ m: Measure) -> Input {
        Input(name: name, dimension: m, definition: .constant(d(value)), provenance: [.assumption("generated", location: nil)])
    }
    static func formula(_ name: String, _ text: String, _ m: Measure) -> Input {
        Input(name: name, dimension: m, definition: .expression(figure(text)), provenance: [.assumption("generated", location: nil)])
    }

    /// Scenario number `k`: a few commitments and checks whose two sides sit on, just inside or just
    /// outside a rule's boundary; near-integers under floor and ceil; tiny, huge, zero and negative figures.
    static func scenario(_ k: Int) -> Scenario {
        var g = Generator(state: UInt64(k) &* 7919 &+ 17)
        var scale = g.pick(["0.01", "1", "10000", "100000000"])
        let villages = g.pick(["2400", "0", "1", "356", "1000000", "2399.9999999"])
        // Offsets from a check's boundary: on it, just inside or outside by binary noise, by a little less
        // than half the rule's unit, and by one or two units. Exactly half a unit is the rule's own knife
        // edge, where LibreOffice and Gnumeric disagree with each other (see docs/engine.md), so it is left out.
        let countEdge = g.pick(["0", "0.000000000001", "-0.000000000001", "0.0000001", "-0.0000001", "0.0000004", "-0.0000004", "0.000001", "-0.000001", "0.000002"])
        let moneyEdge = g.pick(["0", "0.0000001", "-0.0000001", "0.001", "-0.001", "0.004", "-0.004", "0.006", "-0.006", "0.01", "-0.01", "0.02"])
        let ratioEdge = g.pick(["0", "0.000000000001", "-0.000000000001", "0.0000000001", "-0.0000000001", "0.0000000004", "-0.0000000004", "0.000000001", "-0.000000001", "0.000000002"])
        let nearInteger = g.pick(["0", "0.000000000001", "-0.000000000001", "0.0000000001", "-0.0000000001", "0.00000001", "-0.00000001", "0.0000000004", "-0.0000000004", "0.4999999", "0.5"])
        let pay = g.pick(["42000", "42000.005", "12345.675", "0.01", "617.275", "0", "1.005"])
        let share = g.pick(["0.5", "0.3333333333", "0.6", "1", "0", "0.285"])
        let growth = g.pick(["0", "0.05", "-0.05", "0.25", "-0.5"])
        // Figures stay below 10^15 yuan (larger ones are refused as absurd).
        if d(pay) * d(scale) * max(1, d(villages)) >= 1e11 { scale = "1" }
        let perUnit = g.pick(["7", "3", "0.3", "1000"])

        var inputs: [Input] = [
            input("村數", villages, .count),
            input("報酬", pay, .money),
            input("規模", scale, .number),
            input("分擔", share, .ratio),
            input("增長", growth, .ratio),
            formula("年報酬", "報酬 * 規模", .money),
            // floor and ceil of a near-integer: perUnit × (n + ε) / perUnit.
            formula("整數下", "floor((\(perUnit) * (12 + \(nearInteger))) / \(perUnit))", .count),
            formula("整數上", "ceil((\(perUnit) * (12 + \(nearInteger))) / \(perUnit))", .count),
            formula("四捨五入", "round(報酬 * 3, 2) + round(報酬 / 7, 0) + round(報酬, -2)", .money),
            // A share computed in binary that sits at 0.9 plus a ratio edge.
            formula("份額", "(0.9 + \(ratioEdge)) * 村數 / max(村數, 1)", .ratio),
            // A truth value in one branch of an if, a number in the other.
            formula("混合", "if(村數 > 2400, 年報酬 >= 1, 5) + 2 * (分擔 > 0.5)", .number),
        ]
        let lump = g.pick(["1000000", "-250000", "0", "0.01", "123456789.12"])
        let lumpAmount = text(abs(d(lump) * d(scale)) >= 1e11 ? d(lump) : d(lump) * d(scale))
        inputs.append(input("一次性", lumpAmount, .money))
        inputs.append(input("額度", text(d(lumpAmount) + d(moneyEdge)), .money))

        var commitments: [Commitment] = [
            Commitment(id: "pay", title: "報酬", kind: .cadrePay(CadrePay(headcount: figure("村數"), pay: figure("年報酬"))),
                       funding: FundingSplit(shares: [.init(source: "市財政", share: figure("分擔")), .init(source: "縣級財政", share: nil)])),
            Commitment(id: "fund", title: "運轉", kind: .operatingFund(OperatingFund(count: figure("整數下 + 整數上"), rate: figure("報酬 * (1 + 增長)"))),
                       funding: .all("縣級財政")),
            Commitment(id: "once", title: "一次性", kind: .lumpSum(LumpSum(amount: figure("一次性"))), funding: .all("專項")),
        ]
        if k % 3 == 0 {
            commitments.append(Commitment(id: "centres", title: "中心", kind: .construction(ConstructionProgramme(
                schedule: .target(stock: figure(g.pick(["200", "7", "0", "1000"])), by: g.pick([2017, 2018, 2019])),
                unitCost: figure(g.pick(["200000", "123456.785", "10"])), award: figure("100000"), awardSource: "市財政",
                upkeepShare: figure(g.pick(["0.05", "0", "0.333333333"])))), funding: .all("縣級財政")))
        }
        if k % 4 == 1 {
            let per = g.pick(["100000", "30000", "7"])
            let budget = text(d(per) * (g.pick([50.0, 12.0, 3.0]) + d(nearInteger)))
            let ce = CollectiveEconomyProgramme(
                villages: figure(g.pick(["1000", "356", "2400"])),
                bands: [.init(name: "空殼", below: nil, hollow: true, initial: .share(figure(g.pick(["0.1", "0.3", "0"])))),
                        .init(name: "<5萬", below: 50_000, initial: .share(figure(g.pick(["0.2", "0.25"])))),
                        .init(name: "≥5萬", below: nil, initial: .rest)],
                growth: figure(growth), perVillage: figure(per), returnRate: figure(g.pick(["0.3", "0.1", "0"])), budget: figure(budget),
                targets: [.init(above: 50_000, share: d(g.pick(["0.9", "0.74", "0.7"])), by: g.pick([2018, 2019]))])
            commitments.append(Commitment(id: "ce", title: "集體經濟", kind: .collectiveEconomy(ce), funding: .all("市財政")))
        }
        let checks: [Check] = [
            Check(id: "count", title: "村數達標", assertion: figure("村數 >= \(text(d(villages) + d(countEdge)))")),
            Check(id: "count_eq", title: "村數相等", assertion: figure("村數 == \(text(d(villages) + d(countEdge)))")),
            Check(id: "money", title: "報酬不低於", assertion: figure("年報酬 <= \(text(d(pay) * d(scale) + d(moneyEdge)))")),
            Check(id: "share", title: "份額", assertion: figure("份額 >= 0.9")),
            Check(id: "share_ne", title: "份額不等", assertion: figure("份額 != 0.9")),
            Check(id: "floor", title: "取整", assertion: figure("整數下 < 整數上 or 整數下 > 11")),
            Check(id: "mixed", title: "組合", assertion: figure("not(年報酬 > 一次性) and (year >= 2018 or 村數 > 0)"), years: 2017...2019),
        ]
        return Scenario(file: "edge-\(k).yaml", title: "邊界 \(k)", years: 2016...2019,
                        // 萬元 and 元: the workbook holds money in the display unit and must recalculate to the engine's
                        // figures to the fen. (In 億元 a figure rounded at exactly half a fen can come out a fen apart in
                        // Gnumeric: the cell holds 1.2345675e-4, not the engine's double; see docs/engine.md.)
                        unit: [DisplayUnit.wan, .yuan][(k / 3) % 2],
                        language: [ReportLanguage.zhHans, .zhHant, .en][k % 3],
                        inputs: inputs,
                        sources: [FundingSource(name: "市財政"), FundingSource(name: "縣級財政"), FundingSource(name: "專項", envelope: "額度")],
                        commitments: commitments, checks: checks)
    }
}

struct DifferentialReport: Decodable {
    struct Engine: Decodable { var missing: [String]; var mismatches: Int; var examples: [[String: String]] }
    struct Control: Decodable { var files: Int; var nonzero_caches: Int; var restored: Int; var missing: [String] }
    struct Readers: Decodable { var checks: Int; var count: Int; var problems: [[String: String]] }
    var files: Int
    var formulas: Int
    var checks: Int
    /// Formula cells cached as text (the failing checks' titles).
    var texts: Int
    var engines: [String: Engine]
    var control: [String: Control]
    var readers: Readers
}

@Suite("Differential: the engine, LibreOffice and Gnumeric agree on every cell", .serialized)
struct DifferentialTests {
    static let count = 200

    @Test("200 generated scenarios on the rules' boundaries recalculate, in both engines, to the cached values, typed",
          .requires(.libreOffice, .gnumeric, .openpyxl, .calamine, .pandas))
    func generatedScenarios() throws {
        let dir = Project.tempDir("differential")
        var files: [String] = []
        var failedToRun = 0
        for k in 0..<Self.count {
            let s = EdgeScenarios.scenario(k)
            guard case .success(let model) = Compiler.compile(s), case .success(let p) = Projection.evaluate(model) else {
                failedToRun += 1
                continue
            }
            var builder = WorkbookBuilder(scenario: s, projection: p)
            var book = builder.build()
            // Charts and comments hold no formulas; without them LibreOffice loads each file in half the time.
            for i in book.sheets.indices {
                book.sheets[i].charts = []
                for j in book.sheets[i].cells.indices { book.sheets[i].cells[j].comment = nil }
            }
            let path = dir + "/edge-\(k).xlsx"
            try XLSXRenderer.write(book, to: path)
            files.append(path)
        }
        // Some draws are meant to fail (a zero divisor); most must run.
        #expect(files.count >= 200, "only \(files.count) of \(Self.count) generated scenarios ran")
        let report = try Self.differential(files, in: dir + "/out", minimumRestored: 1000)
        print("differential: \(report.files) workbooks (\(failedToRun) generated scenarios did not run), \(report.formulas) formula cells, \(report.checks) check cells, \(report.texts) text cells")
        #expect(report.texts > 0, "no failing-check titles were compared")
    }

    /// Every workbook the commands write — each scenario and variant with its roll-up, a compare, a
    /// sensitivity and a roster run with `--detail` — recalculates in both engines to its cached values.
    @Test("every workbook of scenarios/, scenarios/variants/, a compare, a sensitivity and a roster run with --detail recalculates, in both engines, to the cached values, typed",
          .requires(.libreOffice, .gnumeric, .openpyxl, .calamine, .pandas))
    func commandWorkbooks() throws {
        let dir = Project.tempDir("differential-commands")
        let enshi = Project.root + "/scenarios/enshi.yaml"
        let variants = Pipeline.expand([Project.root + "/scenarios/variants"])
        let roster = Project.tempDir("differential-roster")
        let runs: [(tag: String, args: [String])] = [
            ("scenarios", ["run", Project.root + "/scenarios", "--quiet"]),
            ("variants", ["run", Project.root + "/scenarios/variants", "--quiet"]),
            ("compare", ["compare", enshi] + variants),
            ("sensitivity", ["sensitivity", enshi]),
            ("roster", ["run", try RosterTests.scenario(roster), "--detail", "--quiet"]),
        ]
        var files: [String] = []
        for (tag, args) in runs {
            let out = dir + "/" + tag
            let r = try fundsim(args + ["--output", out])
            #expect(r.status == 0, "fundsim \(args.joined(separator: " ")): \(r.stderr)")
            let written = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".xlsx") }.sorted()
            #expect(!written.isEmpty, "\(tag) wrote no workbook")
            // One folder for all, under names that cannot collide (each run writes its own roll-up).
            for name in written {
                let path = dir + "/all/" + tag + "-" + name
                try FileManager.default.createDirectory(atPath: dir + "/all", withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: out + "/" + name, toPath: path)
                files.append(path)
            }
        }
        #expect(files.count >= Project.scenarios.count + variants.count + 5)
        let report = try Self.differential(files, in: dir + "/out", minimumRestored: 1000)
        print("differential (commands): \(report.files) workbooks, \(report.formulas) formula cells, \(report.checks) check cells, \(report.texts) text cells")
        #expect(report.texts > 0, "no failing-check titles were compared")
    }

    /// Runs differential.py over `files` and expects 0 mismatches in both engines, a control that each
    /// engine really recalculated, and every reader seeing checks as numbers.
    static func differential(_ files: [String], in out: String, minimumRestored: Int) throws -> DifferentialReport {
        let r = try runPython([Project.tests + "/Scripts/differential.py", out] + files)
        let report = try JSONDecoder().decode(DifferentialReport.self, from: Data(r.stdout.utf8))
        #expect(report.files == files.count)
        for engine in ["libreoffice", "gnumeric"] {
            guard let e = report.engines[engine], let c = report.control[engine] else { Issue.record("no report from \(engine)"); continue }
            print("  \(engine): \(e.mismatches) mismatches; control restored \(c.restored) of \(c.nonzero_caches) zeroed caches")
            #expect(e.missing.isEmpty, "\(engine) wrote nothing for \(e.missing.prefix(5))")
            #expect(e.mismatches == 0, "\(engine): \(e.mismatches) cells differ from the cache, e.g. \(e.examples.prefix(5))")
            // The control: caches zeroed, so only a real recalculation brings the values back.
            #expect(c.missing.isEmpty && c.nonzero_caches > minimumRestored && c.restored == c.nonzero_caches,
                    "\(engine) did not recalculate the zeroed copies: \(c.restored) of \(c.nonzero_caches)")
        }
        #expect(report.readers.checks > 0)
        #expect(report.readers.count == 0, "readers see another type or value: \(report.readers.problems.prefix(5))")
        return report
    }
}
