import Foundation
import FundSimModel

/// How a value is written as text: terminal tables, messages, lists of changed inputs, amounts inside labels.
///
/// The one place that decides it for every measure, as hledger's `showAmount` renders each amount through
/// its commodity's display style: money in the scenario's display unit with the unit's name, ratios as a
/// percentage, years as written (`2018`, not `2,018`), counts and areas as plain numbers. Workbook cells
/// are not written here: they hold numbers and get a number format per column role.
public struct ValueStyle: Sendable {
    /// The unit money is shown in.
    public var unit: DisplayUnit
    public var labels: Labels

    public init(unit: DisplayUnit, labels: Labels) {
        self.unit = unit
        self.labels = labels
    }

    /// The style of a scenario's own reports: its display unit and language.
    public init(_ scenario: Scenario) {
        self.init(unit: scenario.unit, labels: Labels(scenario.language, unit: scenario.unit))
    }

    /// `v` (yuan for money, 1 = 100% for a ratio) as a reader sees it: `17,400 萬元`, `8%`, `2018`, `2,400`.
    public func show(_ v: Double, _ measure: Measure) -> String {
        FigureText.show(v, measure, unit: unit, name: labels.displayUnit(unit))
    }

    /// A count: whole numbers grouped (`2,400`), an expected count to one decimal (`613.2`).
    public func count(_ v: Double) -> String { FigureText.count(v) }

    /// Whether a count is whole, up to the noise of binary arithmetic.
    public static func isWhole(_ v: Double) -> Bool { FigureText.isWhole(v) }

    /// The two sides of a failing comparison as a reader reads them: `1,500 vs 1,200 萬元`, `66.71% vs 80%`,
    /// `613.2 vs 659.9 期望值` (expected counts), `2,400 vs 2,500`.
    public func comparison(_ a: Double, _ b: Double, _ measure: Measure?) -> String {
        switch measure {
        case .money?: return Self.plain(money(a)) + " vs " + Self.plain(money(b)) + " " + labels.displayUnit(unit)
        case .ratio?: return Self.plain(a * 100) + "% vs " + Self.plain(b * 100) + "%"
        case .count?:
            let expected = !Self.isWhole(a) || !Self.isWhole(b)
            return count(a) + " vs " + count(b) + (expected ? " " + labels[.expectedValue] : "")
        case .year?: return show(a, .year) + " vs " + show(b, .year)
        default: return Self.plain(a) + " vs " + Self.plain(b)
        }
    }

    /// An amount inside a phrase, written tight as a label reads (`100萬元`; `1000000 yuan` in English).
    public func amount(_ v: Double) -> String {
        Self.exact(money(v)) + (labels.language == .en ? " " : "") + labels.displayUnit(unit)
    }

    /// Decimal digits of the display unit's divisor: 0 for 元, 4 for 萬元, 8 for 億元. A workbook cell of
    /// money holds the display figure, so it needs this many decimals more than yuan to show every yuan.
    public var unitDigits: Int { Self.digits(unit) }

    /// ``unitDigits`` of a unit.
    public static func digits(_ unit: DisplayUnit) -> Int { Int(log10(unit.divisor).rounded()) }

    /// Decimals beyond two a workbook's money cells may show: enough to show every yuan (`#,##0.00##` in 萬元).
    public var moneyExtraPlaces: Int { max(0, unitDigits - 2) }

    /// Yuan in the display unit, as a number.
    public func money(_ yuan: Double) -> Double { unit.figure(yuan) }

    /// A money cell of a terminal table: the display unit, two decimals, thousands grouped (`1,234.50`).
    public func cell(_ yuan: Double) -> String { Self.grouped(money(yuan)) }

    /// A number as plainly as possible when its measure is not known (`2,400`, `0.1234`, `1,234.50`).
    public static func plain(_ v: Double) -> String { FigureText.plain(v) }

    /// Two decimals with thousands separators: `1,234.50`, `-0.25`.
    public static func grouped(_ v: Double) -> String { FigureText.grouped(v) }

    /// The figure exactly, as a formula writes it, without the last bits of binary noise.
    public static func exact(_ v: Double) -> String { FigureText.exact(v) }
}
