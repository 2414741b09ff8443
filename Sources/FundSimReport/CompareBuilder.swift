import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// Scenarios side by side: totals by category, source and year, their differences from the base,
/// the assumptions that differ, and the base's live model with a drop-down that switches between them.
public struct CompareBuilder {
    public let items: [(scenario: Scenario, projection: Projection)]
    public var base: (scenario: Scenario, projection: Projection) { items[0] }
    public var labels: Labels { Labels(base.scenario.language, unit: base.scenario.unit) }

    public init(base: (Scenario, Projection), alternatives: [(Scenario, Projection)]) {
        items = [(base.0, base.1)] + alternatives.map { ($0.0, $0.1) }
    }

    /// One line of the comparison: a label and each scenario's yearly amounts (yuan).
    public struct Line {
        public var label: String
        public var values: [[Double]]
    }

    public func lines() -> [Line] {
        var out: [Line] = []
        let figures = items.map { $0.projection.commitmentFigures() }
        for cat in Category.allCases {
            let v = items.indices.map { k in items[k].projection.categoryTotals(figures[k]).first { $0.category == cat }!.amounts }
            if v.allSatisfy({ $0.allSatisfy { $0 == 0 } }) { continue }
            out.append(Line(label: labels.category(cat), values: v))
        }
        out.append(Line(label: labels[.total], values: items.indices.map { k in
            figures[k].reduce(into: [Double](repeating: 0, count: items[k].projection.years.count)) { acc, c in for y in acc.indices { acc[y] += c.cost[y] } }
        }))
        let sourceNames = base.scenario.sources.map(\.name)
        for name in sourceNames {
            let v = items.indices.map { k in items[k].projection.sourceFigures(figures[k]).first { $0.info.name == name }?.committed ?? [] }
            out.append(Line(label: name + labels[.committed], values: v))
            let gaps = items.indices.map { k in items[k].projection.sourceFigures(figures[k]).first { $0.info.name == name }?.gap ?? [] }
            if gaps.contains(where: { !$0.isEmpty }) { out.append(Line(label: name + labels[.gapSuffix], values: gaps)) }
        }
        return out
    }

    /// Inputs whose values differ from the base, by row id: (label, per scenario values or nil where absent).
    public func assumptionChanges() -> [(id: String, label: RowLabel, values: [[Double]?])] {
        let baseModel = base.projection.model
        var ids: [String] = []
        var seen = Set<String>()
        for item in items {
            for row in item.projection.model.rows where row.isInput && seen.insert(row.id).inserted { ids.append(row.id) }
        }
        var out: [(id: String, label: RowLabel, values: [[Double]?])] = []
        for id in ids {
            let vals: [[Double]?] = items.map { item in item.projection.model.index[id].map { item.projection.values[$0] } }
            let first = vals[0]
            if vals.dropFirst().allSatisfy({ $0 == first }) { continue }
            let label = baseModel.row(id)?.label ?? items.compactMap { $0.projection.model.row(id)?.label }.first ?? .user(id)
            out.append((id, label, vals))
        }
        return out
    }

    public func build() -> ReportBook {
        var builder = WorkbookBuilder(scenario: base.scenario, projection: base.projection)
        builder.alternatives = Array(items.dropFirst())
        var book = builder.build()
        book.properties.title = labels[.comparison] + items.map { $0.scenario.slug }.joined(separator: " / ")
        book.sheets.insert(comparisonSheet(), at: 1)
        book.sheets.insert(changesSheet(), at: 2)
        return book
    }

    func comparisonSheet() -> ReportSheet {
        let div = base.scenario.unit.divisor, unit = labels.displayUnit(base.scenario.unit)
        let years = base.projection.years
        var s = ReportSheet(name: labels.comparison)
        s.set(0, 0, .text(labels[.scenariosComparedDifferencesFromBase] + "(\(unit))"), .title)
        s.set(1, 0, .text(labels[.baseColon] + base.scenario.title + labels[.compared] + items.dropFirst().map { $0.scenario.title }.joined(separator: ", ")), .subtitle)
        var r = 3
        s.set(r, 0, .text(labels[.item]), .header)
        s.set(r, 1, .text(labels[.scenarioHeader]), .header)
        for (k, y) in years.enumerated() { s.set(r, 2 + k, .number(Double(y)), .headerYear) }
        s.set(r, 2 + years.count, .text(labels[.total]), .header)
        let headerRow = r
        r += 1
        var diffTotalRows: [Int] = []
        for line in lines() {
            let baseRow = r
            for (k, item) in items.enumerated() {
                s.set(r, 0, .text(k == 0 ? line.label : ""), k == 0 ? .labelBold : .label)
                // Scenarios by their titles, as a reader knows them (the drop-down lists file names, which are unique).
                s.set(r, 1, .text(item.scenario.title), .note)
                let v = line.values[k]
                for y in years.indices { s.set(r, 2 + y, .number(y < v.count ? v[y] / div : 0), .displayMoney) }
                s.set(r, 2 + years.count, .formula("=SUM(\(CellRef.name(row: r, col: 2)):\(CellRef.name(row: r, col: 1 + years.count)))", cached: .number(v.reduce(0, +) / div)), .displayTotal)
                r += 1
            }
            for (k, item) in items.enumerated().dropFirst() {
                s.set(r, 0, .text(""), .label)
                s.set(r, 1, .text("Δ " + item.scenario.title), .note)
                for y in 0...years.count {
                    let a = baseRow, b = baseRow + k
                    let va = y < years.count ? (y < line.values[0].count ? line.values[0][y] : 0) : line.values[0].reduce(0, +)
                    let vb = y < years.count ? (y < line.values[k].count ? line.values[k][y] : 0) : line.values[k].reduce(0, +)
                    s.set(r, 2 + y, .formula("=\(CellRef.name(row: b, col: 2 + y))-\(CellRef.name(row: a, col: 2 + y))", cached: .number((vb - va) / div)), .displayMoney)
                }
                if line.label == labels[.total] { diffTotalRows.append(r) }
                r += 1
            }
            r += 1
        }
        let cats = CellRef.sheetPrefix(s.name) + CellRef.name(row: headerRow, col: 2, absolute: true) + ":" + CellRef.name(row: headerRow, col: 1 + years.count, absolute: true)
        if !diffTotalRows.isEmpty {
            s.charts.append(ReportChart(kind: .column, title: labels[.totalCostDifferenceFromBase], yAxisTitle: unit,
                                        series: diffTotalRows.map { rr in
                                            .init(name: CellRef.sheetPrefix(s.name) + CellRef.name(row: rr, col: 1, absolute: true), categories: cats,
                                                  values: CellRef.sheetPrefix(s.name) + CellRef.name(row: rr, col: 2, absolute: true) + ":" + CellRef.name(row: rr, col: 1 + years.count, absolute: true), color: nil)
                                        }, row: r + 1, col: 0, xScale: 1.5, yScale: 1.2))
        }
        s.columnWidths = [(0, 0, 26), (1, 1, 30), (2, 2 + years.count, 14)]
        s.freeze = (headerRow + 1, 2)
        return s
    }

    func changesSheet() -> ReportSheet {
        let years = base.projection.years
        var s = ReportSheet(name: labels.assumptionChanges)
        s.set(0, 0, .text(labels[.inputsThatDifferFromBase]), .title)
        // Money in the base's display unit, as on every other sheet.
        let style = ValueStyle(unit: base.scenario.unit, labels: labels)
        s.set(1, 0, .text(labels[.unitColon] + labels.displayUnit(base.scenario.unit)), .subtitle)
        var r = 2
        s.set(r, 0, .text(labels[.input]), .header)
        s.set(r, 1, .text(labels[.name]), .header)
        s.set(r, 2, .text(labels[.scenarioHeader]), .header)
        for (k, y) in years.enumerated() { s.set(r, 3 + k, .number(Double(y)), .headerYear) }
        r += 1
        let changes = assumptionChanges()
        if changes.isEmpty { s.set(r, 0, .text(labels[.noInputDiffers]), .note) }
        for c in changes {
            for (k, item) in items.enumerated() {
                s.set(r, 0, .text(k == 0 ? labels.inputListName(c.label, id: c.id) : ""), .label)
                s.set(r, 1, .text(c.id), .note)
                s.set(r, 2, .text(item.scenario.slug), .note)
                if let v = c.values[k] {
                    let m = item.projection.model.row(c.id)?.dimension ?? .number
                    for y in years.indices where y < v.count {
                        s.set(r, 3 + y, .number(m == .money ? style.money(v[y]) : v[y]), m != .money && m != .ratio && m != .year && v[y] != v[y].rounded() ? .countDecimal : CellRole.calculated(m))
                    }
                } else {
                    s.set(r, 3, .text(labels[.notInThisScenario]), .note)
                }
                r += 1
            }
            r += 1
        }
        s.columnWidths = [(0, 0, 34), (1, 1, 30), (2, 2, 24), (3, 2 + years.count, 14)]
        s.freeze = (3, 3)
        return s
    }
}
