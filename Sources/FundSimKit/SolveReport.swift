import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters

/// What `fundsim solve` prints.
public enum SolveReport {
    public static func text(_ s: Scenario, input: String, current: Double, check: CheckInfo, solution sol: Analysis.Solution) -> String {
        let l = Labels(s.language)
        let p = TerminalSummary.plain
        let range = "[\(p(sol.low)), \(p(sol.high))]"
        switch sol.outcome {
        case .boundary:
            let kind = sol.holdsAbove ? l.t("最小值", "smallest value") : l.t("最大值", "largest value")
            let tolerance = sol.tolerance < 1e-6 ? "< 0.000001" : p(sol.tolerance)
            let tail = " (± \(tolerance); " + l.t("現值 ", "now ") + p(current) + "; \(sol.evaluations) " + l.t("次計算", "evaluations") + ")"
            return check.title + "\n" + input + ": " + kind + l.t(" 使檢查成立:", " for which the check holds: ") + p(sol.value) + tail + "\n"
        case .alwaysHolds:
            return l.t("在 \(range) 內檢查始終成立:\(input) 不約束它", "the check holds for every value in \(range): \(input) does not bind it") + "\n"
        case .neverHolds:
            return l.t("在 \(range) 內沒有任何 \(input) 的值使「\(check.title)」成立", "no value of \(input) in \(range) makes `\(check.id)` hold")
                + "\n  hint: " + l.t("擴大範圍(--low/--high 或 range:),或改變其他輸入", "widen the range (--low/--high or the input's range:), or change another input") + "\n"
        }
    }
}
