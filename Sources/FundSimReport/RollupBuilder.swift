import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// One workbook that sums many scenarios by category, jurisdiction and year.
///
/// The figures of each scenario sit as values on a data sheet (one tidy row per scenario, category and
/// year); the summary tables are SUMIFS formulas over it, so they stay live and recalculate.
public struct RollupBuilder {
    public let items: [(scenario: Scenario, projection: Projection)]
    public let labels: Labels

    /// Each item's commitment figures and slug, and the data sheet's rows, computed once (a slug is read from
    /// the file's path, which costs a file-system call; the totals ask for it per cell).
    private var figures: [[Projection.CommitmentFigures]] = []
    private var slugs: [String] = []
    private var data: [DataRow] = []

    public init(_ items: [(scenario: Scenario, projection: Projection)], language: ReportLanguage = .zhHant) {
        self.items = items
        self.labels = Labels(language)
        self.figures = items.map { $0.projection.commitmentFigures() }
        self.slugs = items.map { $0.scenario.slug }
        self.data = dataRows()
    }

    var years: [Int] {
        Array(Set(items.flatMap { $0.projection.years })).sorted()
    }

    /// Two scenarios that count as the same jurisdiction (`jurisdiction:`, else the title), neither a variant.
    public struct Clash: Sendable, Equatable {
        public var jurisdiction: String
        public var first: String
        public var second: String

        /// The message a user reads, with both paths.
        public var description: String {
            "jurisdiction 「\(jurisdiction)」 appears twice in the roll-up: \(first) and \(second)"
        }
        public static let hint = "a jurisdiction is counted once: give one of them another `jurisdiction:` (or title), make it a variant with `extends:`, or run it apart"
    }

    /// The jurisdictions named twice among scenarios that are not variants, each with both files, in file order.
    public static func clashes(_ scenarios: [Scenario]) -> [Clash] {
        var first: [String: String] = [:]
        var out: [Clash] = []
        for s in scenarios where !s.isVariant {
            if let other = first[s.jurisdictionName] {
                out.append(Clash(jurisdiction: s.jurisdictionName, first: other, second: s.file))
            } else {
                first[s.jurisdictionName] = s.file
            }
        }
        return out
    }

    /// Scenarios added up: every one that is not a variant.
    var jurisdictions: [(scenario: Scenario, projection: Projection)] { items.filter { !$0.scenario.isVariant } }
    /// Variants (`extends:`), listed apart and never added to the totals.
    var variants: [(scenario: Scenario, projection: Projection)] { items.filter { $0.scenario.isVariant } }

    public func build(created: Date?) -> ReportBook {
        var book = ReportBook()
        book.properties.title = labels[.allScenarios]
        book.properties.comments = labels[.rollupOf(items.count)]
        book.properties.created = created
        book.moneyExtraPlaces = ValueStyle(unit: Self.unit, labels: labels).moneyExtraPlaces
        let dataName = labels[.data]
        let data = dataSheet(dataName)
        let rows = data.cells.filter { $0.col == 0 }.map(\.row).max() ?? 1
        let columns = DataColumns(sheet: dataName, lastRow: rows + 1)
        let yearCells = 2   // first year column on summary sheets

        // By category and year.
        var summary = ReportSheet(name: labels[.summary])
        title(&summary, labels[.allScenariosCostByCategory])
        summary.set(1, 0, .text(jurisdictions.map { $0.scenario.slug }.joined(separator: ", ")
                                + (variants.isEmpty ? "" : "; " + labels[.variantsApart] + ": " + variants.map { $0.scenario.slug }.joined(separator: ", "))), .subtitle)
        header(&summary, row: 3, first: labels[.category])
        var r = 4
        let cats = Category.allCases
        for cat in cats {
            nameRow(&summary, r, labels.category(cat), key: cat.rawValue)
            for (k, y) in years.enumerated() {
                sumifs(&summary, r, yearCells + k, in: columns, of: columns.amount,
                       where: [(columns.category, "$B\(r + 1)"), (columns.year, CellRef.name(row: 3, col: yearCells + k, absoluteRow: true)),
                               (columns.counted, "1")],
                       cached: total { c, yr in c.info.category == cat && yr == y })
            }
            rowTotal(&summary, r)
            r += 1
        }
        summary.set(r, 0, .text(labels[.total]), .labelBold)
        for k in 0...years.count {
            let col = yearCells + k
            let cached = k < years.count ? total { _, yr in yr == years[k] } : total { _, _ in true }
            summary.set(r, col, .formula("=SUM(\(CellRef.name(row: 4, col: col)):\(CellRef.name(row: r - 1, col: col)))", cached: .number(shown(cached))), .displayTotal)
        }
        // The total's standing: sourced and assumed money, unbudgeted money and gaps, over jurisdictions only.
        let totalRow = r
        for (phrase, column) in [(Phrase.sourcedColumn, columns.sourced), (.unbudgetedTotal, columns.unbudgeted), (.totalGap, columns.gap)] {
            r += 1
            nameRow(&summary, r, labels[phrase], key: "")
            for (k, y) in years.enumerated() {
                sumifs(&summary, r, yearCells + k, in: columns, of: column,
                       where: [(columns.year, CellRef.name(row: 3, col: yearCells + k, absoluteRow: true)), (columns.counted, "1")],
                       cached: dataSum(column) { $0 == y })
            }
            rowTotal(&summary, r)
            if phrase == .sourcedColumn {
                r += 1
                nameRow(&summary, r, labels[.assumedColumn], key: "")
                for k in 0...years.count {
                    let col = yearCells + k
                    let cached = cachedNumber(summary, totalRow, col) - cachedNumber(summary, r - 1, col)
                    summary.set(r, col, .formula("=\(CellRef.name(row: totalRow, col: col))-\(CellRef.name(row: r - 1, col: col))", cached: .number(cached)), .displayMoney)
                }
            }
        }
        summary.columnWidths = [(0, 0, 24), (1, 1, 12), (2, 2 + years.count, 14)]
        summary.freeze = (4, 2)
        let catsRange = CellRef.sheetPrefix(summary.name) + CellRef.name(row: 3, col: yearCells, absolute: true) + ":" + CellRef.name(row: 3, col: yearCells + years.count - 1, absolute: true)
        // A category no scenario spends on would be an empty entry in the legend: it is left out.
        let spent = cats.indices.filter { i in total { c, _ in c.info.category == cats[i] } != 0 }
        if !spent.isEmpty {
        summary.charts.append(ReportChart(kind: .columnStacked, title: labels[.costByCategoryYear], yAxisTitle: labels.displayUnit(Self.unit),
                                          series: spent.map { i in
                                              ReportChart.Series(name: CellRef.sheetPrefix(summary.name) + CellRef.name(row: 4 + i, col: 0, absolute: true), categories: catsRange,
                                                                 values: CellRef.sheetPrefix(summary.name) + CellRef.name(row: 4 + i, col: yearCells, absolute: true) + ":" + CellRef.name(row: 4 + i, col: yearCells + years.count - 1, absolute: true),
                                                                 color: [0x1F4E79, 0x2E75B6, 0x70AD47, 0xFFC000, 0xA5A5A5][i % 5])
                                          }, row: r + 3, col: 0, xScale: 1.5, yScale: 1.2))
        }

        // By jurisdiction and year, with gaps and failing checks.
        var byPlace = ReportSheet(name: labels[.byScenario])
        title(&byPlace, labels[.costByScenarioYear])
        header(&byPlace, row: 3, first: labels[.scenarioHeader])
        let gapCol0 = yearCells + years.count + 1
        let extra: [(Phrase, Int)] = [(.sourcedColumn, columns.sourced), (.totalGap, columns.gap), (.unbudgetedTotal, columns.unbudgeted)]
        for (k, (phrase, _)) in extra.enumerated() { byPlace.set(3, gapCol0 + k, .text(labels[phrase]), .header) }
        let failCol = gapCol0 + extra.count, noteCol = failCol + 1
        byPlace.set(3, failCol, .text(labels[.failingChecks]), .header)
        byPlace.set(3, noteCol, .text(labels[.sourcingHeader]), .header)
        r = 4
        for (group, list) in [(nil, jurisdictions), (labels[.variantsApart], variants)] where !list.isEmpty {
            if let group {
                r += 1
                byPlace.set(r, 0, .text(group), .labelBold)
                r += 1
            }
            for item in list {
                let slug = item.scenario.slug
                nameRow(&byPlace, r, item.scenario.title, key: slug)
                for (k, _) in years.enumerated() {
                    sumifs(&byPlace, r, yearCells + k, in: columns, of: columns.amount,
                           where: [(columns.jurisdiction, "$B\(r + 1)"), (columns.year, CellRef.name(row: 3, col: yearCells + k, absoluteRow: true))],
                           cached: total(in: slug) { _, yr in yr == years[k] })
                }
                rowTotal(&byPlace, r)
                for (k, (_, column)) in extra.enumerated() {
                    sumifs(&byPlace, r, gapCol0 + k, in: columns, of: column, where: [(columns.jurisdiction, "$B\(r + 1)")],
                           cached: dataSum(column, in: slug) { _ in true })
                }
                let failing = item.projection.checkResults().filter { !$0.passed }.map { labels.text($0.info.title) }
                byPlace.set(r, failCol, .text(failing.isEmpty ? "—" : failing.joined(separator: ";")), .note)
                var notes: [String] = []
                if item.scenario.isVariant {
                    notes.append(labels[.variantOf] + URL(fileURLWithPath: item.scenario.files[1]).lastPathComponent)
                }
                let totals = item.projection.totalFigures(figures[items.firstIndex { $0.scenario.file == item.scenario.file } ?? 0])
                if totals.sourced.allSatisfy({ $0 == 0 }) && totals.cost.contains(where: { $0 != 0 }) { notes.append(labels[.whollyAssumed]) }
                byPlace.set(r, noteCol, .text(notes.isEmpty ? "—" : notes.joined(separator: ";")), .note)
                r += 1
            }
        }
        byPlace.columnWidths = [(0, 0, 40), (1, 1, 26), (2, 2 + years.count, 14), (gapCol0, failCol - 1, 14), (failCol, failCol, 60), (noteCol, noteCol, 30)]
        byPlace.freeze = (4, 2)

        // Category × jurisdiction, all years.
        var matrix = ReportSheet(name: labels[.categoryXScenario])
        title(&matrix, labels[.eachScenarioSTotalBy])
        matrix.set(3, 0, .text(labels[.scenarioHeader]), .header)
        matrix.set(3, 1, .text(""), .header)
        for (k, cat) in cats.enumerated() { matrix.set(3, 2 + k, .text(labels.category(cat)), .header); matrix.set(2, 2 + k, .text(cat.rawValue), .note) }
        r = 4
        for item in jurisdictions {
            let slug = item.scenario.slug
            nameRow(&matrix, r, item.scenario.title, key: slug)
            for (k, cat) in cats.enumerated() {
                sumifs(&matrix, r, 2 + k, in: columns, of: columns.amount,
                       where: [(columns.jurisdiction, "$B\(r + 1)"), (columns.category, CellRef.name(row: 2, col: 2 + k, absoluteRow: true))],
                       cached: total(in: slug) { c, _ in c.info.category == cat })
            }
            r += 1
        }
        matrix.columnWidths = [(0, 0, 40), (1, 1, 26), (2, 2 + cats.count, 14)]
        matrix.freeze = (4, 2)

        book.sheets = [summary, byPlace, matrix, data]
        return book
    }

    /// The roll-up always shows money in 萬元: its scenarios may each choose another display unit.
    static let unit = DisplayUnit.wan

    /// A yuan figure in the roll-up's display unit.
    private func shown(_ yuan: Double) -> Double { yuan / Self.unit.divisor }

    /// The columns of the data sheet that the summary tables sum over, as absolute ranges.
    private struct DataColumns {
        let sheet: String
        let lastRow: Int
        let jurisdiction = 1, category = 2, year = 3, amount = 4, gap = 5, sourced = 6, unbudgeted = 7, counted = 8

        func range(_ col: Int) -> String {
            CellRef.sheetPrefix(sheet) + "$" + CellRef.column(col) + "$2:$" + CellRef.column(col) + "$\(lastRow)"
        }
    }

    /// A summary sheet's title, with the unit its figures are shown in.
    private func title(_ s: inout ReportSheet, _ text: String) {
        s.set(0, 0, .text(text + "(\(labels.displayUnit(Self.unit)))"), .title)
    }

    /// The first two cells of a summary row: what the row is, and the key the SUMIFS criteria match.
    private func nameRow(_ s: inout ReportSheet, _ r: Int, _ name: String, key: String) {
        s.set(r, 0, .text(name), .label)
        s.set(r, 1, .text(key), .note)
    }

    /// A live SUMIFS over one data column (already in the roll-up's unit), with its cached value (given in yuan).
    private func sumifs(_ s: inout ReportSheet, _ r: Int, _ col: Int, in data: DataColumns, of sumCol: Int,
                        where criteria: [(col: Int, ref: String)], cached yuan: Double) {
        let args = ([data.range(sumCol)] + criteria.flatMap { [data.range($0.col), $0.ref] }).joined(separator: ",")
        s.set(r, col, .formula("=SUMIFS(\(args))", cached: .number(shown(yuan))), .displayMoney)
    }

    private func header(_ s: inout ReportSheet, row: Int, first: String) {
        s.set(row, 0, .text(first), .header)
        s.set(row, 1, .text(""), .header)
        for (k, y) in years.enumerated() { s.set(row, 2 + k, .number(Double(y)), .headerYear) }
        s.set(row, 2 + years.count, .text(labels[.total]), .header)
    }

    private func rowTotal(_ s: inout ReportSheet, _ r: Int) {
        let cached = (0..<years.count).compactMap { k -> Double? in
            if case .formula(_, .number(let v)) = s.cell(r, 2 + k)?.value { return v }
            return nil
        }.reduce(0, +)
        s.set(r, 2 + years.count, .formula("=SUM(\(CellRef.name(row: r, col: 2)):\(CellRef.name(row: r, col: 1 + years.count)))", cached: .number(cached)), .displayTotal)
    }

    /// The tidy data, one row per scenario, category and year: title, scenario, category, year, amount, gap
    /// (positive shortfalls), sourced money, unbudgeted money (all in the roll-up's unit), and 1 when the scenario is added to the
    /// totals (a jurisdiction) or 0 (a variant).
    private func dataSheet(_ name: String) -> ReportSheet {
        var s = ReportSheet(name: name)
        let unit = labels.displayUnit(Self.unit)
        for (c, h) in [labels[.title], labels[.scenarioHeader], labels[.category], labels[.year],
                       labels.withUnit(labels[.amount], unit), labels.withUnit(labels[.gap], unit), labels.withUnit(labels[.sourcedColumn], unit),
                       labels.withUnit(labels[.unbudgetedTotal], unit), labels[.jurisdictionHeader]].enumerated() {
            s.set(0, c, .text(h), .header)
        }
        var r = 1
        for row in data {
            s.set(r, 0, .text(row.title), .text)
            s.set(r, 1, .text(row.slug), .text)
            s.set(r, 2, .text(row.category.rawValue), .text)
            s.set(r, 3, .number(Double(row.year)), .year)
            // Money in the roll-up's unit, as on its other sheets.
            s.set(r, 4, .number(shown(row.amount)), .money)
            s.set(r, 5, .number(shown(row.gap)), .money)
            s.set(r, 6, .number(shown(row.sourced)), .money)
            s.set(r, 7, .number(shown(row.unbudgeted)), .money)
            s.set(r, 8, .number(row.counted ? 1 : 0), .number)
            r += 1
        }
        s.columnWidths = [(0, 0, 40), (1, 1, 26), (2, 3, 12), (4, 7, 18), (8, 8, 10)]
        s.freeze = (1, 0)
        return s
    }

    /// One row of the data sheet.
    struct DataRow {
        var title: String, slug: String, category: Category, year: Int
        var amount: Double, gap: Double, sourced: Double, unbudgeted: Double, counted: Bool
    }

    /// The data sheet's rows. A year's gaps and unbudgeted money go on the first category's row so that each
    /// is counted once.
    func dataRows() -> [DataRow] {
        var out: [DataRow] = []
        for (n, (item, cs)) in zip(items, figures).enumerated() {
            let cats = item.projection.categoryTotals(cs)
            let sources = item.projection.sourceFigures(cs)
            for (k, y) in item.projection.years.enumerated() {
                for (cat, amounts) in cats {
                    let first = cat == Category.allCases.first
                    let sourced = cs.filter { $0.info.category == cat }.reduce(0) { $0 + $1.sourced[k] }
                    out.append(DataRow(title: item.scenario.title, slug: slugs[n], category: cat, year: y, amount: amounts[k],
                                       gap: first ? Money.fen(sources.map { $0.status[k].gap }.reduce(0, +)) : 0,
                                       sourced: Money.fen(sourced),
                                       unbudgeted: first ? Money.fen(sources.map { $0.status[k].unbudgeted }.reduce(0, +)) : 0,
                                       counted: !item.scenario.isVariant))
                }
            }
        }
        return out
    }

    /// The sum of one data column over the rows of a scenario (all jurisdictions when nil) whose year passes.
    private func dataSum(_ column: Int, in slug: String? = nil, _ year: (Int) -> Bool) -> Double {
        let key: KeyPath<DataRow, Double> = column == DataColumns(sheet: "", lastRow: 0).gap ? \.gap
            : column == DataColumns(sheet: "", lastRow: 0).sourced ? \.sourced
            : column == DataColumns(sheet: "", lastRow: 0).unbudgeted ? \.unbudgeted : \.amount
        return data.filter { (slug == nil ? $0.counted : $0.slug == slug) && year($0.year) }.reduce(0) { $0 + $1[keyPath: key] }
    }

    private func cachedNumber(_ s: ReportSheet, _ r: Int, _ c: Int) -> Double {
        if case .formula(_, .number(let v)) = s.cell(r, c)?.value { return v }
        return 0
    }

    private func total(in slug: String? = nil, _ include: (Projection.CommitmentFigures, Int) -> Bool) -> Double {
        var t = 0.0
        for (n, (item, cs)) in zip(items, figures).enumerated() where slug == nil ? !item.scenario.isVariant : slugs[n] == slug {
            for c in cs {
                for (k, y) in item.projection.years.enumerated() where include(c, y) { t += c.cost[k] }
            }
        }
        return t
    }

}
