import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters

/// What `fundsim solve` prints.
public enum SolveReport {
    /// The answer in the input's measure as a reader reads it: money in the scenario's display unit
    /// (`1,720 萬元`, never yuan), counts as counts, ratios in %.
    public static func text(_ s: Scenario, input: String, measure: Measure, current: Double, check: CheckInfo, solution sol: Analysis.Solution) -> String {
        let style = ValueStyle(s), l = style.labels
        let p = { (v: Double) in style.show(v, measure) }
        let range = "[\(p(sol.low)), \(p(sol.high))]"
        switch sol.outcome {
        case .boundary:
            let kind = sol.holdsAbove ? l[.smallestValue] : l[.largestValue]
            // The tolerance to its last digit, in the input's unit (0.01 yuan is 0.000001 萬元).
            let tolerance = sol.tolerance < 1e-6 ? "< 0.000001"
                : measure == .money ? ValueStyle.exact(style.money(sol.tolerance)) + " " + l.displayUnit(s.unit) : p(sol.tolerance)
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
