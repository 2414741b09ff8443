import FundSimModel

/// The reference tables of docs/scenario-format.md for each commitment kind, written from the kinds'
/// declarations. The docs hold each table between `<!-- kind KEY … -->` and `<!-- end kind KEY -->`;
/// `KindTests` fails when they drift and rewrites them under FUNDSIM_RECORD=1.
public enum KindReference {
    public static func begin(_ k: CommitmentKindSpec) -> String {
        "<!-- kind \(k.key): generated from Sources/FundSimModel/Kinds; FUNDSIM_RECORD=1 swift test --filter KindTests rewrites it -->"
    }

    public static func end(_ k: CommitmentKindSpec) -> String { "<!-- end kind \(k.key) -->" }

    /// The block for one kind, markers included.
    public static func markdown(_ k: CommitmentKindSpec) -> String {
        var out = [begin(k), table(k.fields, top: true)]
        for f in k.fields where !f.subfields.isEmpty {
            out.append("`\(f.key)`" + (f.shape.isList ? ": each item is a mapping" : " is a mapping") + " of:")
            out.append(table(f.subfields, top: false))
        }
        var seen: [String] = []
        var rows: [String] = []
        for r in k.rows where !seen.contains(r.field) {
            seen.append(r.field)
            let notes = k.rows.filter { $0.field == r.field }.compactMap(\.when)
            let field = r.field.replacingOccurrences(of: "{n}", with: "N")
            rows.append("`\(field)` (\(r.measure.rawValue)" + (notes.isEmpty ? "" : "; " + notes.joined(separator: "; ")) + ")")
        }
        out.append("Fields (`ID.FIELD`; N numbers bands, thresholds or targets from 1): " + rows.joined(separator: ", ") + ".")
        out.append("Category by default: `\(k.category.rawValue)`. Re-forecast from actuals (`\(k.reforecast.method.rawValue)`): \(k.reforecast.doc). "
                   + "Measures an actual may record: " + k.reforecast.measures.map { "`\($0.key.replacingOccurrences(of: "{n}", with: "N"))` (\($0.measure.rawValue)\($0.bySource ? ", by source" : ""))" }.joined(separator: ", ")
                   + "; see [actuals.md](actuals.md).")
        out.append(end(k))
        return out.joined(separator: "\n\n")
    }

    static func table(_ fields: [FieldSpec], top: Bool) -> String {
        var lines = ["| key | unit | required | meaning |", "|---|---|---|---|"]
        for f in fields {
            lines.append("| `\(f.key)` | \(unit(f)) | \(required(f)) | \(f.doc) |")
        }
        if !top { lines.append("| `cite`, `assumption` | | no | provenance |") }
        return lines.joined(separator: "\n")
    }

    static func unit(_ f: FieldSpec) -> String {
        switch f.shape {
        case .parameter(let m), .figure(let m): return m.rawValue
        case .parameterOrRest(let m): return "\(m.rawValue) or `rest`"
        case .year: return "year"
        case .text: return "text"
        case .flag: return "true/false"
        case .choice(let v): return v.map { "`\($0)`" }.joined(separator: " or ")
        case .mapping: return "mapping"
        case .list: return "list"
        }
    }

    static func required(_ f: FieldSpec) -> String {
        switch f.requirement {
        case .required: return "yes"
        case .optional: return "no"
        case .oneOf(let g): return "one of " + g.map { "`\($0)`" }.joined(separator: "/")
        }
    }

    /// Replaces every kind's block in a document; nil when a block's markers are missing.
    public static func rewrite(_ doc: String) -> String? {
        var text = doc
        for k in CommitmentKindSpec.all {
            guard let a = text.range(of: begin(k)), let b = text.range(of: end(k), range: a.upperBound..<text.endIndex) else { return nil }
            text.replaceSubrange(a.lowerBound..<b.upperBound, with: markdown(k))
        }
        return text
    }
}

extension FieldSpec.Shape {
    var isList: Bool { if case .list = self { return true } else { return false } }
}
