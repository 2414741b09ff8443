import Foundation
import FundSimModel
import FundSimScenario
import FundSimEngine
import FundSimReport
import FundSimWriters
import XLSXReader
import CellReferences

/// Where a workbook's record of its scenario comes from: the files' fingerprints and where they are.
enum PullSource {
    /// The record `fundsim run` writes into a scenario's workbook at `workbookPath`; nil when a scenario file
    /// cannot be read back (a scenario given as text, not a file): such a workbook cannot be pulled, and is
    /// written all the same.
    static func record(_ builder: WorkbookBuilder, _ book: ReportBook, workbookPath: String) -> PullRecord? {
        let folder = (absolute(workbookPath) as NSString).deletingLastPathComponent
        var files: [PullRecord.File] = []
        for f in builder.scenario.files {
            guard let data = FileManager.default.contents(atPath: f) else { return nil }
            files.append(PullRecord.File(path: f, sha256: SHA256.hex(data), fromWorkbook: relative(absolute(f), from: folder)))
        }
        return builder.pullRecord(book, scenarioFromWorkbook: relative(absolute(builder.scenario.file), from: folder), files: files)
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// `path` (absolute) as seen from the folder `base` (absolute): `../scenarios/enshi.yaml`.
    static func relative(_ path: String, from base: String) -> String {
        let p = path.split(separator: "/"), b = base.split(separator: "/")
        var common = 0
        while common < min(p.count, b.count) && p[common] == b[common] { common += 1 }
        let ups = Array(repeating: "..", count: b.count - common)
        return (ups + p[common...].map(String.init)).joined(separator: "/")
    }
}

extension PullRecord {
    /// The record on a workbook's record sheet, as an xlsx reader gives it (nil when the sheet is not one).
    public static func read(_ file: XLSXFile, _ sheet: XLSXFile.Sheet) throws -> PullRecord? {
        try read(file.cells(of: sheet).map { c -> (row: Int, col: Int, value: Field) in
            switch c.value {
            case .number(let n): return (c.row, c.col, .number(n))
            case .text(let t): return (c.row, c.col, .text(t))
            default: return (c.row, c.col, .empty)
            }
        })
    }
}

/// `fundsim pull BOOK.xlsx`: brings the input figures a reader changed in a workbook back into the scenario,
/// as a variant that extends it (the default) or in the scenario file itself (`--in-place`).
public struct PullCommand {
    public var workbook: String
    public var inPlace = false
    /// Apply the workbook's changes even though the scenario changed since the workbook was written.
    public var force = false
    /// Where the variant goes (default: `SLUG-pulled.yaml` beside the workbook).
    public var output: String?
    /// The scenario, when it is no longer where the workbook says.
    public var scenario: String?
    public var seeds: String?
    /// Show what changed, write nothing.
    public var dryRun = false

    public init(workbook: String) { self.workbook = workbook }

    /// One input cell whose figure differs from what FundSim wrote.
    struct Change {
        var cell: PullRecord.InputCell
        var figure: Double
        var value: Double { figure * cell.scale }
        var was: Double { cell.written * cell.scale }
    }

    public func execute(_ console: Console = .standard) -> Int32 {
        func fail(_ message: String, hint: String? = nil) -> Int32 {
            console.err("error: \(message)\n" + (hint.map { "  hint: \($0)\n" } ?? ""))
            return ExitStatus.invalid
        }
        // The workbook and its record.
        let file: XLSXFile
        do { file = try XLSXFile(path: workbook) } catch {
            return fail("\(error)", hint: "pull reads a workbook that `fundsim run` wrote (.xlsx)")
        }
        let notOurs = "\(workbook) was not written by `fundsim run`: it has no FundSim record (a hidden sheet named \(PullRecord.sheetName))"
        guard let recordSheet = file.sheet(named: PullRecord.sheetName) else {
            return fail(notOurs, hint: "pull works on a scenario's workbook from `fundsim run` (not a compare, sensitivity or roll-up workbook); run the scenario to get one")
        }
        let record: PullRecord
        do {
            guard let r = try PullRecord.read(file, recordSheet) else { return fail(notOurs, hint: "run the scenario with `fundsim run` to get a workbook pull can read") }
            record = r
        } catch {
            return fail("\(workbook): \(error)", hint: "run the scenario again with this FundSim to get a workbook it can read")
        }

        // The scenario: where the workbook says, relative to the workbook first, else as it was given.
        let bookFolder = (PullSource.absolute(workbook) as NSString).deletingLastPathComponent
        let fromBook = (bookFolder as NSString).appendingPathComponent(record.scenarioFromWorkbook)
        let candidates = scenario.map { [$0] } ?? [fromBook, record.scenarioAsGiven]
        guard let scenarioPath = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }).map({ $0 == fromBook ? PullSource.absolute($0) : $0 }) else {
            return fail("cannot find the scenario of \(workbook): neither \(record.scenarioFromWorkbook) (from the workbook's folder) nor \(record.scenarioAsGiven) exists",
                        hint: "name it with --scenario PATH")
        }
        let display = scenario ?? (FileManager.default.fileExists(atPath: record.scenarioAsGiven)
                                   && PullSource.absolute(record.scenarioAsGiven) == PullSource.absolute(scenarioPath) ? record.scenarioAsGiven : scenarioPath)

        // Has the scenario (or a file it extends) changed since the workbook was written?
        var changedFiles: [String] = []
        for (k, f) in record.files.enumerated() {
            // A file the scenario extends: from the workbook's folder first, as for the scenario.
            let fromBookFile = f.fromWorkbook.map { (bookFolder as NSString).appendingPathComponent($0) }
            let path = k == 0 ? scenarioPath : fromBookFile.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil } ?? f.path
            let now = FileManager.default.contents(atPath: path).map(SHA256.hex)
            if now != f.sha256 { changedFiles.append(k == 0 ? display : f.path) }
        }
        if !changedFiles.isEmpty && !force {
            return fail("\(changedFiles.joined(separator: ", ")) changed since \(workbook) was written",
                        hint: "the workbook's figures may no longer match the scenario: run it again and redo the edits there, or pass --force to apply the workbook's changes to the scenario as it is now")
        }

        // What the reader changed: input cells, and formulas overwritten.
        var changes: [Change] = []
        var problems: [String] = []
        var warnings: [String] = []
        var impossible: [(cell: PullRecord.InputCell, message: String)] = []
        var sheetCells: [String: [Int: XLSXFile.Cell]] = [:]
        func cells(_ sheet: String) -> [Int: XLSXFile.Cell]? {
            if let c = sheetCells[sheet] { return c }
            guard let s = file.sheet(named: sheet), let list = try? file.cells(of: s) else { return nil }
            let map = Dictionary(list.map { ($0.row << 16 | $0.col, $0) }, uniquingKeysWith: { _, b in b })
            sheetCells[sheet] = map
            return map
        }
        let inputCells = Set(record.inputs.map { "\($0.sheet)\u{0}\($0.row)\u{0}\($0.col)" })
        for c in record.inputs {
            guard let sheet = cells(c.sheet) else {
                problems.append("\(workbook): error: the sheet \(c.sheet) is gone, so its inputs cannot be read\n  hint: pull a workbook whose Inputs sheet is kept (rename it back if it was renamed)\n")
                break
            }
            let cell = sheet[c.row << 16 | c.col]
            let place = "\(workbook): \(c.reference) (\(c.input)\(c.year.map { ", \($0)" } ?? ""))"
            switch cell?.value ?? .empty {
            case .number(let n):
                let value = n * c.scale
                // Checked after the scenario's own diagnostics, which say it first where they can.
                if let d = PullCommand.impossible(value, c) { impossible.append((c, "\(place): error: \(d)\n")) }
                if cell?.isFormula == true {
                    warnings.append("\(place): warning: the input holds a formula; its value \(PullCommand.plain(n)) is brought back, not the formula\n")
                }
                if abs(n - c.written) > 1e-9 * max(1, abs(c.written)) { changes.append(Change(cell: c, figure: n)) }
            case .text(let t):
                problems.append("\(place): error: `\(t)` is text, not a figure\n  hint: type the figure as a number in the unit of the row (column C), e.g. 2.5, not '2.5 or 2.5萬\n")
            case .bool(let b):
                problems.append("\(place): error: \(b ? "TRUE" : "FALSE") is not a figure\n  hint: type the figure as a number in the unit of the row (column C)\n")
            case .error(let e):
                problems.append("\(place): error: the cell shows \(e), not a figure\n  hint: type the figure as a number\n")
            case .empty where cell?.isFormula == true:
                problems.append("\(place): error: the cell holds a formula with no computed value (the program that saved it did not calculate)\n  hint: open and save the workbook in Excel, WPS or LibreOffice, or type the figure\n")
            case .empty:
                problems.append("\(place): error: the cell is empty\n  hint: type a figure (0 if the input is nothing); to take the input out, edit the scenario\n")
            }
        }
        for (sheet, _) in record.formulas {
            guard let map = cells(sheet) else {
                warnings.append("\(workbook): warning: the sheet \(sheet) is gone; its formulas are not checked\n")
                continue
            }
            for (r, c) in record.formulaCells(sheet) where !inputCells.contains("\(sheet)\u{0}\(r)\u{0}\(c)") {
                let cell = map[r << 16 | c]
                guard cell?.isFormula != true else { continue }
                let ref = sheet + "!" + CellRef.name(row: r, col: c)
                let shown: String = {
                    switch cell?.value ?? .empty {
                    case .number(let n): return "the value \(PullCommand.plain(n))"
                    case .text(let t): return "the text `\(t)`"
                    case .bool(let b): return b ? "TRUE" : "FALSE"
                    case .error(let e): return e
                    case .empty: return "nothing"
                    }
                }()
                warnings.append("\(workbook): \(ref): warning: " + (shown == "nothing" ? "the formula was deleted" : "the formula was replaced by \(shown)") + "; it is not brought back\n  hint: a calculated figure follows from the inputs: change an input (Inputs sheet) instead\n")
            }
        }
        for w in warnings { console.err(w) }
        if !problems.isEmpty {
            for p in problems { console.err(p) }
            console.err("\(workbook): nothing pulled: \(problems.count) error\(problems.count == 1 ? "" : "s")\n")
            return ExitStatus.invalid
        }

        // The scenario as it is now.
        var pipeline = Pipeline(seedsDirectory: seeds)
        pipeline.waitNotice = console.err
        let loaded = pipeline.project(scenarioPath)
        guard let scn = loaded.scenario, let projection = loaded.projection else {
            console.diagnostics(loaded)
            return fail("\(display) is not valid as it is, so the workbook's changes cannot be applied to it", hint: "fix the scenario first")
        }
        let style = ValueStyle(scn), labels = style.labels
        if changes.isEmpty {
            console.out("\(workbook): no input changed since it was written from \(display)\n")
            return ExitStatus.ok
        }

        // One edit per input.
        let modified = (try? FileManager.default.attributesOfItem(atPath: workbook)[.modificationDate] as? Date) ?? nil
        let when = modified.map(PullCommand.timestamp) ?? "?"
        let bookName = (workbook as NSString).lastPathComponent
        var edits: [InputEdit] = []
        var cellsOf: [String: [Change]] = [:]
        var order: [String] = []
        for ch in changes {
            if cellsOf[ch.cell.input] == nil { order.append(ch.cell.input) }
            cellsOf[ch.cell.input, default: []].append(ch)
        }
        var lines: [String] = []
        for name in order {
            let list = cellsOf[name]!
            guard let input = scn.inputs.first(where: { $0.name == name }), let location = input.location, let i = projection.model.index[name] else {
                for ch in list {
                    console.err("\(workbook): \(ch.cell.reference) (\(name)): warning: the figure changed from \(PullCommand.plain(ch.cell.written)) to \(PullCommand.plain(ch.figure)), but it is not a named input of \(display), so it is not brought back\n  hint: edit it in the scenario file by hand\n")
                }
                continue
            }
            let row = projection.model.rows[i]
            // The row's label as the reader saw it beside the cell.
            let title: String = {
                if case .text(let t)? = sheetCells[list[0].cell.sheet]?[list[0].cell.row << 16 | WorkbookBuilder.labelCol]?.value, !t.isEmpty { return t }
                return labels.text(row.label)
            }()
            let wasProvenance = input.provenance.map { p -> String in
                switch p {
                case .cite(let c): return labels[.pullFormerQuote(c.quote, at: "\(c.document):\(c.line)")]
                case .assumption(let a, _): return labels[.pullFormerAssumption] + a
                }
            }
            let parts = list.map { ch in
                (ch.cell.year.map { labels[.pullYear($0)] + " " } ?? "") + labels[.pullWas] + ScenarioEditor.figure(ch.was, row.dimension, scn.unit)
                    + labels[.pullNow] + ScenarioEditor.figure(ch.value, row.dimension, scn.unit)
                    + labels[.pullCell(ch.cell.reference)]
            }
            let note = labels[.pullChangedIn(bookName, modified: when)]
                + parts.joined(separator: labels[.listSeparator]) + (wasProvenance.isEmpty ? "" : labels[.sentenceEnd] + wasProvenance.joined(separator: labels[.listSeparator]))
            var edit = InputEdit(name: name, location: location, named: input.owner == nil, dimension: row.dimension, scalar: nil, changedYears: [:], allYears: [], note: note)
            let head = labels[.pullChangedIn(bookName, modified: when)]
            for (ch, part) in zip(list, parts) { if let y = ch.cell.year { edit.yearNotes[y] = head + part } }
            let l = labels
            edit.former = { text, cite in cite ? l[.pullFormerQuote(text)] : l[.pullFormerAssumption] + text }
            edit.separator = labels[.sentenceEnd]
            if case .scalar = row.definition {
                edit.scalar = list[0].value
            } else {
                var values = projection.values[i]
                for ch in list { if let y = ch.cell.year, let k = projection.years.firstIndex(of: y) { values[k] = ch.value; edit.changedYears[y] = ch.value } }
                edit.allYears = zip(projection.years, values).map { ($0, $1) }
            }
            edits.append(edit)
            for ch in list {
                lines.append("  \(title) (\(name))" + (ch.cell.year.map { ", \($0)" } ?? "") + ": " + style.show(ch.was, row.dimension)
                             + " → " + style.show(ch.value, row.dimension) + "   [\(ch.cell.reference)]\n")
            }
        }
        if edits.isEmpty {
            console.out("\(workbook): no input that pull can bring back changed\n")
            return ExitStatus.ok
        }
        let count = edits.reduce(0) { $0 + max(1, $1.changedYears.count) }
        console.out("\(workbook): \(count) figure\(count == 1 ? "" : "s") of \(edits.count) input\(edits.count == 1 ? "" : "s") changed since it was written from \(display):\n")
        for l in lines { console.out(l) }

        // The new text, checked as the scenario is.
        guard let text = try? String(contentsOfFile: scenarioPath, encoding: .utf8) else { return fail("cannot read \(scenarioPath)") }
        let target: String
        let output: ScenarioEditor.Output
        let scenarioFile = scn.file
        if inPlace {
            target = scenarioPath
            switch ScenarioEditor.inPlace(text: text, file: scenarioFile, edits: edits) {
            case .success(let o): output = o
            case .failure(let r): return refuse(r.list, console)
            }
        } else {
            let slug = URL(fileURLWithPath: scenarioPath).deletingPathExtension().lastPathComponent
            target = self.output ?? ((workbook as NSString).deletingLastPathComponent as NSString).appendingPathComponent(slug + "-pulled.yaml")
            let targetFolder = (PullSource.absolute(target) as NSString).deletingLastPathComponent
            let header = [
                labels[.pullWrittenBy(workbook)],
                labels[.pullRunIt(target)],
            ]
            switch ScenarioEditor.variant(texts: loaded.sources, extends: PullSource.relative(PullSource.absolute(scenarioPath), from: targetFolder),
                                          title: scn.title + labels[.pullTitleSuffix(bookName)], header: header, edits: edits, unit: scn.unit) {
            case .success(let o): output = o
            case .failure(let r): return refuse(r.list, console)
            }
        }
        let checked = pipeline.project(text: output.text, path: inPlace ? scenarioFile : target)
        let mine = { (d: Diagnostic) -> [String] in
            guard let loc = d.location, loc.file == (inPlace ? scenarioFile : target) else { return [] }
            return output.lines.filter { $0.value.contains(loc.line) }.map(\.key)
        }
        let errors = checked.diagnostics.filter { $0.severity == .error }
        let unplaced = errors.contains { mine($0).isEmpty }
        let newWarnings = checked.diagnostics.filter { $0.severity == .warning && !mine($0).isEmpty }
        for d in errors + newWarnings {
            let names = mine(d)
            // The variant is not written when it is invalid: its positions would point into no file.
            let where_ = names.isEmpty ? d.location.flatMap { $0.file == target && !inPlace ? nil : "\($0)" } ?? workbook
                : names.flatMap { n in cellsOf[n]!.map { "\(workbook): \($0.cell.reference) (\(n)\($0.cell.year.map { ", \($0)" } ?? ""))" } }.joined(separator: ", ")
            console.err("\(where_): \(d.severity == .error ? "error" : "warning"): \(d.message)\n" + (d.hint.map { "  hint: \($0)\n" } ?? ""))
        }
        // A figure no scenario can hold, which the scenario's checks did not place at its cell.
        let placed = Set(errors.flatMap(mine))
        let unexplained = impossible.filter { !placed.contains($0.cell.input) }
        for u in unexplained { console.err(u.message) }
        if unplaced {
            console.err("\(workbook): these follow from the figures changed at " + changes.map(\.cell.reference).joined(separator: ", ") + "\n")
        }
        if !errors.isEmpty || !unexplained.isEmpty {
            console.err("\(workbook): nothing pulled: the changed figures make the scenario invalid (\(errors.count + unexplained.count) error\(errors.count + unexplained.count == 1 ? "" : "s"))\n")
            return ExitStatus.invalid
        }
        if dryRun { return ExitStatus.ok }

        do {
            if inPlace {
                try SafeOutput.replace(scenarioPath, expecting: text, with: output.text, changedHint: "run pull again")
                console.out("→ \(display) (the previous text is in \(display).bak)\n")
            } else {
                var safe = SafeOutput(force: false)
                safe.onWait = console.err
                try safe.write(target, data: Data(output.text.utf8))
                console.out("→ \(target)\n")
            }
        } catch {
            console.err("error: \(error)\n")
            return ExitStatus.cannotWrite
        }
        return ExitStatus.ok
    }

    private func refuse(_ list: [ScenarioEditor.Refusal], _ console: Console) -> Int32 {
        for r in list { console.err("error: \(r.message)\n" + (r.hint.map { "  hint: \($0)\n" } ?? "")) }
        console.err("\(workbook): nothing pulled\n")
        return ExitStatus.invalid
    }

    /// A figure no input of its kind can take, whatever the scenario: a negative count, a share outside 0–100%.
    /// (The model's own checks then say what follows from it.)
    static func impossible(_ value: Double, _ cell: PullRecord.InputCell) -> String? {
        let field = cell.input.split(separator: ":").last.map(String.init) ?? cell.input
        if (cell.measure == .count || cell.measure == .area) && value < 0 {
            return "the figure is \(plain(value)): a \(cell.measure == .count ? "count" : "area") cannot be negative"
        }
        if cell.measure == .ratio, field.hasPrefix("share") || field.hasSuffix(".share") || field.hasSuffix("_share"), !ShareRule.isShare(value) {
            return "the share is \(plain(value * 100))%, outside 0–100%: a share cannot be"
        }
        return nil
    }

    static func timestamp(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return f.string(from: d)
    }

    static func plain(_ v: Double) -> String { ScenarioEditor.number(v) }
}
