import Foundation
import FundSimModel
import FundSimScenario
import FundSimEngine
import FundSimReport
import FundSimWriters

/// Output formats `fundsim run` can write.
public enum OutputFormat: String, CaseIterable, Sendable {
    case xlsx, csv, json
}

/// Scenario file → validated scenario → projection → files: the path every command shares.
public struct Pipeline: Sendable {
    public var seedsDirectory: String?
    /// Told when a write waits for another run's lock on its folder.
    public var waitNotice: (@Sendable (String) -> Void)?
    /// Files or folders outside a scenario's project that it may name (see `ProjectScope`).
    public var allowOutside: [String]
    /// An actuals file for the scenario, replacing its `actuals:` (`--actuals FILE`; see docs/actuals.md).
    public var actualsPath: String?
    public init(seedsDirectory: String? = nil, allowOutside: [String] = []) {
        self.seedsDirectory = seedsDirectory
        self.allowOutside = allowOutside
    }

    /// Safe output for this pipeline's writes (see `SafeOutput`).
    func safeOutput(force: Bool) -> SafeOutput {
        var safe = SafeOutput(force: force)
        safe.onWait = waitNotice
        return safe
    }

    /// A loaded and projected scenario, or the diagnostics that stopped it.
    public struct Result {
        public var path: String
        public var scenario: Scenario?
        public var projection: Projection?
        public var diagnostics: [Diagnostic]
        public var sources: [String: String]
        public var ok: Bool { projection != nil }
        /// Every diagnostic as text.
        public var rendered: String { DiagnosticRenderer(sources: sources).render(diagnostics) }
        /// The diagnostics as text, at most `perKind` warnings of each kind (`DiagnosticRenderer.render(_:perKind:)`).
        public func rendered(perKind: Int?) -> String { DiagnosticRenderer(sources: sources).render(diagnostics, perKind: perKind) }
    }

    /// Loads, compiles and evaluates one scenario file.
    public func project(_ path: String) -> Result {
        var loader = ScenarioLoader(seedsDirectory: seedsDirectory, allowOutside: allowOutside)
        loader.actualsPath = actualsPath
        let outcome = loader.load(path: path)
        return finish(path, outcome, loader.sources)
    }

    /// The same from text (tests, the fuzzer and `watch`).
    public func project(text: String, path: String) -> Result {
        var loader = ScenarioLoader(seedsDirectory: seedsDirectory, allowOutside: allowOutside)
        loader.actualsPath = actualsPath
        let outcome = loader.load(text: text, path: path)
        return finish(path, outcome, loader.sources)
    }

    /// The phases after loading, each run even when an earlier one found errors, so that one run reports every
    /// problem in a file: a scenario that decoded with errors is still compiled (names still resolve), and a
    /// model that compiles is still evaluated and checked for hazards.
    private func finish(_ path: String, _ outcome: ScenarioLoader.Outcome, _ sources: [String: String]) -> Result {
        var r = Result(path: path, scenario: outcome.scenario, projection: nil, diagnostics: outcome.diagnostics, sources: sources)
        guard let scenario = outcome.scenario ?? outcome.partial else { return r }
        let valid = outcome.scenario != nil
        let (model, compiled) = Compiler.compileCollecting(scenario, declared: valid ? [] : outcome.declared)
        r.diagnostics += compiled
        if let model {
            let (p, problems) = Projection.evaluateCollecting(model)
            let hazards = Hazards(model).check(p.values)
            r.diagnostics += problems + hazards
            if valid, !(compiled + problems + hazards).contains(where: { $0.severity == .error }) {
                r.projection = p
                r.diagnostics += VacuousChecks(model).diagnostics(p.values)
            }
        }
        if !valid || compiled.contains(where: { $0.severity == .error }) { r.diagnostics = ScenarioLoader.sorted(r.diagnostics) }
        return r
    }

    /// Writes the projection's files into `directory`; returns their paths.
    public func write(_ scenario: Scenario, _ projection: Projection, to directory: String, formats: [OutputFormat],
                      force: Bool = false, detail: Bool = false) throws -> [String] {
        let safe = safeOutput(force: force)
        var written: [String] = []
        for f in formats {
            let path = Self.outputPath(scenario, f, in: directory)
            switch f {
            case .xlsx:
                var builder = WorkbookBuilder(scenario: scenario, projection: projection)
                builder.includeDetail = detail
                try safe.write(path) { tmp in
                    let handOver = SheetHandOver()
                    builder.handOver = handOver
                    let build = { [builder] in
                        var builder = builder
                        let book = builder.build()
                        // The record for `pull`, hidden, after the model's sheets and before the roster's.
                        handOver.fill(.pullRecord, PullSource.record(builder, book, workbookPath: path)?.sheet())
                    }
                    // Each sheet is written while the ones after it are built, unless the book streams; the run goes on
                    // once the file is written, while the writer's thread frees libxlsxwriter's memory.
                    let render = { (written: @escaping (Error?) -> Void) in
                        do { try XLSXRenderer.write(handOver, constantMemory: builder.writesDetail, to: tmp) { written(nil) } } catch { written(error) }
                    }
                    var failure: Error?
                    if builder.writesDetail { build(); render { failure = $0 } } else { failure = BothCores.run(build, until: render) }
                    if let failure { throw failure }
                }
            case .csv:
                try safe.write(path, data: Data(TidyExport.csv(scenario, projection).utf8))
            case .json:
                try safe.write(path, data: Data(TidyExport.json(scenario, projection).utf8))
            }
            written.append(path)
        }
        return written
    }

    /// Where a scenario's file of one format goes: `DIR/SLUG.FORMAT`.
    public static func outputPath(_ scenario: Scenario, _ format: OutputFormat, in directory: String) -> String {
        (directory as NSString).appendingPathComponent(scenario.slug + "." + format.rawValue)
    }

    /// The roll-up workbook's file name.
    public static let rollupName = "rollup.xlsx"

    /// Scenario files named on the command line: files as given, folders by their `*.yaml` files in name order.
    public static func expand(_ paths: [String]) -> [String] {
        var out: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue {
                let files = ((try? FileManager.default.contentsOfDirectory(atPath: p)) ?? [])
                    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                out += files.map { (p as NSString).appendingPathComponent($0) }
            } else {
                out.append(p)
            }
        }
        return out
    }
}

extension Pipeline {
    /// Writes `rollup.xlsx`: all projected scenarios summed by category, jurisdiction and year.
    public func writeRollup(_ items: [(scenario: Scenario, projection: Projection)], to directory: String, force: Bool = false) throws -> String {
        let languages = Set(items.map { $0.scenario.language })
        let language = languages.count == 1 ? languages.first! : .zhHans
        let created = items.compactMap { $0.scenario.created }.max() ?? items.first.map { WorkbookBuilder.creationDate($0.scenario) }
        let book = RollupBuilder(items, language: language).build(created: created)
        let path = (directory as NSString).appendingPathComponent(Self.rollupName)
        try safeOutput(force: force).write(path) { tmp in try XLSXRenderer.write(book, to: tmp) }
        return path
    }

    /// A Markdown table of scenarios: jurisdiction, total with its sourced and assumed parts, largest commitment,
    /// funding gap (sources with an envelope), unbudgeted money (sources without one), failing checks.
    public static func catalog(_ items: [(path: String, scenario: Scenario, projection: Projection)]) -> String {
        func wan(_ v: Double) -> String { ValueStyle.grouped(v / DisplayUnit.wan.divisor) }
        var lines = [
            "# Scenarios",
            "",
            "One scenario per section of the seed document (`seeds/`). This table is generated by `make catalog`",
            "(`fundsim catalog scenarios/`); do not edit it by hand. Amounts in 萬元, over each scenario's years.",
            "*on the seed*: money that rests only on figures quoted from the seed; *on assumptions*: money that rests on",
            "at least one assumption (docs/engine.md, \"Sourced and assumed money\"). *funding gap*: the yearly shortfalls of",
            "sources with a stated budget (— when no source states one); *unbudgeted*: money committed by sources with no",
            "stated budget, which is not a gap of 0. A failing check is marked [seed] when the seed's own figures decide it.",
            "",
            "| scenario | jurisdiction | years | total | on the seed | on assumptions | largest commitment | funding gap | unbudgeted | failing checks |",
            "|---|---|---|---:|---:|---:|---|---:|---:|---|",
        ]
        for item in items {
            let cs = item.projection.commitmentFigures()
            let totals = item.projection.totalFigures(cs)
            let total = totals.cost.reduce(0, +)
            let largest = cs.max { $0.cost.reduce(0, +) < $1.cost.reduce(0, +) }
            let sources = item.projection.sourceFigures(cs)
            let budgeted = sources.filter(\.isBudgeted)
            let gap = budgeted.flatMap(\.status).map(\.gap).reduce(0, +)
            let unbudgeted = sources.flatMap(\.status).map(\.unbudgeted).reduce(0, +)
            let failing = item.projection.checkResults().filter { !$0.passed }.map { r in
                (r.basis.isSeed ? "[seed] " : "") + Labels(item.scenario.language).text(r.info.title)
            }
            let file = URL(fileURLWithPath: item.path).lastPathComponent
            let cells = [
                "[\(item.scenario.slug)](\(file))",
                item.scenario.region.isEmpty ? "—" : item.scenario.region,
                "\(item.scenario.years.lowerBound)–\(item.scenario.years.upperBound)",
                wan(total),
                wan(totals.sourced.reduce(0, +)),
                wan(totals.assumed.reduce(0, +)),
                largest.map { "\($0.info.title) (\(wan($0.cost.reduce(0, +))))" } ?? "—",
                budgeted.isEmpty ? "—" : wan(gap),
                sources.contains(where: { !$0.isBudgeted }) ? wan(unbudgeted) : "—",
                failing.isEmpty ? "none" : failing.joined(separator: "; "),
            ].map { $0.replacingOccurrences(of: "|", with: "\\|") }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Pipeline {
    /// Writes any report workbook safely.
    public func write(_ book: ReportBook, to path: String, force: Bool = false) throws {
        try safeOutput(force: force).write(path) { tmp in try XLSXRenderer.write(book, to: tmp) }
    }
}

extension Pipeline {
    /// Dumps the per-village detail grid as CSV (the benchmark feeds it to the C and Python writers), safely.
    public func writeDetailCSV(_ scenario: Scenario, _ projection: Projection, to path: String, force: Bool = false) throws {
        guard let sheet = RosterSheets.detailSheet(scenario, projection, labels: Labels(scenario.language)), let stream = sheet.stream else {
            throw SafeOutput.Failure(path: path, reason: "the scenario has no roster", hint: nil)
        }
        let header = sheet.cells.filter { $0.row == 0 }.sorted { $0.col < $1.col }.compactMap { c -> String? in
            if case .text(let t) = c.value { return t } else { return nil }
        }
        try safeOutput(force: force).write(path, chunks: { emit in
            var out = header.map(TidyExport.field).joined(separator: ",") + "\n"
            var texts = [String](repeating: "", count: stream.textColumns)
            var numbers = [Double](repeating: 0, count: stream.numberColumns)
            for i in 0..<stream.rowCount {
                stream.fill(i, &texts, &numbers)
                // Each number exactly (the shortest text that reads back as the same double, not `Expr.format`'s 15
                // digits): the writers fed from this file must write the very values of the workbook's detail sheet.
                out += texts.map(TidyExport.field).joined(separator: ",") + ","
                    + numbers.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int64($0)) : "\($0)" }.joined(separator: ",") + "\n"
                if out.utf8.count > 1 << 20 { try emit(out); out = "" }
            }
            try emit(out)
        })
    }
}

/// Finds the seeds folder for tools that start from arbitrary files.
public enum ScenarioLoaderSeeds {
    public static func find(near path: String) -> String? { ScenarioLoader.findSeeds(near: path) }
}
