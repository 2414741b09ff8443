extension CommitmentKindSpec {
    /// `cadre_pay`: headcount × (pay + on-costs), less the base pay on `basis: increase`, pay being the larger of the standard and the floor.
    public static let cadrePay = CommitmentKindSpec(
        key: "cadre_pay",
        summary: "pay of village cadres and other staff",
        category: .pay,
        fields: [
            FieldSpec("headcount", .parameter(.count), .required, "people paid", inputLabel: "input.headcount"),
            FieldSpec("pay", .parameter(.money), .required, "yearly pay per head (the standard)", inputLabel: "input.pay"),
            FieldSpec("floor", .parameter(.money), .optional, "pay is at least this, year by year (e.g. 1.5 × rural income per head)", inputLabel: "input.floor"),
            FieldSpec("oncost", .parameter(.money), .optional, "yearly on-costs per head: pension subsidy, allowances", inputLabel: "input.oncost"),
            FieldSpec("base_pay", .parameter(.money), .optional, "existing pay per head that `basis` measures from", inputLabel: "input.base_pay"),
            .basis(base: "base_pay"),
        ],
        rows: [CadrePayRows.headcount, CadrePayRows.payStandard, CadrePayRows.payFloor, CadrePayRows.pay, CadrePayRows.oncost,
               CadrePayRows.basePay, CadrePayRows.cost, CommonRows.continuing, ReforecastRows.headcountPlan],
        reforecast: ReforecastRule(.carryForward, drivers: [
            ActualMeasure("headcount", .count, label: "actual.headcount", "people paid in the year"),
            ActualMeasure("pay", .money, label: "actual.pay", "yearly pay per head actually paid (after the floor)"),
        ], "actual headcount and pay level carried forward; headcount follows the plan's changes, pay never falls below the level paid"))
}

public enum CadrePayRows {
    public static let headcount = RowSpec("headcount", "row.headcount", .count)
    public static let payStandard = RowSpec("pay_standard", "row.pay_standard", .money)
    public static let payFloor = RowSpec("pay_floor", "row.pay_floor", .money, when: "with `floor`")
    public static let pay = RowSpec("pay", "row.pay", .money, when: "after the floor")
    public static let oncost = RowSpec("oncost", "row.oncost", .money, when: "with `oncost`")
    public static let basePay = RowSpec("base_pay", "row.base_pay", .money, when: "with `base_pay`")
    public static let cost = RowSpec("cost", "row.cost", .money, when: "headcount × (pay + on-costs), less the base pay with `basis: increase`")
}
