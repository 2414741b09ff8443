import FundSimModel

/// Words of the report in its language. Labels are written in Traditional characters (as the seed is)
/// and converted for Simplified reports.
public struct Labels: Sendable {
    public let language: ReportLanguage

    public init(_ language: ReportLanguage) { self.language = language }

    /// Picks the Chinese (Traditional) or English text, converting Chinese to Simplified when asked.
    public func t(_ zh: String, _ en: String) -> String {
        switch language {
        case .en: return en
        case .zhHant: return zh
        case .zhHans: return Self.simplified(zh)
        }
    }

    /// Converts the Traditional characters FundSim's own labels use; text from scenarios is left as written.
    public static func simplified(_ s: String) -> String {
        String(s.map { map[$0] ?? $0 })
    }

    private static let map: [Character: Character] = {
        let pairs = "報报數数費费輸输計计資资來来檢检總总匯汇體体經经濟济預预額额積积達达準准標标單单個个設设運运維维養养險险職职幹干隊队調调劃划補补獎奖縣县級级鄉乡鎮镇區区務务結结餘余這这與与為为開开關关際际點点員员層层邊边項项號号據据類类別别實实現现問问題题過过應应選选擇择讀读寫写錄录檔档產产當当處处門门間间時时長长並并後后從从傳传價价動动變变態态於于萬万億亿屆届屬属統统條条與与見见說说證证議议許许讓让轉转遞递還还進进連连週周錢钱鐘钟銷销錯错閱阅陣阵隨随雙双雜杂靈灵頁页順顺須须頭头顯显願愿風风飛飞館馆驗验體体黨党幣币礎础點点擴扩築筑費费貸贷區区扶扶營营畝亩範范圍围驟骤議议獲获決决況况涵涵務务處处覽览記记錄录負负擔担攤摊擬拟剩剩餘余範范確确認认編编輯辑諾诺內内舊旧築筑況况歸归觀观歷历屆届剛刚勞劳團团圖图壓压夠够學学寶宝將将導导屬属嶺岭幾几廣广張张彈弹復复戶户擔担據据攜携數数於于時时暫暂會会東东業业極极構构槓杠樣样機机權权歲岁殘残氣气漢汉爭争獨独環环產产畫画療疗發发盡尽監监碼码禮礼種种稅税窮穷範范簡简紀纪級级納纳紙纸線线組组細细終终給给絕绝統统絲丝經经綜综維维網网緊紧總总績绩續续義义職职聯联膠胶腦脑臨临與与艱艰藝艺蘇苏號号裝装製制複复親亲觸触訂订討讨訓训記记訪访證证評评試试話话該该詳详認认語语課课誰谁調调談谈論论諸诸謝谢識识護护讓让財财貧贫責责貿贸費费資资賬账質质購购趕赶趨趋跡迹軟软載载較较輔辅輕轻輸输辦办農农這这遠远適适遲迟邊边鄰邻針针鐵铁長长門门開开閒闲間间闊阔隊队際际陽阳隨随險险雙双雜杂雞鸡離离難难電电韓韩順顺預预領领頻频題题顏颜類类顧顾風风養养餘余駐驻體体鬥斗麼么點点齊齐"
        var m: [Character: Character] = [:]
        var it = pairs.makeIterator()
        while let a = it.next(), let b = it.next() { m[a] = b }
        return m
    }()

    // Sheet names (at most 31 characters, none of []:*?/\).
    public var summary: String { t("匯總", "Summary") }
    public var inputs: String { t("輸入", "Inputs") }
    public var calculations: String { t("計算", "Calculations") }
    public var funding: String { t("資金", "Funding") }
    public var collective: String { t("集體經濟", "Collective economy") }
    public var checks: String { t("檢查", "Checks") }
    public var sources: String { t("來源", "Sources") }
    public var scenarioValues: String { t("情景值", "Scenario values") }
    public var comparison: String { t("比較", "Comparison") }
    public var assumptionChanges: String { t("假設變化", "Assumption changes") }

    public func unitName(_ m: Measure) -> String {
        switch m {
        case .money: return t("元", "yuan")
        case .ratio: return "%"
        case .count: return t("個", "count")
        case .area: return t("平方米", "m²")
        case .year: return t("年", "year")
        case .number: return ""
        }
    }

    public func displayUnit(_ u: DisplayUnit) -> String {
        switch (u, language) {
        case (.yuan, .en): return "yuan"
        case (.wan, .en): return "10k yuan (萬元)"
        case (.yi, .en): return "100m yuan (億元)"
        case (.yuan, _): return "元"
        case (.wan, .zhHans): return "万元"
        case (.wan, _): return "萬元"
        case (.yi, .zhHans): return "亿元"
        case (.yi, _): return "億元"
        }
    }
}
