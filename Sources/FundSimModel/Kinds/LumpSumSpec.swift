extension CommitmentKindSpec {
    /// `lump_sum`: fixed amounts by year.
    public static let lumpSum = CommitmentKindSpec(
        key: "lump_sum",
        summary: "fixed amounts by year",
        category: .other,
        fields: [
            FieldSpec("amount", .parameter(.money), .required, "the amount each year (any input form; `by_year` with 0 after the first year for a one-off)", inputLabel: "input.amount"),
        ],
        rows: [LumpSumRows.amount, LumpSumRows.cost],
        reforecast: ReforecastRule(.replaceYear, "actual spending replaces the year's amount; later years keep the plan"))
}

public enum LumpSumRows {
    public static let amount = RowSpec("amount", "row.amount", .money)
    public static let cost = RowSpec("cost", "row.cost", .money, when: "the amount")
}
