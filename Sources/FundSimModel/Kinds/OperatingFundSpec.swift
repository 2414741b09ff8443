extension CommitmentKindSpec {
    /// `operating_fund`: count × rate per year.
    public static let operatingFund = CommitmentKindSpec(
        key: "operating_fund",
        summary: "a rate per unit per year",
        category: .operating,
        fields: [
            FieldSpec("count", .parameter(.count), .required, "villages, communities, members…", inputLabel: "input.count"),
            FieldSpec("rate", .parameter(.money), .required, "yearly amount per unit", inputLabel: "input.rate"),
            FieldSpec("base_rate", .parameter(.money), .optional, "existing yearly amount per unit that `basis` measures from", inputLabel: "input.base_rate"),
            .basis(base: "base_rate"),
        ],
        rows: [OperatingFundRows.count, OperatingFundRows.rate, OperatingFundRows.baseRate, OperatingFundRows.cost, CommonRows.continuing, ReforecastRows.countPlan],
        reforecast: ReforecastRule(.carryForward, drivers: [
            ActualMeasure("count", .count, label: "actual.count", "villages, communities or members funded in the year"),
        ], "the actual count carried forward, following the plan's changes"))
}

public enum OperatingFundRows {
    public static let count = RowSpec("count", "row.count", .count)
    public static let rate = RowSpec("rate", "row.rate", .money)
    public static let baseRate = RowSpec("base_rate", "row.base_rate", .money, when: "with `base_rate`")
    public static let cost = RowSpec("cost", "row.cost", .money, when: "count × rate, less the base rate with `basis: increase`")
}
