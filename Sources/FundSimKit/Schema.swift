import Foundation
import FundSimModel

/// The JSON Schema of scenario files; `fundsim schema` prints it and `docs/scenario.schema.json` is a copy
/// (a test keeps the two equal). The commitment kinds' part is generated from their declarations
/// (`CommitmentKindSpec.all`).
public enum ScenarioSchema {
    public static let json = before + "\n" + commitmentDefinition + after

    /// Every way of naming the display unit, from the unit table: the money units' spellings, then their names.
    static var displayUnitNames: [String] {
        let money = UnitTable.all.filter { $0.measure == .money }
        return money.flatMap(\.spellings) + money.flatMap(\.names)
    }

    /// `["a", "b"]` as JSON writes it on one line.
    static func jsonList(_ items: [String]) -> String {
        "[" + items.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }

    private static let before = #"""
{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://fundsim.local/scenario.schema.json",
  "title": "FundSim scenario",
  "description": "A multi-year funding scenario: inputs, funding sources, commitments and checks. See docs/scenario-format.md.",
  "type": "object",
  "additionalProperties": false,
  "if": {"not": {"required": ["extends"]}},
  "then": {"required": ["title", "years", "sources"],
           "properties": {"commitments": {"items": {"required": ["id", "kind", "funding"]}}}},
  "properties": {
    "fundsim": {"description": "Format version.", "enum": [1, "1"]},
    "extends": {"type": "string", "description": "A base scenario this variant overrides (path relative to this file)."},
    "remove": {"type": "array", "items": {"type": "string"}, "description": "Ids of inputs, sources, commitments or checks of the base to drop."},
    "title": {"type": "string"},
    "region": {"type": "string"},
    "jurisdiction": {"type": "string", "minLength": 1, "description": "The place the scenario is about: the roll-up counts each jurisdiction once (default: the title). See docs/scenario-format.md."},
    "description": {"type": "string"},
    "years": {"description": "Projection years, e.g. 2016-2020.",
      "oneOf": [{"type": "string", "pattern": "^\\s*[0-9]{4}\\s*(-|–|\\.\\.)\\s*[0-9]{4}\\s*$"}, {"type": "integer"},
                {"type": "object", "additionalProperties": false, "required": ["from", "to"],
                 "properties": {"from": {"type": "integer"}, "to": {"type": "integer"}}}]},
    "base_year": {"type": "integer"},
    "currency": {"enum": ["yuan", "元", "CNY", "RMB"]},
    "unit": {"enum": \#(jsonList(displayUnitNames))},
    "language": {"enum": \#(jsonList(ReportLanguage.allCases.map(\.rawValue)))},
    "created": {"type": "string", "description": "Creation date written into the workbook, for reproducible files (YYYY-MM-DD)."},
    "document": {"type": "string", "description": "The seed document `cite:` quotes come from (default: the only .txt in seeds/)."},
    "roster": {"type": "string", "description": "A roster CSV (one row per village or community), relative to this file. See docs/roster.md."},
    "actuals": {"type": "string", "description": "An actuals CSV (what was spent and done in past years: year, commitment, source, measure, value, cite, note), relative to this file. See docs/actuals.md."},
    "inputs": {"type": ["object", "null"], "additionalProperties": {"$ref": "#/definitions/input"},
      "propertyNames": {"pattern": "^[^0-9\\s.:+\\-*/^()=<>!,][^\\s.:+\\-*/^()=<>!,]*$"}},
    "sources": {"type": ["object", "null"], "additionalProperties": {"$ref": "#/definitions/source"}},
    "commitments": {"type": ["array", "null"], "items": {"$ref": "#/definitions/commitment"}},
    "checks": {"type": ["array", "null"], "items": {"$ref": "#/definitions/check"}}
  },
  "definitions": {
    "figureText": {"type": ["string", "number"], "description": "A figure as people write it: 4.2萬, 1.2億, 17400萬, 200元, 9%, 1,000."},
    "cite": {"oneOf": [{"type": "string", "minLength": 1},
                        {"type": "object", "additionalProperties": false, "required": ["quote"],
                         "properties": {"quote": {"type": "string"}, "file": {"type": "string"}}},
                        {"type": "array", "items": {"$ref": "#/definitions/cite"}}]},
    "figure": {"oneOf": [{"$ref": "#/definitions/figureText"},
                          {"type": "object", "additionalProperties": false, "required": ["value"],
                           "properties": {"value": {"$ref": "#/definitions/figureText"}, "cite": {"$ref": "#/definitions/cite"},
                                          "assumption": {"type": "string"}}}]},
    "series": {"description": "A figure, an expression, or one of value/by_year/growth/path/step/expr.",
      "oneOf": [
        {"$ref": "#/definitions/figureText"},
        {"type": "object", "required": ["value"], "properties": {"value": {"$ref": "#/definitions/figure"}}},
        {"type": "object", "required": ["by_year"], "properties": {"by_year": {"type": "object", "propertyNames": {"pattern": "^[0-9]{4}$"},
          "additionalProperties": {"$ref": "#/definitions/figure"}}}},
        {"type": "object", "required": ["growth"], "properties": {"growth": {"type": "object", "additionalProperties": false, "required": ["base", "rate"],
          "properties": {"base": {"$ref": "#/definitions/figure"}, "rate": {"$ref": "#/definitions/figure"}, "from": {"type": "integer"},
                         "cite": {"$ref": "#/definitions/cite"}, "assumption": {"type": "string"}}}}},
        {"type": "object", "required": ["path"], "properties": {"path": {"type": "object", "additionalProperties": false, "required": ["from", "by"],
          "properties": {"from": {"$ref": "#/definitions/figure"}, "to": {"$ref": "#/definitions/figure"}, "rise": {"$ref": "#/definitions/figure"},
                         "start": {"type": "integer"}, "by": {"type": "integer"}, "method": {"enum": ["linear", "compound"]},
                         "cite": {"$ref": "#/definitions/cite"}, "assumption": {"type": "string"}}}}},
        {"type": "object", "required": ["step"], "properties": {"step": {"type": "object", "additionalProperties": false, "required": ["before", "after", "year"],
          "properties": {"before": {"$ref": "#/definitions/figure"}, "after": {"$ref": "#/definitions/figure"}, "year": {"type": "integer"},
                         "cite": {"$ref": "#/definitions/cite"}, "assumption": {"type": "string"}}}}},
        {"type": "object", "required": ["expr"], "properties": {"expr": {"type": "string"}}}
      ]},
    "input": {"anyOf": [{"type": "object", "required": ["roster"], "properties": {"roster": {"enum": ["count", "sum"]}, "where": {"type": "string"}, "of": {"type": "string"}}},
      {"allOf": [{"$ref": "#/definitions/series"}]}], "allOf": [{"$ref": "#/definitions/inputKeys"}]},
    "inputKeys": {"allOf": [
      {"if": {"type": "object"}, "then": {"propertyNames": {"enum": ["value", "by_year", "growth", "path", "step", "expr", "cite", "assumption",
        "title", "unit", "range", "distribution", "note", "roster", "where", "of"]},
        "properties": {"title": {"type": "string"}, "unit": {"type": "string"}, "cite": {"$ref": "#/definitions/cite"}, "assumption": {"type": "string"},
          "range": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"$ref": "#/definitions/figureText"}},
          "distribution": {"$ref": "#/definitions/distribution"}, "note": {"type": "string"}}}}]},
    "distribution": {"type": "object", "additionalProperties": false, "minProperties": 1, "maxProperties": 1,
      "properties": {"uniform": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"$ref": "#/definitions/figureText"}},
                     "triangular": {"type": "array", "minItems": 3, "maxItems": 3, "items": {"$ref": "#/definitions/figureText"}},
                     "normal": {"type": "object", "additionalProperties": false, "required": ["mean", "sd"],
                       "properties": {"mean": {"$ref": "#/definitions/figureText"}, "sd": {"$ref": "#/definitions/figureText"},
                                      "low": {"$ref": "#/definitions/figureText"}, "high": {"$ref": "#/definitions/figureText"}}}}},
    "parameter": {"description": "An input's name, an expression, an inline figure, or an inline series.",
      "$ref": "#/definitions/input"},
    "source": {"type": ["object", "null"], "additionalProperties": false,
      "properties": {"title": {"type": "string"}, "envelope": {"$ref": "#/definitions/parameter"},
                     "cite": {"$ref": "#/definitions/cite"}, "assumption": {"type": "string"}}},
    "funding": {"oneOf": [{"type": "string"},
      {"type": "object", "minProperties": 1, "additionalProperties": {"anyOf": [{"const": "rest"}, {"$ref": "#/definitions/parameter"}]},
       "properties": {"cite": {"$ref": "#/definitions/cite"}, "assumption": {"type": "string"}}}]},
"""#

    private static let after = #"""
    "check": {"type": "object", "additionalProperties": false, "required": ["id", "assert"],
      "properties": {"id": {"type": "string"}, "title": {"type": "string"}, "assert": {"type": "string"}, "note": {"type": "string"},
                     "years": {"type": ["string", "integer"]}, "from": {"type": "integer"}, "in": {"type": "integer"},
                     "cite": {"$ref": "#/definitions/cite"}, "assumption": {"type": "string"}}}
  }
}

"""#

    /// `"commitment": {…},` — the keys every commitment takes, and each kind's keys, units and required keys.
    static var commitmentDefinition: String {
        let kinds = CommitmentKindSpec.all
        var out = #"    "commitment": {"type": "object", "required": ["id"],"# + "\n"
        out += #"      "properties": {"# + "\n"
        out += #"        "id": {"type": "string", "pattern": "^[^0-9\\s.:+\\-*/^()=<>!,][^\\s.:+\\-*/^()=<>!,]*$"},"# + "\n"
        out += #"        "title": {"type": "string"}, "note": {"type": "string"},"# + "\n"
        out += #"        "kind": {"enum": "# + list(kinds.map(\.key)) + "},\n"
        out += #"        "category": {"enum": "# + list(Category.allCases.map(\.rawValue)) + "},\n"
        out += ##"        "funding": {"$ref": "#/definitions/funding"},"## + "\n"
        out += ##"        "cite": {"$ref": "#/definitions/cite"}, "assumption": {"type": "string"}"## + "\n"
        out += "      },\n"
        out += #"      "allOf": ["# + "\n"
        out += kinds.map(kindClause).joined(separator: ",\n") + "\n"
        out += "      ]},\n"
        return out
    }

    /// `{"if": kind is K, "then": K's keys}`.
    static func kindClause(_ k: CommitmentKindSpec) -> String {
        var then: [String] = []
        let required = k.fields.filter { $0.requirement == .required }.map(\.key)
        if !required.isEmpty { then.append(#""required": "# + list(required)) }
        var groups: [[String]] = []
        for f in k.fields { if case .oneOf(let g) = f.requirement, !groups.contains(g) { groups.append(g) } }
        for g in groups { then.append(#""oneOf": ["# + g.map { #"{"required": ["\#($0)"]}"# }.joined(separator: ", ") + "]") }
        then.append(#""propertyNames": {"enum": "# + list(CommitmentKindSpec.commonKeys + k.fields.map(\.key)) + "}")
        then.append(#""properties": {"# + k.fields.map { "\n            " + property($0) }.joined(separator: ",") + "}")
        return #"        {"if": {"required": ["kind"], "properties": {"kind": {"const": ""# + k.key + #""}}}, "then": {"#
            + then.joined(separator: ",\n          ") + "}}"
    }

    static func property(_ f: FieldSpec) -> String {
        "\"\(f.key)\": " + schema(f, described: true)
    }

    static func schema(_ f: FieldSpec, described: Bool) -> String {
        let description = described ? #", "description": "# + quoted(f.doc) : ""
        switch f.shape {
        case .parameter: return ##"{"$ref": "#/definitions/parameter""## + description + "}"
        case .parameterOrRest: return ##"{"anyOf": [{"const": "rest"}, {"$ref": "#/definitions/parameter"}]"## + description + "}"
        case .figure: return ##"{"$ref": "#/definitions/figureText""## + description + "}"
        case .year: return #"{"type": "integer""# + description + "}"
        case .text: return #"{"type": "string""# + description + "}"
        case .flag: return #"{"type": ["boolean", "string"]"# + description + "}"
        case .choice(let values): return #"{"enum": "# + list(values) + description + "}"
        case .mapping(let subs): return object(subs) .dropLast() + description + "}"
        case .list(let subs):
            let min = f.requirement == .required ? #", "minItems": 1"# : ""
            return #"{"type": "array""# + min + #", "items": "# + object(subs) + description + "}"
        }
    }

    /// A mapping of these keys plus `cite`/`assumption`, nothing else.
    static func object(_ subs: [FieldSpec]) -> String {
        let required = subs.filter { $0.requirement == .required }.map(\.key)
        let props = subs.map(property) + [##""cite": {"$ref": "#/definitions/cite"}"##, #""assumption": {"type": "string"}"#]
        return #"{"type": "object", "additionalProperties": false, "# + (required.isEmpty ? "" : #""required": "# + list(required) + ", ")
            + #""properties": {"# + props.joined(separator: ", ") + "}}"
    }

    static func list(_ items: [String]) -> String { "[" + items.map(quoted).joined(separator: ", ") + "]" }

    /// A JSON string literal (JSONEncoder escapes it; slashes and non-ASCII stay as written).
    static func quoted(_ s: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(s)).flatMap { String(data: $0, encoding: .utf8) } ?? "\"\""
    }
}
