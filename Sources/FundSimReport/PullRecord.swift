import Foundation
import CellReferences
import FundSimModel

/// What a workbook written by `fundsim run` records for `fundsim pull`: which scenario it came from (the
/// path and a SHA-256 of each file's bytes), which input and year each input cell holds and the scale from
/// the cell's figure to base units, and which cells hold formulas.
///
/// It is kept on a hidden sheet, ``sheetName``, one line per fact, column A naming the kind of line. A
/// sheet rather than custom document properties because properties hold at most 255 characters each, and
/// both LibreOffice and Excel keep hidden sheets when they save. This file is the one place that writes and
/// reads the format.
public struct PullRecord: Sendable, Equatable {
    public static let sheetName = "FundSim"
    /// Cell A1 of the record sheet, so that a sheet of the same name made by someone else is not taken for it.
    public static let marker = "fundsim-pull-record"
    public static let format = 1

    /// One input cell: the figure FundSim wrote there and how it maps to the model.
    public struct InputCell: Sendable, Equatable {
        public var sheet: String
        public var row: Int
        public var col: Int
        /// The model row id of the input (`村數`, `deputy_treatment:pay`, `州財政.envelope`).
        public var input: String
        /// The projection year, or nil for a scalar input (one cell for every year).
        public var year: Int?
        /// Base units per unit of the cell's figure: the cell holds `value / scale`.
        public var scale: Double
        /// The figure written into the cell.
        public var written: Double
        /// What the input measures (money, count, ratio, …).
        public var measure: Measure
        /// `輸入!D5`, as messages name the cell.
        public var reference: String { sheet + "!" + CellRef.name(row: row, col: col) }

        public init(sheet: String, row: Int, col: Int, input: String, year: Int?, scale: Double, written: Double, measure: Measure) {
            self.sheet = sheet; self.row = row; self.col = col; self.input = input; self.year = year; self.scale = scale; self.written = written
            self.measure = measure
        }
    }

    /// A scenario file the workbook was computed from: its path as given and from the workbook's folder, and
    /// its SHA-256 (hex).
    public struct File: Sendable, Equatable {
        public var path: String
        public var sha256: String
        public var fromWorkbook: String?
        public init(path: String, sha256: String, fromWorkbook: String? = nil) { self.path = path; self.sha256 = sha256; self.fromWorkbook = fromWorkbook }
    }

    /// The scenario's path relative to the workbook's folder when it was written.
    public var scenarioFromWorkbook: String
    /// The scenario's path as it was given to `fundsim run` (relative to the folder it ran in, or absolute).
    public var scenarioAsGiven: String
    /// The scenario file first, then each file it extends.
    public var files: [File]
    public var inputs: [InputCell]
    /// Cells that hold formulas, by sheet, as blocks (`E5:I5`).
    public var formulas: [(sheet: String, blocks: [String])]

    public init(scenarioFromWorkbook: String, scenarioAsGiven: String, files: [File], inputs: [InputCell], formulas: [(sheet: String, blocks: [String])]) {
        self.scenarioFromWorkbook = scenarioFromWorkbook
        self.scenarioAsGiven = scenarioAsGiven
        self.files = files
        self.inputs = inputs
        self.formulas = formulas
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.scenarioFromWorkbook == b.scenarioFromWorkbook && a.scenarioAsGiven == b.scenarioAsGiven && a.files == b.files && a.inputs == b.inputs
            && a.formulas.map(\.sheet) == b.formulas.map(\.sheet) && a.formulas.map(\.blocks) == b.formulas.map(\.blocks)
    }

    // MARK: Writing

    /// The hidden sheet that holds the record.
    public func sheet() -> ReportSheet {
        var s = ReportSheet(name: Self.sheetName)
        s.hidden = true
        s.set(0, 0, .text(Self.marker)); s.set(0, 1, .number(Double(Self.format)))
        s.set(1, 0, .text("note"))
        s.set(1, 1, .text("Written by FundSim for `fundsim pull`, which reads it to bring edited inputs back into the scenario. Do not edit."))
        s.set(2, 0, .text("scenario")); s.set(2, 1, .text(scenarioFromWorkbook)); s.set(2, 2, .text(scenarioAsGiven))
        var r = 3
        for f in files {
            s.set(r, 0, .text("file")); s.set(r, 1, .text(f.path)); s.set(r, 2, .text(f.sha256))
            if let w = f.fromWorkbook { s.set(r, 3, .text(w)) }
            r += 1
        }
        for c in inputs {
            s.set(r, 0, .text("input")); s.set(r, 1, .text(c.sheet)); s.set(r, 2, .text(CellRef.name(row: c.row, col: c.col)))
            s.set(r, 3, .text(c.input)); s.set(r, 4, c.year.map { .number(Double($0)) } ?? .blank)
            s.set(r, 5, .number(c.scale)); s.set(r, 6, .number(c.written)); s.set(r, 7, .text(c.measure.rawValue))
            r += 1
        }
        for (sheet, blocks) in formulas {
            // A cell holds at most 32,767 characters: long lists go on several lines.
            var line: [String] = [], length = 0
            for b in blocks {
                if length + b.count + 1 > 30_000 {
                    s.set(r, 0, .text("formulas")); s.set(r, 1, .text(sheet)); s.set(r, 2, .text(line.joined(separator: " "))); r += 1
                    line = []; length = 0
                }
                line.append(b); length += b.count + 1
            }
            if !line.isEmpty { s.set(r, 0, .text("formulas")); s.set(r, 1, .text(sheet)); s.set(r, 2, .text(line.joined(separator: " "))); r += 1 }
        }
        s.columnWidths = [(0, 0, 10), (1, 3, 24)]
        return s
    }

    // MARK: Reading

    /// A cell of the record sheet as read back: text or a number.
    public enum Field: Sendable, Equatable {
        case text(String), number(Double), empty
        var text: String? {
            switch self {
            case .text(let t): return t
            case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
            case .empty: return nil
            }
        }
        var number: Double? {
            switch self {
            case .number(let n): return n
            case .text(let t): return Double(t)
            case .empty: return nil
            }
        }
    }

    /// Why a record could not be read.
    public struct Unreadable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads the record from its sheet's cells (row, column, value); nil when A1 is not ``marker``.
    public static func read(_ cells: [(row: Int, col: Int, value: Field)]) throws -> PullRecord? {
        var rows: [Int: [Int: Field]] = [:]
        for c in cells { rows[c.row, default: [:]][c.col] = c.value }
        guard rows[0]?[0]?.text == marker else { return nil }
        guard let v = rows[0]?[1]?.number, Int(v) == format else {
            throw Unreadable(description: "its FundSim record has format \(rows[0]?[1]?.text ?? "?"), and this FundSim reads format \(format)")
        }
        var record = PullRecord(scenarioFromWorkbook: "", scenarioAsGiven: "", files: [], inputs: [], formulas: [])
        var formulaIndex: [String: Int] = [:]
        for r in rows.keys.sorted() where r > 0 {
            let f = rows[r]!
            func text(_ c: Int) throws -> String {
                guard let t = f[c]?.text else { throw Unreadable(description: "its FundSim record has an incomplete line \(r + 1)") }
                return t
            }
            func number(_ c: Int) throws -> Double {
                guard let n = f[c]?.number else { throw Unreadable(description: "its FundSim record has no number in line \(r + 1), column \(CellRef.column(c))") }
                return n
            }
            switch f[0]?.text {
            case "scenario":
                record.scenarioFromWorkbook = try text(1)
                record.scenarioAsGiven = try text(2)
            case "file":
                record.files.append(File(path: try text(1), sha256: try text(2), fromWorkbook: f[3]?.text))
            case "input":
                guard let p = CellRef.parse(try text(2)) else { throw Unreadable(description: "its FundSim record names no cell in line \(r + 1)") }
                record.inputs.append(InputCell(sheet: try text(1), row: p.row, col: p.col, input: try text(3),
                                               year: f[4]?.number.map { Int($0) }, scale: try number(5), written: try number(6),
                                               measure: f[7]?.text.flatMap(Measure.init(rawValue:)) ?? .number))
            case "formulas":
                let sheet = try text(1)
                let blocks = (f[2]?.text ?? "").split(separator: " ").map(String.init)
                if let k = formulaIndex[sheet] { record.formulas[k].blocks += blocks } else {
                    formulaIndex[sheet] = record.formulas.count
                    record.formulas.append((sheet, blocks))
                }
            default: continue
            }
        }
        guard !record.files.isEmpty, !record.scenarioAsGiven.isEmpty else {
            throw Unreadable(description: "its FundSim record names no scenario file")
        }
        return record
    }

    /// Every recorded formula cell of a sheet, as 0-based (row, column).
    public func formulaCells(_ sheet: String) -> [(row: Int, col: Int)] {
        var out: [(row: Int, col: Int)] = []
        for (s, blocks) in formulas where s == sheet {
            for b in blocks {
                let ends = b.split(separator: ":")
                guard let a = ends.first.flatMap({ CellRef.parse($0) }) else { continue }
                let z = ends.count > 1 ? CellRef.parse(ends[1]) ?? a : a
                for r in a.row...max(a.row, z.row) { for c in a.col...max(a.col, z.col) { out.append((r, c)) } }
            }
        }
        return out
    }
}

extension WorkbookBuilder {
    /// The record of a built workbook: every input cell the book holds as a typed figure, and every formula cell.
    ///
    /// The scale of a row is read off its figures (the engine's value over the cell's figure), so the record
    /// stays right whatever unit the Inputs sheet shows a row in; a row whose cells are all zero takes the
    /// scale of the other rows of its kind.
    public func pullRecord(_ book: ReportBook, scenarioFromWorkbook: String, files: [PullRecord.File]) -> PullRecord {
        let sheets = Dictionary(book.sheets.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        // Each sheet's numbers by cell, the last written winning (as `ReportSheet.cell`), built once: looking
        // every input cell up by a scan of the sheet was quadratic in the number of rows.
        var figures: [String: [Int: Double]] = [:]
        func number(_ sheet: ReportSheet, _ row: Int, _ col: Int) -> Double? {
            if figures[sheet.name] == nil {
                var index: [Int: Double] = [:]
                for c in sheet.cells {
                    if case .number(let v) = c.value { index[c.row << 16 | c.col] = v } else { index[c.row << 16 | c.col] = nil }
                }
                figures[sheet.name] = index
            }
            return figures[sheet.name]![row << 16 | col]
        }
        var inputs: [PullRecord.InputCell] = []
        var unknownScale: [(range: Range<Int>, dimension: Measure)] = []
        var scales: [Measure: [Double: Int]] = [:]
        for (i, row) in model.rows.enumerated() where row.isInput {
            guard let (sheetName, r) = placement[i], let sheet = sheets[sheetName] else { continue }
            let cols: [(col: Int, year: Int?, y: Int)]
            switch row.definition {
            case .scalar: cols = [(Self.valueCol, nil, 0)]
            case .series: cols = years.indices.map { (yearCol($0), years[$0], $0) }
            case .formula: continue
            }
            var rowScale: Double?
            var cells: [PullRecord.InputCell] = []
            for c in cols {
                guard let figure = number(sheet, r, c.col) else { continue }
                let value = projection.values[i][c.y]
                if figure != 0, value != 0, rowScale == nil { rowScale = value / figure }
                cells.append(.init(sheet: sheetName, row: r, col: c.col, input: row.id, year: c.year, scale: 1, written: figure, measure: row.dimension))
            }
            if let s = rowScale {
                // Keep the scale a round power of ten when it is one (萬 → 10000), not 9999.999999.
                let p = pow(10, (log10(abs(s))).rounded())
                let scale = abs(s - p) <= 1e-9 * p ? p : s
                for k in cells.indices { cells[k].scale = scale }
                scales[row.dimension, default: [:]][scale, default: 0] += 1
            } else if !cells.isEmpty {
                unknownScale.append((inputs.count..<inputs.count + cells.count, row.dimension))
            }
            inputs += cells
        }
        // Rows of zeros: the commonest scale of their kind (1 when no row of that kind says otherwise).
        for u in unknownScale {
            let scale = scales[u.dimension]?.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? 1
            for j in u.range { inputs[j].scale = scale }
        }
        var formulas: [(sheet: String, blocks: [String])] = []
        for sheet in book.sheets {
            // Each formula cell as one number (row, then column), sorted: runs of neighbouring columns of a row are blocks.
            var keys: [Int] = []
            for c in sheet.cells { if case .formula = c.value { keys.append(c.row << 16 | c.col) } }
            guard !keys.isEmpty else { continue }
            keys.sort()
            var blocks: [String] = []
            var start = keys[0], end = keys[0]
            for k in keys.dropFirst() + [Int.max] {
                if k == end { continue }   // the same cell written twice
                if k == end + 1, k >> 16 == end >> 16 { end = k; continue }
                let (r, a, b) = (start >> 16, start & 0xFFFF, end & 0xFFFF)
                blocks.append(a == b ? CellRef.name(row: r, col: a) : CellRef.range(firstRow: r, firstCol: a, lastRow: r, lastCol: b))
                start = k; end = k
            }
            formulas.append((sheet.name, blocks))
        }
        return PullRecord(scenarioFromWorkbook: scenarioFromWorkbook, scenarioAsGiven: scenario.file, files: files, inputs: inputs, formulas: formulas)
    }
}
