import Foundation
import FundSimModel

/// A workbook as neutral cells: what to show, not how a file format stores it.
///
/// Builders decide the layout and formulas; renderers (xlsx) only translate.
public struct ReportBook: Sendable {
    public var sheets: [ReportSheet] = []
    /// Defined names: name → formula such as `='输入'!$D$5`.
    public var definedNames: [(name: String, formula: String)] = []
    public var properties = Properties()
    /// The words a check cell shows for 1 and 0 (checks are stored as numbers: see docs/engine.md).
    public var checkWords = (pass: Phrase.checkPassWord.zhHans, fail: Phrase.checkFailWord.zhHans)
    /// Decimals beyond two that money cells may show, so that a figure shows to the yuan: 2 for 萬元
    /// (`0.02`, `2.5`, `0.0125`), 6 for 億元, 0 for 元 (see ``ValueStyle/moneyExtraPlaces``).
    public var moneyExtraPlaces = 0
    /// The word after a number of failing checks ("2 项未通过").
    public var failingCountWord = Phrase.failingCountWord.zhHans

    public struct Properties: Sendable {
        public var title = ""
        public var subject = ""
        public var author = "FundSim"
        public var company = ""
        public var keywords = ""
        public var comments = ""
        public var created: Date?
    }

    public init() {}

    public func sheet(_ name: String) -> ReportSheet? { sheets.first { $0.name == name } }
}

/// One sheet's cells, column widths, panes, print set-up and charts.
public struct ReportSheet: Sendable {
    public var name: String
    public var cells: [ReportCell] = []
    public var columnWidths: [(first: Int, last: Int, width: Double)] = []
    /// Heights for rows whose wrapped text needs more than one line (spreadsheets do not always fit them on load).
    public var rowHeights: [(row: Int, height: Double)] = []
    /// Rows and columns above and left of the split stay in view.
    public var freeze: (row: Int, col: Int)?
    public var charts: [ReportChart] = []
    /// Cells that offer a drop-down list of the values in a range (`='Sheet'!$A$2:$A$9`).
    public var dropDowns: [(row: Int, col: Int, listRange: String)] = []
    /// Looks that follow the cells' values after every recalculation.
    public var conditionalFormats: [ReportConditionalFormat] = []
    /// Rows repeated at the top of each printed page.
    public var printTitleRows: ClosedRange<Int>?
    public var landscape = true
    public var tabColor: UInt32?
    /// A sheet for programs, not readers (FundSim's record for `pull`): its tab is hidden.
    public var hidden = false
    /// Rows produced on demand (a national roster's detail sheet), written after `cells` without being held in memory.
    public var stream: ReportStream?
    /// Helper rows that keep long formulas within a spreadsheet's length, placed when the sheet is complete.
    var partialSums = PartialSums()

    public init(name: String) { self.name = name }

    public mutating func set(_ row: Int, _ col: Int, _ value: ReportCell.Value, _ style: CellRole = .text, comment: String? = nil) {
        cells.append(ReportCell(row: row, col: col, value: value, role: style, comment: comment))
    }

    /// Shows the check cells of a block as passing (1) or failing (0) by conditional formatting, so that
    /// the colour follows the value when a spreadsheet recalculates.
    public mutating func colourPassFail(rows: ClosedRange<Int>, cols: ClosedRange<Int>) {
        conditionalFormats.append(ReportConditionalFormat(rows: rows, cols: cols, when: .equals(1), look: .pass))
        conditionalFormats.append(ReportConditionalFormat(rows: rows, cols: cols, when: .equals(0), look: .fail))
    }

    /// The same for a block whose check rows have other rows between them: only rows whose cell in `keyCol`
    /// holds a number are check rows (the others leave it blank). One pair of rules covers the whole block,
    /// however many checks it holds, instead of a pair per check row.
    public mutating func colourPassFail(rows: ClosedRange<Int>, cols: ClosedRange<Int>, rowsWithNumberIn keyCol: Int) {
        conditionalFormats.append(ReportConditionalFormat(rows: rows, cols: cols, when: .equalsOnRowsWithNumber(1, keyCol: keyCol), look: .pass))
        conditionalFormats.append(ReportConditionalFormat(rows: rows, cols: cols, when: .equalsOnRowsWithNumber(0, keyCol: keyCol), look: .fail))
    }

    /// The cell at a position, if any (last write wins).
    public func cell(_ row: Int, _ col: Int) -> ReportCell? {
        cells.last { $0.row == row && $0.col == col }
    }
}

public struct ReportCell: Sendable {
    public enum Value: Sendable, Equatable {
        case number(Double)
        case text(String)
        case bool(Bool)
        /// A formula (US syntax, leading `=`) with the value the engine computed for it.
        case formula(String, cached: Cached)
        case blank
    }

    /// The value a formula is stored with. There is no boolean: libxlsxwriter can only cache one as
    /// text, so a truth value is the number 1 or 0 (see docs/engine.md, "Checks are numbers").
    public enum Cached: Sendable, Equatable {
        case number(Double)
        case text(String)
    }

    public var row: Int
    public var col: Int
    public var value: Value
    public var role: CellRole
    public var comment: String?
}

/// What a cell is, which decides its look: inputs look like inputs, calculations like calculations.
public enum CellRole: String, Sendable, Hashable, CaseIterable {
    case title, subtitle, header, headerYear, label, labelBold, note, noteWrap, text
    case inputMoney, inputCount, inputRatio, inputNumber, inputYear
    /// `count` is a whole number of things; `countDecimal` a count with a fraction (an expected value, an area).
    case money, count, countDecimal, ratio, number, year
    case totalMoney, displayMoney, displayTotal
    case check, checkOverall, checkCount, notApplicable
    case link
}

extension CellRole {
    /// The role of a calculated figure of a measure: money, count, ratio, year or a plain number.
    public static func calculated(_ m: Measure) -> CellRole {
        switch m {
        case .money: return .money
        case .count, .area: return .count
        case .ratio: return .ratio
        case .year: return .year
        case .number: return .number
        }
    }
}

/// A look given to a block of cells while a condition on each cell's value holds (conditional formatting).
public struct ReportConditionalFormat: Sendable, Equatable {
    public enum Condition: Sendable, Equatable {
        case equals(Double)
        /// The cell equals the number, on a row whose cell in column `keyCol` holds a number.
        case equalsOnRowsWithNumber(Double, keyCol: Int)
    }
    /// What the look means; the writer chooses its colours.
    public enum Look: Sendable, Equatable, CaseIterable {
        case pass, fail
    }
    public var rows: ClosedRange<Int>
    public var cols: ClosedRange<Int>
    public var when: Condition
    public var look: Look
}

/// A chart over ranges of a sheet.
public struct ReportChart: Sendable {
    public enum Kind: Sendable { case column, columnStacked, line, bar, barStacked, areaStacked }
    public struct Series: Sendable {
        public var name: String
        public var categories: String
        public var values: String
        public var color: UInt32?
        /// Drawn as an unfilled outline (an envelope held over the bars it limits).
        public var outline = false
        /// Drawn as nothing and left out of the legend: the base a band stands on in a stacked area.
        public var hidden = false

        public init(name: String, categories: String, values: String, color: UInt32?, outline: Bool = false, hidden: Bool = false) {
            self.name = name; self.categories = categories; self.values = values; self.color = color
            self.outline = outline; self.hidden = hidden
        }
    }
    public var kind: Kind
    public var title: String
    public var yAxisTitle: String?
    public var series: [Series]
    /// Top-left cell of the chart on its sheet.
    public var row: Int
    public var col: Int
    public var xScale = 1.0
    public var yScale = 1.0
    /// How far a category's bars overlap (100: on top of each other); nil for the chart type's default.
    public var overlap: Int?
    /// Category labels at the low end of the value axis, outside the plot (a tornado's axis runs through its bars).
    public var categoryLabelsLow = false

    public init(kind: Kind, title: String, yAxisTitle: String?, series: [Series], row: Int, col: Int,
                xScale: Double = 1.0, yScale: Double = 1.0, overlap: Int? = nil, categoryLabelsLow: Bool = false) {
        self.kind = kind; self.title = title; self.yAxisTitle = yAxisTitle; self.series = series
        self.row = row; self.col = col; self.xScale = xScale; self.yScale = yScale; self.overlap = overlap
        self.categoryLabelsLow = categoryLabelsLow
    }
}

/// A large table written row by row: text columns first, then number columns.
///
/// Each number column has a role (money, count, ratio, year…) chosen by the builder, as for any other cell:
/// the writer only looks up the role's format.
public struct ReportStream: Sendable {
    public var startRow: Int
    public var rowCount: Int
    public var textColumns: Int
    /// The role of each number column, left to right.
    public var numberRoles: [CellRole]
    public var numberColumns: Int { numberRoles.count }
    /// Whether the formats of the number columns get the workbook's first style numbers (for a sheet so large
    /// that the length of the number each cell names is worth a byte a cell; the workbook shows the same).
    public var formatsFirst = false
    /// Fills row `i`'s texts and numbers (the arrays have the sizes above).
    public var fill: @Sendable (_ i: Int, _ texts: inout [String], _ numbers: inout [Double]) -> Void

    public init(startRow: Int, rowCount: Int, textColumns: Int, numberRoles: [CellRole],
                fill: @escaping @Sendable (_ i: Int, _ texts: inout [String], _ numbers: inout [Double]) -> Void) {
        self.startRow = startRow
        self.rowCount = rowCount
        self.textColumns = textColumns
        self.numberRoles = numberRoles
        self.fill = fill
    }
}
