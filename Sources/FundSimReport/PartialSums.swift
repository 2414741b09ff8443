import Foundation
import CellReferences
import FundSimModel

/// Keeps every formula of a sheet within the length a spreadsheet takes (``Limits/formulaCharacters``: Excel's 8,192).
///
/// A call that adds up (or takes the least, the greatest, AND or OR of) more terms than fit in one formula — a source
/// paying for thousands of commitments, a category total over all of them — is computed in parts: each part is a
/// labelled helper row below everything else on the sheet, one cell per year holding the call over a run of the
/// terms (at most 255 of them and within the length), and the formula that needed it takes the call over the
/// column of parts (`SUM(E48020:E48043)`), however many terms there are. The parts are written only when a formula
/// would be too long, so every workbook that fits is written as before.
///
/// A sheet collects its parts while it is written (``add(_:terms:values:columns:label:name:role:labels:)`` gives the
/// text that stands for the call) and places them once it is complete (``ReportSheet/placePartialSums()``): only then is
/// the sheet's last row known.
struct PartialSums: Sendable {
    /// One long call computed in parts.
    struct Block: Sendable {
        var label: String
        var name: String?
        /// The unit the parts are in (`万元`), for a sheet with a unit column.
        var unit: String?
        var role: CellRole
        /// For each column (one per year): its parts' formulas (with `=`) and cached values.
        var columns: [(col: Int, parts: [(formula: String, cached: Double)])]
        /// The terms of each part (1-based) when every column splits alike; else nil.
        var terms: [ClosedRange<Int>]?
        /// Each part's row label.
        var rowLabels: [String]
        /// Where the block's first part was placed (set by ``ReportSheet/placePartialSums()``).
        var firstRow = 0
    }

    var blocks: [Block] = []
    /// The cells (indices into the sheet's cells) whose formulas stand for a block's range.
    var cells: [Int] = []
    var heading = ""
    var labelCol = 0
    var nameCol: Int?
    var unitCol: Int?

    /// The longest text one cell reference range can have (`XFD1048576:XFD1048576`): a range's stand-in is as long, so
    /// that a formula measured with it is no shorter once the range is written in.
    static let rangeLength = 21
    static let opening: Character = "\u{E000}", padding: Character = "\u{E001}"

    /// Whether a formula is longer than a spreadsheet takes.
    @inline(__always) static func tooLong(_ formula: String) -> Bool {
        // Most formulas are short: the byte count (at least the UTF-16 count) settles them without counting characters.
        formula.utf8.count > Limits.formulaCharacters && formula.utf16.count > Limits.formulaCharacters
    }

    /// How a call is taken in parts: the spreadsheet function each part applies to its terms, the one the whole applies
    /// to the column of parts, and a part's value from its terms' values.
    struct Split: Sendable {
        var part: String
        var whole: String
        var combine: @Sendable ([Double]) -> Double

        /// `SUM`, `MIN`, `MAX`, `AND`, `OR`: the same function over the parts as over the terms.
        static func of(_ function: Function) -> Split {
            let name = function.rawValue.uppercased()
            return Split(part: name, whole: name) { (try? function.apply($0)) ?? 0 }
        }

        /// `COUNT` over many ranges: each part counts its ranges, and the whole adds the counts.
        static let count = Split(part: "COUNT", whole: "SUM") { $0.reduce(0, +) }
    }

    /// Adds a call of `function` over `terms` computed in parts (the same function over the parts).
    mutating func add(_ function: Function, terms: [[String]], values: [[Double]], columns: [Int], label: String, name: String?,
                      unit: String? = nil, role: CellRole, labels: Labels) -> [String] {
        add(.of(function), terms: terms, values: values, columns: columns, label: label, name: name, unit: unit, role: role, labels: labels)
    }

    /// Adds a call over `terms` (per year: each term's formula text and its cached value, in the display unit) computed
    /// in parts, in the given columns (one per year); returns per year the text that stands for the call.
    ///
    /// A term longer than a part can hold is given a part of its own (the caller splits such terms first).
    mutating func add(_ split: Split, terms: [[String]], values: [[Double]], columns: [Int], label: String, name: String?,
                      unit: String? = nil, role: CellRole, labels: Labels) -> [String] {
        let name0 = split.part
        // `=NAME(` and `)` around the terms, and at most 255 terms a part (the function-argument limit).
        let room = Limits.formulaCharacters - name0.utf16.count - 3
        func runs(_ lengths: [Int]) -> [Range<Int>] {
            var out: [Range<Int>] = [], start = 0, used = 0
            for (k, n) in lengths.enumerated() {
                let add = (k == start ? 0 : 1) + n
                if k > start, used + add > room || k - start >= Limits.functionArguments {
                    out.append(start..<k)
                    start = k
                    used = n
                } else {
                    used += add
                }
            }
            if start < lengths.count || lengths.isEmpty { out.append(start..<lengths.count) }
            return out
        }
        // Every year splits at the same terms when the years have the same number of terms (the usual case): each part
        // is then one row, labelled with its terms. Otherwise each year splits by its own lengths.
        let n = terms.first?.count ?? 0
        let alike = terms.allSatisfy { $0.count == n }
        var shared: [Range<Int>]? = nil
        if alike {
            shared = runs((0..<n).map { k in terms.map { $0[k].utf16.count }.max() ?? 0 })
        }
        let termRanges = shared.map { $0.map { ($0.lowerBound + 1)...max($0.lowerBound + 1, $0.upperBound) } }
        var block = Block(label: label, name: name, unit: unit, role: role, columns: [], terms: termRanges, rowLabels: [])
        for (y, t) in terms.enumerated() {
            let ranges = shared ?? runs(t.map { $0.utf16.count })
            let parts = ranges.map { r -> (formula: String, cached: Double) in
                let cached = split.combine(Array(values[y][r]))
                return ("=" + name0 + "(" + t[r].joined(separator: ",") + ")", cached)
            }
            block.columns.append((columns[y], parts))
        }
        let count = block.columns.map(\.parts.count).max() ?? 0
        block.rowLabels = (0..<count).map { k in label + " · " + labels[.partialSumPart(k + 1, of: count, terms: termRanges?[k])] }
        if blocks.isEmpty { heading = labels[.partialSumsHeading(FigureText.count(Double(Limits.formulaCharacters)))] }
        blocks.append(block)
        let number = blocks.count - 1
        return columns.map { c in split.whole + "(" + Self.standIn(block: number, col: c) + ")" }
    }

    /// The text that stands for block `block`'s parts in column `col` until they are placed: as long as any range.
    static func standIn(block: Int, col: Int) -> String {
        let body = "\(block),\(col)"
        return String(opening) + body + String(repeating: padding, count: max(1, rangeLength - 1 - body.count))
    }

    /// Each stand-in of a formula, replaced by `replace(block, column)`.
    static func replacingStandIns(_ f: String, _ replace: (Int, Int) -> String) -> String {
        var out = "", rest = Substring(f)
        while let open = rest.firstIndex(of: opening) {
            out += rest[..<open]
            let body = rest[rest.index(after: open)...].prefix { $0 != padding }
            rest = rest[body.endIndex...].drop { $0 == padding }
            let numbers = body.split(separator: ",").compactMap { Int($0) }
            if numbers.count == 2 { out += replace(numbers[0], numbers[1]) }
        }
        return out + rest
    }
}

extension ReportSheet {
    /// Records that the cells from `index` on may stand for partial sums' ranges (see ``PartialSums``).
    mutating func notePartialSumCells(from index: Int) {
        for k in index..<cells.count {
            if case .formula(let f, _) = cells[k].value, f.contains(PartialSums.opening) { partialSums.cells.append(k) }
        }
    }

    /// Writes the sheet's partial sums below everything on it (and below its charts) and puts their ranges into the
    /// formulas that stand for them. Does nothing on a sheet without any.
    mutating func placePartialSums() {
        guard !partialSums.blocks.isEmpty else { return }
        var p = partialSums
        partialSums = PartialSums()
        // A chart is about 18 rows tall at the scale the Summary draws it.
        var r = max(cells.map(\.row).max() ?? 0, charts.map { $0.row + 20 }.max() ?? 0) + 2
        set(r, p.labelCol, .text(p.heading), .labelBold)
        r += 1
        for b in p.blocks.indices {
            let block = p.blocks[b]
            p.blocks[b].firstRow = r
            for (k, text) in block.rowLabels.enumerated() {
                set(r + k, p.labelCol, .text(text), .label)
                if let c = p.nameCol, let name = block.name { set(r + k, c, .text(name), .note) }
                if let c = p.unitCol, let unit = block.unit { set(r + k, c, .text(unit), .note) }
            }
            for (col, parts) in block.columns {
                for (k, part) in parts.enumerated() { set(r + k, col, .formula(part.formula, cached: .number(part.cached)), block.role) }
            }
            r += block.rowLabels.count
        }
        for k in p.cells {
            guard case .formula(let f, let cached) = cells[k].value else { continue }
            cells[k].value = .formula(Self.fillRanges(f, p.blocks), cached: cached)
        }
    }

    /// A formula with each stand-in for a block's range replaced by the range.
    static func fillRanges(_ f: String, _ blocks: [PartialSums.Block]) -> String {
        PartialSums.replacingStandIns(f) { b, col in
            guard b < blocks.count, let column = blocks[b].columns.first(where: { $0.col == col }) else { return "" }
            let first = blocks[b].firstRow
            return CellRef.name(row: first, col: col) + (column.parts.count > 1 ? ":" + CellRef.name(row: first + column.parts.count - 1, col: col) : "")
        }
    }

    /// Adds the cells of `part` (some of this sheet's rows, written apart on another core), with its partial sums.
    mutating func absorb(_ part: ReportSheet) {
        let offset = cells.count, shift = partialSums.blocks.count
        cells += part.cells
        let more = part.partialSums
        guard !more.blocks.isEmpty else { return }
        if partialSums.blocks.isEmpty {
            partialSums.heading = more.heading
            (partialSums.labelCol, partialSums.nameCol, partialSums.unitCol) = (more.labelCol, more.nameCol, more.unitCol)
        }
        partialSums.blocks += more.blocks
        for k in more.cells {
            guard case .formula(let f, let cached) = cells[offset + k].value else { continue }
            cells[offset + k].value = .formula(PartialSums.replacingStandIns(f) { PartialSums.standIn(block: $0 + shift, col: $1) }, cached: cached)
            partialSums.cells.append(offset + k)
        }
    }
}
