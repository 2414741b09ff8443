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

    public init(_ items: [(scenario: Scenario, projection: Projection)], language: ReportLanguage = .zhHant) {
        self.items = items
        self.labels = Labels(language)
    }

    var years: [Int] {
        Array(Set(items.flatMap { $0.projection.years })).sorted()
    }

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
        summary.set(1, 0, .text(items.map { $0.scenario.slug }.joined(separator: ", ")), .subtitle)
        header(&summary, row: 3, first: labels[.category])
        var r = 4
        let cats = Category.allCases
        for cat in cats {
            nameRow(&summary, r, labels.category(cat), key: cat.rawValue)
            for (k, y) in years.enumerated() {
                sumifs(&summary, r, yearCells + k, in: columns, of: columns.amount,
                       where: [(columns.category, "$B\(r + 1)"), (columns.year, CellRef.name(row: 3, col: yearCells + k, absoluteRow: true))],
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
        byPlace.set(3, gapCol0, .text(labels[.totalGap]), .header)
        byPlace.set(3, gapCol0 + 1, .text(labels[.failingChecks]), .header)
        r = 4
        for item in items {
            let slug = item.scenario.slug
            nameRow(&byPlace, r, item.scenario.title, key: slug)
            for (k, _) in years.enumerated() {
                sumifs(&byPlace, r, yearCells + k, in: columns, of: columns.amount,
                       where: [(columns.jurisdiction, "$B\(r + 1)"), (columns.year, CellRef.name(row: 3, col: yearCells + k, absoluteRow: true))],
                       cached: total(in: slug) { _, yr in yr == years[k] })
            }
            rowTotal(&byPlace, r)
            sumifs(&byPlace, r, gapCol0, in: columns, of: columns.gap, where: [(columns.jurisdiction, "$B\(r + 1)")], cached: gapSum(slug))
            let failing = item.projection.checkResults().filter { !$0.passed }.map { labels.text($0.info.title) }
            byPlace.set(r, gapCol0 + 1, .text(failing.isEmpty ? "—" : failing.joined(separator: ";")), .note)
            r += 1
        }
        byPlace.columnWidths = [(0, 0, 40), (1, 1, 26), (2, 2 + years.count, 14), (gapCol0, gapCol0, 14), (gapCol0 + 1, gapCol0 + 1, 60)]
        byPlace.freeze = (4, 2)

        // Category × jurisdiction, all years.
        var matrix = ReportSheet(name: labels[.categoryXScenario])
        title(&matrix, labels[.eachScenarioSTotalBy])
        matrix.set(3, 0, .text(labels[.scenarioHeader]), .header)
        matrix.set(3, 1, .text(""), .header)
        for (k, cat) in cats.enumerated() { matrix.set(3, 2 + k, .text(labels.category(cat)), .header); matrix.set(2, 2 + k, .text(cat.rawValue), .note) }
        r = 4
        for item in items {
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
        let jurisdiction = 1, category = 2, year = 3, amount = 4, gap = 5

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

    /// The tidy data: scenario, jurisdiction, category, year, amount, gap (positive shortfalls), money in the roll-up's unit.
    private func dataSheet(_ name: String) -> ReportSheet {
        var s = ReportSheet(name: name)
        let unit = labels.displayUnit(Self.unit)
        for (c, h) in [labels[.title], labels[.scenarioHeader], labels[.category], labels[.year],
                       labels.withUnit(labels[.amount], unit), labels.withUnit(labels[.gap], unit)].enumerated() {
            s.set(0, c, .text(h), .header)
        }
        var r = 1
        for item in items {
            let cs = item.projection.commitmentFigures()
            let cats = item.projection.categoryTotals(cs)
            let gaps = item.projection.sourceFigures(cs).compactMap(\.gap)
            for (k, y) in item.projection.years.enumerated() {
                for (cat, amounts) in cats {
                    s.set(r, 0, .text(item.scenario.title), .text)
                    s.set(r, 1, .text(item.scenario.slug), .text)
                    s.set(r, 2, .text(cat.rawValue), .text)
                    s.set(r, 3, .number(Double(y)), .year)
                    s.set(r, 4, .number(shown(amounts[k])), .money)
                    // The year's positive gaps go on the first category's row so that each is counted once.
                    let gap = cat == Category.allCases.first ? gaps.map { max(0, $0[k]) }.reduce(0, +) : 0
                    s.set(r, 5, .number(shown(Money.fen(gap))), .money)
                    r += 1
                }
            }
        }
        s.columnWidths = [(0, 0, 40), (1, 1, 26), (2, 3, 12), (4, 5, 18)]
        s.freeze = (1, 0)
        return s
    }

    private func total(in slug: String? = nil, _ include: (Projection.CommitmentFigures, Int) -> Bool) -> Double {
        var t = 0.0
        for item in items where slug == nil || item.scenario.slug == slug {
            for c in item.projection.commitmentFigures() {
                for (k, y) in item.projection.years.enumerated() where include(c, y) { t += c.cost[k] }
            }
        }
        return t
    }

    private func gapSum(_ slug: String) -> Double {
        guard let item = items.first(where: { $0.scenario.slug == slug }) else { return 0 }
        return item.projection.sourceFigures().compactMap(\.gap).flatMap { $0 }.map { max(0, $0) }.reduce(0, +)
    }
}
