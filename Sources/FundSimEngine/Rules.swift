import FundSimModel

/// Writes the comparison and whole-number rules of `ComparisonRule` into a model's formulas.
///
/// After this pass the engine's comparisons, `floor` and `ceil` are exact, and every tolerance is part of
/// the formula: `a >= b` between amounts of money is `round(a - b, 2) >= 0`, `floor(x)` is
/// `floor(round(x, 9))`. The evaluator computes these formulas and the workbook writes them, so a check
/// reads the same in the terminal and in any recalculated spreadsheet, also at its boundary.
///
/// A comparison learns its measure from its operands: a row's measure is its `dimension` (a row written
/// as a plain number, such as a check's two sides, takes the measure of its own formula), and arithmetic
/// combines measures by the operator table's rule (`BinaryOperator.measure`); a figure
/// without a unit takes the other operand's measure. An operand pair with no measure at all (two plain
/// figures) is compared as plain numbers.
enum FormulaRules {
    static func apply(_ model: consuming Model) -> Model {
        var measures = [Measure??](repeating: .none, count: model.rows.count)
        var rewritten: [(row: Int, formula: Formula)] = []
        for i in model.rows.indices {
            guard case .formula(let f) = model.rows[i].definition else { continue }
            rewritten.append((i, rewrite(f, model, &measures)))
        }
        // The rows are changed once nothing else reads them, so that the list is not copied.
        var m = consume model
        for r in rewritten { m.rows[r.row].definition = .formula(r.formula) }
        return m
    }

    private static func rewrite(_ f: Formula, _ model: Model, _ memo: inout [Measure??]) -> Formula {
        switch f {
        case .constant, .row, .year, .kernel: return f
        case .previous(let i, let initial): return .previous(i, initial: rewrite(initial, model, &memo))
        case .recorded(let rows, let otherwise): return .recorded(rows, otherwise: rewrite(otherwise, model, &memo))
        case .negate(let a): return .negate(rewrite(a, model, &memo))
        case .binary(let op, let a, let b):
            let ra = rewrite(a, model, &memo), rb = rewrite(b, model, &memo)
            guard op.isComparison else { return .binary(op, ra, rb) }
            let m = combine(measure(a, model, &memo), measure(b, model, &memo))
            guard let digits = ComparisonRule.digits(for: m) else { return .binary(op, ra, rb) }
            let difference: Formula = rb == .constant(0) ? ra : .binary(.subtract, ra, rb)
            return .binary(op, .call(.round, [difference, .constant(Double(digits))]), .constant(0))
        case .call(let fn, let args):
            let ra = args.map { rewrite($0, model, &memo) }
            if fn == .floor || fn == .ceil {
                return .call(fn, [.call(.round, [ra[0], .constant(Double(ComparisonRule.integerDigits))])])
            }
            return .call(fn, ra)
        }
    }

    private static func combine(_ a: Measure?, _ b: Measure?) -> Measure? { Measure.combine(a, b) }

    static func measure(_ f: Formula, _ model: Model, _ memo: inout [Measure??], depth: Int = 0) -> Measure? {
        if depth > 64 { return nil }
        func of(_ g: Formula) -> Measure? { measure(g, model, &memo, depth: depth + 1) }
        switch f {
        case .constant: return nil
        case .year: return .year
        case .kernel: return nil
        case .recorded(let rows, _): return rows.first.map { model.rows[$0].dimension }
        case .row(let i), .previous(let i, _):
            if let known = memo[i] { return known }
            let row = model.rows[i]
            var m: Measure? = row.dimension
            if row.dimension == .number, case .formula(let g) = row.definition {
                memo[i] = .some(nil)   // a row that refers to itself through prev() learns nothing from itself
                m = of(g) ?? .number
            }
            memo[i] = .some(m)
            return m
        case .negate(let a): return of(a)
        case .binary(let op, let a, let b):
            return op.measure(of(a), of(b))
        case .call(let fn, let args):
            switch fn {
            case .min, .max, .sum: return args.map(of).reduce(nil, combine)
            case .abs, .round, .floor, .ceil, .prev: return of(args[0])
            case .if: return combine(of(args[1]), of(args[2]))
            case .not, .and, .or: return .number
            }
        }
    }
}

extension Model {
    /// The measure of a row as a comparison learns it (see `FormulaRules`): its dimension, or, for a row
    /// written as a plain number (a check's side), the measure of its formula; nil when nothing says.
    public func measure(ofRow id: String) -> Measure? {
        guard let i = index[id] else { return nil }
        var memo = [Measure??](repeating: .none, count: rows.count)
        return FormulaRules.measure(.row(i), self, &memo)
    }
}
