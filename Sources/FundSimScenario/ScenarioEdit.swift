import Foundation
import FundSimModel

/// New figures for one input of a scenario, as `fundsim pull` brings them back from a workbook.
public struct InputEdit: Sendable {
    /// The input's name (`村數`, `deputy_treatment:pay`, `州財政:envelope`) and where the scenario declares it.
    public var name: String
    public var location: SourceLocation
    /// Whether the input is named under `inputs:` (else it is a figure written inline, e.g. a commitment's `pay`).
    public var named: Bool
    public var dimension: Measure
    /// The new value of a scalar input, in base units; nil for an input given per year.
    public var scalar: Double?
    /// The new values of the changed years, in base units (empty for a scalar input).
    public var changedYears: [Int: Double]
    /// Every projection year's value after the change, in base units (a per-year input written out whole).
    public var allYears: [(year: Int, value: Double)]
    /// The assumption that says where, when and from what the figure was changed.
    public var note: String
    /// For an input given by year: what changed in each changed year, for a year's own entry that carries its
    /// own provenance; it is followed by that entry's former provenance, phrased by `former`.
    public var yearNotes: [Int: String] = [:]
    /// Phrases a year entry's former provenance: a quote it cited (`cite: true`), or its assumption.
    public var former: @Sendable (_ text: String, _ cite: Bool) -> String = { t, cite in cite ? "the quote 「\(t)」 states the old figure" : "the assumption was: " + t }
    /// Joins sentences of a note.
    public var separator = "; "

    public init(name: String, location: SourceLocation, named: Bool, dimension: Measure, scalar: Double?, changedYears: [Int: Double],
                allYears: [(year: Int, value: Double)], note: String) {
        self.name = name; self.location = location; self.named = named; self.dimension = dimension; self.scalar = scalar
        self.changedYears = changedYears; self.allYears = allYears; self.note = note
    }
}

/// Rewrites scenario text for `fundsim pull`: either the scenario itself, changing only the text of the changed
/// figures (and the provenance beside them), or a variant that `extends:` it and holds only the changed inputs.
public enum ScenarioEditor {
    /// An edit that could not be made, with the input it concerns.
    public struct Refusal: Error, Sendable {
        public var input: String
        public var message: String
        public var hint: String?
    }

    public struct Refusals: Error, Sendable { public var list: [Refusal] }

    /// The edited text, and for each edited input the lines (1-based) that now hold its figures.
    public struct Output: Sendable {
        public var text: String
        public var lines: [String: [Int]]
    }

    // MARK: In place

    /// Changes the figures of `edits` in `text` (the scenario file `file`) where they are written, and nothing
    /// else but their provenance: a changed figure's `cite:` becomes an `assumption:` (the source does not state
    /// the new figure); an existing assumption gains the note. Comments, key order and blank lines stay.
    public static func inPlace(text: String, file: String, edits: [InputEdit]) -> Result<Output, Refusals> {
        let root: YNode
        switch YAMLReader.read(text, file: file) {
        case .success(let n): root = n
        case .failure(let d): return .failure(Refusals(list: [Refusal(input: "", message: d.message, hint: nil)]))
        }
        let doc = Document(text)
        var splices: [Splice] = []
        var refusals: [Refusal] = []
        for e in edits {
            guard e.location.file == file else {
                refusals.append(Refusal(input: e.name, message: "`\(e.name)` is written in \(e.location.file), which this scenario extends",
                                        hint: "pull without --in-place to write a variant, or edit \(e.location.file)"))
                continue
            }
            guard let v = path(e, in: root).flatMap({ root.at($0) }) else {
                refusals.append(Refusal(input: e.name, message: "cannot find `\(e.name)` at \(e.location) in \(file)", hint: nil))
                continue
            }
            let before = splices.count
            let p = path(e, in: root) ?? []
            let parent = root.at(Array(p.dropLast()))
            if let r = inPlaceEdit(e, v, p, parent, doc, &splices) {
                refusals.append(r)
                splices.removeLast(splices.count - before)
            }
        }
        if !refusals.isEmpty { return .failure(Refusals(list: refusals)) }
        return doc.apply(splices)
    }

    /// Whether a bare figure at `path` must stay bare: a band's `initial` is a figure or `rest`, never a mapping.
    static func keepsBareForm(_ path: [Step]) -> Bool {
        path.count >= 4 && path.last == .key("initial")
    }

    private static func inPlaceEdit(_ e: InputEdit, _ v: YNode, _ path: [Step], _ parent: YNode?, _ doc: Document, _ splices: inout [Splice]) -> Refusal? {
        let unsupported = Refusal(input: e.name, message: "`\(e.name)` is written as " + describe(v) + ", which pull cannot change in place",
                                  hint: "pull without --in-place: the variant gives the input's new figure for every year")
        if let s = v.scalar {
            guard let value = e.scalar, case .success = Quantity.parse(s) else { return unsupported }
            if keepsBareForm(path) {
                // A band's `initial: 20%` must stay a figure: the band, whose provenance covers it, gets the note.
                guard let parent, parent.pairs != nil else { return unsupported }
                splices.append(Splice(range: doc.scalarRange(v), text: restyle(s, value, e.dimension), input: e.name))
                provenance(of: parent, figure: v, note: e.note, doc, &splices, input: e.name)
            } else {
                // Any other bare figure becomes a figure with its own assumption, in the same place.
                splices.append(Splice(range: doc.scalarRange(v), text: "{value: \(restyle(s, value, e.dimension)), assumption: \(quote(e.note))}", input: e.name))
            }
            return nil
        }
        guard v.pairs != nil else { return unsupported }
        if let value = e.scalar {
            guard let f = v["value"], let s = f.scalar, case .success = Quantity.parse(s) else { return unsupported }
            splices.append(Splice(range: doc.scalarRange(f), text: restyle(s, value, e.dimension), input: e.name))
            provenance(of: v, figure: f, note: e.note, doc, &splices, input: e.name)
            return nil
        }
        guard let table = v["by_year"], let entries = table.pairs else { return unsupported }
        var inputNoted = false
        for (year, value) in e.changedYears.sorted(by: { $0.key < $1.key }) {
            guard let entry = entries.first(where: { Int($0.key.scalar ?? "") == year })?.value else {
                return Refusal(input: e.name, message: "`\(e.name)` gives no figure for \(year) in `by_year` (it carries an earlier year's forward)",
                               hint: "add `\(year): …` to its `by_year`, or pull without --in-place")
            }
            if let s = entry.scalar, case .success = Quantity.parse(s) {
                splices.append(Splice(range: doc.scalarRange(entry), text: restyle(s, value, e.dimension), input: e.name))
                if !inputNoted { provenance(of: v, figure: table, note: e.note, doc, &splices, input: e.name); inputNoted = true }
            } else if let f = entry["value"], let s = f.scalar, case .success = Quantity.parse(s) {
                splices.append(Splice(range: doc.scalarRange(f), text: restyle(s, value, e.dimension), input: e.name))
                if entry["cite"] != nil || entry["assumption"] != nil {
                    var note = e.yearNotes[year] ?? e.note
                    if let c = entry["cite"]?.scalar { note += e.separator + e.former(c, true) }
                    if let a = entry["assumption"]?.scalar { note += e.separator + e.former(a, false) }
                    provenance(of: entry, figure: f, note: note, doc, &splices, input: e.name)
                } else if !inputNoted {
                    provenance(of: v, figure: table, note: e.note, doc, &splices, input: e.name); inputNoted = true
                }
            } else {
                return unsupported
            }
        }
        return nil
    }

    /// Gives the mapping `m` (which holds the changed figure) the note as its assumption, and drops its citation.
    private static func provenance(of m: YNode, figure: YNode, note: String, _ doc: Document, _ splices: inout [Splice], input: String) {
        let cite = m.pairs?.first { $0.key.scalar == "cite" }
        let assumption = m.pairs?.first { $0.key.scalar == "assumption" }
        if let a = assumption {
            splices.append(Splice(range: doc.scalarRange(a.value), text: quote(note), input: input))
            if let c = cite { splices.append(Splice(range: doc.pairRemoval(c.key, c.value), text: "", input: input)) }
        } else if let c = cite {
            splices.append(Splice(range: doc.offset(c.key.location)..<doc.scalarRange(c.value).upperBound,
                                  text: "assumption: " + quote(note), input: input))
        } else if doc.isFlow(m) {
            let end = doc.flowEnd(m)
            splices.append(Splice(range: end..<end, text: ", assumption: " + quote(note), input: input))
        } else {
            // A block mapping: a new line under the figure's key, at its indentation.
            let key = m.pairs!.first { $0.value.location == figure.location }?.key ?? m.pairs!.last!.key
            let at = doc.lineEnd(after: doc.scalarRange(figure).upperBound)
            splices.append(Splice(range: at..<at, text: "\n" + String(repeating: " ", count: key.location.column - 1) + "assumption: " + quote(note), input: input))
        }
    }

    // MARK: Variant

    /// A variant of the scenario at `basePath` (as the variant's `extends:` spells it) holding only the changed
    /// inputs. `texts` holds the text of the scenario and of every file it extends, by path: the variant copies
    /// from the file an input is written in each entry it must replace whole (an input, a source, a
    /// commitment's field), which under `extends:` comes whole from one file.
    public static func variant(texts: [String: String], extends basePath: String, title: String, header: [String],
                               edits: [InputEdit], unit: DisplayUnit) -> Result<Output, Refusals> {
        var roots: [String: YNode] = [:]
        // The entries to replace, in the order first met: the file, and the path to the entry or field.
        var units: [(file: String, path: [Step])] = []
        var refusals: [Refusal] = []
        var marks: [[Step]: String] = [:]
        for e in edits {
            let file = e.location.file
            if roots[file] == nil {
                guard let text = texts[file] else {
                    refusals.append(Refusal(input: e.name, message: "cannot read \(file), where `\(e.name)` is written", hint: nil)); continue
                }
                switch YAMLReader.read(text, file: file) {
                case .success(let n): roots[file] = n
                case .failure(let d): refusals.append(Refusal(input: e.name, message: d.message, hint: nil)); continue
                }
            }
            guard let root = roots[file], let path = self.path(e, in: root), path.count >= 2 else {
                refusals.append(Refusal(input: e.name, message: "cannot find `\(e.name)` at \(e.location)", hint: nil)); continue
            }
            let unitPath: [Step]
            switch path[0] {
            case .key("inputs"), .key("sources"): unitPath = Array(path.prefix(2))
            case .key("commitments") where path.count >= 3: unitPath = Array(path.prefix(3))
            default:
                refusals.append(Refusal(input: e.name, message: "`\(e.name)` sits where a variant cannot replace it", hint: "edit the scenario by hand")); continue
            }
            roots[file] = rewritten(root, path, e, unit)
            marks[[.key(file)] + path] = e.name
            if !units.contains(where: { $0.file == file && $0.path == unitPath }) { units.append((file, unitPath)) }
        }
        if !refusals.isEmpty { return .failure(Refusals(list: refusals)) }
        var inputs: [(String, YNode, [Step])] = [], sources: [(String, YNode, [Step])] = []
        var items: [(id: String, fields: [(String, YNode, [Step])])] = []
        for u in units {
            let root = roots[u.file]!
            let node = root.at(u.path)!
            let full = [Step.key(u.file)] + u.path
            switch (u.path[0], u.path[1]) {
            case (.key("inputs"), .key(let k)): inputs.append((k, node, full))
            case (.key("sources"), .key(let k)): sources.append((k, node, full))
            case (_, .item(let i)):
                guard case .key(let field) = u.path[2], let id = root.at([u.path[0], .item(i)])?["id"]?.scalar else { continue }
                if let k = items.firstIndex(where: { $0.id == id }) { items[k].fields.append((field, node, full)) } else { items.append((id, [(field, node, full)])) }
            default: continue
            }
        }
        var out = Emitter(marks: marks)
        for h in header { out.line(h.isEmpty ? "#" : "# " + h) }
        out.line("extends: " + plainOrQuoted(basePath))
        out.line("title: " + quote(title))
        if !inputs.isEmpty {
            out.line("inputs:")
            for (k, v, path) in inputs { out.entry(k, v, indent: 2, path: path) }
        }
        if !sources.isEmpty {
            out.line("sources:")
            for (k, v, path) in sources { out.entry(k, v, indent: 2, path: path) }
        }
        if !items.isEmpty {
            out.line("commitments:")
            for item in items {
                out.line("  - id: " + plainOrQuoted(item.id))
                for (k, v, path) in item.fields { out.entry(k, v, indent: 4, path: path) }
            }
        }
        return .success(Output(text: out.text, lines: out.lines))
    }

    /// The document with the input at `path` given its new figures: `{value: …}` or `{by_year: …}`, with the
    /// note as its assumption and its other keys (title, unit, range, …) kept.
    private static func rewritten(_ root: YNode, _ path: [Step], _ e: InputEdit, _ unit: DisplayUnit) -> YNode {
        if let s = root.at(path)?.scalar, let value = e.scalar, keepsBareForm(path) {
            // A bare figure keeps its form (a band's `initial: 20%` must stay a scalar); the entry holding it gets the note.
            let changed = root.replacing(path) { old in YNode(value: .scalar(restyle(s, value, e.dimension), quoted: false), location: old.location) }
            return changed.replacing(Array(path.dropLast())) { parent in
                guard var pairs = parent.pairs else { return parent }
                pairs.removeAll { $0.key.scalar == "cite" || $0.key.scalar == "assumption" }
                pairs.append((YNode(value: .scalar("assumption", quoted: false), location: parent.location), YNode(value: .scalar(e.note, quoted: true), location: parent.location)))
                return YNode(value: .mapping(pairs), location: parent.location)
            }
        }
        if e.scalar == nil, let table = root.at(path)?["by_year"]?.pairs {
            return root.replacing(path) { old in byYear(old, table, e, unit) }
        }
        return root.replacing(path) { old in
            let loc = old.location
            func scalar(_ s: String) -> YNode { YNode(value: .scalar(s, quoted: false), location: loc) }
            var pairs: [(key: YNode, value: YNode)] = []
            for (k, v) in old.pairs ?? [] where !(Decoder.seriesKeys + Decoder.provenanceKeys).contains(k.scalar ?? "") { pairs.append((k, v)) }
            let figures: YNode
            if let s = e.scalar {
                figures = scalar(figure(s, e.dimension, unit))
                pairs.insert((scalar("value"), figures), at: min(pairs.count, old.pairs?.firstIndex { $0.key.scalar == "value" } ?? pairs.count))
            } else {
                figures = YNode(value: .mapping(e.allYears.map { (scalar(String($0.year)), scalar(figure($0.value, e.dimension, unit))) }), location: loc)
                pairs.append((scalar("by_year"), figures))
            }
            pairs.append((scalar("assumption"), YNode(value: .scalar(e.note, quoted: true), location: loc)))
            return YNode(value: .mapping(pairs), location: loc)
        }
    }

    /// An input written `by_year`, with the changed years' entries replaced: an entry with provenance of its own
    /// gets the year's note (and quotes what it cited); unchanged entries stay as they were, citations and all;
    /// years the table carried forward are written out, since a changed earlier year would carry instead. When a
    /// changed figure had no provenance of its own, the input's provenance gives way to the note.
    private static func byYear(_ old: YNode, _ table: [(key: YNode, value: YNode)], _ e: InputEdit, _ unit: DisplayUnit) -> YNode {
        let loc = old.location
        func scalar(_ s: String, quoted: Bool = false) -> YNode { YNode(value: .scalar(s, quoted: quoted), location: loc) }
        var entries: [(key: YNode, value: YNode)] = []
        var inputNote = false
        var carrying: YNode?   // the entry an unlisted year took its figure from
        var last: Double?      // the figure the new table carries at this point
        for (year, value) in e.allYears {
            let before = table.first { Int($0.key.scalar ?? "") == year }
            if let b = before { carrying = b.value }
            guard let new = e.changedYears[year] else {
                if let b = before {
                    entries.append(b)
                } else if last.map({ abs($0 - value) > 1e-9 * max(1, abs(value)) }) ?? true {
                    // Carried before, but a changed earlier year would carry now: written out, with the entry it came from.
                    entries.append((scalar(String(year)), carrying ?? scalar(figure(value, e.dimension, unit))))
                }
                last = value
                continue
            }
            last = new
            var note = e.yearNotes[year] ?? e.note
            if let b = before?.value, b["cite"] != nil || b["assumption"] != nil {
                if let c = b["cite"]?.scalar { note += e.separator + e.former(c, true) }
                if let a = b["assumption"]?.scalar { note += e.separator + e.former(a, false) }
            } else {
                inputNote = true
            }
            entries.append((scalar(String(year)), YNode(value: .mapping([(scalar("value"), scalar(figure(new, e.dimension, unit))),
                                                                          (scalar("assumption"), scalar(note, quoted: true))]), location: loc)))
        }
        var pairs: [(key: YNode, value: YNode)] = []
        for (k, v) in old.pairs ?? [] {
            switch k.scalar {
            case "by_year": pairs.append((k, YNode(value: .mapping(entries), location: v.location)))
            case "cite", "assumption" where inputNote: continue
            default: pairs.append((k, v))
            }
        }
        if inputNote { pairs.append((scalar("assumption"), scalar(e.note, quoted: true))) }
        return YNode(value: .mapping(pairs), location: loc)
    }

    /// A figure as a scenario writes it in the display unit: `2.5萬`, `8%`, `2400`.
    public static func figure(_ v: Double, _ d: Measure, _ unit: DisplayUnit) -> String {
        switch d {
        case .money:
            // The bare multiplier of the display unit (萬 for 萬元), as the unit table spells it first.
            let scale = UnitTable.all.first { $0.scale && $0.measure == .money && $0.multiplier == UnitTable.unit(named: unit.rawValue)?.multiplier }
            return number(v / unit.divisor) + (scale?.spellings.first ?? "")
        case .ratio: return number(v * 100) + "%"
        default: return number(v)
        }
    }

    /// The new value written the way the old figure was (`17400萬` → `18000萬`, `20%` → `25%`, `2400` → `2500`).
    static func restyle(_ old: String, _ v: Double, _ d: Measure) -> String {
        let trimmed = old.trimmingCharacters(in: .whitespaces)
        let numberPart = trimmed.prefix { "0123456789.,-+".contains($0) }
        let suffix = String(trimmed.dropFirst(numberPart.count))
        guard case .success(let unitQ) = Quantity.parse("1" + suffix), unitQ.double != 0 else { return number(v) }
        if d == .ratio, suffix.isEmpty { return number(v) }
        return number(v / unitQ.double) + suffix
    }

    /// A number without float noise: at most 12 significant digits, no trailing zeros.
    public static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.12g", v)
        if s.contains("e") { s = Expr.format(v) }
        return s
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// A scalar as YAML may write it plainly (also inside a flow mapping), else double-quoted.
    static func plainOrQuoted(_ s: String) -> String {
        let anywhere = CharacterSet(charactersIn: "#{}[],\"'\n\t")
        let leading = CharacterSet(charactersIn: "-?:&*!|>%@`")
        if s.isEmpty || s.unicodeScalars.contains(where: { anywhere.contains($0) }) || s.contains(": ") || s.hasSuffix(":")
            || s.unicodeScalars.first.map({ leading.contains($0) }) == true || s.hasPrefix(" ") || s.hasSuffix(" ")
            || ["true", "false", "null", "yes", "no", "on", "off", "~"].contains(s.lowercased()) { return quote(s) }
        return s
    }

    private static func describe(_ v: YNode) -> String {
        if let s = v.scalar { return "the expression `\(s)`" }
        for k in ["growth", "path", "step", "expr", "roster"] where v[k] != nil { return "a `\(k)`" }
        return "this form"
    }

    // MARK: Finding the input

    enum Step: Hashable { case key(String), item(Int) }

    /// Where the input is written: `inputs: NAME` for a named input, else the value that starts at its
    /// location (an inline figure: a commitment's `pay`, a source's `envelope`).
    static func path(_ e: InputEdit, in root: YNode) -> [Step]? {
        if e.named { return root["inputs"]?[e.name] != nil ? [.key("inputs"), .key(e.name)] : nil }
        func valueAt(_ n: YNode, _ p: [Step]) -> [Step]? {
            if n.location == e.location, !p.isEmpty { return p }
            for (k, v) in n.pairs ?? [] { if let s = k.scalar, let r = valueAt(v, p + [.key(s)]) { return r } }
            for (i, v) in (n.items ?? []).enumerated() { if let r = valueAt(v, p + [.item(i)]) { return r } }
            return nil
        }
        return valueAt(root, [])
    }
}

extension YNode {
    func at(_ path: [ScenarioEditor.Step]) -> YNode? {
        var n: YNode? = self
        for s in path {
            switch s {
            case .key(let k): n = n?[k]
            case .item(let i): n = n?.items.flatMap { $0.indices.contains(i) ? $0[i] : nil }
            }
        }
        return n
    }

    func replacing(_ path: [ScenarioEditor.Step], _ change: (YNode) -> YNode) -> YNode {
        guard let first = path.first else { return change(self) }
        var copy = self
        switch (first, value) {
        case (.key(let k), .mapping(var pairs)):
            if let i = pairs.firstIndex(where: { $0.key.scalar == k }) { pairs[i].value = pairs[i].value.replacing(Array(path.dropFirst()), change) }
            copy.value = .mapping(pairs)
        case (.item(let i), .sequence(var items)) where items.indices.contains(i):
            items[i] = items[i].replacing(Array(path.dropFirst()), change)
            copy.value = .sequence(items)
        default: break
        }
        return copy
    }
}

// MARK: Text surgery

/// One replacement in the text, by Unicode scalar offsets.
struct Splice {
    var range: Range<Int>
    var text: String
    var input: String
}

/// Scenario text as Unicode scalars, with the offsets of its lines (YAML marks count scalars).
struct Document {
    let scalars: [Unicode.Scalar]
    let lineStarts: [Int]

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        var starts = [0]
        for (i, u) in scalars.enumerated() where u == "\n" { starts.append(i + 1) }
        lineStarts = starts
    }

    func offset(_ loc: SourceLocation) -> Int {
        let l = min(max(loc.line, 1), lineStarts.count) - 1
        return min(lineStarts[l] + loc.column - 1, scalars.count)
    }

    /// The scalar's text in the file: its quotes included; a plain scalar is its own value (figures are one line).
    func scalarRange(_ n: YNode) -> Range<Int> {
        let start = offset(n.location)
        guard start < scalars.count else { return start..<start }
        let q = scalars[start]
        if q == "\"" || q == "'" {
            var i = start + 1
            while i < scalars.count {
                if q == "\"" && scalars[i] == "\\" { i += 2; continue }
                if scalars[i] == q {
                    if q == "'" && i + 1 < scalars.count && scalars[i + 1] == "'" { i += 2; continue }
                    return start..<(i + 1)
                }
                i += 1
            }
            return start..<scalars.count
        }
        return start..<min(scalars.count, start + (n.scalar?.unicodeScalars.count ?? 0))
    }

    func isFlow(_ m: YNode) -> Bool {
        let o = offset(m.location)
        return o < scalars.count && scalars[o] == "{"
    }

    /// The offset of the `}` that closes the flow mapping `m`.
    func flowEnd(_ m: YNode) -> Int {
        var depth = 0, i = offset(m.location)
        var quote: Unicode.Scalar?
        while i < scalars.count {
            let u = scalars[i]
            if let q = quote {
                if q == "\"" && u == "\\" { i += 2; continue }
                if u == q { quote = nil }
            } else if u == "\"" || u == "'" { quote = u }
            else if u == "{" || u == "[" { depth += 1 }
            else if u == "}" || u == "]" { depth -= 1; if depth == 0 { return i } }
            i += 1
        }
        return scalars.count
    }

    /// The end of the line holding offset `o` (before its newline).
    func lineEnd(after o: Int) -> Int {
        var i = o
        while i < scalars.count && scalars[i] != "\n" { i += 1 }
        return i
    }

    /// The text to remove for a `key: value` pair: in a flow mapping with its comma, in a block mapping its line.
    func pairRemoval(_ key: YNode, _ value: YNode) -> Range<Int> {
        var start = offset(key.location), end = scalarRange(value).upperBound
        var before = start - 1
        while before >= 0 && scalars[before] == " " { before -= 1 }
        if before >= 0 && (scalars[before] == "," || scalars[before] == "{") {
            if scalars[before] == "," { start = before } else {
                while end < scalars.count && (scalars[end] == " " || scalars[end] == ",") { end += 1 }
            }
            return start..<end
        }
        // Block: the whole line, with its newline.
        let lineStart = before + 1
        var lineEnd = end
        while lineEnd < scalars.count && scalars[lineEnd] != "\n" { lineEnd += 1 }
        return lineStart..<min(scalars.count, lineEnd + 1)
    }

    func apply(_ splices: [Splice]) -> Result<ScenarioEditor.Output, ScenarioEditor.Refusals> {
        let sorted = splices.sorted { $0.range.lowerBound < $1.range.lowerBound }
        var out = String.UnicodeScalarView()
        var lines: [String: [Int]] = [:]
        var at = 0, line = 1
        for s in sorted {
            guard s.range.lowerBound >= at else { return .failure(.init(list: [.init(input: s.input, message: "two changes to `\(s.input)` overlap", hint: "pull without --in-place")])) }
            for u in scalars[at..<s.range.lowerBound] { out.append(u); if u == "\n" { line += 1 } }
            lines[s.input, default: []].append(line)
            for u in s.text.unicodeScalars { out.append(u); if u == "\n" { line += 1 } }
            at = s.range.upperBound
        }
        out.append(contentsOf: scalars[at...])
        return .success(ScenarioEditor.Output(text: String(out), lines: lines.mapValues { Array(Set($0)).sorted() }))
    }
}

/// Writes YAML for a variant: block mappings at the top, each replaced entry in flow style on one line where short.
struct Emitter {
    var text = ""
    var lines: [String: [Int]] = [:]
    private var count = 0

    /// The rewritten inputs, by their file and path in it.
    let marks: [[ScenarioEditor.Step]: String]
    /// The input whose lines are being written, if any.
    private var current: String?

    init(marks: [[ScenarioEditor.Step]: String]) { self.marks = marks }

    mutating func line(_ s: String) {
        text += s + "\n"
        count += 1
        if let c = current { lines[c, default: []].append(count) }
    }

    private func holdsMark(_ path: [ScenarioEditor.Step]) -> Bool {
        marks.keys.contains { $0.count >= path.count && Array($0.prefix(path.count)) == path }
    }

    mutating func entry(_ key: String, _ v: YNode, indent: Int, path: [ScenarioEditor.Step]) {
        let saved = current
        if let m = marks[path] ?? marks.first(where: { $0.key.count > path.count && Array($0.key.prefix(path.count)) == path && v.pairs == nil })?.value {
            current = m
        }
        defer { current = saved }
        let pad = String(repeating: " ", count: indent)
        if let pairs = v.pairs, !pairs.isEmpty, holdsMark(path) || (current != nil && key == "by_year") {
            line(pad + ScenarioEditor.plainOrQuoted(key) + ":")
            for (k, vv) in pairs {
                let sub = path + [.key(k.scalar ?? "")]
                if (holdsMark(sub) || (current != nil && k.scalar == "by_year")), vv.pairs != nil {
                    entry(k.scalar ?? "", vv, indent: indent + 2, path: sub)
                } else {
                    let saved = current
                    if let m = marks[sub] ?? (holdsMark(sub) ? marks.first { Array($0.key.prefix(sub.count)) == sub }?.value : nil) { current = m }
                    line(pad + "  " + ScenarioEditor.plainOrQuoted(k.scalar ?? "") + ": " + flow(vv))
                    current = saved
                }
            }
        } else {
            line(pad + ScenarioEditor.plainOrQuoted(key) + ": " + flow(v))
        }
    }

    func flow(_ n: YNode) -> String {
        switch n.value {
        case .null: return "null"
        case .scalar(let s, let quoted): return quoted ? ScenarioEditor.quote(s) : ScenarioEditor.plainOrQuoted(s)
        case .sequence(let items): return "[" + items.map(flow).joined(separator: ", ") + "]"
        case .mapping(let pairs): return "{" + pairs.map { ScenarioEditor.plainOrQuoted($0.key.scalar ?? "") + ": " + flow($0.value) }.joined(separator: ", ") + "}"
        }
    }
}
