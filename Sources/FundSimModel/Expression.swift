import Foundation

/// An arithmetic expression over yearly series, as written in a scenario file.
///
/// Every construct maps one-to-one onto a spreadsheet formula: names become cell references,
/// `prev(x)` the cell one column to the left, `if`/`min`/`max`/`round`/`abs`/`and`/`or`/`not`
/// the functions of the same name.
public struct Expr: Hashable, Sendable {
    public indirect enum Kind: Hashable, Sendable {
        /// A figure in base units (yuan, 1 = 100%); `text` is how it was written.
        case literal(Double, text: String)
        /// A name, possibly with fields: `村主職人數`, `centres.stock`, `市財政.gap`.
        case name([String])
        case negate(Expr)
        case binary(BinaryOperator, Expr, Expr)
        case call(Function, [Expr])
    }

    public var kind: Kind
    public var location: SourceLocation?

    public init(_ kind: Kind, at location: SourceLocation? = nil) {
        self.kind = kind
        self.location = location
    }

    public static func literal(_ v: Double) -> Expr { Expr(.literal(v, text: Expr.format(v))) }
    public static func name(_ parts: String...) -> Expr { Expr(.name(parts)) }
    public static func call(_ f: Function, _ args: Expr...) -> Expr { Expr(.call(f, args)) }
    public static func + (a: Expr, b: Expr) -> Expr { Expr(.binary(.add, a, b)) }
    public static func - (a: Expr, b: Expr) -> Expr { Expr(.binary(.subtract, a, b)) }
    public static func * (a: Expr, b: Expr) -> Expr { Expr(.binary(.multiply, a, b)) }
    public static func / (a: Expr, b: Expr) -> Expr { Expr(.binary(.divide, a, b)) }

    /// All names this expression refers to, with their locations.
    public func names() -> [(path: [String], location: SourceLocation?)] {
        var out: [(path: [String], location: SourceLocation?)] = []
        walk { e in if case .name(let p) = e.kind { out.append((p, e.location)) } }
        return out
    }

    /// All figures written in this expression.
    public func literals() -> [(value: Double, text: String, location: SourceLocation?)] {
        var out: [(value: Double, text: String, location: SourceLocation?)] = []
        walk { e in if case .literal(let v, let t) = e.kind { out.append((v, t, e.location)) } }
        return out
    }

    public func walk(_ visit: (Expr) -> Void) {
        visit(self)
        switch kind {
        case .literal, .name: break
        case .negate(let a): a.walk(visit)
        case .binary(_, let a, let b): a.walk(visit); b.walk(visit)
        case .call(_, let args): args.forEach { $0.walk(visit) }
        }
    }

    /// The expression written out again (for labels): names, figures as written, operators, functions.
    public var text: String {
        func go(_ e: Expr, _ parent: Int) -> String {
            switch e.kind {
            case .literal(_, let t): return t
            case .name(let p): return p.joined(separator: ".")
            case .negate(let a): return "-" + go(a, 9)
            case .call(let f, let args): return f.rawValue + "(" + args.map { go($0, 0) }.joined(separator: ", ") + ")"
            case .binary(let op, let a, let b):
                let prec = op.precedence
                let inner = go(a, prec) + " " + op.rawValue + " " + go(b, prec + 1)
                return prec < parent ? "(" + inner + ")" : inner
            }
        }
        return go(self, 0)
    }

    /// Plain decimal text for a number, without exponent or trailing zeros (`42000`, `0.5`).
    public static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.15g", v)
        // Decimal holds up to about 10^165; beyond it (and for inf and nan) the %g text is the clearest.
        if s.contains("e"), abs(v) < 1e100 { s = String(describing: Decimal(v)) }
        return s
    }
}

extension Expr {
    /// The measure a figure of this expression names by its unit (`3名` a count, `4.2萬元` money); nil for a
    /// plain number, a bare 萬 or 億, or anything that is not a figure.
    public var literalMeasure: Measure? {
        guard case .literal(_, let t) = kind, case .success(let q) = Quantity.parse(t) else { return nil }
        return q.unit
    }

    /// The value of arithmetic over figures only (`3名 * 2`, `4.2萬 / 12`), with the measure its units give
    /// by the operator table (`BinaryOperator.measure`; nil when no figure names one) and whether a bare
    /// 萬 or 億 was written; nil for anything with a name, a function or a comparison, or with no value.
    public func constantFigure() -> (value: Double, measure: Measure?, scaled: Bool)? {
        switch kind {
        case .literal(let v, let t):
            let q = try? Quantity.parse(t).get()
            return (v, q?.unit, q?.scaled ?? false)
        case .negate(let a):
            guard let x = a.constantFigure() else { return nil }
            return (Negation.apply(x.value), x.measure, x.scaled)
        case .binary(let op, let a, let b):
            guard op.resultType == .number, op != .power, let x = a.constantFigure(), let y = b.constantFigure(),
                  let v = try? op.apply(x.value, y.value) else { return nil }
            let m = (x.measure == nil && y.measure == nil) ? nil : op.measure(x.measure, y.measure)
            return (v, m == .number ? nil : m, x.scaled || y.scaled)
        case .name, .call:
            return nil
        }
    }
}

public enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", power = "^"
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="
    case and = "and", or = "or"

    public var isComparison: Bool {
        switch self {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return true
        default: return false
        }
    }
}

public enum Function: String, Hashable, Sendable, CaseIterable {
    case min, max, sum, round, `if`, prev, abs, not, and, or, floor, ceil

    /// Allowed argument counts.
    public var arity: ClosedRange<Int> {
        switch self {
        case .min, .max, .sum, .and, .or: return 1...255
        case .round: return 1...2
        case .if: return 3...3
        case .prev: return 1...2
        case .abs, .not, .floor, .ceil: return 1...1
        }
    }
}

/// Parses expression text. Locations are the scalar's start plus the offset in Unicode scalars.
public struct ExpressionParser {
    private var tokens: [Token] = []
    private var pos = 0
    private let base: SourceLocation?

    struct Token: Equatable {
        enum Kind: Equatable { case number(Double, String), ident(String), op(String), end }
        var kind: Kind
        var offset: Int
    }

    public static func parse(_ text: String, at base: SourceLocation?) -> Result<Expr, Diagnostic> {
        var p = ExpressionParser(base: base)
        do {
            p.tokens = try Self.tokenize(text, base: base)
            let e = try p.parseOr().e
            guard case .end = p.peek.kind else {
                throw p.error("unexpected `\(p.peek.text)` after a complete expression", hint: "an operator such as `+` or `*` may be missing")
            }
            return .success(e)
        } catch let d as Diagnostic {
            return .failure(d)
        } catch {
            return .failure(.error("\(error)", at: base))
        }
    }

    private init(base: SourceLocation?) { self.base = base }

    static func tokenize(_ text: String, base: SourceLocation?) throws -> [Token] {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        var out: [Token] = []
        func isIdentStart(_ c: Unicode.Scalar) -> Bool {
            c == "_" || CharacterSet.letters.contains(c)
        }
        func isIdent(_ c: Unicode.Scalar) -> Bool {
            isIdentStart(c) || CharacterSet.decimalDigits.contains(c)
        }
        while i < scalars.count {
            let c = scalars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            let start = i
            let afterName: Bool = {
                guard let last = out.last else { return false }
                if case .ident = last.kind { return true }
                return false
            }()
            let startsNumber = CharacterSet.decimalDigits.contains(c) && c.isASCII
                || (c == "." && !afterName && i + 1 < scalars.count && ("0"..."9").contains(scalars[i + 1]))
            if startsNumber {
                var j = i
                // In an expression a comma always separates arguments: min(10,200) is two figures.
                while j < scalars.count, ("0"..."9").contains(scalars[j]) || scalars[j] == "." { j += 1 }
                let numText = String(String.UnicodeScalarView(scalars[i..<j]))
                // The unit is looked for in the text up to the next ASCII character after the longest unit
                // spelling (an ASCII character always starts a new character, so the match is the one the whole
                // rest would give): taking the whole rest of the expression for every number was quadratic.
                var k = min(scalars.count, j + UnitTable.longestFigureSpelling + 1)
                while k < scalars.count, !scalars[k].isASCII || scalars[k] == "\n" { k += 1 }
                let rest = String(String.UnicodeScalarView(scalars[j..<k]))
                var unit = UnitTable.unit(startingAt: rest[...])?.spelling ?? ""
                // A multiplier before a unit of count or area (`4萬名`, `1.2萬畝`) is one figure.
                if let m = UnitTable.unit(named: unit), m.scale, let next = UnitTable.unit(startingAt: rest.dropFirst(unit.count)),
                   !next.unit.scale, next.unit.measure != .money {
                    unit += next.spelling
                }
                j += unit.unicodeScalars.count
                let written = numText + unit
                switch Quantity.parse(written) {
                case .success(let q):
                    out.append(Token(kind: .number(q.double, written), offset: start))
                case .failure(let e):
                    throw Diagnostic.error("\(e)", at: base?.advanced(by: start))
                }
                i = j
                continue
            }
            if isIdentStart(c) {
                var j = i
                while j < scalars.count, isIdent(scalars[j]) { j += 1 }
                out.append(Token(kind: .ident(String(String.UnicodeScalarView(scalars[i..<j]))), offset: start))
                i = j
                continue
            }
            let two = i + 1 < scalars.count ? String(String.UnicodeScalarView([c, scalars[i + 1]])) : ""
            if ["<=", ">=", "==", "!=", "&&", "||"].contains(two) {
                out.append(Token(kind: .op(two == "&&" ? "and" : two == "||" ? "or" : two), offset: start))
                i += 2
                continue
            }
            let ops = "+-*/^(),.<>=×÷（），"
            if ops.unicodeScalars.contains(c) {
                var op = String(c)
                switch op {
                case "=": op = "=="
                case "×": op = "*"
                case "÷": op = "/"
                case "（": op = "("
                case "）": op = ")"
                case "，": op = ","
                default: break
                }
                out.append(Token(kind: .op(op), offset: start))
                i += 1
                continue
            }
            throw Diagnostic.error("unexpected character `\(c)` in expression", at: base?.advanced(by: start),
                                   hint: "expressions use + - * / ^, comparisons, parentheses, names and functions such as min(a, b)")
        }
        out.append(Token(kind: .end, offset: scalars.count))
        return out
    }

    private var peek: Token { tokens[pos] }
    private mutating func advance() -> Token { let t = tokens[pos]; pos += 1; return t }
    private func loc(_ t: Token) -> SourceLocation? { base?.advanced(by: t.offset) }
    private func error(_ message: String, hint: String? = nil) -> Diagnostic {
        .error(message, at: loc(peek), hint: hint)
    }
    private mutating func accept(_ op: String) -> Bool {
        if case .op(op) = peek.kind { pos += 1; return true }
        if case .ident(op) = peek.kind, op == "and" || op == "or" { pos += 1; return true }
        return false
    }

    /// An expression and its depth: 1 for a figure or a name, one more for each operator or function around it.
    private typealias Parsed = (e: Expr, depth: Int)

    /// Builds a node over `children`, refusing it when it would nest deeper than `Limits.expressionDepth`.
    ///
    /// Every operator counts, so a chain such as `1+1+…+1` or `----1` is as deep as it is long: the workbook
    /// writes each operator as a level of parentheses, and the engine's walks recurse once per level.
    private func node(_ kind: Expr.Kind, at t: Token, _ children: [Parsed]) throws -> Parsed {
        let depth = 1 + (children.map(\.depth).max() ?? 0)
        if depth > Limits.expressionDepth {
            throw Diagnostic.error("expression nested too deeply: over \(Limits.expressionDepth) levels, counting each operator and function",
                                   at: loc(t),
                                   hint: "a spreadsheet formula nests at most \(Limits.expressionDepth) levels; split it into inputs that refer to each other, or add many terms with sum(a, b, …)")
        }
        return (Expr(kind, at: loc(t)), depth)
    }

    private mutating func parseOr() throws -> Parsed {
        var e = try parseAnd()
        while case let t = peek, accept("or") {
            let rhs = try parseAnd()
            e = try node(.binary(.or, e.e, rhs.e), at: t, [e, rhs])
        }
        return e
    }

    private mutating func parseAnd() throws -> Parsed {
        var e = try parseComparison()
        while case let t = peek, accept("and") {
            let rhs = try parseComparison()
            e = try node(.binary(.and, e.e, rhs.e), at: t, [e, rhs])
        }
        return e
    }

    private mutating func parseComparison() throws -> Parsed {
        let e = try parseAdditive()
        for op in ["<=", ">=", "==", "!=", "<", ">"] {
            let t = peek
            if accept(op) {
                let rhs = try parseAdditive()
                var n = try node(.binary(BinaryOperator(rawValue: op)!, e.e, rhs.e), at: t, [e, rhs])
                n.e.location = e.e.location ?? loc(t)
                return n
            }
        }
        return e
    }

    private mutating func parseAdditive() throws -> Parsed {
        var e = try parseMultiplicative()
        while true {
            let t = peek
            if accept("+") { let r = try parseMultiplicative(); e = try node(.binary(.add, e.e, r.e), at: t, [e, r]) }
            else if accept("-") { let r = try parseMultiplicative(); e = try node(.binary(.subtract, e.e, r.e), at: t, [e, r]) }
            else { return e }
        }
    }

    private mutating func parseMultiplicative() throws -> Parsed {
        var e = try parseUnary()
        while true {
            let t = peek
            if accept("*") { let r = try parseUnary(); e = try node(.binary(.multiply, e.e, r.e), at: t, [e, r]) }
            else if accept("/") { let r = try parseUnary(); e = try node(.binary(.divide, e.e, r.e), at: t, [e, r]) }
            else { return e }
        }
    }

    /// Unary signs and powers; the recursion is bounded by `nesting`, which counts every level entered.
    private mutating func parseUnary() throws -> Parsed {
        try enter()
        defer { nesting -= 1 }
        let t = peek
        if accept("-") { let a = try parseUnary(); return try node(.negate(a.e), at: t, [a]) }
        if accept("+") { return try parseUnary() }
        return try parsePower()
    }

    private mutating func parsePower() throws -> Parsed {
        let base = try parsePrimary()
        let t = peek
        if accept("^") {
            let exponent = try parseUnary()
            return try node(.binary(.power, base.e, exponent.e), at: t, [base, exponent])
        }
        return base
    }

    /// Levels of the parser's own recursion (signs, powers, parentheses, arguments): bounded so that a hostile
    /// chain is refused before it can exhaust the stack, whatever the depth of the tree it would build.
    private var nesting = 0

    private mutating func enter() throws {
        nesting += 1
        if nesting > Limits.expressionDepth {
            throw error("expression nested too deeply: over \(Limits.expressionDepth) levels, counting each operator and function",
                        hint: "a spreadsheet formula nests at most \(Limits.expressionDepth) levels; split it into inputs that refer to each other")
        }
    }

    private mutating func parsePrimary() throws -> Parsed {
        try enter()
        defer { nesting -= 1 }
        let t = advance()
        switch t.kind {
        case .number(let v, let text):
            return (Expr(.literal(v, text: text), at: loc(t)), 1)
        case .op("("):
            let e = try parseOr()
            guard accept(")") else { throw error("expected `)`", hint: "parentheses must be balanced") }
            return e
        case .ident(let name):
            if accept("(") {
                guard let f = Function(rawValue: name) else {
                    throw Diagnostic.error("unknown function `\(name)`", at: loc(t),
                                           hint: Suggest.didYouMean(name, in: Function.allCases.map(\.rawValue))
                                               ?? "functions: " + Function.allCases.map(\.rawValue).joined(separator: ", "))
                }
                var args: [Parsed] = []
                if !accept(")") {
                    repeat { args.append(try parseOr()) } while accept(",")
                    guard accept(")") else { throw error("expected `,` or `)` in the arguments of `\(name)`") }
                }
                guard f.arity.contains(args.count) else {
                    let n = f.arity.lowerBound == f.arity.upperBound ? "\(f.arity.lowerBound)" : "\(f.arity.lowerBound) to \(f.arity.upperBound)"
                    throw Diagnostic.error("`\(name)` takes \(n) argument\(f.arity.upperBound == 1 ? "" : "s"), found \(args.count)", at: loc(t))
                }
                return try node(.call(f, args.map(\.e)), at: t, args)
            }
            var path = [name]
            while accept(".") {
                guard case .ident(let field) = peek.kind else { throw error("expected a field name after `.`") }
                _ = advance()
                path.append(field)
            }
            return (Expr(.name(path), at: loc(t)), 1)
        case .end:
            throw Diagnostic.error("expression ends too early", at: loc(t), hint: "a value or name is missing")
        default:
            throw Diagnostic.error("unexpected `\(t.text)`", at: loc(t))
        }
    }
}

extension ExpressionParser.Token {
    var text: String {
        switch kind {
        case .number(_, let s): return s
        case .ident(let s): return s
        case .op(let s): return s
        case .end: return "end of expression"
        }
    }
}
