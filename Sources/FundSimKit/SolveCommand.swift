import Foundation
import FundSimModel
import FundSimEngine

/// `fundsim solve`: goal seek — the value of one input at which a check just holds.
public struct SolveCommand {
    public var file: String
    /// The input to vary (its name, or COMMITMENT:FIELD).
    public var vary: String
    /// The check that must hold.
    public var until: String
    public var low: Double?
    public var high: Double?
    public var seeds: String?
    /// Files or folders outside the scenario's project that it may name (`--allow-outside`).
    public var allowOutside: [String] = []

    public init(file: String, vary: String, until: String) {
        self.file = file
        self.vary = vary
        self.until = until
    }

    /// A `--low` or `--high` figure written as in a scenario (`1500萬`, `30%`, `200`), in base units.
    public static func figure(_ text: String, option: String) throws -> Double {
        guard case .success(let q) = Quantity.evaluate(text) else {
            throw UsageError("\(option) `\(text)` is not a figure FundSim can search: write a finite figure within ±10^15 as in a scenario, e.g. 1500萬, 30% or 200")
        }
        return q.double
    }

    /// Exit 0 with the value, 1 when no value in the range works (or the scenario is invalid).
    public func execute(_ console: Console = .standard) throws -> Int32 {
        let pipeline = Pipeline(seedsDirectory: seeds, allowOutside: allowOutside)
        guard let (s, p) = pipeline.projectValid(file, console) else { return ExitStatus.invalid }
        let m = p.model
        let movable = Analysis.movableInputs(m)
        guard let i = m.index[vary], movable.contains(i) else {
            let names = movable.map { m.rows[$0].id }
            throw UsageError("`\(vary)` is not an input that can be varied" + (Suggest.didYouMean(vary, in: names).map { "; \($0)" } ?? "; inputs: " + names.prefix(12).joined(separator: ", ")))
        }
        guard let check = m.checks.first(where: { $0.id == until }) else {
            throw UsageError("no check `\(until)`" + (Suggest.didYouMean(until, in: m.checks.map(\.id)).map { "; \($0)" } ?? "; checks: " + m.checks.map(\.id).joined(separator: ", ")))
        }
        let v0 = Analysis.firstValue(m, row: i)
        let lo = low ?? m.rows[i].range?.lowerBound ?? 0
        let hi = high ?? m.rows[i].range?.upperBound ?? max(1, abs(v0) * 10)
        for (name, v) in [("--low", lo), ("--high", hi)] where !(abs(v) <= Limits.absurdMagnitude) {
            throw UsageError("\(name) \(m.unit.show(v, m.rows[i].dimension)) is not a figure FundSim can search: give a finite value within ±10^15")
        }
        guard lo < hi else { throw UsageError("--low must be below --high") }
        let sol = Analysis.solve(m, input: i, check: check, low: lo, high: hi)
        if let problem = sol.problem {
            console.err(DiagnosticRenderer().render(problem.described))
            console.err("\(file): solve tried \(problem.count) value\(problem.count == 1 ? "" : "s") a run would refuse; narrow --low and --high\n")
            return ExitStatus.invalid
        }
        let text = SolveReport.text(s, input: vary, measure: m.rows[i].dimension, current: v0, check: check, solution: sol)
        if sol.outcome == .neverHolds {
            console.err(text)
            return ExitStatus.invalid
        }
        console.out(text)
        return ExitStatus.ok
    }
}
