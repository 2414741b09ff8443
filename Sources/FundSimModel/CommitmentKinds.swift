/// Every commitment kind, declared once.
///
/// A kind's declaration states its YAML key, the keys it takes (with their units and whether they are
/// required), the rows it adds to the model (with their label keys and units), its default category and how
/// it re-forecasts from actuals. The decoder's allowed keys and units, the compiler's row names and labels,
/// the JSON Schema (`fundsim schema`), the starter and the reference tables in docs/scenario-format.md are all
/// driven from here; docs/adding-a-commitment-kind.md says how to add one.
public struct CommitmentKindSpec: Sendable {
    /// The `kind:` value in a scenario file.
    public let key: String
    /// One line for the reference: what the kind models.
    public let summary: String
    public let category: Category
    /// The keys the kind takes besides the keys every commitment has.
    public let fields: [FieldSpec]
    /// The rows (`ID.FIELD`) the kind can add to the model, in display order.
    public let rows: [RowSpec]
    public let reforecast: ReforecastRule

    public func field(_ key: String) -> FieldSpec? { fields.first { $0.key == key } }

    /// A key the declaration states; asking for one it does not state is a programming error.
    public subscript(_ key: String) -> FieldSpec {
        guard let f = field(key) else { preconditionFailure("`\(self.key)` declares no key `\(key)`") }
        return f
    }
}

/// A key of a commitment kind (or of a mapping inside one).
public struct FieldSpec: Sendable {
    public enum Shape: Sendable {
        /// The name of an input, an expression, an inline figure or an inline series, of this unit.
        case parameter(Measure)
        /// `rest`, or a parameter of this unit.
        case parameterOrRest(Measure)
        /// A figure written in the file (no expression), of this unit.
        case figure(Measure)
        case year
        case text
        case flag
        case choice([String])
        /// A mapping of these keys (and `cite`/`assumption`).
        case mapping([FieldSpec])
        /// A list of mappings of these keys (each may carry `cite`/`assumption`).
        case list([FieldSpec])
    }
    public enum Requirement: Sendable, Equatable {
        case required, optional
        /// Exactly one of the keys of the group is required.
        case oneOf([String])
    }
    public let key: String
    public let shape: Shape
    public let requirement: Requirement
    public let doc: String
    /// For a parameter written inline: the name of the input it becomes (`ID:input`) and that input's label.
    public let input: String?
    public let inputLabel: LabelKey?

    public init(_ key: String, _ shape: Shape, _ requirement: Requirement, _ doc: String, input: String? = nil, inputLabel: LabelKey? = nil) {
        self.key = key
        self.shape = shape
        self.requirement = requirement
        self.doc = doc
        self.input = input ?? (inputLabel != nil ? key : nil)
        self.inputLabel = inputLabel
    }

    /// The unit of a parameter or figure field.
    public var measure: Measure? {
        switch shape {
        case .parameter(let m), .parameterOrRest(let m), .figure(let m): return m
        default: return nil
        }
    }

    /// The keys of a mapping or list field.
    public var subfields: [FieldSpec] {
        switch shape {
        case .mapping(let f), .list(let f): return f
        default: return []
        }
    }

    public func subfield(_ key: String) -> FieldSpec? { subfields.first { $0.key == key } }

    /// A key of this mapping the declaration states; asking for one it does not state is a programming error.
    public subscript(_ key: String) -> FieldSpec {
        guard let f = subfield(key) else { preconditionFailure("`\(self.key)` declares no key `\(key)`") }
        return f
    }
}

extension FieldSpec {
    /// The `basis:` key of a recurring kind, whose base is the kind's key `base` (`base_pay`, `base_rate`, `base_amount`).
    public static func basis(base: String) -> FieldSpec {
        FieldSpec(MoneyBasis.key, .choice(MoneyBasis.allCases.map(\.rawValue)), .optional,
                  "what the cost is: `whole` the whole bill (with `\(base)`, split into continuing money, `\(base)` × quantity, and new money); `increase` only the rise over `\(base)` (new money; needs `\(base)`); `new` the whole bill is new money (no `\(base)`); `continuing` existing money carried on (no `\(base)`). Default: `increase` with `\(base)`, else `whole`")
    }
}

/// A row a commitment adds to the model: `ID.field`, where `{n}` in the field stands for a band, target or
/// threshold number.
public struct RowSpec: Sendable {
    public let field: String
    public let label: LabelKey
    public let measure: Measure
    /// When the row is there, if not always (e.g. "with `floor`").
    public let when: String?

    public init(_ field: String, _ label: LabelKey, _ measure: Measure, when: String? = nil) {
        self.field = field
        self.label = label
        self.measure = measure
        self.when = when
    }

    /// The row's field for number `n` (`band{n}` → `band2`).
    public func field(_ n: Int) -> String {
        // Most rows have no number: their field is returned as it is, without a search (a run of 12,000 commitments asks 100,000 times).
        field.utf8.contains(UInt8(ascii: "{")) ? field.replacingOccurrences(of: "{n}", with: String(n)) : field
    }
}

/// How a kind re-forecasts its remaining years once actuals for past years are known (issue 16): the measures an
/// actuals file may record for it and what the years after them do. docs/engine.md ("Actuals and the
/// re-forecast") works an example of each method.
public struct ReforecastRule: Sendable {
    public enum Method: String, Sendable {
        /// Years with a recorded figure use it; the years after carry the last actual forward and add the
        /// plan's change from year to year (headcount, counts); a pay level never falls below the last one paid.
        case carryForward = "carry_forward"
        /// Completed units are a stock: the years after the actuals build what keeps the stock on the plan's
        /// schedule (with `target`, the rest spread evenly up to `by`); a stock still short at the deadline is a shortfall.
        case catchUp = "catch_up"
        /// Actuals replace the cost of the years they cover; later years keep the plan.
        case replaceYear = "replace_year"
        /// Villages by income band: a year's recorded distribution replaces the projected one, and later years
        /// continue from it.
        case restartDistribution = "restart_distribution"
    }
    public let method: Method
    /// Drivers an actual may record, besides `spent` (every kind takes it).
    public let drivers: [ActualMeasure]
    /// One line for the reference.
    public let doc: String

    public init(_ method: Method, drivers: [ActualMeasure] = [], _ doc: String) {
        self.method = method
        self.drivers = drivers
        self.doc = doc
    }

    /// Every measure an actual of this kind may record: `spent` first, then the drivers.
    public var measures: [ActualMeasure] { [ActualMeasure.spent] + drivers }

    public func measure(_ key: String) -> ActualMeasure? {
        measures.first { $0.key == key || (key.hasPrefix("band") && $0.key == "band{n}" && Int(key.dropFirst(4)) != nil) }
    }
}

/// A measure of an actual (the `measure` column of an actuals file).
public struct ActualMeasure: Sendable, Hashable {
    /// The column's word: `spent`, `headcount`, `units`, `band{n}` (`band1`, `band2`, …).
    public let key: String
    public let measure: Measure
    /// Whether the `source` column may name a funding source (only money that a source paid).
    public let bySource: Bool
    public let label: LabelKey
    public let doc: String

    public init(_ key: String, _ measure: Measure, bySource: Bool = false, label: LabelKey, _ doc: String) {
        self.key = key
        self.measure = measure
        self.bySource = bySource
        self.label = label
        self.doc = doc
    }

    /// Money actually spent on a commitment in a year (執行數), in all or by the source that paid it.
    public static let spent = ActualMeasure("spent", .money, bySource: true, label: "actual.spent",
                                            "money spent in the year (執行數); with `source`, what that source paid")
}

/// Funding rows every commitment has, and the rows of sources and totals (not tied to a kind).
public enum CommonRows {
    public static let share = RowSpec("share.{source}", "row.share", .ratio)
    public static let shareRest = RowSpec("share.{source}", "row.share_rest", .ratio)
    public static let paidBy = RowSpec("to.{source}", "row.paid_by", .money)
    public static let committed = RowSpec("committed", "row.committed", .money)
    public static let envelope = RowSpec("envelope", "row.envelope", .money)
    public static let gap = RowSpec("gap", "row.gap", .money)
    public static let cumulativeGap = RowSpec("cumulative_gap", "row.cumulative_gap", .money)
    public static let total = RowSpec("total", "row.total", .money)
    /// The continuing part of a recurring commitment costed on `basis: whole` with a base: base × quantity.
    public static let continuing = RowSpec("continuing", "row.continuing", .money, when: "with `basis: whole` and a base")
    /// The inline input of a source's envelope (`SOURCE:envelope`), labelled with the source's title.
    public static let envelopeInput: LabelKey = "input.envelope"
    /// The inline input of a funding share (`ID:share.SOURCE`).
    public static let shareInput: LabelKey = "input.share"
    /// A built-in check that a source stays within its envelope.
    public static let envelopeCheckRow: LabelKey = "check.envelope_row"
    public static let envelopeCheckTitle: LabelKey = "check.envelope"
    /// The two sides of a comparison check.
    public static let lhs: LabelKey = "row.lhs"
    public static let rhs: LabelKey = "row.rhs"
}

extension Category {
    /// The label key of the category's total (`category.pay`).
    public var labelKey: LabelKey { LabelKey("category." + rawValue) }
}

extension CommitmentKindSpec {
    /// Every kind, in the order the reference lists them.
    public static let all: [CommitmentKindSpec] = [.cadrePay, .construction, .operatingFund, .lumpSum, .collectiveEconomy]

    public static func named(_ key: String) -> CommitmentKindSpec? { all.first { $0.key == key } }

    /// The keys every commitment takes, whatever its kind.
    public static let commonKeys = ["id", "title", "kind", "category", "funding", "note", "cite", "assumption"]
}
