import Foundation
import FundSimModel

/// Analyses that re-evaluate a model with some inputs changed: sensitivity, Monte Carlo, goal seek.
///
/// All are pure: the same model, options and seed give the same answer, whatever the number of threads.
public enum Analysis {
    /// Input rows an analysis may move: inputs with values (not formulas), excluding years.
    public static func movableInputs(_ m: Model) -> [Int] {
        m.rows.indices.filter { i in
            let r = m.rows[i]
            guard r.isInput, r.dimension != .year else { return false }
            switch r.section {
            case .input, .commitment, .funding: return true
            default: return false
            }
        }
    }

    /// The row's values scaled so that its first-year value becomes `value` (a constant is simply replaced).
    public static func values(_ m: Model, row i: Int, settingTo value: Double) -> [Double] {
        switch m.rows[i].definition {
        case .scalar: return Array(repeating: value, count: m.years.count)
        case .series(let v):
            let base = v.first(where: { $0 != 0 }) ?? 0
            return base == 0 ? Array(repeating: value, count: v.count) : v.map { $0 * value / base }
        case .formula: return []
        }
    }

    public static func firstValue(_ m: Model, row i: Int) -> Double {
        switch m.rows[i].definition {
        case .scalar(let v): return v
        case .series(let v): return v.first(where: { $0 != 0 }) ?? 0
        case .formula: return 0
        }
    }

    /// A value an analysis tried that a run would refuse, with the draw or bound that caused it.
    public struct Problem: Sendable {
        /// The draw or bound: `draw 17 (村數 = -73)`, `村數 = 1e+15 (its high value)`.
        public var cause: String
        /// What is wrong, as a run would say it.
        public var diagnostic: Diagnostic
        /// How many of the values tried had a problem (draws, bounds).
        public var count: Int
        /// The diagnostic with its cause in front of the message.
        public var described: Diagnostic {
            var d = diagnostic
            d.message = cause + ": " + d.message
            return d
        }
    }

    /// Evaluates with `overrides`, checking the values set and the results as a run does (`Hazards`).
    static func checkedValues(_ m: Model, _ hazards: Hazards, overrides: [Int: [Double]]) -> Result<[[Double]], Diagnostic> {
        for (i, v) in overrides.sorted(by: { $0.key < $1.key }) {
            if let d = hazards.input(i, v) { return .failure(d) }
        }
        var ev = Evaluator(model: m)
        ev.override = overrides
        if let d = ev.run() { return .failure(d) }
        if let d = hazards.check(ev.values).first { return .failure(d) }
        return .success(ev.values)
    }

    /// Sum over all years of the total cost.
    static func total(_ m: Model, _ v: [[Double]]) -> Double { v[m.index["total"]!].reduce(0, +) }

    /// The largest yearly shortfall of any source with an envelope (0 when none is short).
    static func largestGap(_ m: Model, _ v: [[Double]]) -> Double {
        var g = 0.0
        for s in m.sources { if let r = s.gapRow, let i = m.index[r] { g = max(g, v[i].max() ?? 0) } }
        return g
    }

    // MARK: Sensitivity

    public struct SensitivityRow: Sendable {
        public var input: String
        public var label: RowLabel
        /// What the input measures: `base`, `low` and `high` are in its base unit (yuan for money).
        public var measure: Measure
        public var base: Double
        public var low: Double
        public var high: Double
        /// Whether low/high come from the scenario's `range` (else ±`defaultShare`).
        public var stated: Bool
        public var totalAtLow: Double
        public var totalAtHigh: Double
        public var gapAtLow: Double
        public var gapAtHigh: Double
        /// |total(high) − total(low)|: what the rows are sorted by.
        public var swing: Double { abs(totalAtHigh - totalAtLow) }
    }

    public struct Sensitivity: Sendable {
        public var baseTotal: Double
        public var baseGap: Double
        public var rows: [SensitivityRow]
        /// Bounds a run would refuse (a negative count, an absurd or non-finite figure): the analysis is invalid.
        public var problems: [Problem] = []
        /// How far an input without a stated `range` was moved either way (0.1 = ±10%).
        public var defaultShare: Double = 0.10
    }

    /// Moves each input to its low and high value (its `range`, or ±`defaultShare`) and records the effect
    /// on the total cost over all years and on the largest yearly gap. Rows are sorted by effect, largest first.
    public static func sensitivity(_ m: Model, defaultShare: Double = 0.10) -> Sensitivity? {
        guard let base = Projection.values(m, overrides: [:]) else { return nil }
        let hazards = Hazards(m)
        var rows: [SensitivityRow] = []
        var problems: [Problem] = []
        for i in movableInputs(m) {
            let v0 = firstValue(m, row: i)
            let (lo, hi, stated): (Double, Double, Bool) = {
                if let r = m.rows[i].range { return (r.lowerBound, r.upperBound, true) }
                return (v0 * (1 - defaultShare), v0 * (1 + defaultShare), false)
            }()
            if lo == hi { continue }
            var ends: [[[Double]]] = []
            for (bound, v) in [("low", lo), ("high", hi)] {
                switch checkedValues(m, hazards, overrides: [i: values(m, row: i, settingTo: v)]) {
                case .success(let values): ends.append(values)
                case .failure(let d):
                    problems.append(Problem(cause: "`\(m.rows[i].id)` at its \(bound) value \(m.unit.show(v, m.rows[i].dimension))" + (stated ? " (its `range`)" : ""),
                                            diagnostic: d, count: 1))
                }
            }
            guard ends.count == 2 else { continue }
            let (a, b) = (ends[0], ends[1])
            rows.append(SensitivityRow(input: m.rows[i].id, label: m.rows[i].label, measure: m.rows[i].dimension, base: v0, low: lo, high: hi, stated: stated,
                                       totalAtLow: total(m, a), totalAtHigh: total(m, b), gapAtLow: largestGap(m, a), gapAtHigh: largestGap(m, b)))
        }
        rows.sort { $0.swing == $1.swing ? $0.input < $1.input : $0.swing > $1.swing }
        return Sensitivity(baseTotal: total(m, base), baseGap: largestGap(m, base), rows: rows, problems: problems, defaultShare: defaultShare)
    }

    // MARK: Monte Carlo

    public struct Simulation: Sendable {
        public var draws: Int
        public var seed: UInt64
        /// The inputs drawn, by row id.
        public var inputs: [String]
        /// P10, P50, P90 of the total cost per year.
        public var total: [(p10: Double, p50: Double, p90: Double)]
        /// The same for each source with an envelope: its gap per year.
        public var gaps: [(source: String, years: [(p10: Double, p50: Double, p90: Double)])]
        /// P10, P50, P90 of the total cost over the whole horizon (each draw's yearly totals added up):
        /// what a budget meeting asks first. Not the sum of the yearly percentiles.
        public var horizonTotal: (p10: Double, p50: Double, p90: Double)
        /// The same for each source with an envelope: its cumulative gap at the end of the horizon.
        public var cumulativeGaps: [(source: String, horizon: (p10: Double, p50: Double, p90: Double))]
        /// The share of draws in which each check passes in every year it applies to.
        public var checks: [(id: String, title: RowLabel, probability: Double)]
        /// Draws a run would refuse (division by zero, a negative count, an absurd figure); left out of the figures.
        public var failedDraws: Int
        /// The first such draw and what is wrong with it: the simulation is then invalid.
        public var problem: Problem?
    }

    /// Draws every input that has a distribution `draws` times and summarises the results.
    ///
    /// Draw k uses its own random stream seeded from (seed, k), so the results do not depend on how the
    /// draws are shared among threads. `progress` is called with the number of draws done so far.
    public static func simulate(_ m: Model, draws: Int, seed: UInt64, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                                progress: (@Sendable (Int) -> Void)? = nil) -> Simulation {
        let drawn = m.rows.indices.filter { m.rows[$0].distribution != nil && m.rows[$0].isInput }
        let totalRow = m.index["total"]!
        let gapRows = m.sources.compactMap { s in s.gapRow.flatMap { m.index[$0] }.map { (s.name, $0) } }
        let checkRows = m.checks.map { c in (c, m.index[c.row]!) }
        let ny = m.years.count
        // Per draw: total by year, gaps by year, check passes.
        let width = ny + gapRows.count * ny + checkRows.count + 1
        let store = SharedBuffer(count: draws * width)
        let threads = max(1, min(threads, draws))
        let chunk = (draws + threads - 1) / threads
        let done = Counter()
        let hazards = Hazards(m)
        /// Draw k's inputs, reproducible from (seed, k) alone.
        @Sendable func draw(_ k: Int) -> [Int: [Double]] {
            var rng = SplitMix64(seed: seed, stream: UInt64(k))
            var out: [Int: [Double]] = [:]
            for i in drawn { out[i] = values(m, row: i, settingTo: sample(m.rows[i].distribution!, &rng)) }
            return out
        }
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let results = store.buffer
            let start = t * chunk, end = min(draws, start + chunk)
            guard start < end else { return }
            var ev = Evaluator(model: m)
            for k in start..<end {
                ev.override = draw(k)
                let base = k * width
                if ev.override.contains(where: { hazards.input($0.key, $0.value) != nil }) || ev.run() != nil || !hazards.check(ev.values).isEmpty {
                    results[base + width - 1] = 1
                    continue
                }
                results[base + width - 1] = 0
                for y in 0..<ny { results[base + y] = ev.values[totalRow][y] }
                for (g, (_, row)) in gapRows.enumerated() { for y in 0..<ny { results[base + ny + g * ny + y] = ev.values[row][y] } }
                for (c, (info, row)) in checkRows.enumerated() {
                    var pass = true
                    for (y, year) in m.years.enumerated() where info.years.contains(year) && ev.values[row][y] == 0 { pass = false }
                    results[base + ny + gapRows.count * ny + c] = pass ? 1 : 0
                }
                if let progress, (k - start) % 256 == 255 { progress(done.add(256)) }
            }
        }
        progress?(draws)
        // `store` owns the memory `results` points into: it must outlive every read below.
        let (ok, total, gaps, checks, horizonTotal, cumulativeGaps) = withExtendedLifetime(store) {
            let results = store.buffer
            let ok = (0..<draws).filter { results[$0 * width + width - 1] == 0 }
            func column(_ c: Int) -> [Double] { ok.map { results[$0 * width + c] } }
            /// Each ok draw's sum of the columns `first ..< first + ny` (a series over the horizon).
            func horizon(_ first: Int) -> [Double] { ok.map { k in (0..<ny).reduce(0) { $0 + results[k * width + first + $1] } } }
            let total = (0..<ny).map { percentiles(column($0)) }
            let gaps = gapRows.enumerated().map { g, s in (s.0, (0..<ny).map { percentiles(column(ny + g * ny + $0)) }) }
            let horizonTotal = percentiles(horizon(0))
            let cumulativeGaps = gapRows.enumerated().map { g, s in (s.0, percentiles(horizon(ny + g * ny))) }
            let checks = checkRows.enumerated().map { c, x in
                (x.0.id, x.0.title, ok.isEmpty ? 0 : column(ny + gapRows.count * ny + c).reduce(0, +) / Double(ok.count))
            }
            return (ok, total, gaps, checks, horizonTotal, cumulativeGaps)
        }
        var problem: Problem?
        if ok.count < draws, let k = (0..<draws).first(where: { ok.count == $0 || ok[$0] != $0 }) {
            let inputs = draw(k)
            if case .failure(let d) = checkedValues(m, hazards, overrides: inputs) {
                let shown = drawn.prefix(4).map { "\(m.rows[$0].id) = \(m.unit.show(inputs[$0]?.first ?? 0, m.rows[$0].dimension))" }.joined(separator: ", ")
                    + (drawn.count > 4 ? ", …" : "")
                problem = Problem(cause: "draw \(k + 1) of \(draws) (seed \(seed): \(shown))", diagnostic: d, count: draws - ok.count)
            }
        }
        return Simulation(draws: draws, seed: seed, inputs: drawn.map { m.rows[$0].id }, total: total, gaps: gaps,
                          horizonTotal: horizonTotal, cumulativeGaps: cumulativeGaps, checks: checks,
                          failedDraws: draws - ok.count, problem: problem)
    }

    /// P10, P50 and P90 by linear interpolation between order statistics (Hyndman–Fan type 7).
    public static func percentiles(_ xs: [Double]) -> (p10: Double, p50: Double, p90: Double) {
        guard !xs.isEmpty else { return (.nan, .nan, .nan) }
        let s = xs.sorted()
        func q(_ p: Double) -> Double {
            let h = Double(s.count - 1) * p
            let lo = Int(h.rounded(.down)), hi = min(s.count - 1, lo + 1)
            return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
        }
        return (q(0.1), q(0.5), q(0.9))
    }

    static func sample(_ d: Distribution, _ rng: inout SplitMix64) -> Double {
        switch d {
        case .uniform(let a, let b):
            return a + (b - a) * rng.unit()
        case .triangular(let a, let c, let b):
            let u = rng.unit(), f = (c - a) / (b - a)
            return u < f ? a + ((b - a) * (c - a) * u).squareRoot() : b - ((b - a) * (b - c) * (1 - u)).squareRoot()
        case .normal(let mean, let sd, let lo, let hi):
            // Box–Muller, redrawn until inside the bounds (bounded tries, then clamped).
            for _ in 0..<64 {
                let u1 = max(rng.unit(), 1e-300), u2 = rng.unit()
                let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
                let x = mean + sd * z
                if x >= lo && x <= hi { return x }
            }
            return min(hi, max(lo, mean))
        }
    }

    /// Each draw writes only its own slots, so threads never touch the same element.
    final class SharedBuffer: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Double>
        init(count: Int) {
            buffer = .allocate(capacity: max(1, count))
            buffer.initialize(repeating: 0)
        }
        deinit { buffer.deallocate() }
    }

    final class Counter: @unchecked Sendable {
        private var n = 0
        private let lock = NSLock()
        func add(_ k: Int) -> Int { lock.lock(); defer { lock.unlock() }; n += k; return n }
    }

    // MARK: Goal seek

    public struct Solution: Sendable {
        public enum Outcome: Sendable, Equatable {
            /// The check just holds at `value` (within `tolerance`).
            case boundary
            /// The check holds everywhere in the range.
            case alwaysHolds
            /// No value in the range makes the check hold.
            case neverHolds
        }
        public var outcome: Outcome
        public var value: Double
        public var tolerance: Double
        public var low: Double
        public var high: Double
        /// True when the check holds above `value` (a smallest value), false when it holds below (a largest value).
        public var holdsAbove: Bool
        public var evaluations: Int
        /// The first value tried that a run would refuse (an evaluation there counts as "does not hold").
        public var problem: Problem? = nil
    }

    /// Finds the value of input row `input` at which check `check` just holds, by bisection over [low, high].
    ///
    /// Counts (people, villages, units) are searched over whole numbers.
    public static func solve(_ m: Model, input i: Int, check: CheckInfo, low: Double, high: Double, tolerance: Double? = nil) -> Solution {
        let row = m.index[check.row]!
        let hazards = Hazards(m)
        var evaluations = 0
        var problem: Problem?
        func holds(_ v: Double) -> Bool {
            evaluations += 1
            // A value where the model cannot be evaluated (a division by zero at 0 villages) is one where the
            // check does not hold, as a search expects; a value a run would refuse for its figures is an error.
            func refuse(_ d: Diagnostic) -> Bool {
                if problem == nil { problem = Problem(cause: "`\(m.rows[i].id)` = \(m.unit.show(v, m.rows[i].dimension))", diagnostic: d, count: 0) }
                problem!.count += 1
                return false
            }
            let set = Analysis.values(m, row: i, settingTo: v)
            if let d = hazards.input(i, set) { return refuse(d) }
            var ev = Evaluator(model: m)
            ev.override = [i: set]
            guard ev.run() == nil else { return false }
            if let d = hazards.check(ev.values).first { return refuse(d) }
            let values = ev.values
            for (y, year) in m.years.enumerated() where check.years.contains(year) && values[row][y] == 0 { return false }
            return true
        }
        let integer = m.rows[i].dimension == .count
        let money = m.rows[i].dimension == .money
        let tol = tolerance ?? (integer ? 1 : max(1e-9, (high - low) * 1e-12, money ? 1e-4 : 0))
        let atLow = holds(low), atHigh = holds(high)
        if atLow && atHigh { return Solution(outcome: .alwaysHolds, value: low, tolerance: 0, low: low, high: high, holdsAbove: true, evaluations: evaluations, problem: problem) }
        if !atLow && !atHigh { return Solution(outcome: .neverHolds, value: .nan, tolerance: 0, low: low, high: high, holdsAbove: true, evaluations: evaluations, problem: problem) }
        // Keep `good` where the check holds and `bad` where it does not.
        var good = atHigh ? high : low, bad = atHigh ? low : high
        while abs(good - bad) > tol && evaluations < 400 {
            var mid = (good + bad) / 2
            if integer { mid = (mid).rounded(.down); if mid == bad || mid == good { mid = atHigh ? mid + 1 : mid; if mid == good || mid == bad { break } } }
            if holds(mid) { good = mid } else { bad = mid }
        }
        // A boundary that is a whole number (729 villages) is reported as one when it still holds.
        let whole = good.rounded()
        if !integer, whole != good, abs(whole - good) <= 1e-6 * max(1, abs(good)), holds(whole) { good = whole }
        // Money is reported to the fen when the rounded value still holds.
        if money {
            let fen = (good * 100).rounded() / 100
            if fen != good && holds(fen) { good = fen }
        }
        return Solution(outcome: .boundary, value: good, tolerance: max(abs(good - bad), money ? 0.01 : 0), low: low, high: high, holdsAbove: atHigh, evaluations: evaluations, problem: problem)
    }
}

/// SplitMix64: a small, fast, well-mixed generator; one stream per (seed, draw).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64, stream: UInt64 = 0) {
        state = seed &+ (stream &* 0xD1B54A32D192ED03)
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
