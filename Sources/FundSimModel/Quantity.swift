import Foundation

/// What a figure measures; a field accepts only figures of its dimension.
public enum Measure: String, Sendable, Hashable, CaseIterable {
    /// Yuan (元, 萬元, 億元; a bare 萬 or 億 where money is expected).
    case money
    /// A share or rate (`9%`, or a plain fraction such as `0.09`).
    case ratio
    /// A count of people, villages, centres (plain number, or 個, 人, 名, 村, 家, 所).
    case count
    /// Floor area in m² (平方米, 平米, m2, m²) or land in 畝.
    case area
    /// A calendar year such as 2018.
    case year
    /// A plain number with no unit (factors such as 1.5 in "1.5 times").
    case number

    public var label: String {
        switch self {
        case .money: return "money (元, 萬元, 億元)"
        case .ratio: return "a share or rate (%)"
        case .count: return "a count"
        case .area: return "an area (平方米 or 畝)"
        case .year: return "a year"
        case .number: return "a plain number"
        }
    }
}

/// A figure as a person wrote it, parsed to an exact decimal value in base units (yuan, m², 1 = 100%).
public struct Quantity: Hashable, Sendable {
    public var value: Decimal
    /// The measure the unit names (元, 萬元 money; 名, 個 a count; 畝 an area; % a ratio), or nil for a bare
    /// number or a bare multiplier (萬, 億), whose measure comes from where the figure is used.
    public var unit: Measure?
    /// True when the figure is written with a bare multiplier (`0.9萬`, `1.2億`): 9,000 of whatever it counts.
    public var scaled: Bool = false
    public var text: String

    public var double: Double { NSDecimalNumber(decimal: value).doubleValue }

    /// Parses `4.2萬`, `1.2億`, `17400萬元`, `200元`, `4.2萬元/年`, `9%`, `1,000`, `120平方米`, `100畝`, `4萬名`, `-3`.
    ///
    /// Returns nil with a reason when the text is not a figure.
    public static func parse(_ raw: String) -> Result<Quantity, QuantityError> {
        var s = raw.trimmingCharacters(in: .whitespaces)
        let original = s
        if s.isEmpty { return .failure(.empty) }
        // Rates per year or per head are written as "元/年", "元/人/年": the rate is implied by the field.
        s = UnitTable.droppingPer(s)
        var multiplier: Decimal = 1
        var unit: Measure? = nil
        var scaled = false
        if let found = UnitTable.unit(endingFigure: s) {
            s.removeLast(found.spelling.count)
            multiplier = found.unit.multiplier
            scaled = found.unit.scale
            unit = scaled ? nil : found.unit.measure
            // A multiplier before a unit of count or area: `4萬名`, `1.2萬畝` (萬元 and 億元 are units of their own).
            if !scaled, let m = UnitTable.unit(endingFigure: s.trimmingCharacters(in: .whitespaces)), m.unit.scale {
                s = s.trimmingCharacters(in: .whitespaces)
                s.removeLast(m.spelling.count)
                multiplier *= m.unit.multiplier
            }
        }
        s = s.trimmingCharacters(in: .whitespaces)
        if s.isEmpty { return .failure(.notANumber(original)) }
        // Thousands separators: only in groups of three digits.
        if s.contains(",") {
            let parts = s.split(separator: ".", maxSplits: 1)
            let intPart = String(parts[0])
            let groups = intPart.trimmingCharacters(in: CharacterSet(charactersIn: "+-")).split(separator: ",", omittingEmptySubsequences: false)
            guard groups.count > 1, groups.dropFirst().allSatisfy({ $0.count == 3 }), (1...3).contains(groups[0].count) else {
                return .failure(.badSeparators(original))
            }
            s = s.replacingOccurrences(of: ",", with: "")
        }
        let allowed = CharacterSet(charactersIn: "0123456789.+-eE")
        guard s.unicodeScalars.allSatisfy({ allowed.contains($0) }),
              s.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true,
              s.filter({ $0 == "." }).count <= 1,
              s.contains(where: { $0.isASCII && $0.isNumber }),
              let d = Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")) else {
            return .failure(.notANumber(original))
        }
        if !d.isFinite { return .failure(.notANumber(original)) }
        let magnitude = abs(NSDecimalNumber(decimal: d).doubleValue)
        if magnitude > Limits.absurdMagnitude { return .failure(.tooLarge(original)) }
        return .success(Quantity(value: d * multiplier, unit: unit, scaled: scaled, text: original))
    }

    /// A figure, or arithmetic over figures (`3名 * 2`, `4.2萬 / 12`, `1萬元 + 500元`): wherever a figure may be
    /// written, so may a sum or product of figures. Its measure follows `Expr.figureMeasure`.
    public static func evaluate(_ raw: String) -> Result<Quantity, QuantityError> {
        let direct = parse(raw)
        guard case .failure = direct, raw.unicodeScalars.contains(where: { "+-*/×÷()（）".unicodeScalars.contains($0) }),
              case .success(let e) = ExpressionParser.parse(raw, at: nil), let f = e.constantFigure(),
              abs(f.value) <= Limits.absurdMagnitude else { return direct }
        return .success(Quantity(value: Decimal(f.value), unit: f.measure, scaled: f.scaled, text: raw.trimmingCharacters(in: .whitespaces)))
    }

    /// Whether a figure with this unit may stand in a field of `dimension`.
    /// A bare 萬 or 億 fits any use but a share or rate and a year.
    public func fits(_ dimension: Measure) -> Bool {
        if scaled && (dimension == .ratio || dimension == .year) { return false }
        return Measure.fits(unit, dimension)
    }

    /// What the figure's unit makes it, for messages: `money (元, 萬元, 億元)`, `a count`, or a bare multiplier.
    public var unitLabel: String { unit?.label ?? (scaled ? "a bare 萬 or 億 (a multiplier of a count, an area or money)" : "a plain number") }
}

/// Why a text is not a figure.
public enum QuantityError: Error, Hashable, Sendable, CustomStringConvertible {
    case empty
    case notANumber(String)
    case badSeparators(String)
    case tooLarge(String)

    public var description: String {
        switch self {
        case .empty: return "expected a figure, found nothing"
        case .notANumber(let s): return "`\(s)` is not a figure"
        case .badSeparators(let s): return "`\(s)` has misplaced thousands separators"
        case .tooLarge(let s): return "`\(s)` is absurdly large (over 10^15)"
        }
    }
}
