import Foundation

/// A position in a text file: 1-based line and column (column counted in Unicode scalars, as libyaml does).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    /// The same location moved right by `offset` scalars (for spots inside a scalar, e.g. in an expression).
    public func advanced(by offset: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column + offset)
    }
}

/// One problem found in a scenario, with where it is and how to fix it.
public struct Diagnostic: Hashable, Sendable, Error {
    public enum Severity: String, Sendable { case error, warning, note }

    public var severity: Severity
    public var location: SourceLocation?
    public var message: String
    public var hint: String?

    public init(_ severity: Severity, _ message: String, at location: SourceLocation?, hint: String? = nil) {
        self.severity = severity
        self.location = location
        self.message = message
        self.hint = hint
    }

    public static func error(_ message: String, at location: SourceLocation?, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: location, hint: hint)
    }

    public static func warning(_ message: String, at location: SourceLocation?, hint: String? = nil) -> Diagnostic {
        Diagnostic(.warning, message, at: location, hint: hint)
    }

    /// What kind of problem this is: the message with what varies from one occurrence to the next — each `quoted`
    /// name or figure, each (parenthesised) detail, each number — written `…`.
    /// "figure `100` in check `k0` has no provenance" and "figure `7` in check `b` has no provenance" are one kind;
    /// the terminal shows a few of each kind of warning (`DiagnosticRenderer.warningsPerKind`).
    public var kind: String { String(decoding: kindBytes, as: UTF8.self) }

    /// `kind` as UTF-8 bytes.
    var kindBytes: [UInt8] {
        let elided = Array("…".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(message.utf8.count)
        var closing: UInt8? = nil  // the byte that ends the span being elided
        var depth = 0
        var inNumber = false
        for b in message.utf8 {
            if let end = closing {
                if b == UInt8(ascii: "("), end == UInt8(ascii: ")") { depth += 1 }
                if b == end { depth -= 1; if depth == 0 { closing = nil } }
                continue
            }
            if (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || (inNumber && (b == UInt8(ascii: ".") || b == UInt8(ascii: ","))) {
                if !inNumber { out += elided; inNumber = true }
                continue
            }
            inNumber = false
            switch b {
            case UInt8(ascii: "`"): out.append(b); out += elided; out.append(b); closing = b; depth = 1
            case UInt8(ascii: "("): out.append(b); out += elided; out.append(UInt8(ascii: ")")); closing = UInt8(ascii: ")"); depth = 1
            default: out.append(b)
            }
        }
        return out
    }
}

/// Several diagnostics at once: what loading or compiling a scenario throws when it finds errors.
public struct DiagnosticList: Error, Sendable {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}

/// Renders diagnostics as `file:line:column: error: message`, the source line, a caret and a hint.
public struct DiagnosticRenderer: Sendable {
    /// The text of each file by the path that diagnostics name.
    public var sources: [String: String]

    public init(sources: [String: String] = [:]) { self.sources = sources }

    /// The most terminal columns of a source line shown: a longer line is cut to a window around the caret,
    /// so that a 400 KB line (or a minified file) is never echoed whole.
    public static let window = 100

    /// Renders one diagnostic. Control characters — in the message, the hint or the source line — are shown as
    /// `\u{1}` escapes, so a hostile file cannot act on the terminal.
    public func render(_ d: Diagnostic) -> String {
        var lines: [String: [String.Index]] = [:]
        return render(d, lineStarts: &lines)
    }

    /// Renders one diagnostic; `lineStarts` caches where each file's lines start, so that rendering many
    /// diagnostics of one file is linear in its size.
    func render(_ d: Diagnostic, lineStarts: inout [String: [String.Index]]) -> String {
        var out = ""
        if let loc = d.location {
            out += "\(Limits.escaped(loc.file, keepingNewlines: false)):\(loc.line):\(loc.column): "
        }
        out += "\(d.severity.rawValue): \(Limits.escaped(d.message, keepingNewlines: false))\n"
        if let loc = d.location, let text = sources[loc.file], let line = Self.line(loc.line, of: text, starts: &lineStarts[loc.file]) {
            let (shown, caret) = Self.excerpt(Array(line.unicodeScalars), column: loc.column)
            out += "  \(shown)\n"
            out += "  \(caret)^\n"
        }
        if let hint = d.hint {
            out += "  hint: \(Limits.escaped(hint, keepingNewlines: false))\n"
        }
        return out
    }

    /// Line `number` (1-based) of `text` without its line break; `starts` holds (or receives) where each line starts.
    static func line(_ number: Int, of text: String, starts: inout [String.Index]?) -> Substring? {
        if starts == nil {
            var found = [text.startIndex]
            for i in text.utf8.indices where text.utf8[i] == 10 { found.append(text.utf8.index(after: i)) }
            starts = found
        }
        guard let starts, number >= 1, number <= starts.count else { return nil }
        let start = starts[number - 1]
        let end = number < starts.count ? text.utf8.index(before: starts[number]) : text.endIndex
        var line = text[start..<end]
        if line.hasSuffix("\r") { line = line.dropLast() }
        return line
    }

    /// The part of a line shown around the caret (at most `window` terminal columns, cut ends marked `…`), with
    /// control characters escaped, and the padding that puts a caret under column `column`.
    static func excerpt(_ scalars: [Unicode.Scalar], column: Int) -> (line: String, caret: String) {
        let at = min(max(0, column - 1), scalars.count)
        func shown(_ s: Unicode.Scalar) -> String {
            Limits.isControl(s) ? "\\u{\(String(s.value, radix: 16))}" : s == "\r" ? "\\r" : String(s)
        }
        func width(_ s: Unicode.Scalar) -> Int {
            Limits.isControl(s) || s == "\r" ? shown(s).count : s == "\t" ? 1 : displayWidth(s)
        }
        // Grow the window from the caret: half the columns before it, then whatever is left after.
        var from = at, to = at, used = 0
        while from > 0, used + width(scalars[from - 1]) <= window / 2 { from -= 1; used += width(scalars[from]) }
        while to < scalars.count, used + width(scalars[to]) <= window { used += width(scalars[to]); to += 1 }
        while from > 0, used + width(scalars[from - 1]) <= window { from -= 1; used += width(scalars[from]) }
        var line = from > 0 ? "…" : ""
        var pad = from > 0 ? " " : ""
        for k in from..<to {
            line += shown(scalars[k])
            if k < at { pad += scalars[k] == "\t" ? "\t" : String(repeating: " ", count: width(scalars[k])) }
        }
        if to < scalars.count { line += "…" }
        return (line, pad)
    }

    /// How many warnings of one kind (`Diagnostic.kind`) the terminal shows before it counts the rest: enough to
    /// see what is wrong and where; `--all-warnings` shows every one.
    public static let warningsPerKind = 10

    /// Renders `ds` in their order, but of each kind of warning (and note) only the first `perKind` (all when
    /// nil), then one line for each kind that had more: how many were not shown and the flag that shows them.
    /// Errors are always shown, every one.
    public func render(_ ds: [Diagnostic], perKind: Int?) -> String {
        guard let perKind, ds.count > perKind else { return render(ds) }
        var seen: [KindKey: Int] = [:]
        var cut: [(key: KindKey, severity: Diagnostic.Severity)] = []
        var shown: [Int] = []
        for k in ds.indices {
            let severity = ds[k].severity
            guard severity != .error else { shown.append(k); continue }
            let key = KindKey(severity: severity, bytes: ds[k].kindBytes)
            let n = seen[key, default: 0]
            if n < perKind { shown.append(k) } else if n == perKind { cut.append((key, severity)) }
            seen[key] = n + 1
        }
        var out = render(shown.map { ds[$0] })
        for (key, severity) in cut {
            let more = seen[key]! - perKind
            let kind = String(decoding: key.bytes, as: UTF8.self)
            out += "note: \(more) more \(severity.rawValue)\(more == 1 ? "" : "s") like “\(Limits.escaped(kind, keepingNewlines: false))” not shown;"
                + " --all-warnings shows them all\n"
        }
        return out
    }

    /// A kind of diagnostic as a dictionary key: its bytes hashed as bytes (no Unicode normalisation, which
    /// thousands of warnings would pay for).
    private struct KindKey: Hashable {
        var severity: Diagnostic.Severity
        var bytes: [UInt8]
        func hash(into hasher: inout Hasher) {
            hasher.combine(severity)
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    /// Renders every diagnostic of `ds`, in order.
    public func render(_ ds: [Diagnostic]) -> String {
        // Thousands of warnings (38,000 checks that cannot fail) are rendered in two halves on two cores.
        let halves = ds.count >= 2_000 ? [ds[..<(ds.count / 2)], ds[(ds.count / 2)...]] : [ds[...]]
        var texts = [String](repeating: "", count: halves.count)
        texts.withUnsafeMutableBufferPointer { out in
            let out = RenderedHalves(out)
            DispatchQueue.concurrentPerform(iterations: halves.count) { k in
                var lines: [String: [String.Index]] = [:]
                out.texts[k] = halves[k].map { render($0, lineStarts: &lines) }.joined()
            }
        }
        return texts.joined()
    }

    /// Where each half's text goes: each thread writes only its own element.
    private struct RenderedHalves: @unchecked Sendable {
        let texts: UnsafeMutableBufferPointer<String>
        init(_ texts: UnsafeMutableBufferPointer<String>) { self.texts = texts }
    }

    /// Terminal columns a scalar takes: two for East Asian wide characters, so carets line up under Chinese text.
    public static func displayWidth(_ s: Unicode.Scalar) -> Int {
        switch s.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}

/// Closest candidates to a misspelled name, for "did you mean" hints.
public enum Suggest {
    public static func closest(to name: String, in candidates: [String], limit: Int = 1) -> [String] {
        let limitDistance = max(2, name.count / 3)
        var scored: [(name: String, d: Int)] = []
        for c in candidates {
            let d = distance(name, c)
            if d <= limitDistance { scored.append((c, d)) }
        }
        scored.sort { $0.d == $1.d ? $0.name < $1.name : $0.d < $1.d }
        return scored.prefix(limit).map { $0.name }
    }

    public static func didYouMean(_ name: String, in candidates: [String]) -> String? {
        guard let best = closest(to: name, in: candidates).first else { return nil }
        return "did you mean `\(best)`?"
    }

    /// Levenshtein distance over characters.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
