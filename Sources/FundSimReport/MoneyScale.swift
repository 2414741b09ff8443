import Foundation
import FundSimModel
import FundSimEngine

/// Writes a model formula for a workbook that holds money in the scenario's display unit (萬元: 2.5 for 25,000 yuan).
///
/// The engine computes in yuan; every money cell of the workbook holds the engine's figure divided by the
/// unit's divisor, so that a reader types `3` for 3萬. A formula is written so that it gives its row's value
/// as the row's cell shows it. Each part of a formula has a *degree*: how many times money's divisor it is
/// divided by (1 for a money row, 0 for counts, ratios and years, 2 for money × money, nil for a bare figure,
/// which takes the degree its place needs). The rule:
///
/// - a reference to a money cell is already in the display unit (degree 1);
/// - sums, differences, `min`, `max`, `sum`, `abs`, `if` branches and both sides of a comparison are
///   written at one degree, so a figure beside money is written in the display unit (`42000` → `4.2`);
/// - a product or quotient adds or subtracts its factors' degrees, a bare figure taking up the rest
///   (`headcount × 25000` in a money row → `headcount*2.5`);
/// - the comparison rule's rounding (`round(a - b, 2) >= 0`) rounds at `d + log10(divisor)` decimals
///   (2 decimals of yuan are 6 of 萬元), so a check decides as in the engine;
/// - where money enters non-linearly (`round`, `floor`, `ceil`, `^`, a truth value where money is
///   expected) the part is computed in yuan, by multiplying with the divisor cell on the Inputs sheet, and
///   brought back to the place's degree by dividing by it: a figure rounded at half a fen (12345.675) is
///   rounded on the engine's own figure, where LibreOffice and Gnumeric agree with it.
///
/// In a yuan scenario the divisor is 1 and every formula is written as the engine states it.
struct MoneyScale {
    /// Decimal digits of the divisor: 0 for 元, 4 for 萬元, 8 for 億元.
    let digits: Int
    /// The divisor cell (`'输入'!$D$4`).
    let unitCell: String
    /// The degree of a row (1 for money).
    let rowDegree: (Int) -> Int

    init(unit: DisplayUnit, unitCell: String, rowDegree: @escaping (Int) -> Int) {
        self.init(digits: ValueStyle.digits(unit), unitCell: unitCell, rowDegree: rowDegree)
    }

    init(digits: Int, unitCell: String, rowDegree: @escaping (Int) -> Int) {
        self.digits = digits
        self.unitCell = unitCell
        self.rowDegree = rowDegree
    }

    /// The degree a part has by itself; nil for a part made of bare figures only.
    func degree(_ f: Formula) -> Int? { Self.degree(f, rowDegree: rowDegree) }

    /// The degree of `f` given each row's.
    static func degree(_ f: Formula, rowDegree: (Int) -> Int) -> Int? {
        func degree(_ f: Formula) -> Int? { Self.degree(f, rowDegree: rowDegree) }
        switch f {
        case .constant: return nil
        case .row(let i), .previous(let i, _): return rowDegree(i)
        case .year, .kernel: return 0
        case .recorded(let rows, let otherwise): return rows.first.map(rowDegree) ?? degree(otherwise)
        case .negate(let a): return degree(a)
        case .binary(let op, let a, let b):
            let da = degree(a), db = degree(b)
            switch op {
            case .add, .subtract: return da ?? db
            case .multiply: return da == nil && db == nil ? nil : (da ?? 0) + (db ?? 0)
            case .divide: return da == nil && db == nil ? nil : (da ?? 0) - (db ?? 0)
            case .power: return da == nil && db == nil ? nil : 0
            default: return 0
            }
        case .call(let fn, let args):
            switch fn {
            case .min, .max, .sum:
                for a in args { if let d = degree(a) { return d } }
                return nil
            case .abs, .round, .floor, .ceil: return degree(args[0])
            case .if: return degree(args[1]) ?? degree(args[2])
            case .not, .and, .or, .prev: return 0
            }
        }
    }

    /// Each row's degree: 1 for money, and for a row stored as a plain number (a check's two sides) whose
    /// formula is money (`村副職報酬 * 1`), as the engine's comparison rule reads it; 0 for the rest.
    static func rowDegrees(_ model: Model) -> [Int] {
        // The rows alone, not the model: `of` is passed on as a closure, and a closure over the model copied all of it.
        let rows = model.rows
        var memo = [Int?](repeating: nil, count: rows.count)
        var visiting = [Bool](repeating: false, count: rows.count)
        func of(_ i: Int) -> Int {
            if let d = memo[i] { return d }
            var d = rows[i].dimension == .money ? 1 : 0
            if rows[i].dimension == .number, !visiting[i], case .formula(let f) = rows[i].definition {
                visiting[i] = true
                d = degree(f, rowDegree: of) == 1 ? 1 : 0
                visiting[i] = false
            }
            memo[i] = d
            return d
        }
        return rows.indices.map(of)
    }

    /// A call over a list of terms (`sum`, `min`, `max`, `and`, `or`): its function, its arguments, the degree they are
    /// written at and their text; it gives the call's text.
    typealias ListCall = (Function, [Formula], Int, [String]) -> String

    /// The formula text of `f` at degree `w`. `leaf` gives the text of a row reference, of last year's
    /// value (nil in the first year, where the initial value stands) and of the year. `list`, when given, writes each
    /// call over a list of terms (the workbook computes a call too long for one formula in parts: ``PartialSums``).
    func emit(_ f: Formula, _ w: Int, leaf: (Formula) -> String?, list: ListCall? = nil) -> String {
        func go(_ f: Formula, _ w: Int) -> String {
            switch f {
            case .constant(let v):
                let s = literal(v, shift: w * digits)
                return s.hasPrefix("-") ? "(\(s))" : s
            case .row(let i): return convert(leaf(f) ?? "0", from: rowDegree(i), to: w)
            case .previous(let i, let initial):
                guard let text = leaf(f) else { return go(initial, w) }
                return convert(text, from: rowDegree(i), to: w)
            case .year: return convert(leaf(f) ?? "0", from: 0, to: w)
            case .kernel: return "0"   // written as values by the builder
            case .recorded(let rows, let otherwise):
                // A blank cell is no actual: COUNT counts only numbers, SUM skips blanks.
                let refs = rows.map { leaf(.row($0)) ?? "0" }.joined(separator: ",")
                let d = rows.first.map(rowDegree) ?? 0
                return "IF(COUNT(\(refs))>0,\(convert("SUM(\(refs))", from: d, to: w)),\(go(otherwise, w)))"
            case .negate(let a): return Negation.spreadsheet(go(a, w))
            case .binary(let op, let a, let b):
                let da = degree(a), db = degree(b)
                switch op {
                case .add, .subtract:
                    return op.spreadsheet(go(a, w), go(b, w))
                case .multiply:
                    // Money brought to yuan (inside `round`, `floor`, …) converts the money side and keeps the bare
                    // figure as written, so that the sheet computes the engine's own figure (`E8*'输入'!$D$4*3`).
                    switch (da, db) {
                    case (nil, nil): return op.spreadsheet(go(a, w), go(b, 0))
                    case (nil, let db?) where db > w: return op.spreadsheet(go(a, 0), go(b, w))
                    case (let da?, nil) where da > w: return op.spreadsheet(go(a, w), go(b, 0))
                    case (nil, let db?): return op.spreadsheet(go(a, w - db), go(b, db))
                    case (let da?, nil): return op.spreadsheet(go(a, da), go(b, w - da))
                    case (let da?, let db?): return convert(op.spreadsheet(go(a, da), go(b, db)), from: da + db, to: w)
                    }
                case .divide:
                    switch (da, db) {
                    case (nil, nil): return op.spreadsheet(go(a, w), go(b, 0))
                    case (nil, let db?): return op.spreadsheet(go(a, w + db), go(b, db))
                    case (let da?, nil) where da > w: return op.spreadsheet(go(a, w), go(b, 0))
                    case (let da?, nil): return op.spreadsheet(go(a, da), go(b, da - w))
                    case (let da?, let db?): return convert(op.spreadsheet(go(a, da), go(b, db)), from: da - db, to: w)
                    }
                case .power:
                    return convert(op.spreadsheet(go(a, 0), go(b, 0)), from: 0, to: w)
                case .and, .or:
                    return convert(op.spreadsheet(go(a, 0), go(b, 0)), from: 0, to: w)
                case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
                    let c = da ?? db ?? 0
                    // The comparison rule's tolerance (`round(a - b, 2) op 0`) rounds at the side's degree:
                    // the fen is the sixth decimal of 萬元.
                    func side(_ f: Formula) -> String {
                        if case .call(.round, let args) = f, args.count == 2, case .constant(let k) = args[1] {
                            return Function.round.spreadsheet([go(args[0], c), Expr.format(k + Double(c * digits))])
                        }
                        return go(f, c)
                    }
                    return convert(op.spreadsheet(side(a), side(b)), from: 0, to: w)
                }
            case .call(let fn, let args):
                switch fn {
                case .if:
                    // A branch that is a truth value is written as 1 or 0, so that IF gives a number either way.
                    let branches = args.dropFirst().map { a in isBoolean(a) ? convert("IF(\(go(a, 0)),1,0)", from: 0, to: w) : go(a, w) }
                    return fn.spreadsheet([go(args[0], 0)] + branches)
                case .round:
                    // A figure rounded is rounded in yuan, as the engine rounds it: half a fen (12345.675)
                    // decides the same way in every spreadsheet only on the same figure.
                    let d: Formula = args.count > 1 ? args[1] : .constant(0)
                    return convert(fn.spreadsheet([go(args[0], 0), go(d, 0)]), from: 0, to: w)
                case .floor, .ceil:
                    return convert(fn.spreadsheet([go(args[0], 0)]), from: 0, to: w)
                case .min, .max, .sum, .abs:
                    let texts = args.map { go($0, w) }
                    if let list, fn != .abs { return list(fn, args, w, texts) }
                    return fn.spreadsheet(texts)
                case .not, .and, .or:
                    let texts = args.map { go($0, 0) }
                    if let list, fn != .not { return convert(list(fn, args, 0, texts), from: 0, to: w) }
                    return convert(fn.spreadsheet(texts), from: 0, to: w)
                case .prev:
                    return "0"
                }
            }
        }
        return go(f, w)
    }

    /// Text at degree `from` brought to degree `to`: multiplied by the divisor once per degree it drops.
    func convert(_ text: String, from: Int, to: Int) -> String {
        let n = from - to
        if n == 0 || digits == 0 { return text }
        let factor = abs(n) == 1 ? unitCell : "\(unitCell)^\(abs(n))"
        return "(" + text + (n > 0 ? "*" : "/") + factor + ")"
    }

    /// A figure divided by 10^shift, written exactly in decimal (`42000` at 4 → `4.2`, not `4.2000000000000002`).
    func literal(_ v: Double, shift: Int) -> String {
        let text = Expr.format(v)
        guard shift != 0, v.isFinite, v != 0, var d = Decimal(string: text) else { return text }
        let p = Decimal(sign: .plus, exponent: abs(shift), significand: 1)
        d = shift > 0 ? d / p : d * p
        let s = NSDecimalNumber(decimal: d).stringValue
        return Double(s) == nil ? text : s
    }

    func isBoolean(_ f: Formula) -> Bool {
        switch f {
        case .binary(let op, _, _): return op.resultType == .boolean
        case .call(let fn, _): return fn.resultType == .boolean
        default: return false
        }
    }
}
