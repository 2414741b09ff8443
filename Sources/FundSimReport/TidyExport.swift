import Foundation
import FundSimModel
import FundSimEngine

/// The projection as one tidy table (commitment, source, year, amount) in CSV, and as JSON.
public enum TidyExport {
    /// CSV with a header; amounts in yuan to the fen. Text that a spreadsheet would run as a formula is escaped.
    public static func csv(_ scenario: Scenario, _ p: Projection) -> String {
        var out = "scenario,commitment,title,category,source,year,amount_yuan\n"
        for c in p.commitmentFigures() {
            for part in c.bySource {
                for (y, year) in p.years.enumerated() {
                    out += [scenario.slug, c.info.id, c.info.title, c.info.category.rawValue, part.source, String(year), fen(part.amounts[y])]
                        .map(field).joined(separator: ",") + "\n"
                }
            }
        }
        return out
    }

    /// A CSV field: quoted when needed; a leading =, +, -, @ (or tab/CR) gets an apostrophe so it stays text.
    public static func field(_ s: String) -> String {
        var v = s
        if let f = v.first, "=+-@\t\r".contains(f), Double(v) == nil { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            v = "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    static func fen(_ v: Double) -> String { String(format: "%.2f", Money.fen(v)) }

    /// JSON with the scenario's metadata, every commitment's cost and split, each source's gap, and the checks.
    public static func json(_ scenario: Scenario, _ p: Projection) -> String {
        let cs = p.commitmentFigures()
        let ss = p.sourceFigures(cs)
        func num(_ v: Double) -> String { fen(v) }
        func arr(_ a: [Double]) -> String { "[" + a.map(num).joined(separator: ", ") + "]" }
        func str(_ s: String) -> String {
            var o = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": o += "\\\""
                case "\\": o += "\\\\"
                case "\n": o += "\\n"
                case "\r": o += "\\r"
                case "\t": o += "\\t"
                default:
                    if u.value < 0x20 { o += String(format: "\\u%04x", u.value) } else { o.unicodeScalars.append(u) }
                }
            }
            return o + "\""
        }
        var o = "{\n"
        o += "  \"scenario\": \(str(scenario.slug)),\n  \"title\": \(str(scenario.title)),\n  \"region\": \(str(scenario.region)),\n"
        o += "  \"years\": [" + p.years.map(String.init).joined(separator: ", ") + "],\n  \"unit\": \"yuan\",\n"
        o += "  \"total\": \(arr(p.categoryTotals(cs).reduce(into: [Double](repeating: 0, count: p.years.count)) { acc, c in for i in acc.indices { acc[i] += c.amounts[i] } }.map(Money.fen))),\n"
        o += "  \"categories\": {" + p.categoryTotals(cs).map { "\(str($0.category.rawValue)): \(arr($0.amounts))" }.joined(separator: ", ") + "},\n"
        o += "  \"commitments\": [\n" + cs.map { c in
            "    {\"id\": \(str(c.info.id)), \"title\": \(str(c.info.title)), \"kind\": \(str(c.info.kind)), \"category\": \(str(c.info.category.rawValue)), \"cost\": \(arr(c.cost)), \"by_source\": {"
                + c.bySource.map { "\(str($0.source)): \(arr($0.amounts))" }.joined(separator: ", ") + "}}"
        }.joined(separator: ",\n") + "\n  ],\n"
        o += "  \"sources\": [\n" + ss.map { s in
            var f = "    {\"name\": \(str(s.info.name)), \"committed\": \(arr(s.committed))"
            if let e = s.envelope, let g = s.gap { f += ", \"envelope\": \(arr(e)), \"gap\": \(arr(g))" }
            return f + "}"
        }.joined(separator: ",\n") + "\n  ],\n"
        let labels = Labels(scenario.language)
        o += "  \"checks\": [\n" + p.checkResults().map { c in
            let title: String = labels.text(c.info.title)
            return "    {\"id\": \(str(c.info.id)), \"title\": \(str(title)), \"passed\": \(c.passed), \"failing_years\": [" + c.failingYears.map(String.init).joined(separator: ", ") + "]}"
        }.joined(separator: ",\n") + "\n  ]\n}\n"
        return o
    }
}
