import FundSimModel

// The words of actuals and the re-forecast (issue 16), in zh-Hant, zh-Hans and English.

extension Phrase {
    /// Row, check and measure labels (merged into `Phrase.rows`).
    static let actualRows: [LabelKey: Phrase] = [
        "actual.spent": Phrase("實際支出", "实际支出", "actual spending"),
        "actual.spent_by": Phrase("{0} 實際支付", "{0} 实际支付", "paid by {0}, actual"),
        "actual.headcount": Phrase("實際人數", "实际人数", "actual headcount"),
        "actual.pay": Phrase("實際人均報酬(每人每年)", "实际人均报酬(每人每年)", "actual pay per head (a year)"),
        "actual.units": Phrase("實際完成數(個)", "实际完成数(个)", "actual units completed"),
        "actual.count": Phrase("實際數量", "实际数量", "actual count"),
        "actual.band": Phrase("年末實際村數:{0}", "年末实际村数:{0}", "actual villages at year end: {0}"),
        "actual.supported": Phrase("實際扶持村數", "实际扶持村数", "actual villages supported"),
        "row.headcount_plan": Phrase("計劃人數", "计划人数", "planned headcount"),
        "row.count_plan": Phrase("計劃數量", "计划数量", "planned count"),
        "row.units_plan": Phrase("計劃完成數(個)", "计划完成数(个)", "planned units"),
        "row.planned_stock": Phrase("計劃累計完成數", "计划累计完成数", "planned stock to date"),
        "row.shortfall": Phrase("距計劃差額(個)", "距计划差额(个)", "shortfall against the plan (units)"),
        "row.cost_model": Phrase("逐村模型費用", "逐村模型费用", "cost by the per-village model"),
        "check.on_schedule": Phrase("{0} 累計完成數不低於計劃", "{0} 累计完成数不低于计划", "{0} on schedule (stock at least the plan's)"),
        "check.target_by": Phrase("{0} {1}年起達到目標", "{0} {1}年起达到目标", "{0} reaches its target by {1}"),
    ]

    public static let actualsSheet = Phrase("執行", "执行", "Actuals")
    public static let actualsTitle = Phrase("執行數與重新預測", "执行数与重新预测", "Actuals and re-forecast")
    public static let actualsInputsHeading = Phrase("實際數(輸入;空白為未記錄)", "实际数(输入;空白为未记录)", "Actuals (inputs; blank where none is recorded)")
    public static let actualsComparisonHeading = Phrase("計劃、實際、差額與執行率", "计划、实际、差额与执行率", "Plan, actual, variance and execution rate")
    public static let actualsSourceHeading = Phrase("按資金來源的執行率", "按资金来源的执行率", "Execution rate by source")
    public static let actualsTotalHeading = Phrase("合計:原計劃與重新預測", "合计:原计划与重新预测", "Total: the original plan and the re-forecast")
    public static let actualsChecksHeading = Phrase("檢查狀態(已錯過 / 有風險 / 通過)", "检查状态(已错过 / 有风险 / 通过)", "Check states (missed / at risk / passing)")
    public static let planWord = Phrase("原計劃", "原计划", "plan")
    public static let actualWord = Phrase("實際", "实际", "actual")
    public static let actualRecordedWord = Phrase("實際(已記錄的承諾)", "实际(已记录的承诺)", "actual (commitments recorded)")
    public static let varianceWord = Phrase("差額", "差额", "variance")
    public static let executionRateWord = Phrase("執行率", "执行率", "execution rate")
    public static let reforecastWord = Phrase("重新預測", "重新预测", "re-forecast")
    public static let changeWord = Phrase("變化", "变化", "change")
    public static let missedWord = Phrase("已錯過", "已错过", "missed")
    public static let atRiskWord = Phrase("有風險", "有风险", "at risk")
    public static let passingWord = Phrase("通過", "通过", "passing")
    public static let yearHasActuals = Phrase("有實際數的年份", "有实际数的年份", "year with actuals")
    public static let planNote = Phrase("原計劃:情景不含實際數時引擎算出的數值(固定值,供對照)。實際與重新預測為公式,隨實際數變化。",
                                        "原计划:情景不含实际数时引擎算出的数值(固定值,供对照)。实际与重新预测为公式,随实际数变化。",
                                        "Plan: the engine's figures for the scenario without its actuals (fixed values, for comparison). Actual and re-forecast are formulas that follow the actuals.")
    public static let actualsChartTitle = Phrase("原計劃、實際與重新預測", "原计划、实际与重新预测", "Plan, actual and re-forecast")
    public static let actualsTerminalRates = Phrase("執行率", "执行率", "Execution")
    public static let actualsTerminalPlan = Phrase("原計劃與重新預測", "原计划与重新预测", "Plan and re-forecast")
    public static let gapWord = Phrase("缺口", "缺口", "gap")
}
