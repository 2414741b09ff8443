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
        if s.contains("e") { s = String(describing: Decimal(v)) }
        return s
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
            let e = try p.parseOr()
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
                || (c == "." && !afterName && i + 1 < scalars.count && CharacterSet(charactersIn: "0123456789").contains(scalars[i + 1]))
            if startsNumber {
                var j = i
                // In an expression a comma always separates arguments: min(10,200) is two figures.
                while j < scalars.count, CharacterSet(charactersIn: "0123456789.").contains(scalars[j]) { j += 1 }
                let numText = String(String.UnicodeScalarView(scalars[i..<j]))
                let rest = String(String.UnicodeScalarView(scalars[j...]))
                let unit = UnitTable.unit(startingAt: rest[...])?.spelling ?? ""
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

    private mutating func parseOr() throws -> Expr {
        var e = try parseAnd()
        while case let t = peek, accept("or") { e = Expr(.binary(.or, e, try parseAnd()), at: loc(t)) }
        return e
    }

    private mutating func parseAnd() throws -> Expr {
        var e = try parseComparison()
        while case let t = peek, accept("and") { e = Expr(.binary(.and, e, try parseComparison()), at: loc(t)) }
        return e
    }

    private mutating func parseComparison() throws -> Expr {
        let e = try parseAdditive()
        for op in ["<=", ">=", "==", "!=", "<", ">"] {
            let t = peek
            if accept(op) {
                let rhs = try parseAdditive()
                return Expr(.binary(BinaryOperator(rawValue: op)!, e, rhs), at: e.location ?? loc(t))
            }
        }
        return e
    }

    private mutating func parseAdditive() throws -> Expr {
        var e = try parseMultiplicative()
        while true {
            let t = peek
            if accept("+") { e = Expr(.binary(.add, e, try parseMultiplicative()), at: loc(t)) }
            else if accept("-") { e = Expr(.binary(.subtract, e, try parseMultiplicative()), at: loc(t)) }
            else { return e }
        }
    }

    private mutating func parseMultiplicative() throws -> Expr {
        var e = try parseUnary()
        while true {
            let t = peek
            if accept("*") { e = Expr(.binary(.multiply, e, try parseUnary()), at: loc(t)) }
            else if accept("/") { e = Expr(.binary(.divide, e, try parseUnary()), at: loc(t)) }
            else { return e }
        }
    }

    private mutating func parseUnary() throws -> Expr {
        let t = peek
        if accept("-") { return Expr(.negate(try parseUnary()), at: loc(t)) }
        if accept("+") { return try parseUnary() }
        return try parsePower()
    }

    private mutating func parsePower() throws -> Expr {
        let base = try parsePrimary()
        let t = peek
        if accept("^") {
            return Expr(.binary(.power, base, try parseUnary()), at: loc(t))
        }
        return base
    }

    private var depth = 0

    private mutating func parsePrimary() throws -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > 64 { throw error("expression nested too deeply (over 64 levels)") }
        let t = advance()
        switch t.kind {
        case .number(let v, let text):
            return Expr(.literal(v, text: text), at: loc(t))
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
                var args: [Expr] = []
                if !accept(")") {
                    repeat { args.append(try parseOr()) } while accept(",")
                    guard accept(")") else { throw error("expected `,` or `)` in the arguments of `\(name)`") }
                }
                guard f.arity.contains(args.count) else {
                    let n = f.arity.lowerBound == f.arity.upperBound ? "\(f.arity.lowerBound)" : "\(f.arity.lowerBound) to \(f.arity.upperBound)"
                    throw Diagnostic.error("`\(name)` takes \(n) argument\(f.arity.upperBound == 1 ? "" : "s"), found \(args.count)", at: loc(t))
                }
                return Expr(.call(f, args), at: loc(t))
            }
            var path = [name]
            while accept(".") {
                guard case .ident(let field) = peek.kind else { throw error("expected a field name after `.`") }
                _ = advance()
                path.append(field)
            }
            return Expr(.name(path), at: loc(t))
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
