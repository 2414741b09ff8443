extension CommitmentKindSpec {
    /// `collective_economy`: villages in collective-income bands, lifted by growth and by supported investment.
    public static let collectiveEconomy = CommitmentKindSpec(
        key: "collective_economy",
        summary: "villages by collective income",
        category: .collective,
        fields: [
            FieldSpec("villages", .parameter(.count), .optional, "all villages in the programme (required without `roster_income`)", inputLabel: "input.villages"),
            FieldSpec("bands", .list([
                FieldSpec("name", .text, .optional, "label (default `band1`, `band2`, …)"),
                FieldSpec("below", .figure(.money), .optional, "the band's upper income bound (exclusive). Required on every band but the last; bounds must rise. The top band has none (an error otherwise): it holds every village above the band below"),
                FieldSpec("hollow", .flag, .optional, "`true` for the band of villages with no collective income. Only the first band may be hollow, and it has no `below`"),
                FieldSpec("initial", .parameterOrRest(.count), .optional, "villages in the band at the base year: a count (`200`), a share of `villages` (`16.8%`), or `rest` (all villages not in the other bands; at most one band)",
                          input: "band{n}.count", inputLabel: CollectiveEconomyRows.bandInput),
            ]), .required, "income bands from the lowest up"),
            FieldSpec("growth", .parameter(.ratio), .optional, "organic yearly growth of every earning village's collective income", inputLabel: "input.growth"),
            FieldSpec("support", .mapping([
                FieldSpec("per_village", .parameter(.money), .required, "invested in each supported village", inputLabel: "input.per_village"),
                FieldSpec("return", .parameter(.ratio), .required, "yearly income the investment brings, as a share of it: the village's income rises by per_village × return", inputLabel: "input.return"),
                FieldSpec("budget", .parameter(.money), .required, "the yearly budget: it supports floor(budget / per_village) villages a year", inputLabel: "input.budget"),
                FieldSpec("below", .figure(.money), .optional, "only villages in bands wholly below this income are supported (hollow villages always qualify). Default: the lowest target `above`, else the first band's `below`"),
                FieldSpec("order", .choice(["lowest_first", "nearest_first"]), .optional, "`lowest_first` (default: the hollow band, then upwards) or `nearest_first` (the eligible band nearest the threshold first)"),
            ]), .optional, "investment in villages"),
            FieldSpec("targets", .list([
                FieldSpec("above", .figure(.money), .optional, "a band bound: the share of villages at or above it is checked"),
                FieldSpec("share", .figure(.ratio), .optional, "the share to reach (with `above`)"),
                FieldSpec("hollow_at_most", .figure(.count), .optional, "the most hollow villages left (needs a hollow band)"),
                FieldSpec("by", .year, .required, "from this year on"),
            ]), .optional, "targets, each becoming a check"),
            FieldSpec("roster_income", .text, .optional, "run the programme village by village from the roster's income column instead of by band counts; bands then need no `initial`. See [roster.md](roster.md)"),
        ],
        rows: [CollectiveEconomyRows.villages, CollectiveEconomyRows.rosterVillages, CollectiveEconomyRows.bandBelow,
               CollectiveEconomyRows.bandInitial, CollectiveEconomyRows.bandInitialShare, CollectiveEconomyRows.bandInitialRest,
               CollectiveEconomyRows.growth, CollectiveEconomyRows.organicUp, CollectiveEconomyRows.perVillage, CollectiveEconomyRows.returnRate,
               CollectiveEconomyRows.budget, CollectiveEconomyRows.gain, CollectiveEconomyRows.capacity, CollectiveEconomyRows.bandSupported,
               CollectiveEconomyRows.supported, CollectiveEconomyRows.band, CollectiveEconomyRows.hollow, CollectiveEconomyRows.shareAbove,
               CollectiveEconomyRows.rosterShareAbove, CollectiveEconomyRows.cost, CollectiveEconomyRows.targetShare,
               CollectiveEconomyRows.targetHollow, ReforecastRows.modelCost],
        reforecast: ReforecastRule(.restartDistribution, drivers: [
            ActualMeasure("band{n}", .count, label: "actual.band", "villages in band n at the end of the year (every band of the year together)"),
            ActualMeasure("supported", .count, label: "actual.supported", "villages supported in the year (replaces the budget's capacity)"),
        ], "restarts from the actual distribution of villages by band; supported villages replace the budget's capacity"))
}

public enum CollectiveEconomyRows {
    public static let villages = RowSpec("villages", "row.villages", .count)
    public static let rosterVillages = RowSpec("villages", "row.villages_roster", .count)
    public static let bandBelow = RowSpec("band{n}.below", "row.band_below", .money)
    public static let bandInitial = RowSpec("band{n}.initial", "row.band_initial", .count)
    public static let bandInitialShare = RowSpec("band{n}.initial_share", "row.band_initial_share", .ratio, when: "when given as a share")
    public static let bandInitialRest = RowSpec("band{n}.initial", "row.band_initial_rest", .count)
    public static let growth = RowSpec("growth", "row.growth", .ratio, when: "with `growth`")
    public static let organicUp = RowSpec("band{n}.organic_up", "row.organic_up", .count, when: "with `growth`")
    public static let perVillage = RowSpec("per_village", "row.per_village", .money, when: "with `support`")
    public static let returnRate = RowSpec("return", "row.return", .ratio, when: "with `support`")
    public static let budget = RowSpec("budget", "row.budget", .money, when: "with `support`")
    public static let gain = RowSpec("gain", "row.gain", .money, when: "income gain per supported village")
    public static let capacity = RowSpec("capacity", "row.capacity", .count, when: "with `support`")
    public static let bandSupported = RowSpec("band{n}.supported", "row.band_supported", .count, when: "with `support`")
    public static let supported = RowSpec("supported", "row.supported", .count, when: "with `support`")
    public static let band = RowSpec("band{n}", "row.band", .count, when: "villages in band n")
    public static let hollow = RowSpec("hollow", "row.hollow", .count, when: "with a hollow band")
    public static let shareAbove = RowSpec("share_above_{n}", "row.share_above", .ratio, when: "the share at or above the n-th band bound")
    public static let rosterShareAbove = RowSpec("share_above_{n}", "row.share_above_roster", .ratio)
    public static let cost = RowSpec("cost", "row.cost", .money, when: "supported villages × per village")
    public static let targetShare = RowSpec("target{n}.share", "row.target_share", .ratio, when: "per `above`/`share` target")
    public static let targetHollow = RowSpec("target{n}.hollow_at_most", "row.target_hollow", .count, when: "per `hollow_at_most` target")
    /// Rows that count villages under the model's assumption that incomes spread evenly within a band:
    /// expected values, not whole villages (shown with one decimal and labelled as expected; see docs/engine.md).
    public static let expectedCounts: Set<LabelKey> = [organicUp.label, bandSupported.label, supported.label, band.label, hollow.label]
    /// A band's inline `initial` (`ID:bandN.count`, `ID:bandN.share`).
    public static let bandInput: LabelKey = "input.band"
    /// The titles of the checks targets become.
    public static let targetShareCheck: LabelKey = "check.target_share"
    public static let targetHollowCheck: LabelKey = "check.target_hollow"
}
