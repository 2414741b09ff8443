import FundSimModel
import Foundation
internal import Yams

/// A YAML node with the file and position it came from (so merged variants point into the right file).
struct YNode {
    indirect enum Value {
        case scalar(String, quoted: Bool)
        case mapping([(key: YNode, value: YNode)])
        case sequence([YNode])
        case null
    }
    var value: Value
    var location: SourceLocation

    var scalar: String? {
        if case .scalar(let s, _) = value { return s }
        return nil
    }
    var pairs: [(key: YNode, value: YNode)]? {
        if case .mapping(let p) = value { return p }
        return nil
    }
    var items: [YNode]? {
        if case .sequence(let s) = value { return s }
        return nil
    }
    subscript(key: String) -> YNode? {
        pairs?.first { $0.key.scalar == key }?.value
    }
    var kindName: String {
        switch value {
        case .scalar: return "a value"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .null: return "nothing"
        }
    }
}

/// Limits that keep hostile files from exhausting memory or time.
public enum InputLimits {
    public static let maxFileBytes = 4 << 20
    public static let maxNodes = 200_000
    public static let maxDepth = 64
    /// The most characters of text a document may hold once its aliases are expanded: an alias is charged for
    /// the text it stands for, so a long anchored scalar aliased many times is refused before any work on it.
    public static let maxExpandedBytes = 16 << 20
}

enum YAMLReader {
    /// Parses YAML text into a located tree, or a diagnostic for a syntax error or a limit.
    static func read(_ text: String, file: String) -> Result<YNode, Diagnostic> {
        if text.utf8.count > InputLimits.maxFileBytes {
            return .failure(.error("file is \(text.utf8.count) bytes, over the limit of \(InputLimits.maxFileBytes)",
                                   at: SourceLocation(file: file, line: 1, column: 1), hint: "a scenario is a short text file; split it or check that this is the right file"))
        }
        if let d = precheck(text, file: file) { return .failure(d) }
        let node: Node?
        do {
            // No implicit tags: the tree keeps every scalar as text and decides nulls itself (`convert`), so Yams'
            // regular-expression tag rules would only slow its duplicate-key check (a key's hash resolves its tag).
            node = try Yams.compose(yaml: text, .basic)
        } catch let e as YamlError {
            return .failure(diagnostic(e, file: file))
        } catch {
            return .failure(.error("cannot read YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1)))
        }
        guard let node else {
            return .success(YNode(value: .null, location: SourceLocation(file: file, line: 1, column: 1)))
        }
        var budget = Budget()
        return convert(node, file: file, depth: 0, budget: &budget)
    }

    /// Rejects nesting deeper than the limit before the parser (which recurses) sees it.
    static func precheck(_ text: String, file: String) -> Diagnostic? {
        var depth = 0, line = 1, col = 0
        var quote: UInt8? = nil
        var lineStart = true, indent = 0
        for b in text.utf8 {
            col += 1
            if b == 10 { line += 1; col = 0; lineStart = true; indent = 0; if quote == 0x27 { } ; continue }
            if lineStart {
                if b == 32 { indent += 1; continue }
                lineStart = false
                if indent > InputLimits.maxDepth * 8 {
                    return .error("a line is indented \(indent) spaces, nested too deeply", at: SourceLocation(file: file, line: line, column: 1),
                                  hint: "a scenario needs a few levels of indentation; check the file")
                }
            }
            if let q = quote { if b == q { quote = nil }; continue }
            switch b {
            case 0x22, 0x27: quote = b
            case 0x23: break
            case 0x5B, 0x7B:
                depth += 1
                if depth > InputLimits.maxDepth {
                    return .error("brackets nested over \(InputLimits.maxDepth) levels deep", at: SourceLocation(file: file, line: line, column: col),
                                  hint: "check for unbalanced [ or {")
                }
            case 0x5D, 0x7D: depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    /// What converting a document may still use: nodes, and bytes of scalar text (aliases expanded).
    struct Budget {
        var nodes = InputLimits.maxNodes
        var bytes = InputLimits.maxExpandedBytes
    }

    private static func convert(_ node: Node, file: String, depth: Int, budget: inout Budget) -> Result<YNode, Diagnostic> {
        let loc = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        budget.nodes -= 1
        if budget.nodes < 0 {
            return .failure(.error("document has over \(InputLimits.maxNodes) nodes (after expanding aliases)", at: loc,
                                   hint: "YAML aliases that refer to aliases multiply; write the values out"))
        }
        if depth > InputLimits.maxDepth {
            return .failure(.error("document is nested over \(InputLimits.maxDepth) levels deep", at: loc))
        }
        switch node {
        case .scalar(let s):
            budget.bytes -= s.string.utf8.count
            if budget.bytes < 0 {
                return .failure(.error("document holds over \(InputLimits.maxExpandedBytes >> 20) MiB of text once its aliases are expanded", at: loc,
                                       hint: "an alias repeats the whole text of its anchor; write the value once and refer to it by name"))
            }
            if s.style == .plain, ["", "~", "null", "Null", "NULL"].contains(s.string) {
                return .success(YNode(value: .null, location: loc))
            }
            return .success(YNode(value: .scalar(s.string, quoted: s.style != .plain), location: loc))
        case .mapping(let m):
            var pairs: [(key: YNode, value: YNode)] = []
            for (k, v) in m {
                switch (convert(k, file: file, depth: depth + 1, budget: &budget), convert(v, file: file, depth: depth + 1, budget: &budget)) {
                case (.success(let kk), .success(let vv)): pairs.append((kk, vv))
                case (.failure(let d), _), (_, .failure(let d)): return .failure(d)
                }
            }
            return .success(YNode(value: .mapping(pairs), location: loc))
        case .sequence(let s):
            var items: [YNode] = []
            for v in s {
                switch convert(v, file: file, depth: depth + 1, budget: &budget) {
                case .success(let n): items.append(n)
                case .failure(let d): return .failure(d)
                }
            }
            return .success(YNode(value: .sequence(items), location: loc))
        case .alias:
            return .failure(.error("unsupported YAML alias", at: loc))
        }
    }

    /// Text no writer can hold: a scalar over a cell's 32,767 characters, or one with a control character (an
    /// XML part of the workbook cannot hold it, and a terminal would act on it). One diagnostic per scalar.
    static func textProblems(_ node: YNode, into out: inout [Diagnostic]) {
        switch node.value {
        case .scalar(let s, _):
            if let (offset, c) = Limits.firstControlCharacter(in: s) {
                out.append(.error("the text holds the control character U+\(String(format: "%04X", c.value)) (character \(offset + 1) of the text)",
                                  at: node.location, hint: "remove it: control characters cannot be written into a workbook"))
            }
            let count = s.unicodeScalars.count
            if count > Limits.cellCharacters {
                out.append(.error("the text is \(count) characters long, over the \(Limits.cellCharacters) a spreadsheet cell holds", at: node.location,
                                  hint: "shorten it, or keep the long text in a seed document and cite it"))
            }
        case .mapping(let pairs):
            for (k, v) in pairs { textProblems(k, into: &out); textProblems(v, into: &out) }
        case .sequence(let items):
            for v in items { textProblems(v, into: &out) }
        case .null:
            break
        }
    }

    private static func diagnostic(_ e: YamlError, file: String) -> Diagnostic {
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "YAML syntax: \(problem)"
            if let context { message += " \(context.text)" }
            var hint = "check indentation and that every `key:` has a space after the colon"
            if problem.contains("tab") { hint = "YAML does not allow tabs for indentation; use spaces" }
            if problem.contains("duplicate") { hint = "each key may appear once in a mapping" }
            return .error(message, at: SourceLocation(file: file, line: mark.line, column: mark.column), hint: hint)
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Point at the second occurrence of the first duplicated key.
            let key = duplicates.first ?? "?"
            var hits: [(Int, Int)] = []
            for (i, line) in context.text.components(separatedBy: "\n").enumerated() {
                let trimmed = line.drop { $0 == " " || $0 == "-" }
                if trimmed.hasPrefix(key + ":") || trimmed.hasPrefix("\"\(key)\":") {
                    hits.append((i + 1, line.count - trimmed.count + 1))
                }
            }
            let (line, col) = hits.count > 1 ? hits[1] : (context.mark.line, context.mark.column)
            return .error("`\(key)` appears twice in the same mapping", at: SourceLocation(file: file, line: line, column: col),
                          hint: "each key may appear once; remove or rename one of them")
        case .reader(let problem, _, _, _):
            return .error("cannot read the file: \(problem)", at: SourceLocation(file: file, line: 1, column: 1),
                          hint: "save the scenario as UTF-8 text")
        default:
            return .error("YAML: \(e)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}
