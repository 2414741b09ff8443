import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters

/// What `fundsim solve` prints.
public enum SolveReport {
    public static func text(_ s: Scenario, input: String, current: Double, check: CheckInfo, solution sol: Analysis.Solution) -> String {
        let l = Labels(s.language, unit: s.unit)
        let p = ValueStyle.plain
        let range = "[\(p(sol.low)), \(p(sol.high))]"
        switch sol.outcome {
        case .boundary:
            let kind = sol.holdsAbove ? l[.smallestValue] : l[.largestValue]
            let tolerance = sol.tolerance < 1e-6 ? "< 0.000001" : p(sol.tolerance)
            let tail = " (± \(tolerance); " + l[.now] + p(current) + "; \(sol.evaluations) " + l[.evaluations] + ")"
            return l.text(check.title) + "\n" + input + ": " + kind + l[.forWhichCheckHolds] + p(sol.value) + tail + "\n"
        case .alwaysHolds:
            return l[.solveAlwaysHolds(range: range, input: input)] + "\n"
        case .neverHolds:
            return l[.solveNeverHolds(range: range, input: input, title: l.text(check.title), id: check.id)]
                + "\n  hint: " + l[.widenRangeLowHighOr] + "\n"
        }
    }
}
