import Foundation
import FundSimModel
import FundSimEngine
import FundSimReport

/// The projection as one tidy table (commitment, source, year, amount) in CSV, and as JSON.
public enum TidyExport {
    /// CSV with a header; amounts in the scenario's display unit, exact to the fen, the unit named in the
    /// header (`amount_萬元`: 1720.5 is 17,205,000 yuan). Text that a spreadsheet would run as a formula is escaped.
    public static func csv(_ scenario: Scenario, _ p: Projection) -> String {
        var out = "scenario,commitment,title,category,source,year,amount_\(scenario.unit.rawValue)\n"
        for c in p.commitmentFigures() {
            for part in c.bySource {
                for (y, year) in p.years.enumerated() {
                    out += [scenario.slug, c.info.id, c.info.title, c.info.category.rawValue, part.source, String(year),
                            amount(part.amounts[y], scenario.unit)]
                        .map(field).joined(separator: ",") + "\n"
                }
            }
        }
        return out
    }

    /// A CSV field: quoted when needed; text a spreadsheet would run as a formula gets an apostrophe so it
    /// stays text: a leading =, +, -, @, tab or CR, also after leading whitespace (` =1+1`), which
    /// spreadsheets skip. A plain number (`-5`) is left alone.
    public static func field(_ s: String) -> String {
        var v = s
        let start = v.drop { $0 != "\t" && $0 != "\r" && $0.isWhitespace }
        if let f = start.first, "=+-@\t\r".contains(f), Double(start) == nil { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            v = "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    static func fen(_ v: Double) -> String { String(format: "%.2f", Money.fen(v)) }

    /// Yuan in `unit`, exact to the fen (6 decimals in 萬元, 10 in 億元), without trailing zeros: `1720.5`.
    static func amount(_ yuan: Double, _ unit: DisplayUnit) -> String {
        let decimals = 2 + Int(log10(unit.divisor).rounded())
        let cents = (Money.fen(yuan) * 100).rounded()
        // From whole fen, so that the text is exact: 1,234,567 fen is 123.4567 萬元.
        let negative = cents < 0
        let digits = String(format: "%.0f", abs(cents))
        let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
        var text = String(padded.dropLast(decimals)) + "." + String(padded.suffix(decimals))
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return (negative && text != "0" ? "-" : "") + text
    }

    /// JSON with the scenario's metadata, every commitment's cost and split, each source's gap, and the checks.
    ///
    /// Encoded by `JSONEncoder` from the `Codable` types below: keys sorted (so the same scenario gives the
    /// same bytes), amounts in yuan rounded to the fen whatever the display unit, for programs to read:
    /// `unit` says `yuan`, and `display_unit` names the unit people read the scenario in.
    public static func json(_ scenario: Scenario, _ p: Projection) -> String {
        let cs = p.commitmentFigures()
        let categories = p.categoryTotals(cs)
        var total = [Double](repeating: 0, count: p.years.count)
        for c in categories { for i in total.indices { total[i] += c.amounts[i] } }
        let labels = Labels(scenario.language, unit: scenario.unit)
        let totals = p.totalFigures(cs)
        let document = TidyJSON(
            scenario: scenario.slug, title: scenario.title, region: scenario.region, jurisdiction: scenario.jurisdictionName,
            variant: scenario.isVariant, years: p.years, unit: "yuan", displayUnit: scenario.unit.rawValue,
            total: TidyJSON.amounts(total),
            sourced: TidyJSON.amounts(totals.sourced), assumed: TidyJSON.amounts(totals.assumed),
            newMoney: TidyJSON.amounts(totals.newMoney), continuingMoney: TidyJSON.amounts(totals.continuingMoney),
            unsplitMoney: TidyJSON.amounts(totals.unsplit),
            categories: TidyJSON.Amounts(categories.map { ($0.category.rawValue, $0.amounts) }),
            commitments: cs.map { c in
                .init(id: c.info.id, title: c.info.title, kind: c.info.kind, category: c.info.category.rawValue,
                      cost: TidyJSON.amounts(c.cost), bySource: TidyJSON.Amounts(c.bySource.map { ($0.source, $0.amounts) }),
                      sourced: TidyJSON.amounts(c.sourced), assumed: TidyJSON.amounts(c.assumed), basis: c.info.basis?.rawValue)
            },
            sources: p.sourceFigures(cs).map { s in
                let budgeted = s.envelope != nil && s.gap != nil
                return .init(name: s.info.name, committed: TidyJSON.amounts(s.committed),
                             envelope: budgeted ? s.envelope.map(TidyJSON.amounts) : nil, gap: budgeted ? s.gap.map(TidyJSON.amounts) : nil,
                             status: s.status.map(TidyJSON.Source.word),
                             surplus: budgeted ? TidyJSON.amounts(s.status.map(\.surplus)) : nil,
                             unbudgeted: budgeted ? nil : TidyJSON.amounts(s.status.map(\.unbudgeted)),
                             sourced: TidyJSON.amounts(s.sourced), assumed: TidyJSON.amounts(s.assumed))
            },
            checks: p.checkResults().map { r in
                var assumptions: [String] = []
                if case .assumptions(let rows) = r.basis { assumptions = rows }
                return .init(id: r.info.id, title: labels.text(r.info.title), passed: r.passed, failingYears: r.failingYears,
                             decidedBy: r.basis.isSeed ? "seed" : "assumptions", assumptions: assumptions)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every field is a string, number, bool or array of them: encoding cannot fail.
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// The JSON export's shape.
struct TidyJSON: Encodable {
    var scenario, title, region, jurisdiction: String
    var variant: Bool
    var years: [Int]
    /// The unit of every amount in the file: always `yuan`.
    var unit: String
    /// The unit the scenario's reports show money in (`萬元`), for a program that wants to show it the same way.
    var displayUnit: String
    var total: [Double]
    /// The total's parts that rest only on the seed, and on at least one assumption.
    var sourced, assumed: [Double]
    /// The total by money basis.
    var newMoney, continuingMoney, unsplitMoney: [Double]
    var categories: Amounts
    var commitments: [Commitment]
    var sources: [Source]
    var checks: [Check]

    enum CodingKeys: String, CodingKey {
        case scenario, title, region, jurisdiction, variant, years, unit, displayUnit = "display_unit", total, sourced, assumed, categories, commitments, sources, checks
        case newMoney = "new_money", continuingMoney = "continuing_money", unsplitMoney = "unsplit_money"
    }

    struct Commitment: Encodable {
        var id, title, kind, category: String
        var cost: [Double]
        var bySource: Amounts
        var sourced, assumed: [Double]
        /// `whole`, `increase`, `new`, `continuing`; null for kinds without a basis (capital programmes: new money).
        var basis: String?
        enum CodingKeys: String, CodingKey { case id, title, kind, category, cost, bySource = "by_source", sourced, assumed, basis }
    }

    struct Source: Encodable {
        var name: String
        var committed: [Double]
        var envelope: [Double]?
        var gap: [Double]?
        /// Per year: `gap`, `surplus` or `unbudgeted` (no envelope; never a gap of 0).
        var status: [String]
        var surplus: [Double]?
        var unbudgeted: [Double]?
        var sourced, assumed: [Double]

        static func word(_ s: FundingStatus) -> String {
            switch s {
            case .gap: return "gap"
            case .surplus: return "surplus"
            case .unbudgeted: return "unbudgeted"
            }
        }
    }

    struct Check: Encodable {
        var id, title: String
        var passed: Bool
        var failingYears: [Int]
        /// `seed` when every figure the check reads is cited, else `assumptions` (listed).
        var decidedBy: String
        var assumptions: [String]
        enum CodingKeys: String, CodingKey { case id, title, passed, failingYears = "failing_years", decidedBy = "decided_by", assumptions }
    }

    /// Yearly amounts by name (category or source), as a JSON object.
    struct Amounts: Encodable {
        var entries: [(name: String, amounts: [Double])]
        init(_ entries: [(String, [Double])]) { self.entries = entries.map { ($0.0, TidyJSON.amounts($0.1)) } }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            for e in entries { try c.encode(e.amounts, forKey: Key(stringValue: e.name)) }
        }
    }

    /// Amounts in yuan to the fen; a negative zero is written as 0.
    static func amounts(_ v: [Double]) -> [Double] { v.map { Money.fen($0) + 0 } }
}
