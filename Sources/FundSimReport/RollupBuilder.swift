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
        let dataName = labels[.data]
        let data = dataSheet(dataName)
        let rows = data.cells.filter { $0.col == 0 }.map(\.row).max() ?? 1
        let range = { (col: Int) in CellRef.sheetPrefix(dataName) + "$" + CellRef.column(col) + "$2:$" + CellRef.column(col) + "$\(rows + 1)" }
        let (jurisdictionCol, categoryCol, yearCol, amountCol, gapCol) = (1, 2, 3, 4, 5)
        let yearCells = 2   // first year column on summary sheets
        let unit = labels.displayUnit(.wan)

        // By category and year.
        var summary = ReportSheet(name: labels[.summary])
        summary.set(0, 0, .text(labels[.allScenariosCostByCategory] + "(\(unit))"), .title)
        summary.set(1, 0, .text(items.map { $0.scenario.slug }.joined(separator: ", ")), .subtitle)
        header(&summary, row: 3, first: labels[.category])
        var r = 4
        let cats = Category.allCases
        for cat in cats {
            summary.set(r, 0, .text(labels.category(cat)), .label)
            summary.set(r, 1, .text(cat.rawValue), .note)
            for (k, y) in years.enumerated() {
                let cached = total { c, yr in c.info.category == cat && yr == y }
                summary.set(r, yearCells + k, .formula("=SUMIFS(\(range(amountCol)),\(range(categoryCol)),$B\(r + 1),\(range(yearCol)),\(CellRef.name(row: 3, col: yearCells + k, absoluteRow: true)))/10000",
                                                      cached: .number(cached / 10000)), .displayMoney)
            }
            rowTotal(&summary, r)
            r += 1
        }
        summary.set(r, 0, .text(labels[.total]), .labelBold)
        for k in 0...years.count {
            let col = yearCells + k
            let cached = k < years.count ? total { _, yr in yr == years[k] } : total { _, _ in true }
            summary.set(r, col, .formula("=SUM(\(CellRef.name(row: 4, col: col)):\(CellRef.name(row: r - 1, col: col)))", cached: .number(cached / 10000)), .displayTotal)
        }
        summary.columnWidths = [(0, 0, 24), (1, 1, 12), (2, 2 + years.count, 14)]
        summary.freeze = (4, 2)
        let catsRange = CellRef.sheetPrefix(summary.name) + CellRef.name(row: 3, col: yearCells, absolute: true) + ":" + CellRef.name(row: 3, col: yearCells + years.count - 1, absolute: true)
        summary.charts.append(ReportChart(kind: .columnStacked, title: labels[.costByCategoryYear], yAxisTitle: unit,
                                          series: cats.indices.map { i in
                                              ReportChart.Series(name: CellRef.sheetPrefix(summary.name) + CellRef.name(row: 4 + i, col: 0, absolute: true), categories: catsRange,
                                                                 values: CellRef.sheetPrefix(summary.name) + CellRef.name(row: 4 + i, col: yearCells, absolute: true) + ":" + CellRef.name(row: 4 + i, col: yearCells + years.count - 1, absolute: true),
                                                                 color: [0x1F4E79, 0x2E75B6, 0x70AD47, 0xFFC000, 0xA5A5A5][i % 5])
                                          }, row: r + 3, col: 0, xScale: 1.5, yScale: 1.2))

        // By jurisdiction and year, with gaps and failing checks.
        var byPlace = ReportSheet(name: labels[.byScenario])
        byPlace.set(0, 0, .text(labels[.costByScenarioYear] + "(\(unit))"), .title)
        header(&byPlace, row: 3, first: labels[.scenarioHeader])
        let gapCol0 = yearCells + years.count + 1
        byPlace.set(3, gapCol0, .text(labels[.totalGap]), .header)
        byPlace.set(3, gapCol0 + 1, .text(labels[.failingChecks]), .header)
        r = 4
        for item in items {
            let slug = item.scenario.slug
            byPlace.set(r, 0, .text(item.scenario.title), .label)
            byPlace.set(r, 1, .text(slug), .note)
            for (k, _) in years.enumerated() {
                let cached = total(in: slug) { _, yr in yr == years[k] }
                byPlace.set(r, yearCells + k, .formula("=SUMIFS(\(range(amountCol)),\(range(jurisdictionCol)),$B\(r + 1),\(range(yearCol)),\(CellRef.name(row: 3, col: yearCells + k, absoluteRow: true)))/10000",
                                                       cached: .number(cached / 10000)), .displayMoney)
            }
            rowTotal(&byPlace, r)
            byPlace.set(r, gapCol0, .formula("=SUMIFS(\(range(gapCol)),\(range(jurisdictionCol)),$B\(r + 1))/10000", cached: .number(gapSum(slug) / 10000)), .displayMoney)
            let failing = item.projection.checkResults().filter { !$0.passed }.map { labels.text($0.info.title) }
            byPlace.set(r, gapCol0 + 1, .text(failing.isEmpty ? "—" : failing.joined(separator: ";")), .note)
            r += 1
        }
        byPlace.columnWidths = [(0, 0, 40), (1, 1, 26), (2, 2 + years.count, 14), (gapCol0, gapCol0, 14), (gapCol0 + 1, gapCol0 + 1, 60)]
        byPlace.freeze = (4, 2)

        // Category × jurisdiction, all years.
        var matrix = ReportSheet(name: labels[.categoryXScenario])
        matrix.set(0, 0, .text(labels[.eachScenarioSTotalBy] + "(\(unit))"), .title)
        matrix.set(3, 0, .text(labels[.scenarioHeader]), .header)
        matrix.set(3, 1, .text(""), .header)
        for (k, cat) in cats.enumerated() { matrix.set(3, 2 + k, .text(labels.category(cat)), .header); matrix.set(2, 2 + k, .text(cat.rawValue), .note) }
        r = 4
        for item in items {
            let slug = item.scenario.slug
            matrix.set(r, 0, .text(item.scenario.title), .label)
            matrix.set(r, 1, .text(slug), .note)
            for (k, cat) in cats.enumerated() {
                let cached = total(in: slug) { c, _ in c.info.category == cat }
                matrix.set(r, 2 + k, .formula("=SUMIFS(\(range(amountCol)),\(range(jurisdictionCol)),$B\(r + 1),\(range(categoryCol)),\(CellRef.name(row: 2, col: 2 + k, absoluteRow: true)))/10000",
                                              cached: .number(cached / 10000)), .displayMoney)
            }
            r += 1
        }
        matrix.columnWidths = [(0, 0, 40), (1, 1, 26), (2, 2 + cats.count, 14)]
        matrix.freeze = (4, 2)

        book.sheets = [summary, byPlace, matrix, data]
        return book
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

    /// The tidy data: scenario, jurisdiction, category, year, amount (yuan), gap (yuan, positive shortfalls).
    private func dataSheet(_ name: String) -> ReportSheet {
        var s = ReportSheet(name: name)
        for (c, h) in [labels[.title], labels[.scenarioHeader], labels[.category], labels[.year],
                       labels[.amountYuan], labels[.gapYuan]].enumerated() {
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
                    s.set(r, 4, .number(amounts[k]), .money)
                    // The year's positive gaps go on the first category's row so that each is counted once.
                    let gap = cat == Category.allCases.first ? gaps.map { max(0, $0[k]) }.reduce(0, +) : 0
                    s.set(r, 5, .number(Money.fen(gap)), .money)
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
