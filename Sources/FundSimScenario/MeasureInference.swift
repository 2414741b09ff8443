import FundSimModel

/// Where an input's measure comes from, from firmest to weakest.
enum MeasureOrigin {
    /// `unit:`, or the key it is written under (a kind key, a source's envelope).
    case stated
    /// A unit after one of its figures (`3萬元`, `120名`, `100畝`).
    case written
    /// Taken from where the input is used.
    case used
    /// Figures with a bare 萬 or 億 only: its measure comes from its use, and is money when no use says (as before).
    case bareMultiplier
    /// Plain figures or an expression: its measure comes from its use, and is a plain number when no use says.
    case unknown
}

/// A place where an expression stands for a measure: a kind key (`headcount: 黨員人數`), a funding share.
struct MeasureUse {
    var expr: Expr
    var measure: Measure
    /// The key, for messages (`` `headcount` of `principal_pay` ``).
    var what: String
}

/// Measures learned from use, and the figures and inputs whose unit does not fit their use.
///
/// Walks each expression a kind key or funding share holds, down through what keeps its measure: sums and
/// differences, `min`/`max`/`sum`/`round`/`abs`/`floor`/`ceil`/`prev`/`if` branches, and products or
/// quotients with a share or rate. A figure that names its unit (`3萬元`, `120名`, also inside `3名 * 2`)
/// must fit; so must an input whose measure is stated or written. An input whose measure is not known
/// takes the measure of its first use (and passes it to the inputs of its own expression); a later use of
/// another measure is not an error, since nothing the author wrote names a measure. Inputs still
/// unknown afterwards keep the old reading: figures with a bare 萬 or 億 are money, plain ones plain numbers.
extension Decoder {
    mutating func inferMeasures() {
        var index: [String: Int] = [:]
        for (i, input) in inputs.enumerated() where index[input.name] == nil { index[input.name] = i }
        var entered: Set<String> = []
        for use in measureUses where use.measure != .number && use.measure != .year {
            expect(use.expr, use, index: index, entered: &entered)
        }
        for i in inputs.indices where measureOrigins[inputs[i].name] == .bareMultiplier {
            inputs[i].dimension = .money
        }
    }

    private func isShare(_ e: Expr, index: [String: Int]) -> Bool {
        switch e.kind {
        case .literal: return e.literalMeasure == .ratio
        case .name(let p): return p.count == 1 && index[p[0]].map { inputs[$0].dimension == .ratio } == true
        default: return false
        }
    }

    private mutating func expect(_ e: Expr, _ use: MeasureUse, index: [String: Int], entered: inout Set<String>) {
        let m = use.measure
        if let f = e.constantFigure() {
            if !Measure.fits(f.measure, m), let written = f.measure {
                diagnostics.append(.error("\(use.what) is \(m.label), but `\(e.text)` is \(written.label)", at: e.location,
                                          hint: Self.unitHint(m, written: written)))
            }
            return
        }
        func go(_ x: Expr, _ s: inout Decoder) { s.expect(x, use, index: index, entered: &entered) }
        switch e.kind {
        case .literal: return
        case .name(let path):
            guard path.count == 1, let i = index[path[0]] else { return }
            let input = inputs[i]
            switch measureOrigins[input.name] ?? .stated {
            case .used:
                // Its measure came from an earlier use; its figures name none, so no use is an error.
                return
            case .stated, .written:
                if !Measure.fits(input.dimension, m) {
                    let shown = input.owner == nil ? "input `\(input.name)`" : "`\(input.name)`"
                    diagnostics.append(.error("\(use.what) is \(m.label), but \(shown) is \(input.dimension.label)", at: e.location,
                                              hint: "write the figures of \(shown) (line \(input.location?.line ?? 0)) as \(m.label), or name another input here: "
                                                  + Self.unitHint(m)))
                }
            case .bareMultiplier, .unknown:
                inputs[i].dimension = m
                measureOrigins[input.name] = .used
                if case .expression(let inner) = input.definition, entered.insert(input.name).inserted {
                    expect(inner, MeasureUse(expr: inner, measure: m, what: "input `\(input.name)`"), index: index, entered: &entered)
                }
            }
        case .negate(let a): go(a, &self)
        case .binary(let op, let a, let b):
            switch op {
            case .add, .subtract: go(a, &self); go(b, &self)
            case .multiply:
                if isShare(b, index: index) { go(a, &self) } else if isShare(a, index: index) { go(b, &self) }
            case .divide:
                if isShare(b, index: index) { go(a, &self) }
            default: return
            }
        case .call(let f, let args):
            switch f {
            case .min, .max, .sum: for a in args { go(a, &self) }
            case .round, .floor, .ceil, .abs, .prev: go(args[0], &self)
            case .if: go(args[1], &self); go(args[2], &self)
            case .not, .and, .or: return
            }
        }
    }

    /// Whether an input's figures are written with a bare 萬 or 億 (and no other unit).
    static func hasBareMultiplier(_ n: YNode) -> Bool {
        var found = false
        func visit(_ x: YNode) {
            if let s = x.scalar, case .success(let q) = Quantity.evaluate(s), q.scaled { found = true }
            for (k, v) in x.pairs ?? [] where !["rate", "rise", "cite", "assumption", "by", "start", "year", "title", "note", "unit"].contains(k.scalar ?? "") {
                visit(v)
            }
        }
        visit(n)
        return found
    }
}
