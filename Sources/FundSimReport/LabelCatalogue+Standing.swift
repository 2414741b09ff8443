import FundSimModel
import FundSimEngine

// Words for what FundSim knows and does not know (issue 15): funding status, sourced against assumed money,
// the money basis, what decides a check, and the roll-up of jurisdictions. Kept apart from LabelCatalogue.swift
// only so that the phrases of one feature stay together.
extension Phrase {
    // Funding status.
    public static let statusGap = Phrase("缺口", "缺口", "gap")
    public static let statusSurplus = Phrase("結餘", "结余", "surplus")
    public static let statusUnbudgeted = Phrase("未列預算", "未列预算", "unbudgeted")
    public static let statusHeader = Phrase("資金狀況", "资金状况", "Funding status")
    public static let unbudgetedNote = Phrase("未列預算:原文未給此來源的預算額度,所列金額沒有預算對應,不是缺口為0",
                                              "未列预算:原文未给此来源的预算额度,所列金额没有预算对应,不是缺口为0",
                                              "unbudgeted: no envelope is stated for this source, so nothing is known to cover these amounts (not a gap of 0)")
    // Sourced and assumed money.
    public static let sourcedMoney = Phrase("依據原文數字", "依据原文数字", "rests on the seed")
    public static let assumedMoney = Phrase("依據假設", "依据假设", "rests on assumptions")
    public static let sourcingHeader = Phrase("依據", "依据", "Basis")
    public static let sourcedColumn = Phrase("其中依據原文", "其中依据原文", "of which on the seed")
    public static let assumedColumn = Phrase("其中依據假設", "其中依据假设", "of which on assumptions")
    public static let whollyAssumed = Phrase("全部依據假設", "全部依据假设", "wholly on assumptions")
    // Money basis.
    public static let newMoney = Phrase("新增資金", "新增资金", "new money")
    public static let continuingMoney = Phrase("延續資金", "延续资金", "continuing money")
    public static let unsplitMoney = Phrase("全額(未區分新增與延續)", "全额(未区分新增与延续)", "whole bill (new and continuing not told apart)")
    // What decides a check.
    public static let decidedBySeed = Phrase("原文數字", "原文数字", "the seed")
    public static let decidedByAssumptions = Phrase("假設", "假设", "assumptions")
    public static let decidedByHeader = Phrase("取決於", "取决于", "Decided by")
    // Roll-up of jurisdictions.
    public static let variantsApart = Phrase("變體(不計入合計)", "变体(不计入合计)", "Variants (not added to the totals)")
    public static let variantOf = Phrase("變體,基於 ", "变体,基于 ", "variant of ")
    public static let jurisdictionHeader = Phrase("轄區", "辖区", "Jurisdiction")
    public static let unbudgetedTotal = Phrase("未列預算合計", "未列预算合计", "Unbudgeted total")

    /// "63,000萬, of which 17,400萬 rests on the seed and 45,600萬 on assumptions".
    public static func sourcedSentence(_ total: String, _ sourced: String, _ assumed: String) -> Phrase {
        Phrase("合計 \(total),其中 \(sourced) 依據原文數字,\(assumed) 依據假設",
               "合计 \(total),其中 \(sourced) 依据原文数字,\(assumed) 依据假设",
               "\(total), of which \(sourced) rests on the seed and \(assumed) on assumptions")
    }

    /// "new money 1,000萬, continuing money 2,000萬, whole bill not told apart 500萬".
    public static func basisSentence(_ new: String, _ continuing: String, _ unsplit: String) -> Phrase {
        Phrase("新增資金 \(new),延續資金 \(continuing),未區分新增與延續的全額 \(unsplit)",
               "新增资金 \(new),延续资金 \(continuing),未区分新增与延续的全额 \(unsplit)",
               "new money \(new), continuing money \(continuing), whole bills not told apart \(unsplit)")
    }
}

extension Labels {
    /// A funding status as words: "缺口", "結餘", "未列預算".
    public func status(_ s: FundingStatus) -> String {
        switch s {
        case .gap: return self[.statusGap]
        case .surplus: return self[.statusSurplus]
        case .unbudgeted: return self[.statusUnbudgeted]
        }
    }

    /// What decides a check, as a word.
    public func decidedBy(_ b: CheckBasis) -> String {
        b.isSeed ? self[.decidedBySeed] : self[.decidedByAssumptions]
    }
}

extension ValueStyle {
    /// A total inside a sentence, grouped and without needless decimals: `63,000萬元`, `1,234.5萬元`.
    public func wholeAmount(_ yuan: Double) -> String {
        Self.plain(money(Money.fen(yuan))) + (labels.language == .en ? " " : "") + labels.displayUnit(unit)
    }
}
