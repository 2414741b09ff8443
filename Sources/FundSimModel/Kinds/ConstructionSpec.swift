extension CommitmentKindSpec {
    /// `construction`: units completed × unit cost, with an award per unit, upkeep, and units below standard.
    public static let construction = CommitmentKindSpec(
        key: "construction",
        summary: "building or upgrading service centres and communities",
        category: .construction,
        fields: [
            FieldSpec("units", .parameter(.count), .oneOf(["units", "target"]), "units completed each year (any input form)", inputLabel: "input.units"),
            FieldSpec("target", .mapping([
                FieldSpec("stock", .parameter(.count), .required, "completed units to reach", input: "target", inputLabel: "input.target"),
                FieldSpec("by", .year, .required, "the year (a projection year) by whose end the stock is reached"),
            ]), .oneOf(["units", "target"]), "`{stock: COUNT, by: YEAR}`: reach this many completed units by the end of `by` (a projection year), spread evenly over the years left; may carry `cite`/`assumption`"),
            FieldSpec("unit_cost", .parameter(.money), .required, "cost per unit", inputLabel: "input.unit_cost"),
            FieldSpec("award", .mapping([
                FieldSpec("per_unit", .parameter(.money), .required, "the award per completed unit", input: "award", inputLabel: "input.award"),
                FieldSpec("source", .text, .required, "the funding source that pays it"),
            ]), .optional, "以獎代補: `{per_unit: MONEY, source: SOURCE}`, a fixed award per completed unit paid by `source` (at most the unit's cost); the rest of the cost follows `funding`"),
            FieldSpec("upkeep", .mapping([
                FieldSpec("per_unit", .parameter(.money), .optional, "yearly upkeep per completed unit", input: "upkeep_per_unit", inputLabel: "input.upkeep_per_unit"),
                FieldSpec("share", .parameter(.ratio), .optional, "yearly upkeep as a share of the capital spent so far", input: "upkeep_share", inputLabel: "input.upkeep_share"),
            ]), .optional, "yearly running cost from the year after completion: `{per_unit: MONEY}` per completed unit, and/or `{share: RATIO}` of the capital spent so far"),
            FieldSpec("below_standard", .parameter(.count), .optional, "units below the standard (e.g. centres under 120平方米) at the base year; each completed unit lifts one", inputLabel: "input.below_standard"),
        ],
        rows: [ConstructionRows.units, ConstructionRows.target, ConstructionRows.by, ConstructionRows.built, ConstructionRows.belowInitial,
               ConstructionRows.belowStandard, ConstructionRows.unitCost, ConstructionRows.capital, ConstructionRows.awardPerUnit,
               ConstructionRows.award, ConstructionRows.upkeepPerUnit, ConstructionRows.upkeepShare, ConstructionRows.capitalToDate,
               ConstructionRows.upkeep, ConstructionRows.cost,
               ReforecastRows.unitsPlan, ReforecastRows.plannedStock, ReforecastRows.shortfall],
        reforecast: ReforecastRule(.catchUp, drivers: [
            ActualMeasure("units", .count, label: "actual.units", "units completed in the year"),
        ], "catches up on its schedule: the years left build what puts the stock back on the plan (with `target`, spread evenly up to `by`); a stock still short is a shortfall and a check"))
}

public enum ConstructionRows {
    public static let units = RowSpec("units", "row.units", .count)
    public static let target = RowSpec("target", "row.target", .count, when: "with `target`")
    public static let by = RowSpec("by", "row.by", .year, when: "with `target`")
    public static let built = RowSpec("built", "row.built", .count, when: "completed to date")
    public static let belowInitial = RowSpec("below_initial", "row.below_initial", .count, when: "with `below_standard`")
    public static let belowStandard = RowSpec("below_standard", "row.below_standard", .count, when: "with `below_standard`")
    public static let unitCost = RowSpec("unit_cost", "row.unit_cost", .money)
    public static let capital = RowSpec("capital", "row.capital", .money, when: "units × unit cost")
    public static let awardPerUnit = RowSpec("award_per_unit", "row.award_per_unit", .money, when: "with `award`")
    public static let award = RowSpec("award", "row.award", .money, when: "with `award`")
    public static let upkeepPerUnit = RowSpec("upkeep_per_unit", "row.upkeep_per_unit", .money, when: "with `upkeep.per_unit`")
    public static let upkeepShare = RowSpec("upkeep_share", "row.upkeep_share", .ratio, when: "with `upkeep.share`")
    public static let capitalToDate = RowSpec("capital_to_date", "row.capital_to_date", .money, when: "with `upkeep.share`")
    public static let upkeep = RowSpec("upkeep", "row.upkeep", .money, when: "with `upkeep`")
    public static let cost = RowSpec("cost", "row.cost", .money, when: "capital + upkeep")
}
