import FundSimModel

// The label catalogue: every word FundSim writes into a report, in zh-Hant, zh-Hans and English, each written
// out (no character conversion). Text from the scenario file is never in here and never converted.
// A test checks that no zh-Hans phrase holds a Traditional-only character (LabelTests.swift).

extension Phrase {
    // Sheet names (at most 31 characters, none of []:*?/\).
    public static let inputsSheet = Phrase("輸入", "输入", "Inputs")
    public static let calculationsSheet = Phrase("計算", "计算", "Calculations")
    public static let fundingSheet = Phrase("資金", "资金", "Funding")
    public static let collectiveSheet = Phrase("集體經濟", "集体经济", "Collective economy")
    public static let sourcesSheet = Phrase("來源", "来源", "Sources")
    public static let scenarioValuesSheet = Phrase("情景值", "情景值", "Scenario values")
    public static let comparisonSheet = Phrase("比較", "比较", "Comparison")
    public static let assumptionChangesSheet = Phrase("假設變化", "假设变化", "Assumption changes")

    // Units.
    public static let unitYuan = Phrase("元", "元", "yuan")
    public static let unitCount = Phrase("個", "个", "count")
    public static let unitArea = Phrase("平方米", "平方米", "m²")
    public static let unitYear = Phrase("年", "年", "year")
    public static let displayWan = Phrase("萬元", "万元", "10k yuan (萬元)")
    public static let displayYi = Phrase("億元", "亿元", "100m yuan (億元)")

    // SolveReport
    public static let smallestValue = Phrase("最小值", "最小值", "smallest value")
    public static let largestValue = Phrase("最大值", "最大值", "largest value")
    public static let now = Phrase("現值 ", "现值 ", "now ")
    public static let evaluations = Phrase("次計算", "次计算", "evaluations")
    public static let forWhichCheckHolds = Phrase(" 使檢查成立:", " 使检查成立:", " for which the check holds: ")
    public static let widenRangeLowHighOr = Phrase("擴大範圍(--low/--high 或 range:),或改變其他輸入", "扩大范围(--low/--high 或 range:),或改变其他输入", "widen the range (--low/--high or the input's range:), or change another input")
    // AnalysisReports
    public static let sensitivityTitleSuffix = Phrase(" 敏感性分析", " 敏感性分析", " sensitivity")
    public static let sensitivitySheet = Phrase("敏感性", "敏感性", "Sensitivity")
    public static let effectEachInputOnTotal = Phrase(":各輸入對總費用和最大缺口的影響", ":各输入对总费用和最大缺口的影响", ": effect of each input on the total and the largest gap")
    public static let eachInputMovedToLow = Phrase("每個輸入取其低值和高值(情景中的 range,否則 ±10%),其他不變;按對總費用的影響排序。", "每个输入取其低值和高值(情景中的 range,否则 ±10%),其他不变;按对总费用的影响排序。", "Each input moved to its low and high value (its range, or ±10%), the rest unchanged; sorted by effect on the total.")
    public static let unitColonSpaced = Phrase("單位:", "单位:", " Unit: ")
    public static let baseTotal = Phrase("基準總費用", "基准总费用", "Base total")
    public static let baseLargestGap = Phrase("基準最大缺口", "基准最大缺口", "Base largest gap")
    public static let input = Phrase("輸入", "输入", "Input")
    public static let name = Phrase("代號", "代号", "Name")
    public static let baseValue = Phrase("基準值", "基准值", "Base")
    public static let low = Phrase("低值", "低值", "Low")
    public static let high = Phrase("高值", "高值", "High")
    public static let rangeFrom = Phrase("來源", "来源", "Range from")
    public static let rangeStated = Phrase("情景範圍", "情景范围", "range")
    public static let totalAtLow = Phrase("低值時總費用變化", "低值时总费用变化", "Δ total at low")
    public static let totalAtHigh = Phrase("高值時總費用變化", "高值时总费用变化", "Δ total at high")
    public static let largestGapAtLow = Phrase("低值時最大缺口", "低值时最大缺口", "Largest gap at low")
    public static let largestGapAtHigh = Phrase("高值時最大缺口", "高值时最大缺口", "Largest gap at high")
    public static let decrease = Phrase("減少", "减少", "Decrease")
    public static let increase = Phrase("增加", "增加", "Increase")
    public static let tornadoEffectOnTotal = Phrase("龍捲風圖:對總費用的影響", "龙卷风图:对总费用的影响", "Tornado: effect on the total")
    public static let sensitivityHeadingOpen = Phrase(" — 敏感性(", " — 敏感性(", " — sensitivity (")
    public static let baseTotalInline = Phrase("基準總費用 ", "基准总费用 ", "base total ")
    public static let baseLargestGapInline = Phrase(",基準最大缺口 ", ",基准最大缺口 ", ", base largest gap ")
    public static let totalLow = Phrase("Δ總費用(低)", "Δ总费用(低)", "Δ total (low)")
    public static let totalHigh = Phrase("Δ總費用(高)", "Δ总费用(高)", "Δ total (high)")
    public static let gapLow = Phrase("最大缺口(低)", "最大缺口(低)", "gap (low)")
    public static let gapHigh = Phrase("最大缺口(高)", "最大缺口(高)", "gap (high)")
    public static let monteCarlo = Phrase(" 蒙特卡羅模擬", " 蒙特卡罗模拟", " Monte Carlo")
    public static let simulation = Phrase("模擬", "模拟", "Simulation")
    public static let monteCarloSimulation = Phrase(":蒙特卡羅模擬", ":蒙特卡罗模拟", ": Monte Carlo simulation")
    public static let totalCost = Phrase("總費用", "总费用", "Total cost")
    public static let gapSuffix = Phrase(" 缺口", " 缺口", " gap")
    public static let checkHeader = Phrase("檢查", "检查", "Check")
    public static let pPass = Phrase("通過概率", "通过概率", "P(pass)")
    public static let fanChartTotalCostP10 = Phrase("扇形圖:總費用 P10/P50/P90", "扇形图:总费用 P10/P50/P90", "Fan chart: total cost P10/P50/P90")
    public static let noteNoInputHasDistribution = Phrase("注意:沒有輸入帶 distribution,結果沒有不確定性\n", "注意:没有输入带 distribution,结果没有不确定性\n", "note: no input has a distribution, so the results carry no uncertainty\n")
    public static let totalInline = Phrase("總費用 ", "总费用 ", "total ")
    public static let gapInline = Phrase(" 缺口 ", " 缺口 ", " gap ")
    public static let cumulativeGapSuffix = Phrase(" 累計缺口", " 累计缺口", " cumulative gap")
    public static let fanChartData = Phrase("扇形圖數據", "扇形图数据", "Fan chart data")
    /// The heading of the horizon percentiles: the total and each cumulative gap over all projection years.
    public static func overHorizon(_ first: Int, _ last: Int) -> Phrase {
        Phrase("全期合計 \(first)–\(last)", "全期合计 \(first)–\(last)", "over \(first)–\(last)")
    }
    // CompareBuilder
    public static let total = Phrase("合計", "合计", "Total")
    public static let committed = Phrase(" 承諾", " 承诺", " committed")
    public static let comparison = Phrase("比較:", "比较:", "Comparison: ")
    public static let scenariosComparedDifferencesFromBase = Phrase("情景比較(與基準之差)", "情景比较(与基准之差)", "Scenarios compared (differences from the base)")
    public static let baseColon = Phrase("基準:", "基准:", "Base: ")
    public static let compared = Phrase(";比較:", ";比较:", "; compared: ")
    public static let item = Phrase("項目", "项目", "Item")
    public static let scenarioHeader = Phrase("情景", "情景", "Scenario")
    public static let totalCostDifferenceFromBase = Phrase("總費用與基準之差", "总费用与基准之差", "Total cost: difference from the base")
    public static let inputsThatDifferFromBase = Phrase("與基準不同的輸入", "与基准不同的输入", "Inputs that differ from the base")
    public static let noInputDiffers = Phrase("(沒有輸入不同)", "(没有输入不同)", "(no input differs)")
    public static let notInThisScenario = Phrase("(此情景沒有)", "(此情景没有)", "(not in this scenario)")
    public static let inputsThatDifferFromBaseColon = Phrase("與基準不同的輸入:", "与基准不同的输入:", "Inputs that differ from the base:")
    // RollupBuilder
    public static let allScenarios = Phrase("全部情景匯總", "全部情景汇总", "All scenarios")
    public static let data = Phrase("明細", "明细", "Data")
    public static let summary = Phrase("匯總", "汇总", "Summary")
    public static let allScenariosCostByCategory = Phrase("全部情景:按類別逐年費用", "全部情景:按类别逐年费用", "All scenarios: cost by category and year")
    public static let category = Phrase("類別", "类别", "Category")
    public static let costByCategoryYear = Phrase("按類別逐年費用", "按类别逐年费用", "Cost by category and year")
    public static let byScenario = Phrase("按情景", "按情景", "By scenario")
    public static let costByScenarioYear = Phrase("按情景逐年費用", "按情景逐年费用", "Cost by scenario and year")
    public static let totalGap = Phrase("缺口合計", "缺口合计", "Total gap")
    public static let failingChecks = Phrase("未通過檢查", "未通过检查", "Failing checks")
    public static let categoryXScenario = Phrase("類別×情景", "类别×情景", "Category x scenario")
    public static let eachScenarioSTotalBy = Phrase("各情景按類別合計", "各情景按类别合计", "Each scenario's total by category")
    public static let title = Phrase("標題", "标题", "Title")
    public static let year = Phrase("年份", "年份", "Year")
    public static let amount = Phrase("金額", "金额", "Amount")
    public static let gap = Phrase("缺口", "缺口", "Gap")
    // RosterSheets
    public static let byCounty = Phrase("按縣", "按县", "By county")
    public static let byCountyYearRosterTotals = Phrase("按縣逐年:台賬匯總與逐村模型結果", "按县逐年:台账汇总与逐村模型结果", "By county and year: roster totals and per-village results")
    public static let roster = Phrase("台賬 ", "台账 ", "Roster ")
    public static let county = Phrase("縣", "县", "County")
    public static let villages = Phrase("村", "村", "Villages")
    public static let communities = Phrase("社區", "社区", "Communities")
    public static let villagesNewlySupported = Phrase(" 新扶持村數", " 新扶持村数", " villages newly supported")
    public static let support = Phrase(" 扶持資金", " 扶持资金", " support")
    public static let villagesAtOrAboveFirst = Phrase(" 達到首檔門檻村數", " 达到首档门槛村数", " villages at or above the first threshold")
    public static let hollowVillages = Phrase(" 空殼村", " 空壳村", " hollow villages")
    public static let villageDetail = Phrase("逐村明細", "逐村明细", "Village detail")
    public static let village = Phrase("村", "村", "village")
    public static let community = Phrase("社區", "社区", "community")
    // TerminalSummary
    public static let sourceHeader = Phrase("資金來源", "资金来源", "Source")
    public static let checksColon = Phrase("檢查:", "检查:", "Checks: ")
    public static let failsIn = Phrase("未通過年份 ", "未通过年份 ", "fails in ")
    /// Marks counts that are expected values (shown to one decimal), such as villages per income band.
    public static let expectedValue = Phrase("期望值", "期望值", "expected")
    // WorkbookBuilder
    public static let grassrootsFundingCommitmentsProjection = Phrase("基層黨建經費承諾預測", "基层党建经费承诺预测", "Grassroots funding commitments projection")
    public static let writtenByFundSimFrom = Phrase("由 FundSim 從 ", "由 FundSim 从 ", "Written by FundSim from ")
    public static let unitHeader = Phrase("單位", "单位", "Unit")
    public static let value = Phrase("數值", "数值", "Value")
    public static let noProvenance = Phrase("(未註明來源)", "(未注明来源)", "(no provenance)")
    public static let assumption = Phrase("假設:", "假设:", "Assumption: ")
    public static let inputsAssumptions = Phrase("輸入與假設", "输入与假设", "Inputs and assumptions")
    public static let sourceOrAssumption = Phrase("來源或假設", "来源或假设", "Source or assumption")
    public static let displayUnitYuan = Phrase("報告單位換算(元)", "报告单位换算(元)", "Display unit (yuan)")
    public static let unitDivisor = Phrase("單位換算", "单位换算", "UnitDivisor")
    public static let moneyShownInThisUnit = Phrase("每張表的金額都以此單位顯示(此格為每單位的元數)。單位由情景的 unit: 決定:在情景中修改,不要改此格。", "每张表的金额都以此单位显示(此格为每单位的元数)。单位由情景的 unit: 决定:在情景中修改,不要改此格。", "Every sheet shows money in this unit (this cell holds yuan per unit). The unit comes from the scenario's unit: change it there, not in this cell.")
    public static let expectedCountsNote = Phrase("標為「期望值」的村數是按檔內均勻分布算出的期望值,保留一位小數,不是整村數。", "标为「期望值」的村数是按档内均匀分布算出的期望值,保留一位小数,不是整村数。", "Village counts marked expected are expected values under that spread, shown to one decimal, not whole villages.")
    public static let computedFromOtherInputs = Phrase("由其他輸入計算 ", "由其他输入计算 ", "computed from other inputs ")
    public static let inputValuesEachScenario = Phrase("各情景的輸入值", "各情景的输入值", "Input values of each scenario")
    public static let scenarios = Phrase("情景清單", "情景清单", "Scenarios")
    public static let engineValuesPerVillageModel = Phrase("引擎值(逐村模型,非公式)", "引擎值(逐村模型,非公式)", "engine values (per-village model, not a formula)")
    public static let villageCollectiveEconomy = Phrase("村級集體經濟", "村级集体经济", "Village collective economy")
    public static let calculationsEachCommitmentByYear = Phrase("計算:各項承諾逐年費用", "计算:各项承诺逐年费用", "Calculations: each commitment by year")
    public static let bandCountsAssumeIncomesSpread = Phrase("各檔村數按檔內收入均勻分布計算:自然增長使上限以下 U/(1+g) 以上的村升一檔;扶持村按檔下限加每村增收決定去向。全部為公式。", "各档村数按档内收入均匀分布计算:自然增长使上限以下 U/(1+g) 以上的村升一档;扶持村按档下限加每村增收决定去向。全部为公式。", "Band counts assume incomes spread evenly within a band: growth g lifts villages above U/(1+g) one band; a supported village moves to the band of its band's lower bound plus the gain. All cells are formulas.")
    public static let totalsByCategory = Phrase("按類別合計", "按类别合计", "Totals by category")
    public static let fundingWhoPaysBudgetEnough = Phrase("資金:誰出錢,預算是否足夠", "资金:谁出钱,预算是否足够", "Funding: who pays, and is the budget enough")
    public static let paidBy = Phrase("由 ", "由 ", "paid by ")
    public static let sourceColon = Phrase("資金來源:", "资金来源:", "Source: ")
    public static let overEnvelopeAttribution = Phrase("超支歸因:", "超支归因:", "Over-envelope attribution: ")
    public static let runningTotal = Phrase("累計", "累计", "running total")
    public static let runningTotalInScenarioOrder = Phrase("按承諾順序累計,超出額度的部分", "按承诺顺序累计,超出额度的部分", "running total in scenario order, the part above the envelope")
    public static let checksHeading = Phrase("檢查", "检查", "Checks")
    public static let passHeader = Phrase("通過", "通过", "Pass")
    public static let builtIn = Phrase("內置", "内置", "built-in")
    public static let scenarioLower = Phrase("情景", "情景", "scenario")
    public static let leftSide = Phrase("左邊", "左边", "left side")
    public static let rightSide = Phrase("右邊", "右边", "right side")
    public static let allChecksPass = Phrase("全部檢查通過", "全部检查通过", "All checks pass")
    public static let whereFiguresComeFrom = Phrase("數字來源", "数字来源", "Where the figures come from")
    public static let everyQuoteWasCheckedOccurs = Phrase("每條引文都已核對:原文逐字出現在所列文件的所列行。", "每条引文都已核对:原文逐字出现在所列文件的所列行。", "Every quote was checked: it occurs word for word in the document at the line given.")
    public static let no = Phrase("編號", "编号", "No.")
    public static let quote = Phrase("引文", "引文", "Quote")
    public static let document = Phrase("文件", "文件", "Document")
    public static let line = Phrase("行", "行", "Line")
    public static let usedBy = Phrase("用於", "用于", "Used by")
    public static let assumptions = Phrase("假設", "假设", "Assumptions")
    public static let unitColon = Phrase("單位:", "单位:", "Unit: ")
    public static let checkPassWord = Phrase("通過", "通过", "pass")
    public static let checkFailWord = Phrase("未通過", "未通过", "fail")
    public static let everyCheckPasses = Phrase("所有檢查均通過", "所有检查均通过", "every check passes")
    public static let failing = Phrase("未通過:", "未通过:", "failing: ")
    public static let failingCheckCount = Phrase("未通過檢查數", "未通过检查数", "Failing checks")
    public static let failingCountWord = Phrase("項未通過", "项未通过", "failing")
    public static let scenarioShownPickOneWhole = Phrase("顯示情景(下拉選擇,整個模型隨之重算)", "显示情景(下拉选择,整个模型随之重算)", "Scenario shown (pick one; the whole model recalculates)")
    public static let costByCategory = Phrase("按類別費用", "按类别费用", "Cost by category")
    public static let fundingSourcesCommittedEnvelopeGap = Phrase("資金來源:承諾、額度與缺口", "资金来源:承诺、额度与缺口", "Funding sources: committed, envelope, gap")
    public static let envelope = Phrase(" 預算額度", " 预算额度", " envelope")
    public static let gapOver = Phrase(" 缺口(正數為超支)", " 缺口(正数为超支)", " gap (+ = over)")
    public static let committedBySource = Phrase("各資金來源承諾", "各资金来源承诺", "Committed by source")
    public static let committedAgainstEnvelope = Phrase(":承諾(柱)與預算額度(框)", ":承诺(柱)与预算额度(框)", ": committed (bars) against envelope (outline)")
    public static let gapPositiveOverEnvelope = Phrase("缺口(正數為超支)", "缺口(正数为超支)", "Gap (positive = over the envelope)")

    // With values.
    public static func solveAlwaysHolds(range: String, input: String) -> Phrase {
        Phrase("在 \(range) 內檢查始終成立:\(input) 不約束它", "在 \(range) 内检查始终成立:\(input) 不约束它",
               "the check holds for every value in \(range): \(input) does not bind it")
    }
    public static func solveNeverHolds(range: String, input: String, title: String, id: String) -> Phrase {
        Phrase("在 \(range) 內沒有任何 \(input) 的值使「\(title)」成立", "在 \(range) 内没有任何 \(input) 的值使「\(title)」成立",
               "no value of \(input) in \(range) makes `\(id)` hold")
    }
    /// Where a sensitivity row's low and high come from when the scenario states no range: `±10%`.
    public static func rangeDefault(_ percent: String) -> Phrase { Phrase("±\(percent)%", "±\(percent)%", "±\(percent)%") }
    public static func moreInputs(_ n: Int) -> Phrase {
        Phrase("……另有 \(n) 個輸入,見工作簿\n", "……另有 \(n) 个输入,见工作簿\n", "… and \(n) more inputs in the workbook\n")
    }
    public static func drawsAndSeed(_ draws: Int, _ seed: UInt64) -> Phrase {
        Phrase("抽樣次數 \(draws),隨機種子 \(seed);抽樣的輸入:", "抽样次数 \(draws),随机种子 \(seed);抽样的输入:", "\(draws) draws, seed \(seed); inputs drawn: ")
    }
    public static func failedDrawsInline(_ n: Int) -> Phrase {
        Phrase(";\(n) 次抽樣計算失敗,未計入", ";\(n) 次抽样计算失败,未计入", "; \(n) draws failed and are left out")
    }
    public static func monteCarloHeading(_ draws: Int, _ seed: UInt64) -> Phrase {
        Phrase(" — 蒙特卡羅,\(draws) 次,種子 \(seed)", " — 蒙特卡罗,\(draws) 次,种子 \(seed)", " — Monte Carlo, \(draws) draws, seed \(seed)")
    }
    public static func failedDraws(_ n: Int) -> Phrase {
        Phrase("\(n) 次抽樣計算失敗,未計入\n", "\(n) 次抽样计算失败,未计入\n", "\(n) draws failed and are left out\n")
    }
    public static func rollupOf(_ n: Int) -> Phrase {
        Phrase("由 FundSim 匯總 \(n) 個情景", "由 FundSim 汇总 \(n) 个情景", "FundSim roll-up of \(n) scenarios")
    }
    public static func rosterRowsAndCounties(_ rows: Int, _ counties: Int) -> Phrase {
        Phrase(",\(rows) 行,\(counties) 個縣", ",\(rows) 行,\(counties) 个县", ", \(rows) rows, \(counties) counties")
    }
}

extension Phrase {
    /// The engine's row, check and input labels by key; `{0}`, `{1}`, … take the label's arguments.
    /// Keys come from the commitment kinds' declarations (FundSimModel/Kinds/) and `CommonRows`.
    public static let rows: [LabelKey: Phrase] = ownRows.merging(inputsNamedAsRows.mapValues { ownRows[$0]! }) { own, _ in own }
        .merging(actualRows) { own, _ in own }

    /// Inputs that a commitment field makes and that read as the row the field becomes: their key stays
    /// (a list shows such an input by its `ID:FIELD`), their words are the row's.
    static let inputsNamedAsRows: [LabelKey: LabelKey] = [
        "input.headcount": "row.headcount",
        "input.pay": "row.pay_standard",
        "input.floor": "row.pay_floor",
        "input.oncost": "row.oncost",
        "input.base_pay": "row.base_pay",
        "input.award": "row.award_per_unit",
        "input.upkeep_per_unit": "row.upkeep_per_unit",
        "input.count": "row.count",
        "input.rate": "row.rate",
        "input.amount": "row.amount",
        "input.base_rate": "row.base_rate",
        "input.base_amount": "row.base_amount",
        "input.villages": "row.villages",
        "input.growth": "row.growth",
        "input.per_village": "row.per_village",
        "input.return": "row.return",
        "input.budget": "row.budget",
        "input.share": "row.share",
    ]

    private static let ownRows: [LabelKey: Phrase] = [
        "row.headcount": Phrase("人數", "人数", "headcount"),
        "row.pay_standard": Phrase("報酬標準(每人每年)", "报酬标准(每人每年)", "pay standard (per head a year)"),
        "row.pay_floor": Phrase("報酬下限(每人每年)", "报酬下限(每人每年)", "pay floor (per head a year)"),
        "row.pay": Phrase("報酬(每人每年)", "报酬(每人每年)", "pay (per head a year)"),
        "row.oncost": Phrase("附加費用(每人每年)", "附加费用(每人每年)", "on-costs (per head a year)"),
        "row.base_pay": Phrase("原報酬(每人每年)", "原报酬(每人每年)", "existing pay (per head a year)"),
        "row.cost": Phrase("費用", "费用", "cost"),
        "row.units": Phrase("完成數(個)", "完成数(个)", "units completed"),
        "row.target": Phrase("目標數(個)", "目标数(个)", "target units"),
        "row.by": Phrase("完成期限(年)", "完成期限(年)", "deadline (year)"),
        "row.built": Phrase("累計完成(個)", "累计完成(个)", "units built to date"),
        "row.below_initial": Phrase("基年未達標數(個)", "基年未达标数(个)", "below standard at base year"),
        "row.below_standard": Phrase("未達標數(個)", "未达标数(个)", "still below standard"),
        "row.unit_cost": Phrase("單位造價(每個)", "单位造价(每个)", "cost per unit"),
        "row.capital": Phrase("建設投入", "建设投入", "capital cost"),
        "row.award_per_unit": Phrase("以獎代補標準(每個)", "以奖代补标准(每个)", "award per unit"),
        "row.award": Phrase("以獎代補", "以奖代补", "award"),
        "row.upkeep_per_unit": Phrase("運維(每個每年)", "运维(每个每年)", "upkeep per unit (a year)"),
        "row.upkeep_share": Phrase("運維佔建設投入比例", "运维占建设投入比例", "upkeep share of capital"),
        "row.capital_to_date": Phrase("累計建設投入", "累计建设投入", "capital to date"),
        "row.upkeep": Phrase("運維費用", "运维费用", "upkeep"),
        "row.count": Phrase("數量", "数量", "count"),
        "row.rate": Phrase("標準(每個每年)", "标准(每个每年)", "rate (per unit a year)"),
        "row.amount": Phrase("金額", "金额", "amount"),
        "row.base_rate": Phrase("原標準(每個每年)", "原标准(每个每年)", "existing rate (per unit a year)"),
        "row.base_amount": Phrase("原有金額", "原有金额", "existing amount"),
        "row.continuing": Phrase("其中延續資金", "其中延续资金", "of which continuing money"),
        "row.villages": Phrase("村數", "村数", "villages"),
        "row.villages_roster": Phrase("村數(台賬)", "村数(台账)", "villages (roster)"),
        "row.band_below": Phrase("收入上限 {0}", "收入上限 {0}", "upper bound {0}"),
        "row.band_initial": Phrase("基年村數 {0}", "基年村数 {0}", "villages at base year: {0}"),
        "row.band_initial_share": Phrase("基年佔比 {0}", "基年占比 {0}", "share at base year: {0}"),
        "row.band_initial_rest": Phrase("基年村數 {0}(其餘)", "基年村数 {0}(其余)", "villages at base year: {0} (rest)"),
        "row.growth": Phrase("集體收入自然增長率", "集体收入自然增长率", "organic income growth"),
        "row.organic_up": Phrase("自然增長升檔 {0}", "自然增长升档 {0}", "lifted by growth: {0}"),
        "row.per_village": Phrase("每村扶持資金", "每村扶持资金", "investment per village"),
        "row.return": Phrase("年收益率", "年收益率", "yearly return"),
        "row.budget": Phrase("扶持預算", "扶持预算", "support budget"),
        "row.gain": Phrase("每村增收(每年)", "每村增收(每年)", "income gain per village (a year)"),
        "row.capacity": Phrase("可扶持村數", "可扶持村数", "villages the budget can support"),
        "row.band_supported": Phrase("扶持村數 {0}", "扶持村数 {0}", "supported: {0}"),
        "row.supported": Phrase("扶持村數合計", "扶持村数合计", "villages supported"),
        "row.band": Phrase("村數 {0}", "村数 {0}", "villages: {0}"),
        "row.hollow": Phrase("空殼村數", "空壳村数", "hollow villages"),
        "row.share_above": Phrase("收入 ≥ {0} 的村佔比", "收入 ≥ {0} 的村占比", "share of villages at or above {0}"),
        "row.share_above_roster": Phrase("佔比 ≥ {0}", "占比 ≥ {0}", "share at or above {0}"),
        "row.target_share": Phrase("目標佔比", "目标占比", "target share"),
        "row.target_hollow": Phrase("空殼村上限", "空壳村上限", "most hollow villages"),
        "row.share": Phrase("分擔比例 {0}", "分担比例 {0}", "share {0}"),
        "row.share_rest": Phrase("分擔比例 {0}(其餘)", "分担比例 {0}(其余)", "share {0} (rest)"),
        "row.paid_by": Phrase("由 {0}", "由 {0}", "paid by {0}"),
        "row.committed": Phrase("承諾支出", "承诺支出", "committed"),
        "row.envelope": Phrase("預算額度", "预算额度", "envelope"),
        "row.gap": Phrase("缺口(正數為超支)", "缺口(正数为超支)", "gap (+ = over)"),
        "row.cumulative_gap": Phrase("累計缺口", "累计缺口", "cumulative gap"),
        "row.total": total,
        "row.lhs": Phrase("lhs", "lhs", "lhs"),
        "row.rhs": Phrase("rhs", "rhs", "rhs"),
        "category.pay": Phrase("幹部報酬", "干部报酬", "Cadre pay"),
        "category.construction": Phrase("陣地建設", "阵地建设", "Construction"),
        "category.operating": Phrase("運轉經費", "运转经费", "Operating funds"),
        "category.collective": collectiveSheet,
        "category.other": Phrase("其他", "其他", "Other"),
        "check.envelope_row": Phrase("{0} 承諾支出不超過預算額度", "{0} 承诺支出不超过预算额度", "{0} within its envelope"),
        "check.envelope": Phrase("{0} 承諾支出不超過預算額度", "{0} 承诺支出不超过预算额度", "{0} spending within its envelope"),
        "check.target_share": Phrase("{0}:{1}年起 集體收入≥{2}的村佔比≥{3}%", "{0}:{1}年起 集体收入≥{2}的村占比≥{3}%", "{0}: share of villages at or above {2} ≥ {3}% from {1}"),
        "check.target_hollow": Phrase("{0}:{1}年起 空殼村≤{2}", "{0}:{1}年起 空壳村≤{2}", "{0}: hollow villages ≤ {2} from {1}"),
        "input.units": Phrase("每年完成數", "每年完成数", "units completed a year"),
        "input.target": Phrase("目標數", "目标数", "target units"),
        "input.unit_cost": Phrase("單位造價", "单位造价", "cost per unit"),
        "input.upkeep_share": Phrase("運維比例", "运维比例", "upkeep share"),
        "input.below_standard": Phrase("基年未達標數", "基年未达标数", "below standard at base year"),
        "input.band": Phrase("基年 {0}", "基年 {0}", "base year {0}"),
        "input.envelope": Phrase("{0} 預算額度", "{0} 预算额度", "{0} envelope"),
    ]
}

// fundsim pull: the notes it writes beside a figure it brings back from a workbook.
extension Phrase {
    public static func pullFormerQuote(_ quote: String, at place: String) -> Phrase {
        Phrase("原引文「\(quote)」(\(place))所述為原數字", "原引文「\(quote)」(\(place))所述为原数字", "the quote 「\(quote)」 (\(place)) states the old figure")
    }
    public static func pullFormerQuote(_ quote: String) -> Phrase {
        Phrase("原引文「\(quote)」所述為原數字", "原引文「\(quote)」所述为原数字", "the quote 「\(quote)」 states the old figure")
    }
    public static let pullFormerAssumption = Phrase("原假設:", "原假设:", "the assumption was: ")
    public static func pullYear(_ year: Int) -> Phrase { Phrase("\(year)年", "\(year)年", "\(year)") }
    public static let pullWas = Phrase("原為 ", "原为 ", "was ")
    public static let pullNow = Phrase(",改為 ", ",改为 ", ", now ")
    public static func pullCell(_ reference: String) -> Phrase { Phrase("(\(reference))", "(\(reference))", " (\(reference))") }
    public static func pullChangedIn(_ book: String, modified when: String) -> Phrase {
        Phrase("在 \(book) 中改動(檔案修改於 \(when)):", "在 \(book) 中改动(文件修改于 \(when)):", "Changed in \(book) (file modified \(when)): ")
    }
    public static let listSeparator = Phrase(";", ";", "; ")
    public static let sentenceEnd = Phrase("。", "。", ". ")
    public static func pullWrittenBy(_ book: String) -> Phrase {
        Phrase("由 `fundsim pull \(book)` 寫出:在工作簿中改動的輸入。", "由 `fundsim pull \(book)` 写出:在工作簿中改动的输入。", "Written by `fundsim pull \(book)`: the inputs changed in the workbook.")
    }
    public static func pullRunIt(_ target: String) -> Phrase { Phrase("執行:fundsim run \(target)", "执行:fundsim run \(target)", "Run it: fundsim run \(target)") }
    public static func pullTitleSuffix(_ book: String) -> Phrase { Phrase("(\(book) 中的改動)", "(\(book) 中的改动)", " (changes from \(book))") }
}
