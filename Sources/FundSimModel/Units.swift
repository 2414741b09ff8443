import Foundation

/// A unit as people write it after a figure (`4.2萬`, `9%`, `120平方米`, `3名`) or name in `unit:`.
///
/// The unit table below is the only place that lists units: figures in values and in expressions, the
/// `unit:` of an input and the scenario's display unit all read it.
public struct Unit: Sendable, Hashable {
    /// Ways of writing the unit after a figure; the first is the one FundSim writes.
    public var spellings: [String]
    /// Base units per unit (yuan, m², 1 = 100%, one of a count).
    public var multiplier: Decimal
    /// What the unit measures when it is named by itself (`unit: 萬`, `unit: 萬元` and the display unit are money).
    ///
    /// After a figure, a bare multiplier (`scale`) names no measure: `0.9萬` is 9,000 of whatever the figure
    /// is used as — 9,000 party members as a head count, 9,000 yuan as pay (see `Quantity.unit`).
    public var measure: Measure
    /// True for a bare multiplier (萬, 億) as opposed to a unit that names its measure (萬元, 億元).
    public var scale: Bool
    /// Whether the unit may follow a figure; false for words that only name a measure in `unit:` (年, 倍).
    public var followsFigures: Bool
    /// Further names accepted where a unit is named by itself (`unit: yuan`, `display_unit: wan`).
    public var names: [String]

    init(_ spellings: [String], _ multiplier: Decimal, _ measure: Measure, scale: Bool = false,
         followsFigures: Bool = true, names: [String] = []) {
        self.spellings = spellings
        self.multiplier = multiplier
        self.measure = measure
        self.scale = scale
        self.followsFigures = followsFigures
        self.names = names
    }
}

public enum UnitTable {
    /// Every unit FundSim reads.
    public static let all: [Unit] = [
        Unit(["元"], 1, .money, names: ["yuan"]),
        Unit(["萬元", "万元"], 10_000, .money),
        Unit(["萬", "万"], 10_000, .money, scale: true, names: ["wan"]),
        Unit(["億元", "亿元"], 100_000_000, .money),
        Unit(["億", "亿"], 100_000_000, .money, scale: true, names: ["yi"]),
        Unit(["%", "％"], Decimal(string: "0.01")!, .ratio),
        Unit(["平方米", "平米", "m²", "m2"], 1, .area),
        Unit(["畝", "亩"], Decimal(string: "666.6666666666666666666666667")!, .area),
        Unit(["個", "个", "人", "名", "村", "家", "所"], 1, .count),
        Unit(["年"], 1, .year, followsFigures: false),
        Unit(["倍"], 1, .number, followsFigures: false),
    ]

    /// Endings that make a figure a rate (`元/年`, `元/人/年`): the field says what the rate is per.
    public static let perSuffixes = ["/人/年", "/人·年", "/年", "/人", "/個", "/村", "/年度", "每年"]

    /// Spellings that may follow a figure, longest first (so `萬元` is found before `元`).
    public static let figureSpellings: [(spelling: String, unit: Unit)] = all
        .filter(\.followsFigures)
        .flatMap { u in u.spellings.map { ($0, u) } }
        .sorted { $0.0.count > $1.0.count }

    /// The most Unicode scalars a spelling in `figureSpellings` has.
    public static let longestFigureSpelling = figureSpellings.map(\.spelling.unicodeScalars.count).max() ?? 0

    /// The unit a figure's text ends with, if any.
    public static func unit(endingFigure text: String) -> (spelling: String, unit: Unit)? {
        figureSpellings.first { text.hasSuffix($0.spelling) }
    }

    /// The unit written at the start of `text` (the rest of an expression after a number), if any.
    public static func unit(startingAt text: Substring) -> (spelling: String, unit: Unit)? {
        figureSpellings.first { text.hasPrefix($0.spelling) }
    }

    /// `text` without a rate ending (`4.2萬元/年` → `4.2萬元`).
    public static func droppingPer(_ text: String) -> String {
        var s = text
        for suffix in perSuffixes where s.hasSuffix(suffix) { s.removeLast(suffix.count) }
        return s
    }

    /// The measure a `unit:` names: a measure's name (`money`, `ratio`, `share`, `rate`, …) or a unit
    /// (`元`, `元/人/年`, `%`, `人`, `平方米`, `年`, `倍`).
    public static func measure(named text: String) -> Measure? {
        if let m = Measure(rawValue: text) { return m }
        if text == "share" || text == "rate" { return .ratio }
        return unit(named: droppingPer(text))?.measure
    }

    /// The unit with this spelling or name.
    public static func unit(named text: String) -> Unit? {
        all.first { $0.spellings.contains(text) || $0.names.contains(text) }
    }
}

extension DisplayUnit {
    /// The unit of money a report shows, by any spelling or name of 元, 萬 (萬元) or 億 (億元).
    public static func parse(_ s: String) -> DisplayUnit? {
        guard let u = UnitTable.unit(named: s), u.measure == .money else { return nil }
        return allCases.first { UnitTable.unit(named: $0.rawValue)?.multiplier == u.multiplier }
    }
}
