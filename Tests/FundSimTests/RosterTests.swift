import Foundation
import Testing
import TestSupport
import FundSimKit
import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters

/// Rosters: counts and sums by rule, the per-village collective economy, the county sheet, the generator.
@Suite("Rosters")
struct RosterTests {
    /// Six villages and one community; incomes chosen so that support can be worked by hand.
    static let csv = """
    id,name,county,kind,members,centre_area,income
    V1,甲村,東縣,village,40,100,0
    V2,乙村,東縣,village,30,150,0
    V3,丙村,東縣,village,20,110,30000
    V4,丁村,西縣,village,50,300,45000
    V5,戊村,西縣,village,60,90,80000
    V6,己村,西縣,village,10,400,200000
    S1,庚社區,西縣,community,90,1200,
    """

    static func scenario(_ dir: String) throws -> String {
        try (csv + "\n").write(toFile: dir + "/r.csv", atomically: true, encoding: .utf8)
        let path = dir + "/r.yaml"
        try """
        title: 台賬
        years: 2016-2017
        roster: r.csv
        sources: {縣財政: {}}
        inputs:
          村數: {roster: count, where: village}
          小中心數: {roster: count, where: "village and centre_area < 120"}
          黨員總數: {roster: sum, of: members}
        commitments:
          - {id: training, title: 培訓, kind: operating_fund, count: 黨員總數, rate: {value: 200元, assumption: t}, funding: 縣財政}
          - id: ce
            title: 集體經濟
            kind: collective_economy
            assumption: t
            roster_income: income
            bands:
              - {name: 空殼村, hollow: true}
              - {name: 5萬以下, below: 5萬}
              - {name: 5萬以上}
            growth: 10%
            support: {per_village: 10萬, return: 30%, budget: 20萬}
            targets:
              - {above: 5萬, share: 50%, by: 2017}
            funding: 縣財政
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("counts and sums by rule over the roster, worked by hand")
    func aggregates() throws {
        let dir = Project.tempDir("roster")
        let r = Pipeline().project(try Self.scenario(dir))
        #expect(r.ok, "\(r.rendered)")
        let p = try #require(r.projection)
        // Six villages; centres under 120 m²: V1 (100), V3 (110), V5 (90) = 3; members 40+30+20+50+60+10+90 = 300.
        #expect(p.series("村數") == [6, 6])
        #expect(p.series("小中心數") == [3, 3])
        #expect(p.series("training.cost") == [60_000, 60_000])
    }

    @Test("the per-village collective economy, worked by hand")
    func perVillage() throws {
        let dir = Project.tempDir("roster-ce")
        let p = try #require(Pipeline().project(try Self.scenario(dir)).projection)
        // 2016: growth 10%: V3 33,000, V4 49,500, V5 88,000, V6 220,000; hollow V1, V2 stay 0.
        // Budget 20萬 / 10萬 = 2 villages, lowest first: V1 and V2 (0) get 10萬 × 30% = 30,000.
        // Bands: hollow 0; under 5萬: V1, V2, V3, V4 = 4; 5萬 and over: V5, V6 = 2. Share ≥ 5萬 = 2/6.
        #expect(p.series("ce.band1")?[0] == 0)
        #expect(p.series("ce.band2")?[0] == 4)
        #expect(p.series("ce.band3")?[0] == 2)
        #expect(abs(p.series("ce.share_above_1")![0] - 2.0 / 6) < 1e-12)
        #expect(p.series("ce.cost") == [200_000, 200_000])
        // 2017: growth: V1, V2 33,000; V3 36,300; V4 54,450; support the two lowest (V1, V2 at 33,000) → 63,000.
        // Under 5萬: V3 only; share ≥ 5萬 = 5/6, so the 50% target holds in 2017.
        #expect(p.series("ce.band2")?[1] == 1)
        #expect(abs(p.series("ce.share_above_1")![1] - 5.0 / 6) < 1e-12)
        #expect(p.checkResults().first { $0.info.id == "ce.target1" }?.passed == true)
        let d = try #require(p.rosterDetails["ce"])
        #expect(d.supportedYear == [0, 0, -1, -1, -1, -1])
        #expect(abs(d.incomes[1][0] - 63_000) < 1e-6)
    }

    @Test("run --detail writes the roster sheets")
    func detailRuns() throws {
        let dir = Project.tempDir("roster-detail")
        let r = try fundsim(["run", try Self.scenario(dir), "--output", dir, "--detail"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/r.xlsx"))
    }

    @Test("the county sheet has one row per county and year; the detail sheet one row per roster row, and LibreOffice recalculates them", .requires(.openpyxl, .libreOffice))
    func sheets() throws {
        let dir = Project.tempDir("roster-sheets")
        let path = try Self.scenario(dir)
        let r = try fundsim(["run", path, "--output", dir, "--detail"])
        #expect(r.status == 0, "\(r.stderr)")
        let info = try inspect(dir + "/r.xlsx", cells: ["按县", "逐村明细"])
        let cells = info["cells"] as? [String: [String: Any]] ?? [:]
        let county = cells["按县"] ?? [:]
        // Header on row 4; 2 counties × 2 years from row 5.
        #expect(county["A5"] as? String == "東縣" && county["A8"] as? String == "西縣" && county["A9"] == nil, "\(county.keys.sorted())")
        let detail = cells["逐村明细"] ?? [:]
        #expect(detail["A2"] as? String == "V1" && detail["A8"] as? String == "S1" && detail["A9"] == nil)
        #expect(try recalculate([dir + "/r.xlsx"]).first?.mismatches == 0)
    }

    @Test("streamed roster columns carry roles: a year is a year, a count a count, support money; the writer uses their formats")
    func streamRoles() throws {
        let dir = Project.tempDir("roster-roles")
        let path = try Self.scenario(dir)
        let r = Pipeline().project(path)
        let (s, p) = (try #require(r.scenario), try #require(r.projection))
        let county = try #require(RosterSheets.countySheet(s, p, labels: Labels(s.language))?.stream)
        // year, villages, communities, the roster inputs (counts, and 黨員總數, a sum of members: a count too),
        // then the programme: newly supported, support (yuan), at or above the threshold, hollow.
        let inputs = s.inputs.filter { $0.rosterAggregate != nil }.count
        #expect(county.numberRoles == [.year, .count, .count] + Array(repeating: .count, count: inputs) + [.count, .money, .count, .count])
        let detail = try #require(RosterSheets.detailSheet(s, p, labels: Labels(s.language))?.stream)
        // members, centre_area (no unit), income (the programme's income column: yuan), income by year, year supported.
        #expect(detail.numberRoles == [.number, .number, .money, .money, .money, .year])
    }

    @Test("the xlsx writer gives streamed roster columns their roles' number formats", .requires(.openpyxl))
    func streamFormats() throws {
        let dir = Project.tempDir("roster-formats")
        let path = try Self.scenario(dir)
        let s = try #require(Pipeline().project(path).scenario)
        let inputs = s.inputs.filter { $0.rosterAggregate != nil }.count
        #expect(try fundsim(["run", path, "--output", dir, "--detail"]).status == 0)
        let formats = try runPython(["-c", """
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1])
            county, detail = wb[wb.sheetnames[-2]], wb[wb.sheetnames[-1]]
            print(county["B5"].value, county["B5"].number_format, county["C5"].number_format, county.cell(5, 6 + int(sys.argv[2])).number_format)
            print(detail["E2"].number_format, detail["G2"].number_format, detail["J2"].number_format)
            """, dir + "/r.xlsx", String(inputs)])
        // Whole counts as whole numbers; money in 萬元 (the scenario's display unit) to the yuan.
        #expect(formats.stdout == "2016 0 #,##0 #,##0.00##\nGeneral #,##0.00## 0\n", "\(formats.stdout) \(formats.stderr)")
    }

    @Test("the detail sheet's number formats get the workbook's first style numbers; without --detail the numbering is by first use", .requires(.python3))
    func detailFormatsFirst() throws {
        let dir = Project.tempDir("roster-formats-first")
        let path = try Self.scenario(dir)
        // The style number of each number cell from row 2 on in the workbook's last sheet.
        func styleNumbers(_ file: String) throws -> [Int] {
            let r = try runPython(["-c", """
                import re, sys, zipfile
                z = zipfile.ZipFile(sys.argv[1])
                sheets = sorted((n for n in z.namelist() if re.match(r'xl/worksheets/sheet\\d+\\.xml$', n)), key=lambda n: int(re.findall(r'\\d+', n)[0]))
                x = z.read(sheets[-1]).decode()
                print(' '.join(s for s in re.findall(r'<c r="[A-Z]+(?:[2-9]|\\d\\d+)" s="(\\d+)"><v>', x)))
                """, file])
            return r.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        #expect(try fundsim(["run", path, "--output", dir, "--detail"]).status == 0)
        // members and centre_area (General), incomes (money), the year supported: numbered 1, 2, 3.
        let detail = try styleNumbers(dir + "/r.xlsx")
        #expect(detail.count == 7 * 6 && Set(detail) == [1, 2, 3], "\(detail)")
        // Without the detail sheet (the county sheet is last) nothing is numbered first: the county sheet's formats
        // come after those the model sheets use first.
        #expect(try fundsim(["run", path, "--output", dir]).status == 0)
        let county = try styleNumbers(dir + "/r.xlsx")
        #expect(!county.isEmpty && county.allSatisfy { $0 > 3 }, "\(county)")
    }

    @Test("--detail-csv holds the detail sheet's numbers exactly, so the benchmark's C and Python writers write the same values")
    func detailCSVExact() throws {
        let dir = Project.tempDir("roster-detail-csv")
        let path = try Self.scenario(dir)
        #expect(try fundsim(["run", path, "--output", dir, "--detail-csv", dir + "/grid.csv"]).status == 0)
        let rows = try String(contentsOfFile: dir + "/grid.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let r = Pipeline().project(path)
        let (s, p) = (try #require(r.scenario), try #require(r.projection))
        let stream = try #require(RosterSheets.detailSheet(s, p, labels: Labels(s.language))?.stream)
        #expect(rows.count == stream.rowCount)
        var texts = [String](repeating: "", count: stream.textColumns), numbers = [Double](repeating: 0, count: stream.numberColumns)
        var fifteenDigitsShort = 0
        for (i, row) in rows.enumerated() {
            stream.fill(i, &texts, &numbers)
            let fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(Array(fields.prefix(stream.textColumns)) == texts)
            let read = fields.dropFirst(stream.textColumns).map { Double($0) }
            #expect(read.map { $0?.bitPattern } == numbers.map(\.bitPattern), "row \(i + 1): \(row) against \(numbers)")
            fifteenDigitsShort += numbers.filter { Double(Expr.format($0)) != $0 }.count
        }
        // The fixture has incomes that 15 significant digits do not give back (45,000 × 1.1), so this test tells.
        #expect(fifteenDigitsShort > 0)
    }

    @Test("with --detail the detail sheet is written on another thread beside the other sheets, and the workbook is the one written on one thread")
    func detailAside() throws {
        // The benchmark's national scenario over a roster of 20,000 villages, so that both threads write for a while.
        let dir = Project.tempDir("roster-aside")
        try FileManager.default.createDirectory(atPath: dir + "/work", withIntermediateDirectories: true)
        var csv = ""
        RosterSynth.generate(villages: 20_000, communities: 50, seed: 3) { csv += $0 }
        try csv.write(toFile: dir + "/work/national.csv", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: Project.root + "/Benchmarks/national.yaml", toPath: dir + "/national.yaml")
        let r = Pipeline().project(dir + "/national.yaml")
        let (scenario, p) = (try #require(r.scenario, "\(r.rendered)"), try #require(r.projection))
        var builder = WorkbookBuilder(scenario: scenario, projection: p)
        builder.includeDetail = true
        let book = builder.build()
        let detail = try #require(book.sheets.last)
        #expect(detail.stream?.rowCount == 20_050 && XLSXRenderer.writesAside(detail))
        #expect(book.sheets.dropLast().allSatisfy { !XLSXRenderer.writesAside($0) }, "one sheet aside")
        var files: [Data?] = []
        for busy in [false, true] {  // on two threads, then (the cores busy) on one
            let path = dir + "/busy-\(busy).xlsx"
            try BothCores.sharingCores(busy) { try Pipeline().write(book, to: path, force: true) }
            files.append(FileManager.default.contents(atPath: path))
        }
        #expect(files[0] != nil && files[0] == files[1])
    }

    @Test("roster synth: the same seed gives the same file, and the shares follow the seed's figures")
    func synth() throws {
        var a = "", b = ""
        RosterSynth.generate(villages: 20_000, communities: 100, seed: 5) { a += $0 }
        RosterSynth.generate(villages: 20_000, communities: 100, seed: 5) { b += $0 }
        #expect(a == b)
        let roster = try Roster.parse(Data(a.utf8), file: "synth.csv").get()
        #expect(roster.count == 20_100)
        let incomes = zip(roster.attributes["income"]!, roster.isCommunity).filter { !$0.1 }.map(\.0)
        let hollow = Double(incomes.filter { $0 == 0 }.count) / Double(incomes.count)
        let under5 = Double(incomes.filter { $0 < 50_000 }.count) / Double(incomes.count)
        #expect(abs(hollow - 0.106) < 0.01, "hollow share \(hollow)")       // seed §15: 空殼村占比達10.6%
        #expect(abs(under5 - 0.168 - 0.15 * 0.5) < 0.02, "under 5萬 \(under5)")  // 16.8% plus half of the 15% around 5萬
        let areas = zip(roster.attributes["centre_area"]!, roster.isCommunity).filter { !$0.1 }.map(\.0)
        let small = Double(areas.filter { $0 < 120 }.count) / Double(areas.count)
        #expect(abs(small - 0.034) < 0.01, "centres under 120 m² \(small)")  // seed §3: 3.4% under 120 m²
    }
}
