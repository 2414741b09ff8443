import FundSimModel

// Words for the partial-sum rows that keep every formula within a spreadsheet's length (PartialSums.swift).
extension Phrase {
    /// The heading above a sheet's partial-sum rows; `limit` is the formula length, written as a reader reads it.
    public static func partialSumsHeading(_ limit: String) -> Phrase {
        Phrase("分段計算:試算表的一個公式最多 \(limit) 個字元,過長的合計在以下各行分段計算,上方的公式引用這些行",
               "分段计算:电子表格的一个公式最多 \(limit) 个字符,过长的合计在以下各行分段计算,上方的公式引用这些行",
               "Computed in parts: a spreadsheet formula holds at most \(limit) characters, so a longer total is computed in parts on the rows below, which the formula above refers to")
    }

    /// One part of a long total: part `k` of `count`, over its terms `first`–`last` (1-based) when every year splits alike.
    public static func partialSumPart(_ k: Int, of count: Int, terms: ClosedRange<Int>?) -> Phrase {
        guard let t = terms else { return Phrase("第 \(k)/\(count) 段", "第 \(k)/\(count) 段", "part \(k) of \(count)") }
        return Phrase("第 \(k)/\(count) 段(第 \(t.lowerBound)–\(t.upperBound) 項)", "第 \(k)/\(count) 段(第 \(t.lowerBound)–\(t.upperBound) 项)",
                      "part \(k) of \(count) (terms \(t.lowerBound)–\(t.upperBound))")
    }

    /// A row of a sheet as a reader finds it (1-based).
    public static func sheetRow(_ n: Int) -> Phrase { Phrase("第 \(n) 行", "第 \(n) 行", "row \(n)") }
    /// The part of a total that is taken away (continuing money taken from a whole bill to give new money).
    public static let termsSubtracted = Phrase("減去的項", "减去的项", "terms taken away")
}
