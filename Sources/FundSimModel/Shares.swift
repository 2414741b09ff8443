import Foundation

/// The rules a funding share obeys, stated once for the decoder, the engine's hazard checks and `pull`.
///
/// A share is a ratio (1 = 100%) between 0 and 1; the shares of one commitment add up to 1. Both are
/// compared to `tolerance`, so a split computed from figures (`1/3`, `rest`) that is off by binary noise holds.
public enum ShareRule {
    public static let tolerance = 1e-9

    /// Whether `share` lies between 0% and 100%.
    public static func isShare(_ share: Double) -> Bool { share >= -tolerance && share <= 1 + tolerance }

    /// Whether shares adding up to `total` make the whole.
    public static func isWhole(_ total: Double) -> Bool { abs(total - 1) <= tolerance }

    /// Whether shares adding up to `total` leave something (or nothing) for a source that takes the rest.
    public static func leavesRest(_ total: Double) -> Bool { total <= 1 + tolerance }

    /// A share as a reader writes it: `45%`, `33.3333%` (at most four decimals of a percent).
    public static func percent(_ share: Double) -> String { Expr.format((share * 1e6).rounded() / 1e4) + "%" }
}
