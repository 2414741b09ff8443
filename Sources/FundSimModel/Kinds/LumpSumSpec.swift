extension CommitmentKindSpec {
    /// `lump_sum`: fixed amounts by year.
    public static let lumpSum = CommitmentKindSpec(
        key: "lump_sum",
        summary: "fixed amounts by year",
        category: .other,
        fields: [
            FieldSpec("amount", .parameter(.money), .required, "the amount each year (any input form; `by_year` with 0 after the first year for a one-off)", inputLabel: "input.amount"),
            FieldSpec("base_amount", .parameter(.money), .optional, "existing yearly amount that `basis` measures from", inputLabel: "input.base_amount"),
            .basis(base: "base_amount"),
        ],
        rows: [LumpSumRows.amount, LumpSumRows.baseAmount, LumpSumRows.cost, CommonRows.continuing],
        reforecast: ReforecastRule(.replaceYear, "actual spending replaces the year's amount; later years keep the plan"))
}

public enum LumpSumRows {
    public static let amount = RowSpec("amount", "row.amount", .money)
    public static let baseAmount = RowSpec("base_amount", "row.base_amount", .money, when: "with `base_amount`")
    public static let cost = RowSpec("cost", "row.cost", .money, when: "the amount, less the base amount with `basis: increase`")
}
