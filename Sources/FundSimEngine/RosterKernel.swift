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
    }

    public static func == (a: RosterKernel, b: RosterKernel) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }

    var parameters: [Formula] { [growth, perVillage, returnRate, budget].compactMap { $0 } }

    /// One year: grow every earning village, support the eligible ones in order within the budget.
    func step(incomes inc: inout [Double], supportedYear: inout [Int32]?, year: Int, growth g: Double, perVillage pv: Double,
              returnRate r: Double, budget b: Double) -> [Double] {
        let n = inc.count
        if g != 0 { for v in 0..<n where inc[v] > 0 { inc[v] *= (1 + g) } }
        let capacity = pv > 0 ? Int(((b / pv) + 1e-9).rounded(.down)) : 0
        let gain = pv * r
        var supported = 0
        if capacity > 0 {
            var eligible = (0..<n).filter { inc[$0] < supportBelow }
            if capacity < eligible.count {
                eligible.sort { lowestFirst ? (inc[$0], $0) < (inc[$1], $1) : (inc[$0], $1) > (inc[$1], $0) }
                eligible.removeLast(eligible.count - capacity)
            }
            for v in eligible {
                inc[v] += gain
                if supportedYear != nil, supportedYear![v] < 0 { supportedYear![v] = Int32(year) }
            }
            supported = eligible.count
        }
        var out = [Double](repeating: 0, count: outputCount)
        var above = [Double](repeating: 0, count: thresholds.count)
        var hollow = 0.0
        for v in 0..<n {
            let x = inc[v]
            var band: Int
            if hasHollow && x <= 0 { band = 0; hollow += 1 } else {
                band = thresholds.count
                for (k, t) in thresholds.enumerated() where x < t { band = k; break }
                if hasHollow { band += 1 }
            }
            out[band] += 1
            for (k, t) in thresholds.enumerated() where x >= t { above[k] += 1 }
        }
        var o = bandCount
        if hasHollow { out[o] = hollow; o += 1 }
        for k in thresholds.indices { out[o + k] = n > 0 ? above[k] / Double(n) : 0 }
        o += thresholds.count
        out[o] = Double(supported)
        out[o + 1] = Double(supported) * pv
        return out
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
