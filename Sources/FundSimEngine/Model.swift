import FundSimModel

/// The projection model: rows of yearly values, each an input or a formula over other rows.
///
/// Every commitment kind expands into rows whose formulas the evaluator computes and the
/// workbook writes as spreadsheet formulas, so both give the same numbers by construction.
public struct Model: Sendable {
    public var years: [Int]
    public var rows: [Row]
    /// Row index by id (`村主職報酬`, `principal_pay.cost`, `市財政.gap`).
    public var index: [String: Int]
    /// Rows in an order in which every same-year dependency comes first.
    public var order: [Int]
    public var commitments: [CommitmentInfo]
    public var sources: [SourceInfo]
    public var checks: [CheckInfo]

    public func row(_ id: String) -> Row? { index[id].map { rows[$0] } }
}

/// One line of the model.
public struct Row: Sendable {
    public enum Definition: Sendable {
        /// One input value for every year.
        case scalar(Double)
        /// An input value per year.
        case series([Double])
        // An actual (issue 16) is a series whose years without a recorded figure are `.nan`: a blank cell on the
        // Actuals sheet. Only `Formula.recorded` reads such a row.
        /// Computed per year.
        case formula(Formula)
    }

    /// Where the row belongs in reports.
    public enum Section: Hashable, Sendable {
        case input
        case commitment(String)
        /// A commitment's recorded actuals (the Actuals sheet).
        case actual(String)
        case funding(String)
        case source(String)
        case total
        case check
    }

    public var id: String
    /// What the row is, for the report's label catalogue; user text stays as written.
    public var label: RowLabel
    /// The commitment or source the row's figure belongs to (for an input written inline, the commitment
    /// or source it was written in).
    public var owner: RowOwner?
    /// The row's field within its owner: `pay_standard`, `share.市財政`; for an inline input, its key (`pay`).
    public var field: String?
    public var dimension: Measure
    public var section: Section
    public var definition: Definition
    public var provenance: [Provenance]
    public var location: SourceLocation?
    /// For input rows written as a growth/path/step: the parameters shown beside the row.
    public var note: String?
    /// The input's range for sensitivity (absolute values), and its distribution for Monte Carlo.
    public var range: ClosedRange<Double>?
    public var distribution: Distribution?

    /// Whether the row is one of the scenario's inputs (a figure, not a formula). Recorded actuals are not: they
    /// are read only through `Formula.recorded` and written only by the Actuals sheet, never compared, varied or pulled.
    public var isInput: Bool {
        if case .actual = section { return false }
        if case .formula = definition { return false }
        return true
    }
}

/// A formula over rows, resolved to row indices.
public indirect enum Formula: Sendable, Hashable {
    case constant(Double)
    /// Another row's value in the same year.
    case row(Int)
    /// Another row's value in the year before; `initial` stands for it in the first year.
    case previous(Int, initial: Formula)
    /// The calendar year of the column.
    case year
    case negate(Formula)
    case binary(BinaryOperator, Formula, Formula)
    case call(Function, [Formula])
    /// Output `output` of a per-village roster model, computed by the engine.
    case kernel(RosterKernel, output: Int)
    /// The sum of the actuals recorded this year in these rows (rows whose blank years are `.nan`), or
    /// `otherwise` when none of them holds one: a spreadsheet's `IF(COUNT(a,b)>0,SUM(a,b),otherwise)`.
    case recorded([Int], otherwise: Formula)

    /// Rows this formula needs in the same year.
    public func sameYearDependencies(into out: inout [Int]) {
        switch self {
        case .constant, .year: break
        case .row(let i): out.append(i)
        case .previous(_, let initial): initial.sameYearDependencies(into: &out)
        case .negate(let a): a.sameYearDependencies(into: &out)
        case .binary(_, let a, let b): a.sameYearDependencies(into: &out); b.sameYearDependencies(into: &out)
        case .call(_, let args): for a in args { a.sameYearDependencies(into: &out) }
        case .kernel(let k, _): for p in k.parameters { p.sameYearDependencies(into: &out) }
        case .recorded(let rows, let otherwise): out += rows; otherwise.sameYearDependencies(into: &out)
        }
    }

    public func allRows(into out: inout Set<Int>) {
        switch self {
        case .constant, .year: break
        case .row(let i): out.insert(i)
        case .previous(let i, let initial): out.insert(i); initial.allRows(into: &out)
        case .negate(let a): a.allRows(into: &out)
        case .binary(_, let a, let b): a.allRows(into: &out); b.allRows(into: &out)
        case .call(_, let args): for a in args { a.allRows(into: &out) }
        case .kernel(let k, _): for p in k.parameters { p.allRows(into: &out) }
        case .recorded(let rows, let otherwise): out.formUnion(rows); otherwise.allRows(into: &out)
        }
    }
}

public struct CommitmentInfo: Sendable {
    public var id: String
    public var title: String
    public var kind: String
    public var category: Category
    /// Row ids of this commitment's lines, in display order.
    public var rows: [String]
    public var costRow: String
    /// Row ids of the amount each source pays, by source name, in source order.
    public var amountRows: [(source: String, row: String)]
    public var provenance: [Provenance]
    /// The money basis of a recurring kind (`basis:`, or its default); nil for capital programmes (new money).
    public var basis: MoneyBasis?
    /// With `basis: whole` and a base: the row of the continuing part (base × quantity).
    public var continuingRow: String?

    public init(id: String, title: String, kind: String, category: Category, rows: [String], costRow: String,
                amountRows: [(source: String, row: String)], provenance: [Provenance], basis: MoneyBasis? = nil, continuingRow: String? = nil) {
        self.id = id
        self.title = title
        self.kind = kind
        self.category = category
        self.rows = rows
        self.costRow = costRow
        self.amountRows = amountRows
        self.provenance = provenance
        self.basis = basis
        self.continuingRow = continuingRow
    }
}

public struct SourceInfo: Sendable {
    public var name: String
    public var title: String
    public var committedRow: String
    public var envelopeRow: String?
    public var gapRow: String?
    public var cumulativeGapRow: String?
}

public struct CheckInfo: Sendable {
    public var id: String
    /// The check's title: the author's, or a catalogue phrase for built-in and target checks.
    public var title: RowLabel
    public var row: String
    /// The years the check applies to.
    public var years: ClosedRange<Int>
    /// Rows holding the two sides of the comparison, when the assertion is one.
    public var lhsRow: String?
    public var rhsRow: String?
    public var builtIn: Bool
    public var provenance: [Provenance]
    public var location: SourceLocation?
}

extension Model {
    /// Input rows (section `.input`) that no cost line, funding share, source, total or check depends on,
    /// directly or through other rows: figures the scenario states but that reach nothing it computes
    /// (background). In row order.
    public func backgroundInputs() -> [Int] {
        var reached = Set<Int>(), stack: [Int] = []
        for (i, row) in rows.enumerated() where row.section != .input {
            if reached.insert(i).inserted { stack.append(i) }
        }
        while let i = stack.popLast() {
            guard case .formula(let f) = rows[i].definition else { continue }
            var next = Set<Int>()
            f.allRows(into: &next)
            for j in next where reached.insert(j).inserted { stack.append(j) }
        }
        return rows.indices.filter { rows[$0].section == .input && !reached.contains($0) }
    }
}
