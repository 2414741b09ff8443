import Foundation
import FundSimModel
import FundSimEngine

/// Per-county and per-village sheets for scenarios with a roster.
public enum RosterSheets {
    /// One row per county and year: villages, communities, each roster figure, and each per-village programme's results.
    public static func countySheet(_ s: Scenario, _ p: Projection, labels l: Labels) -> ReportSheet? {
        guard let roster = s.roster else { return nil }
        let (names, index) = roster.countyIndex()
        var sheet = ReportSheet(name: l[.byCounty])
        // Money in the scenario's display unit, as on every other sheet.
        let div = s.unit.divisor, unit = l.displayUnit(s.unit)
        sheet.set(0, 0, .text(l[.byCountyYearRosterTotals]), .title)
        sheet.set(1, 0, .text(l[.roster] + roster.file + l[.rosterRowsAndCounties(roster.count, names.count)]), .subtitle)
        // Per-county values of roster aggregates (constant over the years).
        let aggregates: [(label: String, role: CellRole, perCounty: [Double])] = s.inputs.compactMap { input in
            guard let agg = input.rosterAggregate, case .success(let rows) = agg.perRow(roster) else { return nil }
            var per = [Double](repeating: 0, count: names.count)
            for (i, v) in rows.enumerated() { per[index[i]] += v }
            // A count of rows is a count; a sum has the measure the engine gave the input (members, yuan, m²).
            let measure = agg.operation == .count ? .count : p.model.row(input.name)?.dimension ?? .number
            if measure == .money { return (l.withUnit(input.title ?? input.name, unit), .money, per.map { $0 / div }) }
            let whole = per.allSatisfy { $0 == $0.rounded() }
            return (input.title ?? input.name, measure == .count && !whole ? .countDecimal : CellRole.calculated(measure), per)
        }
        var villages = [Double](repeating: 0, count: names.count), communities = villages
        for (i, c) in roster.isCommunity.enumerated() { if c { communities[index[i]] += 1 } else { villages[index[i]] += 1 } }
        // Per-village programmes, per county and year.
        struct Programme: Sendable { var title: String; var supported: [[Double]]; var cost: [[Double]]; var above: [[Double]]; var hollow: [[Double]] }
        var programmes: [Programme] = []
        for c in p.model.commitments {
            guard let d = p.rosterDetails[c.id] else { continue }
            let k = d.kernel
            let pv = p.series("\(c.id).per_village") ?? Array(repeating: 0, count: p.years.count)
            var pr = Programme(title: c.title, supported: [], cost: [], above: [], hollow: [])
            for y in p.years.indices {
                var sup = [Double](repeating: 0, count: names.count), above = sup, hollow = sup
                for v in 0..<k.incomes.count {
                    let county = k.counties[v]
                    if d.supportedYear.count > v, d.supportedYear[v] == Int32(y) { sup[county] += 1 }
                    let x = d.incomes[y][v]
                    if let t = k.thresholds.first, x >= t { above[county] += 1 }
                    if x <= 0 { hollow[county] += 1 }
                }
                pr.supported.append(sup)
                pr.cost.append(sup.map { $0 * pv[y] / div })
                pr.above.append(above)
                pr.hollow.append(hollow)
            }
            programmes.append(pr)
        }
        var heads = [l[.county], l[.year], l[.villages], l[.communities]] + aggregates.map(\.label)
        for pr in programmes {
            heads += [pr.title + l[.villagesNewlySupported], l.withUnit(pr.title + l[.support], unit),
                      pr.title + l[.villagesAtOrAboveFirst], pr.title + l[.hollowVillages]]
        }
        for (c, h) in heads.enumerated() { sheet.set(3, c, .text(h), .header) }
        // Streamed: one row per county and year, without holding every cell.
        let years = p.years
        // The roles follow the columns above: year, villages, communities, each aggregate, then per programme
        // villages supported, support money, villages above the first threshold, hollow villages.
        let numberRoles: [CellRole] = [.year, .count, .count] + aggregates.map(\.role)
            + programmes.flatMap { _ in [CellRole.count, .money, .count, .count] }
        let table = programmes
        let perCounty = aggregates.map(\.perCounty)
        let villageCounts = villages, communityCounts = communities
        sheet.stream = ReportStream(startRow: 4, rowCount: names.count * years.count, textColumns: 1, numberRoles: numberRoles) { i, texts, numbers in
            let ci = i / years.count, y = i % years.count
            texts[0] = names[ci]
            numbers[0] = Double(years[y])
            numbers[1] = villageCounts[ci]
            numbers[2] = communityCounts[ci]
            var col = 3
            for a in perCounty { numbers[col] = a[ci]; col += 1 }
            for pr in table {
                numbers[col] = pr.supported[y][ci]
                numbers[col + 1] = pr.cost[y][ci]
                numbers[col + 2] = pr.above[y][ci]
                numbers[col + 3] = pr.hollow[y][ci]
                col += 4
            }
        }
        sheet.columnWidths = [(0, 0, 18), (1, 1, 8), (2, heads.count, 16)]
        sheet.freeze = (4, 2)
        return sheet
    }

    /// One row per roster row: its attributes, then each per-village programme's income by year and the year it was first supported.
    public static func detailSheet(_ s: Scenario, _ p: Projection, labels l: Labels) -> ReportSheet? {
        guard let roster = s.roster else { return nil }
        var sheet = ReportSheet(name: l[.villageDetail])
        let details = p.model.commitments.compactMap { c in p.rosterDetails[c.id].map { (c, $0) } }
        // Money (a roster's income column, the incomes the programmes project) in the scenario's display unit.
        let div = s.unit.divisor, unit = l.displayUnit(s.unit)
        let incomeColumns = Set(s.commitments.compactMap { c -> String? in
            if case .collectiveEconomy(let k) = c.kind { return k.rosterIncomeColumn } else { return nil }
        })
        var heads = ["id", "name", "county", "kind"] + roster.attributeNames.map { incomeColumns.contains($0) ? "\($0) (\(unit))" : $0 }
        for (c, _) in details {
            heads += p.years.map { "\(c.id) income \($0) (\(unit))" } + ["\(c.id) supported in"]
        }
        for (c, h) in heads.enumerated() { sheet.set(0, c, .text(h), .header) }
        // Where each roster row sits among a programme's villages.
        let positions: [[Int]] = details.map { _, d in
            var pos = [Int](repeating: -1, count: roster.count)
            for (v, row) in d.kernel.rosterRows.enumerated() { pos[row] = v }
            return pos
        }
        let attributes = roster.attributeNames.map { roster.attributes[$0]! }
        let years = p.years
        let kinds = (l[.village], l[.community])
        // A county's text by its number (not `roster.counties`, which makes an array of one text per row).
        let ids = roster.ids, names = roster.names, community = roster.isCommunity
        let countySpellings = roster.countySpellings, countyCodes = roster.countyCodes
        let detailData = details.map { $0.1 }
        // A roster's own columns carry no unit, except the income column a programme reads (money); incomes are
        // money and the year first supported is a year (0: never).
        let moneyAttributes = roster.attributeNames.map { incomeColumns.contains($0) }
        let numberRoles: [CellRole] = roster.attributeNames.map { incomeColumns.contains($0) ? .money : .number }
            + detailData.flatMap { _ in Array(repeating: CellRole.money, count: years.count) + [.year] }
        // Each number column as where its values come from, worked out once: a roster row's cell is then a
        // lookup, with no per-row copy of a programme's arrays.
        let attributeColumns = zip(attributes, moneyAttributes).map { a, money in (values: a, divisor: money ? div : 1) }
        let programmes: [(position: [Int], incomes: [[Double]], supported: [Double])] = zip(positions, detailData).map { pos, d in
            let supported = d.kernel.rosterRows.indices.map { v in
                d.supportedYear.count > v && d.supportedYear[v] >= 0 ? Double(years[Int(d.supportedYear[v])]) : 0
            }
            return (pos, d.incomes, supported)
        }
        sheet.stream = ReportStream(startRow: 1, rowCount: roster.count, textColumns: 4, numberRoles: numberRoles) { i, texts, numbers in
            texts[0] = ids[i]
            texts[1] = names[i]
            texts[2] = countySpellings[countyCodes[i]]
            texts[3] = community[i] ? kinds.1 : kinds.0
            numbers.withUnsafeMutableBufferPointer { out in
                var c = 0
                for a in attributeColumns { out[c] = a.values[i] / a.divisor; c += 1 }
                for pr in programmes {
                    let v = pr.position[i]
                    for incomes in pr.incomes { out[c] = v >= 0 ? incomes[v] / div : 0; c += 1 }
                    out[c] = v >= 0 ? pr.supported[v] : 0
                    c += 1
                }
            }
        }
        // One row per roster row (490,000 in the national benchmark): its number formats are numbered first, which
        // saves a byte in each number cell of the file.
        sheet.stream?.formatsFirst = true
        sheet.freeze = (1, 2)
        sheet.columnWidths = [(0, 0, 14), (1, 1, 16), (2, 2, 14), (3, 3, 8), (4, heads.count, 12)]
        return sheet
    }
}
