import Foundation
import FundSimEngine

/// A synthetic roster with documented, seed-derived distributions (see docs/roster.md).
public enum RosterSynth {
    /// Writes `villages` villages and `communities` communities as roster CSV through `emit`, in chunks.
    public static func generate(villages: Int, communities: Int, seed: UInt64, villagesPerCounty: Int = 175,
                                emit: (String) -> Void) {
        var rng = SplitMix64(seed: seed)
        let counties = max(1, (villages + villagesPerCounty - 1) / villagesPerCounty)
        var out = "id,name,county,kind,cadres,members,centre_area,income\n"
        out.reserveCapacity(1 << 20)
        func normal() -> Double {
            let u1 = max(rng.unit(), 1e-300), u2 = rng.unit()
            return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
        func logNormal(median: Double, sigma: Double) -> Double { median * exp(sigma * normal()) }
        for i in 0..<(villages + communities) {
            let community = i >= villages
            let county = Int(rng.next() % UInt64(counties))
            let cadres = community ? 5 + Int(rng.next() % 5) : 3 + Int(rng.next() % 5)
            let members = max(3, Int(logNormal(median: community ? 80 : 40, sigma: 0.6).rounded()))
            // Centre floor area: median 300 m², σ chosen so that 3.4% fall under 120 m² (seed §3).
            let area = max(30, (logNormal(median: community ? 900 : 300, sigma: 0.502)).rounded())
            var income = 0.0
            if !community {
                let u = rng.unit()
                // Seed §15: 10.6% hollow, 16.8% under 5萬 (hollow included); §11: 15% around 5萬.
                if u < 0.106 { income = 0 }
                else if u < 0.168 { income = (1_000 + rng.unit() * 49_000).rounded() }
                else if u < 0.318 { income = (40_000 + rng.unit() * 20_000).rounded() }
                else if u < 0.60 { income = (60_000 + rng.unit() * 40_000).rounded() }
                else { income = max(100_000, logNormal(median: 180_000, sigma: 0.7)).rounded() }
            }
            let id = community ? "S\(i - villages + 1)" : "V\(i + 1)"
            let name = community ? "社區\(i - villages + 1)" : "村\(i + 1)"
            out += "\(id),\(name),縣\(county + 1),\(community ? "community" : "village"),\(cadres),\(members),\(Int(area)),\(Int(income))\n"
            if out.utf8.count > 1 << 20 { emit(out); out = "" }
        }
        emit(out)
    }
}
