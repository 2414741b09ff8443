extension CommitmentKindSpec {
    /// `one_off`: an amount paid once, in one year.
    public static let oneOff = CommitmentKindSpec(
        key: "one_off",
        summary: "an amount paid once",
        category: .other,
        fields: [
            FieldSpec("amount", .parameter(.money), .required, "the amount", inputLabel: "input.amount"),
            FieldSpec("in", .year, .required, "the year it is paid (a projection year)"),
        ],
        rows: [OneOffRows.amount, OneOffRows.year, OneOffRows.cost],
        reforecast: .replaceCost)
}

public enum OneOffRows {
    public static let amount = RowSpec("amount", "row.amount", .money)
    public static let year = RowSpec("in", "row.paid_in", .year)
    public static let cost = RowSpec("cost", "row.cost", .money, when: "the amount in its year, 0 otherwise")
}

/// An amount paid once.
public struct OneOff: Sendable {
    public var amount: Parameter
    public var year: Int
    public init(amount: Parameter, year: Int) {
        self.amount = amount
        self.year = year
    }
}
