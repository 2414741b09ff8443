import Foundation

// The operator table: what every operator and function of an expression means, written once.
//
// For each operator this file states (a) how it evaluates on doubles, with its errors, (b) how it is
// written as a spreadsheet formula (functions that Excel 2010, LibreOffice, Gnumeric and WPS all have),
// and (c) whether its result is a number or a truth value (1 or 0). The evaluator, the roster filter and
// the workbook writer all ask this table; none of them spells out a meaning of its own.
//
// Comparisons here are exact. The tolerances a scenario's comparisons and `floor`/`ceil` get are not
// hidden in the comparison: the engine writes them into the formula (`round(a - b, 2) >= 0`, see
// `ComparisonRule`), so that the engine and a spreadsheet compute the same formula.

/// Why an operation has no value. The same error whoever evaluates: the projection, a roster filter.
public enum OperationError: Error, Hashable, Sendable, CustomStringConvertible {
    case divisionByZero
    /// A sum, difference, product or quotient too large for a double.
    case overflow
    /// A power with no real value (a negative base to a fractional exponent) or too large.
    case noRealPower
    /// `round` asked for digits that are not a whole number from -15 to 15.
    case badDigits(Double)

    public var description: String {
        switch self {
        case .divisionByZero: return "division by zero"
        case .overflow: return "overflow"
        case .noRealPower: return "a power with no real value"
        case .badDigits(let d): return "round to \(Expr.format(d)) digits (digits must be a whole number from -15 to 15)"
        }
    }
}

/// What an operation gives: a number, or a truth value (1 for true, 0 for false).
public enum ResultType: Sendable, Hashable {
    case number, boolean
}

extension BinaryOperator {
    /// Binding strength in expression text: `or` binds loosest, `^` tightest.
    public var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return 3
        case .add, .subtract: return 4
        case .multiply, .divide: return 5
        case .power: return 6
        }
    }

    public var resultType: ResultType {
        switch self {
        case .add, .subtract, .multiply, .divide, .power: return .number
        default: return .boolean
        }
    }

    /// The value of `x op y`.
    ///
    /// Arithmetic is IEEE double arithmetic; a result that is not finite is an error (division by zero
    /// when the divisor is 0). Comparisons are exact and give 1 or 0; `and`/`or` treat any non-zero
    /// value as true. Both operands are always evaluated (spreadsheets' AND and OR do the same).
    @inline(__always)
    public func apply(_ x: Double, _ y: Double) throws(OperationError) -> Double {
        switch self {
        case .add: return try Self.finite(x + y, .overflow)
        case .subtract: return try Self.finite(x - y, .overflow)
        case .multiply: return try Self.finite(x * y, .overflow)
        case .divide:
            if y == 0 { throw .divisionByZero }
            return try Self.finite(x / y, .overflow)
        case .power: return try Self.finite(Foundation.pow(x, y), .noRealPower)
        case .less: return x < y ? 1 : 0
        case .lessEqual: return x <= y ? 1 : 0
        case .greater: return x > y ? 1 : 0
        case .greaterEqual: return x >= y ? 1 : 0
        case .equal: return x == y ? 1 : 0
        case .notEqual: return x != y ? 1 : 0
        case .and: return x != 0 && y != 0 ? 1 : 0
        case .or: return x != 0 || y != 0 ? 1 : 0
        }
    }

    /// The spreadsheet formula for `a op b`, given the operands' formula text.
    public func spreadsheet(_ a: String, _ b: String) -> String {
        switch self {
        case .and: return "AND(\(a),\(b))"
        case .or: return "OR(\(a),\(b))"
        case .equal: return "(\(a)=\(b))"
        case .notEqual: return "(\(a)<>\(b))"
        default: return "(\(a)\(rawValue)\(b))"
        }
    }

    @inline(__always)
    static func finite(_ v: Double, _ e: OperationError) throws(OperationError) -> Double {
        if !v.isFinite { throw e }
        return v
    }
}

extension Measure {
    /// The more specific of two measures: a unit beats a plain number, which beats none.
    public static func combine(_ a: Measure?, _ b: Measure?) -> Measure? {
        switch (a, b) {
        case (let x?, .number?), (let x?, nil): return x
        case (.number?, let y), (nil, let y): return y
        case (let x?, _): return x
        }
    }

    /// Whether a figure or input of measure `written` (nil: a plain number or a bare 萬/億) may stand where
    /// `use` is expected: the same measure, or a count or ratio where a plain number is expected.
    public static func fits(_ written: Measure?, _ use: Measure) -> Bool {
        guard let written, written != .number else { return true }
        if use == .number { return written == .ratio || written == .count }
        return written == use
    }
}

extension BinaryOperator {
    /// The measure of `x op y` from its operands' measures (nil: not known, such as a plain figure): sums
    /// keep the unit; money times or divided by anything else is money, then area, then count; money over
    /// money and a count over a count are ratios; comparisons and logic give plain numbers.
    public func measure(_ x: Measure?, _ y: Measure?) -> Measure? {
        switch self {
        case .add, .subtract: return Measure.combine(x, y)
        case .multiply:
            if x == .money || y == .money { return .money }
            if x == .area || y == .area { return .area }
            if x == .count || y == .count { return .count }
            return Measure.combine(x, y)
        case .divide:
            if let x, x == y, x != .number { return .ratio }
            if x == .money { return .money }
            return x ?? .number
        default: return .number
        }
    }
}

/// Unary minus.
public enum Negation {
    @inline(__always) public static func apply(_ x: Double) -> Double { -x }
    public static func spreadsheet(_ a: String) -> String { "-(\(a))" }
    public static let resultType = ResultType.number
}

extension Function {
    public var resultType: ResultType {
        switch self {
        case .not, .and, .or: return .boolean
        default: return .number
        }
    }

    /// For `if`: only the chosen branch is evaluated (as in spreadsheets), so an error in the other
    /// branch does not count. Every other function evaluates all its arguments.
    public func branch(condition: Double) -> Int { condition != 0 ? 1 : 2 }

    /// The value of the function applied to already evaluated arguments (`args.count` within `arity`).
    ///
    /// - `min`, `max`: the least and greatest argument; `sum`: their sum (an error if not finite).
    /// - `abs`; `floor` and `ceil` round down and up to a whole number (exactly: the rule for a
    ///   near-integer is written into the formula, see `ComparisonRule`).
    /// - `round(x, digits)`: half away from zero at `digits` decimals (0 if omitted), as spreadsheets'
    ///   ROUND does, including their treatment of a value within 10^-15 (relative) of a half as the half
    ///   (`round(1.005, 2)` is 1.01, though 1.005 × 100 is 100.49999999999999 in binary);
    ///   digits must be a whole number from -15 to 15.
    /// - `if(c, a, b)`: `a` when `c` is non-zero, else `b`.
    /// - `not`, `and`, `or`: truth values (non-zero is true) giving 1 or 0.
    /// - `prev` is resolved by the compiler to last year's value and never applied here.
    @inline(__always)
    public func apply(_ args: UnsafeBufferPointer<Double>) throws(OperationError) -> Double {
        switch self {
        case .min:
            var m = args[0]
            for v in args.dropFirst() where v < m { m = v }
            return m
        case .max:
            var m = args[0]
            for v in args.dropFirst() where v > m { m = v }
            return m
        case .sum:
            var s = 0.0
            for v in args { s += v }
            return try BinaryOperator.finite(s, .overflow)
        case .abs: return Swift.abs(args[0])
        case .floor: return args[0].rounded(.down)
        case .ceil: return args[0].rounded(.up)
        case .round: return try Self.round(args[0], digits: args.count > 1 ? args[1] : 0)
        case .if: return args[0] != 0 ? args[1] : args[2]
        case .not: return args[0] == 0 ? 1 : 0
        case .and:
            for v in args where v == 0 { return 0 }
            return 1
        case .or:
            for v in args where v != 0 { return 1 }
            return 0
        case .prev: return args[0]
        }
    }

    /// Convenience for callers holding an array.
    public func apply(_ args: [Double]) throws(OperationError) -> Double {
        do {
            return try args.withUnsafeBufferPointer { (p) throws(OperationError) -> Double in try apply(p) }
        }
    }

    /// The spreadsheet formula for a call, given the arguments' formula text.
    public func spreadsheet(_ a: [String]) -> String {
        switch self {
        case .if: return "IF(\(a[0]),\(a[1]),\(a[2]))"
        case .round: return "ROUND(\(a[0]),\(a.count > 1 ? a[1] : "0"))"
        case .floor: return "INT(\(a[0]))"
        case .ceil: return "-INT(-(\(a[0])))"
        case .prev: return "0"
        case .abs, .not: return rawValue.uppercased() + "(" + a.joined(separator: ",") + ")"
        case .min, .max, .sum, .and, .or:
            // A spreadsheet function takes at most 255 arguments (LibreOffice gives #N/A past them): a longer list is
            // written in chunks of 255, each one call, inside one more call (these five give the same over chunks).
            let name = rawValue.uppercased(), most = Limits.functionArguments
            var args = a
            while args.count > most {
                args = stride(from: 0, to: args.count, by: most).map { name + "(" + args[$0..<Swift.min($0 + most, args.count)].joined(separator: ",") + ")" }
            }
            return name + "(" + args.joined(separator: ",") + ")"
        }
    }

    /// Exact powers of ten 10^0 … 10^15.
    private static let tens: [Double] = (0...15).map { Foundation.pow(10, Double($0)) }

    /// Spreadsheet ROUND: half away from zero at `digits` decimals, a value within 2^-50 (relative) of a
    /// half counting as the half, as LibreOffice and Gnumeric do for decimal figures.
    @inline(__always)
    public static func round(_ x: Double, digits: Double) throws(OperationError) -> Double {
        guard digits == digits.rounded(), Swift.abs(digits) <= 15 else { throw .badDigits(digits) }
        if x == 0 || !x.isFinite { return x }
        let k = Int(digits)
        let f = tens[Swift.abs(k)]
        let y = k >= 0 ? x * f : x / f
        let m = Swift.abs(y)
        // Beyond 2^52 every double is whole: nothing is left to round at this many digits.
        if m >= 0x1p52 { return x }
        var n = m.rounded(.down)
        let frac = m - n
        if frac - 0.5 >= -m * 0x1p-50 { n += 1 }
        let r = y < 0 ? -n : n
        return k >= 0 ? r / f : r * f
    }
}

/// How a comparison of two quantities of a measure is decided, written into the formula itself so that
/// the engine and any spreadsheet decide it the same way.
///
/// `a op b` becomes `round(a - b, digits) op 0`: money is compared to the fen (two decimals), counts,
/// areas and the like to a millionth, ratios and plain numbers to 10^-9, years exactly (they are whole).
/// `floor(x)` and `ceil(x)` become `floor(round(x, 9))` and `ceil(round(x, 9))`, so that 2.9999999999
/// (a count computed in binary) is 3, and 2.99999999 is 2, in the engine and in every spreadsheet.
public enum ComparisonRule {
    /// Decimals a difference of this measure is rounded to before it is compared with 0; nil for exact.
    public static func digits(for m: Measure?) -> Int? {
        switch m {
        case .money: return 2
        case .count, .area: return 6
        case .year: return nil
        case .ratio, .number, nil: return 9
        }
    }

    /// Decimals `floor` and `ceil` round their argument to first.
    public static let integerDigits = 9

    /// Decides `x op y` for a comparison `op` between quantities of measure `m`, as the rewritten
    /// formula does: `round(x - y, digits) op 0`.
    @inline(__always)
    public static func compare(_ op: BinaryOperator, _ x: Double, _ y: Double, measure m: Measure?) throws(OperationError) -> Double {
        guard let d = digits(for: m) else { return try op.apply(x, y) }
        let diff = try BinaryOperator.subtract.apply(x, y)
        return try op.apply(try Function.round(diff, digits: Double(d)), 0)
    }
}
