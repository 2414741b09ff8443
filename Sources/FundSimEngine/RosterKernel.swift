import Foundation
import FundSimModel

/// The per-village collective-economy model over a roster: each village's own income, grown and
/// supported year by year. Its outputs are engine values (a sort is not a spreadsheet formula).
public final class RosterKernel: @unchecked Sendable, Hashable {
    /// Incomes at the base year, one per village (communities are left out).
    public let incomes: [Double]
    /// The roster row of each village, and its county index.
    public let rosterRows: [Int]
    public let counties: [Int]
    public let countyNames: [String]
    /// Upper bounds of the earning bands, ascending; the top band has none.
    public let thresholds: [Double]
    public let hasHollow: Bool
    public let supportBelow: Double
    public let lowestFirst: Bool
    /// Whether the thresholds are in rising order (the decoder requires it), so a band is a count of comparisons.
    let thresholdsRise: Bool
    /// Growth, investment per village, return and budget, resolved after compilation.
    var growth: Formula?
    var perVillage: Formula?
    var returnRate: Formula?
    var budget: Formula?

    /// Outputs, in this order: villages per band (hollow first when there is one), hollow villages (when
    /// there is a hollow band), share at or above each threshold, villages supported, cost.
    public var bandCount: Int { thresholds.count + 1 + (hasHollow ? 1 : 0) }
    public var outputCount: Int { bandCount + (hasHollow ? 1 : 0) + thresholds.count + 2 }

    init(incomes: [Double], rosterRows: [Int], counties: [Int], countyNames: [String], thresholds: [Double], hasHollow: Bool,
         supportBelow: Double, lowestFirst: Bool) {
        self.incomes = incomes
        self.rosterRows = rosterRows
        self.counties = counties
        self.countyNames = countyNames
        self.thresholds = thresholds
        self.hasHollow = hasHollow
        self.supportBelow = supportBelow
        self.lowestFirst = lowestFirst
        self.thresholdsRise = zip(thresholds, thresholds.dropFirst()).allSatisfy { $0 <= $1 }
    }

    public static func == (a: RosterKernel, b: RosterKernel) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }

    var parameters: [Formula] { [growth, perVillage, returnRate, budget].compactMap { $0 } }

    /// One year: grow every earning village, support the eligible ones in order within the budget.
    ///
    /// One pass grows the incomes, counts villages by band and collects the eligible ones; when the budget
    /// cannot support them all, the ones supported are chosen by selection (the same set a full sort by
    /// income, then roster order, would give, without sorting); the band counts are then moved for just
    /// the villages supported.
    ///
    /// `scratch` is the caller's working space (one per thread), kept between calls.
    func step(incomes inc: inout [Double], supportedYear: inout [Int32]?, year: Int, growth g: Double, perVillage pv: Double,
              returnRate r: Double, budget b: Double, scratch: inout [Candidate]) -> [Double] {
        let n = inc.count
        let capacity = pv > 0 ? Int(((b / pv) + 1e-9).rounded(.down)) : 0
        let gain = pv * r
        // Growth applies to earning villages only; with no growth, x * 1 is x.
        let factor = g != 0 ? 1 + g : 1
        let below = supportBelow
        let bands = thresholds.count
        // counts[k]: villages with raw band k (the first threshold they are under; `bands` when none);
        // hollowCounts[k]: those of them at or below zero, which go to the hollow band when there is one.
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2 * (bands + 1))
        defer { counts.deallocate() }
        counts.initialize(repeating: 0)
        let hollowCounts = UnsafeMutableBufferPointer(rebasing: counts[(bands + 1)...])
        // Villages under the support line, collected in roster order (every village is written, only those
        // under the line are kept: no branch to mispredict on random incomes).
        if scratch.count < n + 1 { scratch = [Candidate](repeating: Candidate(key: 0, index: 0), count: n + 1) }
        let limit = capacity > 0 ? below : -Double.infinity
        let sign = lowestFirst ? 1.0 : -1.0
        var found = 0
        var supported = 0
        let rising = thresholdsRise
        scratch.withUnsafeMutableBufferPointer { eligible in
        thresholds.withUnsafeBufferPointer { t in
            /// The first threshold `x` is under (`bands` when none); with rising thresholds, the number it is not under.
            @inline(__always) func band(_ x: Double) -> Int {
                var k = 0
                if rising {
                    for j in 0..<bands { k &+= x < t[j] ? 0 : 1 }
                } else {
                    while k < bands && !(x < t[k]) { k += 1 }
                }
                return k
            }
            inc.withUnsafeMutableBufferPointer { p in
                if rising && bands <= 4 && (bands == 0 || t[0] > 0) {
                    // Up to four rising, positive thresholds: counts at or above each, and hollow villages
                    // (all in the first raw band), kept in registers; a missing threshold is +∞.
                    let t0 = bands > 0 ? t[0] : .infinity, t1 = bands > 1 ? t[1] : .infinity
                    let t2 = bands > 2 ? t[2] : .infinity, t3 = bands > 3 ? t[3] : .infinity
                    var a0 = 0, a1 = 0, a2 = 0, a3 = 0, hollow = 0
                    for v in 0..<n {
                        let x0 = p[v]
                        let x = x0 > 0 ? x0 * factor : x0
                        p[v] = x
                        eligible[found] = Candidate(key: sign * x, index: Int32(truncatingIfNeeded: v))
                        found &+= one(x < limit)
                        a0 &+= one(x >= t0)
                        a1 &+= one(x >= t1)
                        a2 &+= one(x >= t2)
                        a3 &+= one(x >= t3)
                        hollow &+= one(x <= 0)
                    }
                    let above = [a0, a1, a2, a3]
                    for k in 0...bands { counts[k] = (k == 0 ? n : above[k - 1]) - (k < bands ? above[k] : 0) }
                    hollowCounts[0] = hollow
                } else {
                    for v in 0..<n {
                        let x0 = p[v]
                        let x = x0 > 0 ? x0 * factor : x0
                        p[v] = x
                        eligible[found] = Candidate(key: sign * x, index: Int32(truncatingIfNeeded: v))
                        found &+= one(x < limit)
                        let k = band(x)
                        counts[k] &+= 1
                        hollowCounts[k] &+= one(x <= 0)
                    }
                }
                guard capacity > 0 else { return }
                let chosen = UnsafeMutableBufferPointer(rebasing: eligible[0..<found])
                if capacity < found { Candidate.selectSmallest(chosen, capacity) }
                supported = min(capacity, found)
                for c in chosen[0..<supported] {
                    let v = Int(c.index)
                    let old = p[v], new = old + gain
                    let k0 = band(old), k1 = band(new)
                    counts[k0] -= 1
                    counts[k1] += 1
                    if old <= 0 { hollowCounts[k0] -= 1 }
                    if new <= 0 { hollowCounts[k1] += 1 }
                    p[v] = new
                    if supportedYear != nil, supportedYear![v] < 0 { supportedYear![v] = Int32(year) }
                }
            }
        }
        }
        var out = [Double](repeating: 0, count: outputCount)
        var o = 0
        if hasHollow {
            out[0] = Double(hollowCounts.reduce(0, +))
            o = 1
        }
        for k in 0...bands { out[o + k] = Double(hasHollow ? counts[k] - hollowCounts[k] : counts[k]) }
        o = bandCount
        if hasHollow { out[o] = out[0]; o += 1 }
        var above = 0
        for k in stride(from: bands - 1, through: 0, by: -1) {
            above += counts[k + 1]
            out[o + k] = n > 0 ? Double(above) / Double(n) : 0
        }
        o += bands
        out[o] = Double(supported)
        out[o + 1] = Double(supported) * pv
        return out
    }
}

/// 1 for true, 0 for false, as arithmetic (so that a count does not become a branch).
@inline(__always) func one(_ b: Bool) -> Int { Int(unsafeBitCast(b, to: UInt8.self)) }

/// A village that may be supported: ordered by `key` (the income, negated when the highest come first),
/// then by roster order.
struct Candidate {
    var key: Double
    var index: Int32

    @inline(__always) static func < (a: Candidate, b: Candidate) -> Bool {
        a.key < b.key || (a.key == b.key && a.index < b.index)
    }

    /// Moves the `m` smallest candidates to the front, in no particular order (Hoare's selection with a
    /// median-of-three pivot; a range that does not shrink quickly is sorted instead).
    static func selectSmallest(_ p: UnsafeMutableBufferPointer<Candidate>, _ m: Int) {
        guard m > 0, m < p.count else { return }
        let target = m - 1
        do {
            var lo = 0, hi = p.count - 1
            var rounds = 0
            while lo < hi {
                rounds += 1
                if rounds > 64 {
                    var rest = UnsafeMutableBufferPointer(rebasing: p[lo...hi])
                    rest.sort(by: <)
                    return
                }
                let mid = lo + (hi - lo) / 2
                let x = p[lo], y = p[mid], z = p[hi]
                let pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y))
                var i = lo, j = hi
                while i <= j {
                    while p[i] < pivot { i += 1 }
                    while pivot < p[j] { j -= 1 }
                    if i <= j {
                        p.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if target <= j { hi = j } else if target >= i { lo = i } else { return }
            }
        }
    }
}

/// Per-village results of a roster programme, for the county and detail sheets.
public struct RosterDetail: Sendable {
    public let kernel: RosterKernel
    /// Income by year, then by village.
    public var incomes: [[Double]]
    /// The year index in which each village was first supported, or -1.
    public var supportedYear: [Int32]
}
