import Foundation

/// How a figure is written for a person: the one definition behind terminal tables, check messages and the
/// engine's diagnostics. `ValueStyle` (FundSimReport) delegates here and only adds the unit's name in the
/// report's language; the engine, which has no display text, writes money through `DisplayUnit.show`.
public enum FigureText {
    /// `v` (yuan for money, 1 = 100% for a ratio) as a reader sees it: money in `unit` followed by `name`
    /// (`17,400 萬元`), ratios as a percentage (`8%`), years as written (`2018`), counts grouped (`2,400`).
    public static func show(_ v: Double, _ measure: Measure, unit: DisplayUnit, name: String) -> String {
        switch measure {
        case .money: return plain(unit.figure(v)) + " " + name
        case .ratio: return exact(v * 100) + "%"
        case .year: return exact(v)
        case .count: return count(v)
        case .area, .number: return plain(v)
        }
    }

    /// A count: whole numbers grouped (`2,400`); a count that is not whole is an expected value (the
    /// collective-economy model's villages per band are expected counts) and is shown to one decimal (`613.2`).
    public static func count(_ v: Double) -> String {
        isWhole(v) ? plain(v.rounded()) : grouped((v * 10).rounded() / 10).replacingOccurrences(of: #"0$"#, with: "", options: .regularExpression)
    }

    /// Whether a count is whole, up to the noise of binary arithmetic.
    public static func isWhole(_ v: Double) -> Bool { abs(v - v.rounded()) < 1e-6 }

    /// A number as plainly as possible when its measure is not known: whole numbers grouped without
    /// decimals (`2,400`), small ones to 4 significant digits, others to 2 decimals.
    public static func plain(_ v: Double) -> String {
        // A figure of 10 or more that is whole to the cent is whole (`1,320`, not `1,320.00` from binary noise).
        if v == v.rounded() || (abs(v) >= 10 && abs(v - v.rounded()) < 0.005) { return grouped(v.rounded()).replacingOccurrences(of: ".00", with: "") }
        if abs(v) < 10 { return String(format: "%.4g", v) }
        return grouped(v)
    }

    /// Two decimals with thousands separators: `1,234.50`, `-0.25`.
    public static func grouped(_ v: Double) -> String {
        // No value (a year without a recorded actual) or no finite value: a dash, never a crash.
        guard v.isFinite else { return v.isNaN ? "—" : v > 0 ? "∞" : "-∞" }
        let s = String(format: "%.2f", (v * 100).rounded() / 100)
        let parts = s.split(separator: ".")
        var int = String(parts[0])
        let neg = int.hasPrefix("-")
        if neg { int.removeFirst() }
        var out = ""
        for (k, ch) in int.reversed().enumerated() {
            if k > 0 && k % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (neg ? "-" : "") + String(out.reversed()) + "." + parts[1]
    }

    /// The figure exactly, as a formula writes it, without the last bits of binary noise (`7.25`, not `7.249999999999999`).
    public static func exact(_ v: Double) -> String {
        Expr.format(v == v.rounded() ? v : (v * 1e9).rounded() / 1e9)
    }
}

extension DisplayUnit {
    /// Yuan in this unit, as a number (`17,400,000` yuan is `1,740` 萬元).
    public func figure(_ yuan: Double) -> Double { yuan / divisor }

    /// Yuan as a diagnostic shows money: in this unit with the unit's name (`-1.5 萬元`).
    public func show(_ yuan: Double) -> String {
        FigureText.show(yuan, .money, unit: self, name: rawValue)
    }

    /// A figure of `measure` in a diagnostic: money as `show` writes it, any other figure exactly as a
    /// formula writes it (`-62.7109121368649`), so that the value an analysis tried can be typed back.
    public func show(_ v: Double, _ measure: Measure) -> String {
        measure == .money ? show(v) : Expr.format(v)
    }
}
