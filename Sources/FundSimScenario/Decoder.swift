import FundSimModel
import Foundation

/// Turns a located YAML tree into a `Scenario`, collecting every problem on the way.
struct Decoder {
    let file: String
    let seeds: String?
    var diagnostics: [Diagnostic] = []
    /// Seed documents read, by display path.
    var documents: [String: String] = [:]
    private var seedDocuments: [String: SeedDocument] = [:]
    private var defaultDocument: String?
    /// Where `document:` is written, for errors about the file it names.
    private var defaultDocumentLocation: SourceLocation?
    /// Where each input's measure comes from, by input name (`MeasureInference`).
    var measureOrigins: [String: MeasureOrigin] = [:]
    /// Expressions written under kind keys and funding shares, with the measure each stands for.
    var measureUses: [MeasureUse] = []
    var inputs: [Input] = []
    var years: ClosedRange<Int> = 2016...2020
    var baseYear = 2015
    /// The scenario's display unit, once read: messages show money in it.
    var displayUnit = DisplayUnit.wan
    private var names: Set<String> = []
    var roster: Roster?
    /// Whether the scenario names a roster (read or not).
    private var rosterNamed = false
    /// Every name the file declares — inputs, sources, commitment ids — whether or not its definition decodes.
    private(set) var declaredNames: Set<String> = []

    /// Where the files the scenario names may lie.
    let scope: ProjectScope?
    /// An actuals file named on the command line (`--actuals FILE`): it replaces the scenario's `actuals:`.
    var actualsOverride: String?

    init(file: String, seeds: String?, scope: ProjectScope? = nil) {
        self.file = file
        self.seeds = seeds
        self.scope = scope
    }

    static let topKeys = ["fundsim", "extends", "remove", "title", "region", "jurisdiction", "description", "years", "base_year", "currency",
                          "unit", "language", "created", "document", "roster", "actuals", "inputs", "sources", "commitments", "checks"]
    static let provenanceKeys = ["cite", "assumption"]
    static let seriesKeys = ["value", "by_year", "growth", "path", "step", "expr"]
    static let inputKeys = seriesKeys + provenanceKeys + ["title", "unit", "range", "distribution", "note", "roster", "where", "of"]
    static let commonCommitmentKeys = CommitmentKindSpec.commonKeys

    // MARK: Helpers

    mutating func error(_ m: String, _ n: YNode?, hint: String? = nil) {
        diagnostics.append(.error(m, at: n?.location ?? SourceLocation(file: file, line: 1, column: 1), hint: hint))
    }

    mutating func warning(_ m: String, _ n: YNode?, hint: String? = nil) {
        diagnostics.append(.warning(m, at: n?.location, hint: hint))
    }

    /// Reports keys that are not among `allowed`, with a did-you-mean; and duplicate keys.
    mutating func checkKeys(_ n: YNode, _ allowed: [String], what: String) {
        guard let pairs = n.pairs else { return }
        var seen: Set<String> = []
        for (k, _) in pairs {
            guard let key = k.scalar else { error("keys must be plain names", k); continue }
            if !seen.insert(key).inserted { error("`\(key)` appears twice in \(what)", k, hint: "each key may appear once; remove one of them") }
            if !allowed.contains(key) {
                var hint = Suggest.didYouMean(key, in: allowed) ?? "allowed keys: " + allowed.joined(separator: ", ")
                if key.unicodeScalars.contains(where: { $0.value >= 0x3400 }) && key.unicodeScalars.count > 4 {
                    hint = "this looks like the rest of a text cut at a comma: inside `{ }` a comma ends the value, so put the text in double quotes"
                }
                error("unknown key `\(key)` in \(what)", k, hint: hint)
            }
        }
    }

    mutating func mapping(_ n: YNode?, _ what: String) -> YNode? {
        guard let n else { return nil }
        if n.pairs != nil { return n }
        if case .null = n.value { return nil }
        error("\(what) must be a mapping of `key: value` lines, found \(n.kindName)", n)
        return nil
    }

    mutating func string(_ n: YNode?, _ what: String) -> String? {
        guard let n else { return nil }
        if let s = n.scalar { return s }
        error("\(what) must be text, found \(n.kindName)", n)
        return nil
    }

    mutating func year(_ n: YNode?, _ what: String) -> Int? {
        guard let n, let s = string(n, what) else { return nil }
        guard let y = Int(s.trimmingCharacters(in: .whitespaces)), (1900...2200).contains(y) else {
            error("\(what) must be a year such as 2018, found `\(s)`", n)
            return nil
        }
        return y
    }

    /// A figure of the given dimension (no provenance handling).
    mutating func quantity(_ n: YNode, _ dim: Measure, _ what: String) -> Double? {
        guard let s = n.scalar else {
            error("\(what) must be a figure such as 4.2萬 or 9%, found \(n.kindName)", n)
            return nil
        }
        switch Quantity.evaluate(s) {
        case .failure(let e):
            error("\(what): \(e)", n, hint: "write figures like 42000, 4.2萬, 1.2億, 200元, 9% or 1,000")
            return nil
        case .success(let q):
            if !q.fits(dim) {
                error("\(what) is \(dim.label), but `\(s)` is \(q.unitLabel)", n, hint: Self.unitHint(dim, written: q.unit))
                return nil
            }
            if dim == .count && q.double < 0 {
                error("\(what) cannot be negative (`\(s)`)", n)
                return nil
            }
            if dim == .ratio && q.unit == nil && abs(q.double) > 1 {
                warning("\(what) is \(s), that is \(Expr.format(q.double * 100))%", n, hint: "write a share or rate with %, e.g. \(s)%")
            }
            if dim == .money && abs(q.double) > 1e13 {
                error("\(what) is \(s), over 10萬億 yuan: is 億 written for 萬?", n)
                return nil
            }
            return q.double
        }
    }

    /// How to write a figure of `dim`; `written` (the measure that did not fit) adds why it did not.
    static func unitHint(_ dim: Measure, written: Measure? = nil) -> String {
        let how: String
        switch dim {
        case .money: how = "money takes 元, 萬元 or 億元 (or a bare 萬 or 億), e.g. 4.2萬"
        case .ratio: how = "a share or rate takes %, e.g. 9%"
        case .count: how = "a count is a plain number or takes 名, 個, 人, 村, 家 or 所, e.g. 200 or 0.9萬名"
        case .area: how = "an area takes 平方米 or 畝, e.g. 120平方米"
        case .year: how = "a year is a plain number such as 2018"
        case .number: how = "write a plain number, e.g. 1.5"
        }
        guard let written, written != dim else { return how }
        let unit: String
        switch written {
        case .money: unit = "元 or 萬元 makes a figure money"
        case .count: unit = "名, 個, 人, 村, 家 and 所 make a figure a count"
        case .area: unit = "平方米 and 畝 make a figure an area"
        case .ratio: unit = "% makes a figure a ratio"
        default: return how
        }
        return how + "; " + unit + " (a bare 萬 or 億 takes the measure of its use)"
    }

    /// A data file the scenario names (`roster:`, `actuals:`): its path relative to the file that names it (a path
    /// from the command line as given), or nil after an error when it lies outside the project or is over
    /// `Roster.maxBytes`, checked before it is read.
    mutating func projectFile(_ written: String, named node: YNode?, key: String, what: String, hint: String) -> String? {
        let dir = node.map { ($0.location.file as NSString).deletingLastPathComponent } ?? ""
        let path = written.hasPrefix("/") || dir.isEmpty ? written : dir + "/" + written
        let at = node?.location ?? SourceLocation(file: written, line: 1, column: 1)
        if let scope, !scope.admits(path) {
            diagnostics.append(scope.outside(written, key: key, at: at))
            return nil
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        if size > Roster.maxBytes {
            // The size first: a huge (or sparse) file is refused without reading it.
            diagnostics.append(.error("\(what) `\(Limits.escaped(written))` is \(size) bytes, over the limit of \(Roster.maxBytes)", at: at, hint: hint))
            return nil
        }
        return path
    }

    // MARK: Provenance

    /// Reads `cite:` and `assumption:` of a mapping.
    mutating func provenance(_ n: YNode?) -> [Provenance] {
        guard let n, n.pairs != nil else { return [] }
        var out: [Provenance] = []
        if let c = n["cite"] {
            for item in c.items ?? [c] {
                if let p = citation(item) { out.append(.cite(p)) }
            }
        }
        if let a = n["assumption"] {
            if let s = a.scalar, !s.trimmingCharacters(in: .whitespaces).isEmpty {
                out.append(.assumption(s, location: a.location))
            } else {
                error("`assumption` must state the reason in words", a)
            }
        }
        return out
    }

    mutating func citation(_ n: YNode) -> Citation? {
        var quote: String?
        var doc: String? = defaultDocument
        var docLocation: SourceLocation? = defaultDocumentLocation
        if let s = n.scalar {
            quote = s
        } else if n.pairs != nil {
            checkKeys(n, ["quote", "file"], what: "a citation")
            quote = string(n["quote"], "`quote`")
            if let f = n["file"] { doc = string(f, "`file`"); docLocation = f.location }
        } else {
            error("`cite` takes the exact quote from the seed document", n)
            return nil
        }
        guard let quote, !quote.isEmpty else {
            error("a citation needs the quote's text", n)
            return nil
        }
        guard let seeds else {
            error("cannot check the quote: no `seeds` folder found near the scenario", n, hint: "run from the project, or pass --seeds DIR")
            return nil
        }
        let docName: String
        if let doc {
            docName = doc.hasPrefix("seeds/") ? String(doc.dropFirst(6)) : doc
        } else {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: seeds)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
            guard files.count == 1 else {
                error("which seed document? \(files.count) .txt files in \(seeds)", n, hint: "set `document:` at the top, or `cite: {quote: ..., file: ...}`")
                return nil
            }
            docName = files[0]
        }
        let display = "seeds/\(docName)"
        if seedDocuments[display] == nil {
            let path = (seeds as NSString).appendingPathComponent(docName)
            // A document lies in the seeds folder (or, at most, inside the project): a quote checked against any
            // other file would tell whether that file contains it.
            let inSeeds = ProjectScope.resolved(path).hasPrefix(ProjectScope.resolved(seeds) + "/")
            if !inSeeds && !(scope?.admits(path) ?? false) {
                let at = docLocation ?? n.location
                if let scope { diagnostics.append(scope.outside(docName, key: docLocation == defaultDocumentLocation ? "document" : "file", at: at)) }
                else { diagnostics.append(.error("the seed document `\(Limits.escaped(docName))` lies outside the seeds folder", at: at)) }
                return nil
            }
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                error("seed document `\(display)` not found", n, hint: "documents live in \(seeds)")
                return nil
            }
            documents[display] = text
            seedDocuments[display] = SeedDocument(text)
        }
        let document = seedDocuments[display]!
        if let at = document.find(quote) {
            return Citation(quote: quote, document: display, line: at.line, column: at.column, location: n.location)
        }
        let lines = document.lines
        // Say where it stops matching, to make the typo easy to find.
        var best = (len: 0, line: 0, text: "")
        let qs = Array(quote)
        for (i, line) in lines.enumerated() {
            let chars = Array(line)
            var j = 0
            while j < chars.count {
                if chars[j] == qs[0] {
                    var k = 0
                    while k < qs.count, j + k < chars.count, chars[j + k] == qs[k] { k += 1 }
                    if k > best.len { best = (k, i + 1, String(chars[(j + k)..<min(chars.count, j + k + 12)])) }
                }
                j += 1
            }
        }
        var hint = "copy the words exactly from \(display), including punctuation such as ， and “”"
        if best.len >= 2 {
            hint = "the closest text is at \(display):\(best.line): it matches「\(String(qs[0..<best.len]))」then reads「\(best.text)」where the quote has「\(String(qs[best.len..<min(qs.count, best.len + 12)]))」"
        }
        error("quote not found in \(display): 「\(quote)」", n, hint: hint)
        return nil
    }

    /// Warns about figures that have no provenance of their own nor from an enclosing entry.
    mutating func requireProvenance(_ n: YNode, what: String, covered: Bool) {
        if covered { return }
        warning("\(what) has no provenance", n, hint: "add `cite:` with the seed's exact words, or `assumption:` with your reason")
    }

    // MARK: Top level

    mutating func decode(_ root: YNode) -> Scenario? {
        guard root.pairs != nil else {
            error("a scenario must be a mapping with `title`, `years`, `inputs`, `sources` and `commitments`, found \(root.kindName)", root)
            return nil
        }
        checkKeys(root, Self.topKeys, what: "the scenario")
        if let v = root["fundsim"], v.scalar != "1" { error("unsupported format version `\(v.scalar ?? "?")`", v, hint: "this FundSim reads `fundsim: 1`") }
        let title = string(root["title"], "`title`") ?? ""
        if root["title"] == nil { error("missing `title`", root, hint: "add `title: ...` at the top") }
        let region = string(root["region"], "`region`") ?? ""
        if let r = root["remove"] { error("`remove` works only in a variant, with `extends:`", r, hint: "add `extends: BASE.yaml`, or delete the entry from this file") }
        let description = root["description"].flatMap { string($0, "`description`") }
        var jurisdiction: String?
        if let j = root["jurisdiction"], let text = string(j, "`jurisdiction`") {
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                error("`jurisdiction` is empty", j, hint: "name the place the scenario is about (e.g. `jurisdiction: 恩施州`), or remove the key to count the scenario under its title")
            } else {
                jurisdiction = text
            }
        }
        if let d = root["document"] { defaultDocument = string(d, "`document`"); defaultDocumentLocation = d.location }
        if let y = root["years"] {
            if let r = yearRange(y) { years = r }
        } else {
            error("missing `years`", root, hint: "add e.g. `years: 2016-2020`")
        }
        baseYear = years.lowerBound - 1
        if let b = root["base_year"], let y = year(b, "`base_year`") {
            if y >= years.lowerBound { error("`base_year` \(y) must be before the first projection year \(years.lowerBound)", b) }
            baseYear = y
        }
        if let c = root["currency"], let s = string(c, "`currency`"), !["yuan", "元", "CNY", "RMB"].contains(s) {
            error("unsupported currency `\(s)`", c, hint: "FundSim models yuan: `currency: yuan`")
        }
        var unit = DisplayUnit.wan
        if let u = root["unit"], let s = string(u, "`unit`") {
            if let d = DisplayUnit.parse(s) { unit = d } else { error("unknown display unit `\(s)`", u, hint: "use 元, 萬元 or 億元") }
        }
        displayUnit = unit
        var language = ReportLanguage.zhHans
        if let l = root["language"], let s = string(l, "`language`") {
            if let v = ReportLanguage(rawValue: s) { language = v } else {
                error("unknown report language `\(s)`", l, hint: "use zh-Hans, zh-Hant or en")
            }
        }
        var created: Date?
        if let c = root["created"], let s = string(c, "`created`") {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withFullDate]
            if let d = f.date(from: s) ?? ISO8601DateFormatter().date(from: s) {
                let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: d).year ?? 0
                if Limits.createdYears.contains(year) { created = d } else {
                    error("`created` is \(s), outside the years \(Limits.createdYears.lowerBound)–\(Limits.createdYears.upperBound) a workbook can record", c,
                          hint: "give the date the scenario was written, e.g. 2016-01-01")
                }
            } else {
                error("`created` must be a date such as 2016-01-01", c)
            }
        }

        if let r = root["roster"], let rel = string(r, "`roster`") {
            rosterNamed = true
            if let path = projectFile(rel, named: r, key: "roster", what: "the roster",
                                      hint: "a roster of every village in China is about 60 MB; check that this is the right file") {
                if let read = Roster.read(path: path) {
                    switch read {
                    case .success(let ro): roster = ro
                    case .failure(let list): diagnostics += list.diagnostics
                    }
                } else {
                    error("cannot read the roster `\(rel)`", r, hint: "the path is relative to the scenario file")
                }
            }
        }

        // Names first, so that expressions can refer to anything in the file.
        if let i = mapping(root["inputs"], "`inputs`") {
            for (k, _) in i.pairs! { if let s = k.scalar { names.insert(s) } }
        }
        declaredNames = names
        // `inputs:` written as a list is an error of its own; the names in it are still declared.
        for item in root["inputs"]?.items ?? [] {
            if let s = item.scalar { declaredNames.insert(s) }
            for (k, _) in item.pairs ?? [] { if let s = k.scalar { declaredNames.insert(s) } }
        }
        for (k, _) in root["sources"]?.pairs ?? [] { if let s = k.scalar { declaredNames.insert(s) } }
        for item in root["commitments"]?.items ?? [] { if let s = item["id"]?.scalar { declaredNames.insert(s) } }
        if let i = mapping(root["inputs"], "`inputs`") {
            for (k, v) in i.pairs! { decodeInput(name: k, v) }
        }
        var sources: [FundingSource] = []
        if let s = mapping(root["sources"], "`sources`") {
            for (k, v) in s.pairs! { if let src = decodeSource(k, v) { sources.append(src) } }
        } else if root["sources"] == nil {
            error("missing `sources`", root, hint: "name who pays, e.g. `sources: {市財政: {}}`")
        }
        var commitments: [Commitment] = []
        var ids: [String: YNode] = [:]
        if let list = root["commitments"] {
            if let items = list.items {
                for item in items {
                    if let c = decodeCommitment(item, sources: sources) {
                        if let prev = ids[c.id] {
                            error("duplicate commitment id `\(c.id)`", item["id"] ?? item, hint: "first used at line \(prev.location.line); ids must be unique")
                        } else {
                            ids[c.id] = item["id"] ?? item
                            commitments.append(c)
                        }
                    }
                }
            } else if case .null = list.value {} else {
                error("`commitments` must be a list (lines starting with `- `), found \(list.kindName)", list)
            }
        }
        var checks: [Check] = []
        if let list = root["checks"] {
            if let items = list.items {
                var checkIds: Set<String> = []
                for item in items {
                    if let c = decodeCheck(item) {
                        if !checkIds.insert(c.id).inserted { error("duplicate check id `\(c.id)`", item["id"] ?? item) } else { checks.append(c) }
                    }
                }
            } else if case .null = list.value {} else {
                error("`checks` must be a list, found \(list.kindName)", list)
            }
        }
        inferMeasures()
        var s = Scenario(file: file, title: title, region: region, years: years, baseYear: baseYear, unit: unit,
                         language: language, created: created, inputs: inputs, sources: sources,
                         commitments: commitments, checks: checks)
        s.files = [file]
        s.roster = roster
        s.description = description
        s.jurisdiction = jurisdiction
        s.actuals = decodeActuals(root["actuals"], scenario: s)
        return s
    }

    mutating func yearRange(_ n: YNode) -> ClosedRange<Int>? {
        if let s = n.scalar {
            let parts = s.replacingOccurrences(of: "–", with: "-").replacingOccurrences(of: "..", with: "-")
                .split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 1, let y = Int(parts[0]), (1900...2200).contains(y) { return y...y }
            guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), (1900...2200).contains(a), (1900...2200).contains(b) else {
                error("years must be written `2016-2020`, found `\(s)`", n)
                return nil
            }
            guard a <= b else { error("the year range `\(s)` runs backwards", n, hint: "write the first year first: `\(b)-\(a)`"); return nil }
            guard b - a < 60 else { error("the year range `\(s)` spans over 60 years", n); return nil }
            return a...b
        }
        if n.pairs != nil {
            checkKeys(n, ["from", "to"], what: "`years`")
            guard let a = year(n["from"], "`from`"), let b = year(n["to"], "`to`") else { return nil }
            guard a <= b else { error("the year range runs backwards", n); return nil }
            return a...b
        }
        error("years must be written `2016-2020`", n)
        return nil
    }

    // MARK: Inputs

    /// Decodes a series: a figure, an expression, or a mapping with one of value/by_year/growth/path/step/expr.
    mutating func series(_ n: YNode, _ dim: inout Measure, what: String, covered: Bool, inferDimension: Bool) -> SeriesDefinition? {
        func fig(_ self_: inout Decoder, _ node: YNode?, _ label: String, _ d: Measure, covered: Bool) -> Double? {
            guard let node else { self_.error("\(what): missing `\(label)`", n); return nil }
            var covered = covered
            var valueNode = node
            if node.pairs != nil {
                self_.checkKeys(node, ["value"] + Self.provenanceKeys, what: "a figure")
                let p = self_.provenance(node)
                covered = covered || !p.isEmpty || node["cite"] != nil || node["assumption"] != nil
                self_.pendingProvenance += p
                guard let v = node["value"] else { self_.error("a figure written as a mapping needs `value`", node); return nil }
                valueNode = v
            }
            let v = self_.quantity(valueNode, d, "\(what) `\(label)`")
            if v != nil { self_.requireProvenance(valueNode, what: "figure `\(valueNode.scalar ?? "")`", covered: covered) }
            return v
        }
        if let s = n.scalar {
            if case .success(let q) = Quantity.evaluate(s) {
                if inferDimension, let u = q.unit, dim == .number { dim = u }
                guard let v = quantity(n, dim, what) else { return nil }
                requireProvenance(n, what: "figure `\(s)`", covered: covered)
                return .constant(v)
            }
            return expression(s, n).map { .expression($0) }
        }
        guard n.pairs != nil else {
            error("\(what) must be a figure, an expression or a mapping, found \(n.kindName)", n)
            return nil
        }
        let present = Self.seriesKeys.filter { n[$0] != nil }
        guard present.count == 1 else {
            let unknownKeys = n.pairs!.contains { !Self.inputKeys.contains($0.key.scalar ?? "") }
            if present.isEmpty && unknownKeys {
                // The unknown-key error (with its did-you-mean) already says what is wrong.
            } else if present.isEmpty {
                error("\(what) needs one of " + Self.seriesKeys.map { "`\($0)`" }.joined(separator: ", "), n,
                      hint: "e.g. `value: 4.2萬`, `path: {from: 3.5萬, to: 4.2萬, by: 2017}` or `expr: 村主職報酬 * 0.6`")
            } else {
                error("\(what) has both " + present.map { "`\($0)`" }.joined(separator: " and ") + "; use one", n)
            }
            return nil
        }
        if inferDimension, dim == .number { dim = inferredDimension(n) ?? dim }
        let d = dim
        switch present[0] {
        case "value":
            return fig(&self, n["value"], "value", d, covered: covered).map { .constant($0) }
        case "expr":
            guard let s = string(n["expr"], "`expr`") else { return nil }
            return expression(s, n["expr"]!).map { .expression($0) }
        case "by_year":
            guard let t = n["by_year"], let pairs = t.pairs else {
                error("`by_year` must map years to figures, e.g. `{2016: 2200萬, 2017: 2400萬}`", n["by_year"])
                return nil
            }
            var table: [Int: Double] = [:]
            for (k, v) in pairs {
                guard let y = year(k, "a year in `by_year`") else { continue }
                if y < baseYear || y > years.upperBound {
                    error("year \(y) is outside the scenario's years \(baseYear)–\(years.upperBound)", k, hint: "`years:` sets the horizon")
                    continue
                }
                if table[y] != nil { error("year \(y) appears twice in `by_year`", k) }
                if let x = fig(&self, v, "\(y)", d, covered: covered) { table[y] = x }
            }
            if !table.keys.contains(where: { $0 <= years.lowerBound }) && !pairs.isEmpty {
                error("`by_year` must give the first projection year \(years.lowerBound) (later years carry the last value forward)", t)
            }
            return .table(table)
        case "growth":
            guard let (g, cov) = seriesPart(n, "growth", keys: ["base", "rate", "from"], covered: covered) else { return nil }
            let from = g["from"].flatMap { year($0, "`from`") } ?? baseYear
            guard let b = fig(&self, g["base"], "base", d, covered: cov), let r = fig(&self, g["rate"], "rate", .ratio, covered: cov) else { return nil }
            if r <= -1 { error("growth rate must be above -100%", g["rate"]); return nil }
            return .growth(base: b, rate: r, from: from)
        case "path":
            guard let (p, cov) = seriesPart(n, "path", keys: ["from", "to", "rise", "start", "by", "method"], covered: covered) else { return nil }
            let start = p["start"].flatMap { year($0, "`start`") } ?? baseYear
            guard let by = year(p["by"], "`by`") else { if p["by"] == nil { error("`path` needs `by`: the year the target is reached", p) }; return nil }
            if by <= start { error("`by` (\(by)) must come after the path's start year \(start)", p["by"]); return nil }
            if by > years.upperBound { error("`by` \(by) is after the last projection year \(years.upperBound)", p["by"]) }
            guard let from = fig(&self, p["from"], "from", d, covered: cov) else { return nil }
            var to: Double?
            if let r = p["rise"] {
                if p["to"] != nil { error("`path` takes `to` or `rise`, not both", r); return nil }
                to = fig(&self, r, "rise", .ratio, covered: cov).map { from * (1 + $0) }
            } else {
                to = fig(&self, p["to"], "to", d, covered: cov)
            }
            guard let to else { return nil }
            var compound = false
            if let m = p["method"], let s = string(m, "`method`") {
                switch s {
                case "linear": compound = false
                case "compound": compound = true
                default: error("unknown path method `\(s)`", m, hint: "use linear or compound")
                }
            }
            if compound, from <= 0 || to <= 0 { error("a compound path needs positive `from` and `to`", p); return nil }
            if p["start"] == nil, !years.contains(start) { warnPathStart(p, what: what, from: from, to: to, by: by, compound: compound) }
            return .path(from: from, to: to, start: start, by: by, compound: compound)
        case "step":
            guard let (p, cov) = seriesPart(n, "step", keys: ["before", "after", "year"], covered: covered) else { return nil }
            guard let y = year(p["year"], "`year`") else { if p["year"] == nil { error("`step` needs `year`", p) }; return nil }
            if y < years.lowerBound || y > years.upperBound { error("step year \(y) is outside \(years.lowerBound)–\(years.upperBound)", p["year"]) }
            guard let a = fig(&self, p["before"], "before", d, covered: cov), let b = fig(&self, p["after"], "after", d, covered: cov) else { return nil }
            return .step(before: a, after: b, year: y)
        default:
            return nil
        }
    }

    /// A path without `start:` starts in the base year, before the first projection year: the first year
    /// already gets a step along the path, which is easy to miss (`from: 3.0萬` gives 3.4萬 in 2021).
    mutating func warnPathStart(_ p: YNode, what: String, from: Double, to: Double, by: Int, compound: Bool) {
        let first = years.lowerBound
        let firstValue = SeriesDefinition.pathValue(from: from, to: to, start: baseYear, by: by, compound: compound, in: first)
        let written = { (node: YNode?, v: Double) in node?.scalar ?? node?["value"]?.scalar ?? Expr.format(v) }
        let fromText = written(p["from"], from)
        let shown = Self.figureLike(firstValue, as: fromText)
        warning("\(what): the path starts from `\(fromText)` in the base year \(baseYear), not a projection year, so \(first) already gets \(shown)",
                p, hint: "to start at \(fromText) in \(first), write `start: \(first)`; to keep the base year and silence this, write `start: \(baseYear)`")
    }

    /// `v` written in the unit of a figure as it was written (`3.4萬` for a path written in 萬).
    static func figureLike(_ v: Double, as written: String) -> String {
        let text = UnitTable.droppingPer(written.trimmingCharacters(in: .whitespaces))
        let u = UnitTable.unit(endingFigure: text)
        let m = u.map { NSDecimalNumber(decimal: $0.unit.multiplier).doubleValue } ?? 1
        return Expr.format((v / m * 100).rounded() / 100) + (u?.spelling ?? "")
    }

    /// Provenance gathered from figure-level mappings while decoding a series.
    var pendingProvenance: [Provenance] = []

    /// The mapping under `key` of a series definition (`growth:`, `path:`, `step:`), its keys checked and its
    /// provenance taken; `covered` says whether its figures then have provenance.
    mutating func seriesPart(_ n: YNode, _ key: String, keys: [String], covered: Bool) -> (YNode, covered: Bool)? {
        guard let m = mapping(n[key], "`\(key)`") else { return nil }
        checkKeys(m, keys + Self.provenanceKeys, what: "`\(key)`")
        let own = provenance(m)
        pendingProvenance += own
        return (m, covered || !own.isEmpty)
    }

    func inferredDimension(_ n: YNode) -> Measure? {
        var found: Measure?
        func visit(_ x: YNode) {
            if found != nil { return }
            if let s = x.scalar, case .success(let q) = Quantity.evaluate(s), let u = q.unit, u != .ratio { found = u; return }
            if let p = x.pairs { for (k, v) in p where !["rate", "rise", "cite", "assumption", "by", "start", "year", "from"].contains(k.scalar ?? "") || (k.scalar == "from" && (x["to"] != nil || x["rise"] != nil)) { visit(v) } }
        }
        visit(n)
        if found == nil, let s = n["value"]?.scalar, case .success(let q) = Quantity.evaluate(s), q.unit == .ratio { return .ratio }
        return found
    }

    mutating func expression(_ text: String, _ n: YNode) -> Expr? {
        // Plain scalars start at the node's column; quoted ones one further.
        let quoted: Bool = { if case .scalar(_, let q) = n.value { return q }; return false }()
        let base = n.location.advanced(by: quoted ? 1 : 0)
        switch ExpressionParser.parse(text, at: base) {
        case .success(let e):
            for (path, loc) in e.names() where !path.isEmpty && path.count == 1 && path[0] != "year" && path[0] != "total" {
                _ = loc
            }
            return e
        case .failure(let d):
            diagnostics.append(d)
            return nil
        }
    }

    static func dimension(named s: String) -> Measure? { UnitTable.measure(named: s) }

    mutating func decodeInput(name k: YNode, _ v: YNode, owner: String? = nil, dimension fixed: Measure? = nil, inherited: [Provenance] = []) {
        guard let name = k.scalar else { error("input names must be text", k); return }
        if owner == nil, !Self.isIdentifier(name) {
            error("input name `\(name)` must be letters (Chinese or Latin), digits and `_`, not starting with a digit", k)
            return
        }
        var dim = fixed ?? .number
        var title: String?
        var prov: [Provenance] = []
        var range: ClosedRange<Double>?
        var distribution: Distribution?
        if v.pairs != nil {
            checkKeys(v, Self.inputKeys, what: "input `\(name)`")
            title = v["title"].flatMap { string($0, "`title`") }
            if let u = v["unit"], let s = string(u, "`unit`") {
                if let d = Self.dimension(named: s) { dim = d } else {
                    error("unknown unit `\(s)`", u, hint: "use money (元), ratio (%), count (人, 個), area (平方米), year or number")
                }
            }
            prov = provenance(v)
        }
        if v.pairs != nil, let op = v["roster"] {
            decodeRosterInput(name: name, k, v, op, title: title, dim: fixed ?? (v["unit"] == nil ? .count : dim), prov: prov, owner: owner)
            return
        }
        pendingProvenance = []
        let attempted = v.pairs != nil && (v["cite"] != nil || v["assumption"] != nil)
        guard let def = series(v, &dim, what: "input `\(name)`", covered: !prov.isEmpty || attempted || !inherited.isEmpty,
                               inferDimension: fixed == nil && v["unit"] == nil) else { return }
        prov += pendingProvenance
        if prov.isEmpty { prov = inherited }
        if v.pairs != nil {
            if let r = v["range"] {
                if let items = r.items, items.count == 2, let lo = quantity(items[0], dim, "`range` low"), let hi = quantity(items[1], dim, "`range` high") {
                    if lo > hi { error("`range` low is above high", r) } else { range = lo...hi }
                } else if r.items?.count != 2 {
                    error("`range` takes [low, high]", r)
                }
            }
            if let d = v["distribution"] { distribution = decodeDistribution(d, dim) }
        }
        var input = Input(name: name, title: title, dimension: dim, definition: def, provenance: prov, location: k.location,
                          range: range, distribution: distribution, owner: owner)
        input.note = v.pairs != nil ? v["note"]?.scalar : nil
        inputs.append(input)
        measureOrigins[name] = fixed != nil || v["unit"] != nil ? .stated
            : dim != .number ? .written
            : Self.hasBareMultiplier(v) ? .bareMultiplier : .unknown
    }

    /// `{roster: count, where: EXPR}` or `{roster: sum, of: EXPR, where: EXPR}`: a figure computed from the roster.
    mutating func decodeRosterInput(name: String, _ k: YNode, _ v: YNode, _ opNode: YNode, title: String?, dim: Measure, prov: [Provenance], owner: String?) {
        guard let roster else {
            // A roster that is named but could not be read has its own errors.
            if !rosterNamed { error("input `\(name)` counts roster rows, but the scenario names no `roster:`", opNode, hint: "add `roster: FILE.csv` at the top") }
            return
        }
        guard let opText = string(opNode, "`roster`"), let op = RosterAggregate.Operation(rawValue: opText) else {
            error("`roster` takes `count` or `sum`", opNode)
            return
        }
        var filter: Expr?, of: Expr?
        if let w = v["where"], let t = string(w, "`where`") { filter = expression(t, w) }
        if let o = v["of"], let t = string(o, "`of`") { of = expression(t, o) }
        if op == .sum && of == nil { error("`roster: sum` needs `of`: the column or expression to add up", v); return }
        let agg = RosterAggregate(operation: op, filter: filter, of: of)
        switch agg.perRow(roster) {
        case .failure(let d): diagnostics.append(d)
        case .success(let rows):
            let value = rows.reduce(0, +)
            let what = op == .count ? "count of rows" : "sum of \(v["of"]?.scalar ?? "")"
            let note = "Roster \(roster.file): \(what)" + (v["where"]?.scalar.map { " where \($0)" } ?? "") + " = \(Expr.format(value)) (\(roster.count) rows read)"
            var input = Input(name: name, title: title, dimension: dim, definition: .constant(value),
                              provenance: prov + [.assumption(note, location: opNode.location)], location: k.location, owner: owner)
            input.rosterAggregate = agg
            inputs.append(input)
            // A roster figure is a count unless `unit:` says otherwise; where it is used may say otherwise too.
            measureOrigins[name] = v["unit"] != nil || owner != nil ? .stated : .unknown
        }
    }

    /// A distribution whose draws stay within what a run accepts: never below 0 for a count, never beyond
    /// ±10^15 (a normal distribution's default bounds are mean ± 4 sd, so a huge sd is caught here).
    mutating func decodeDistribution(_ n: YNode, _ dim: Measure) -> Distribution? {
        guard let d = decodeDistributionShape(n, dim) else { return nil }
        let (lo, hi): (Double, Double) = {
            switch d {
            case .uniform(let l, let h), .triangular(let l, _, let h), .normal(_, _, let l, let h): return (l, h)
            }
        }()
        if dim == .count && lo < 0 {
            error("the distribution of a count draws values down to \(Expr.format(lo)), below 0", n,
                  hint: "a count cannot be negative; for `normal`, give `low: 0`")
            return nil
        }
        if !(max(abs(lo), abs(hi)) <= Limits.absurdMagnitude) {
            error("the distribution draws values up to \(displayUnit.show(max(abs(lo), abs(hi)), dim)), over 10^15\(dim == .money ? " yuan" : "")", n,
                  hint: "give `low` and `high` (a normal distribution otherwise reaches mean ± 4 sd)")
            return nil
        }
        return d
    }

    private mutating func decodeDistributionShape(_ n: YNode, _ dim: Measure) -> Distribution? {
        guard n.pairs != nil else { error("`distribution` takes e.g. `{triangular: [3.8萬, 4.2萬, 4.5萬]}`", n); return nil }
        checkKeys(n, ["uniform", "triangular", "normal"], what: "`distribution`")
        func list(_ s: inout Decoder, _ x: YNode, _ count: Int, _ what: String) -> [Double]? {
            guard let items = x.items, items.count == count else { s.error("`\(what)` takes \(count) figures", x); return nil }
            let v = items.compactMap { s.quantity($0, dim, "`\(what)`") }
            return v.count == count ? v : nil
        }
        if let u = n["uniform"], let v = list(&self, u, 2, "uniform") {
            guard v[0] <= v[1] else { error("uniform: low is above high", u); return nil }
            return .uniform(low: v[0], high: v[1])
        }
        if let t = n["triangular"], let v = list(&self, t, 3, "triangular") {
            guard v[0] <= v[1], v[1] <= v[2], v[0] < v[2] else { error("triangular takes [low, mode, high] in order", t); return nil }
            return .triangular(low: v[0], mode: v[1], high: v[2])
        }
        if let m = n["normal"] {
            guard m.pairs != nil else { error("`normal` takes {mean, sd, low, high}", m); return nil }
            checkKeys(m, ["mean", "sd", "low", "high"], what: "`normal`")
            guard let mean = m["mean"].flatMap({ quantity($0, dim, "`mean`") }), let sd = m["sd"].flatMap({ quantity($0, dim, "`sd`") }) else {
                error("`normal` needs `mean` and `sd`", m); return nil
            }
            let lo = m["low"].flatMap { quantity($0, dim, "`low`") } ?? mean - 4 * sd
            let hi = m["high"].flatMap { quantity($0, dim, "`high`") } ?? mean + 4 * sd
            guard sd > 0, lo < hi else { error("`normal` needs sd > 0 and low < high", m); return nil }
            return .normal(mean: mean, sd: sd, low: lo, high: hi)
        }
        return nil
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || CharacterSet.letters.contains(f) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || CharacterSet.letters.contains($0) || CharacterSet.decimalDigits.contains($0) }
    }

    // MARK: Sources

    mutating func decodeSource(_ k: YNode, _ v: YNode) -> FundingSource? {
        guard let name = k.scalar, Self.isIdentifier(name) else {
            error("source names must be letters and digits, e.g. 市財政", k)
            return nil
        }
        var src = FundingSource(name: name, location: k.location)
        if case .null = v.value { return src }
        guard v.pairs != nil else { error("source `\(name)` takes a mapping such as `{title: 市級財政, envelope: 2200萬}`", v); return nil }
        checkKeys(v, ["title", "envelope"] + Self.provenanceKeys, what: "source `\(name)`")
        src.title = v["title"].flatMap { string($0, "`title`") }
        if let env = v["envelope"] {
            let inputName = "\(name):envelope"
            // Provenance on the source covers its envelope.
            let sourceProvenance = provenance(v)
            let before = inputs.count
            decodeInput(name: YNode(value: .scalar(inputName, quoted: false), location: env.location), env, owner: name, dimension: .money,
                        inherited: sourceProvenance)
            // Labelled by the compiler from the source's title (the catalogue's `input.envelope`).
            if inputs.count > before { src.envelope = inputName }
        }
        return src
    }

    // MARK: Commitments

    /// A commitment parameter: an input's name, an expression, or an inline figure or series (which becomes an input).
    mutating func parameter(_ n: YNode?, _ c: String, _ field: String, _ dim: Measure, covered: Bool, required: Bool = true,
                            in parent: YNode) -> Parameter? {
        guard let n else {
            if required { error("`\(c)` needs `\(field)`", parent) }
            return nil
        }
        if let s = n.scalar, case .failure = Quantity.evaluate(s) {
            let e = expression(s, n)
            if let e {
                measureUses.append(MeasureUse(expr: e, measure: dim, what: "`\(field)` of `\(c)`"))
                // An assumption written on the mapping that holds the name or expression (`target:`, `award:`, …)
                // reaches the row it defines, as it reaches the input an inline figure becomes. The commitment's
                // own assumption makes its cost assumed as a whole (Sourcing), so it is not repeated here.
                if parent.location != commitmentLocation, let a = parent["assumption"], let text = a.scalar,
                   !text.trimmingCharacters(in: .whitespaces).isEmpty {
                    parameterAssumptions[e, default: []].append(.assumption(text, location: a.location))
                }
            }
            return e
        }
        let name = "\(c):\(field)"
        // Provenance written on the enclosing entry (award, upkeep, target, funding, band) or the commitment covers it.
        var inherited: [Provenance] = []
        if covered {
            let own = parent.pairs != nil && (parent["cite"] != nil || parent["assumption"] != nil) ? provenance(parent) : []
            inherited = own.isEmpty ? inheritedProvenance : own
            if inherited.isEmpty { inherited = [.assumption("(see the entry's provenance)", location: parent.location)] }
        }
        let before = inputs.count
        decodeInput(name: YNode(value: .scalar(name, quoted: false), location: n.location), n, owner: c, dimension: dim, inherited: inherited)
        guard inputs.count > before else { return nil }
        return Expr(.name([name]), at: n.location)
    }

    /// A parameter key as the kind's declaration states it: its key, unit, whether it is required, and the
    /// name of the input an inline figure becomes.
    mutating func declared(_ field: FieldSpec, in parent: YNode, _ c: String, covered: Bool) -> Parameter? {
        parameter(parent[field.key], c, field.input ?? field.key, field.measure ?? .number, covered: covered,
                  required: field.requirement == .required, in: parent)
    }

    /// The provenance of the commitment being decoded, given to its inline figures.
    var inheritedProvenance: [Provenance] = []
    /// Where the commitment being decoded starts, and the assumptions of the mappings that hold its parameters
    /// written as names or expressions (see `Commitment.parameterAssumptions`).
    var commitmentLocation: SourceLocation?
    var parameterAssumptions: [Parameter: [Provenance]] = [:]

    mutating func decodeCommitment(_ n: YNode, sources: [FundingSource]) -> Commitment? {
        guard n.pairs != nil else { error("each commitment must be a mapping with `id`, `title`, `kind`, …", n); return nil }
        guard let idNode = n["id"], let id = string(idNode, "`id`") else { error("commitment needs an `id`", n); return nil }
        guard Self.isIdentifier(id) else { error("commitment id `\(id)` must be letters, digits and `_`", idNode); return nil }
        if names.contains(id) { error("commitment id `\(id)` is also the name of an input", idNode, hint: "rename one of them") }
        guard let kindNode = n["kind"], let kindName = string(kindNode, "`kind`") else {
            error("commitment `\(id)` needs a `kind`", n, hint: "kinds: " + CommitmentKind.names.joined(separator: ", "))
            return nil
        }
        guard let spec = CommitmentKindSpec.named(kindName) else {
            error("unknown kind `\(kindName)`", kindNode, hint: (Suggest.didYouMean(kindName, in: CommitmentKind.names).map { $0 + " " } ?? "") + "kinds: " + CommitmentKind.names.joined(separator: ", "))
            return nil
        }
        checkKeys(n, Self.commonCommitmentKeys + spec.fields.map(\.key), what: "commitment `\(id)` (\(kindName))")
        let title = n["title"].flatMap { string($0, "`title`") } ?? id
        let prov = provenance(n)
        inheritedProvenance = prov
        commitmentLocation = n.location
        parameterAssumptions = [:]
        let cov = !prov.isEmpty
        var category: Category?
        if let cn = n["category"], let s = string(cn, "`category`") {
            category = Category(rawValue: s)
            if category == nil { error("unknown category `\(s)`", cn, hint: "categories: " + Category.allCases.map(\.rawValue).joined(separator: ", ")) }
        }
        let kind: CommitmentKind?
        switch spec.key {
        case CommitmentKindSpec.cadrePay.key:
            let head = declared(spec["headcount"], in: n, id, covered: cov)
            let pay = declared(spec["pay"], in: n, id, covered: cov)
            let floor = declared(spec["floor"], in: n, id, covered: cov)
            let oncost = declared(spec["oncost"], in: n, id, covered: cov)
            let base = declared(spec["base_pay"], in: n, id, covered: cov)
            kind = (head != nil && pay != nil) ? .cadrePay(CadrePay(headcount: head!, pay: pay!, floor: floor, oncost: oncost, basePay: base)) : nil
        case CommitmentKindSpec.construction.key:
            var schedule: ConstructionProgramme.Schedule?
            if let u = n["units"] {
                if n["target"] != nil { error("`\(id)` has both `units` and `target`; use one", u) }
                schedule = declared(spec["units"], in: n, id, covered: cov).map { .units($0) }
            } else if let t = mapping(n["target"], "`target`") {
                checkKeys(t, spec["target"].subfields.map(\.key) + Self.provenanceKeys, what: "`target`")
                let tcov = cov || !provenance(t).isEmpty
                let by = year(t["by"], "`by`")
                if t["by"] == nil { error("`target` needs `by`: the year the stock must be reached", t) }
                if let by, !years.contains(by) { error("target year \(by) is outside the projection years \(years.lowerBound)–\(years.upperBound)", t["by"]) }
                if let s = declared(spec["target"]["stock"], in: t, id, covered: tcov), let by { schedule = .target(stock: s, by: by) }
            } else {
                error("`\(id)` needs `units` (completed per year) or `target: {stock, by}`", n)
            }
            let cost = declared(spec["unit_cost"], in: n, id, covered: cov)
            var award: Parameter?, awardSource: String?
            if let a = n["award"] {
                if let m = mapping(a, "`award`") {
                    checkKeys(m, spec["award"].subfields.map(\.key) + Self.provenanceKeys, what: "`award`")
                    let acov = cov || !provenance(m).isEmpty
                    award = declared(spec["award"]["per_unit"], in: m, id, covered: acov)
                    if let s = m["source"], let src = string(s, "`source`") {
                        if !sources.contains(where: { $0.name == src }) {
                            error("unknown funding source `\(src)`", s, hint: Suggest.didYouMean(src, in: sources.map(\.name)) ?? "declare it under `sources:`")
                        }
                        awardSource = src
                    } else { error("`award` needs `source`: the budget that pays the award", m) }
                }
            }
            var upkeepUnit: Parameter?, upkeepShare: Parameter?
            if let u = mapping(n["upkeep"], "`upkeep`") {
                checkKeys(u, spec["upkeep"].subfields.map(\.key) + Self.provenanceKeys, what: "`upkeep`")
                let ucov = cov || !provenance(u).isEmpty
                upkeepUnit = declared(spec["upkeep"]["per_unit"], in: u, id, covered: ucov)
                upkeepShare = declared(spec["upkeep"]["share"], in: u, id, covered: ucov)
            }
            let below = declared(spec["below_standard"], in: n, id, covered: cov)
            kind = (schedule != nil && cost != nil) ? .construction(ConstructionProgramme(schedule: schedule!, unitCost: cost!, award: award,
                                                                                          awardSource: awardSource, upkeepPerUnit: upkeepUnit,
                                                                                          upkeepShare: upkeepShare, belowStandard: below)) : nil
        case CommitmentKindSpec.operatingFund.key:
            let count = declared(spec["count"], in: n, id, covered: cov)
            let rate = declared(spec["rate"], in: n, id, covered: cov)
            let base = declared(spec["base_rate"], in: n, id, covered: cov)
            kind = (count != nil && rate != nil) ? .operatingFund(OperatingFund(count: count!, rate: rate!, baseRate: base)) : nil
        case CommitmentKindSpec.lumpSum.key:
            let base = declared(spec["base_amount"], in: n, id, covered: cov)
            kind = declared(spec["amount"], in: n, id, covered: cov).map { .lumpSum(LumpSum(amount: $0, baseAmount: base)) }
        case CommitmentKindSpec.collectiveEconomy.key:
            kind = decodeCollective(n, id, covered: cov).map { .collectiveEconomy($0) }
        default:
            kind = nil
        }
        let basis = decodeBasis(n, id, spec)
        let funding = decodeFunding(n["funding"], id, sources: sources, parent: n, covered: cov)
        guard let kind, let funding else { return nil }
        var commitment = Commitment(id: id, title: title, category: category, kind: kind, funding: funding, provenance: prov,
                                    location: idNode.location, basis: basis)
        commitment.parameterAssumptions = parameterAssumptions
        return commitment
    }

    /// `basis:` of a recurring kind, checked against the kind's base key (`base_pay`, `base_rate`, `base_amount`).
    mutating func decodeBasis(_ n: YNode, _ id: String, _ spec: CommitmentKindSpec) -> MoneyBasis? {
        guard let field = spec.field(MoneyBasis.key),
              let baseKey = spec.fields.first(where: { $0.key.hasPrefix("base_") })?.key else { return nil }
        let baseNode = n[baseKey]
        guard let b = n[field.key], let text = string(b, "`basis`") else { return nil }
        let names = MoneyBasis.allCases.map(\.rawValue)
        guard let basis = MoneyBasis(rawValue: text) else {
            error("unknown basis `\(text)` in `\(id)`", b,
                  hint: (Suggest.didYouMean(text, in: names).map { $0 + " " } ?? "") + "basis: whole (the whole bill), increase (only the rise over `\(baseKey)`), new (all new money) or continuing (existing money carried on)")
            return nil
        }
        switch basis {
        case .increase where baseNode == nil:
            error("`basis: increase` costs only the rise over a base, but `\(id)` gives no `\(baseKey)`", b,
                  hint: "add `\(baseKey):` (the figure before the rise, e.g. the base year's), or write `basis: whole` to cost the whole bill")
        case .continuing where baseNode != nil, .new where baseNode != nil:
            error("`basis: \(text)` counts the whole cost of `\(id)` as \(basis == .new ? "new" : "existing") money, so `\(baseKey)` has no use", baseNode,
                  hint: "remove `\(baseKey)`, or write `basis: whole` to split the bill into continuing money (`\(baseKey)`) and new money")
        default:
            break
        }
        return basis
    }

    mutating func decodeCollective(_ n: YNode, _ id: String, covered cov: Bool) -> CollectiveEconomyProgramme? {
        var rosterColumn: String?
        if let rc = n["roster_income"], let col = string(rc, "`roster_income`") {
            if let roster {
                if roster.attributes[col] == nil {
                    error("the roster has no column `\(col)`", rc, hint: Suggest.didYouMean(col, in: roster.attributeNames) ?? "columns: " + roster.attributeNames.joined(separator: ", "))
                }
                rosterColumn = col
            } else {
                if !rosterNamed { error("`roster_income` needs a `roster:` at the top of the scenario", rc) }
            }
        }
        let villages: Parameter?
        if rosterColumn != nil, let roster {
            let name = "\(id):villages"
            let count = roster.isCommunity.filter { !$0 }.count
            inputs.append(Input(name: name, title: nil, dimension: .count, definition: .constant(Double(count)),
                                provenance: [.assumption("Roster \(roster.file): villages (kind village) = \(count)", location: n["roster_income"]!.location)],
                                location: n["roster_income"]!.location, owner: id))
            inputs[inputs.count - 1].rosterAggregate = RosterAggregate(operation: .count, filter: Expr(.name(["village"])), of: nil)
            villages = Expr(.name([name]))
        } else {
            villages = parameter(n["villages"], id, "villages", .count, covered: cov, in: n) // required without `roster_income`
        }
        var bands: [CollectiveEconomyProgramme.Band] = []
        guard let list = n["bands"], let items = list.items, !items.isEmpty else {
            error("`\(id)` needs `bands`: the income bands from the lowest, e.g. `- {name: 5萬以下, below: 5萬, initial: 16.8%}`", n["bands"] ?? n)
            return nil
        }
        var lastBelow: Double = 0
        var restCount = 0
        for (i, b) in items.enumerated() {
            guard b.pairs != nil else { error("each band must be a mapping with `name`, `below` and `initial`", b); continue }
            checkKeys(b, CommitmentKindSpec.collectiveEconomy["bands"].subfields.map(\.key) + Self.provenanceKeys, what: "a band")
            let bcov = cov || !provenance(b).isEmpty
            let name = b["name"].flatMap { string($0, "`name`") } ?? "band\(i + 1)"
            let hollow = ["true", "True", "TRUE", "yes", "是"].contains(b["hollow"]?.scalar ?? "")
            if hollow && i != 0 { error("the hollow band (no collective income) must come first", b) }
            var below: Double?
            if let bn = b["below"] {
                if hollow { error("the hollow band has no `below`", bn) }
                below = quantity(bn, .money, "`below`")
                if let v = below, v <= lastBelow { error("band bounds must rise: \(Expr.format(v)) is not above \(Expr.format(lastBelow))", bn) }
                if let v = below { lastBelow = v }
            } else if !hollow && i != items.count - 1 {
                error("every band but the last needs `below`: its upper income bound", b)
            }
            if i == items.count - 1, b["below"] != nil {
                error("the last band has no upper bound: it holds every village above the one before", b["below"], hint: "remove `below` from the last band, or add a band above it")
            }
            var initial: CollectiveEconomyProgramme.Band.Initial = .rest
            if let ini = b["initial"] {
                if ini.scalar == "rest" {
                    restCount += 1
                } else if let s = ini.scalar, (Quantity.evaluate(s).map { $0.unit == .ratio } == .success(true))
                            || inputs.contains(where: { $0.name == s && $0.dimension == .ratio }) {
                    if let p = parameter(ini, id, "band\(i + 1).share", .ratio, covered: bcov, in: b) { initial = .share(p) }
                } else if let p = parameter(ini, id, "band\(i + 1).count", .count, covered: bcov, in: b) {
                    initial = .count(p)
                }
            } else if rosterColumn == nil {
                error("band `\(name)` needs `initial`: villages in it at the base year (a count, a share such as 16.8%, or `rest`)", b)
            }
            bands.append(.init(name: name, below: below, hollow: hollow, initial: initial, location: b.location))
        }
        if restCount > 1 { error("only one band may take the `rest` of the villages", list) }
        let kind = CommitmentKindSpec.collectiveEconomy
        let growth = declared(kind["growth"], in: n, id, covered: cov)
        var pv: Parameter?, ret: Parameter?, bud: Parameter?, below: Double?, order = CollectiveEconomyProgramme.Order.lowestFirst
        if let s = mapping(n["support"], "`support`") {
            checkKeys(s, kind["support"].subfields.map(\.key) + Self.provenanceKeys, what: "`support`")
            let scov = cov || !provenance(s).isEmpty
            pv = declared(kind["support"]["per_village"], in: s, id, covered: scov)
            ret = declared(kind["support"]["return"], in: s, id, covered: scov)
            bud = declared(kind["support"]["budget"], in: s, id, covered: scov)
            if let b = s["below"] { below = quantity(b, .money, "`below`") }
            if let o = s["order"], let str = string(o, "`order`") {
                if let v = CollectiveEconomyProgramme.Order(rawValue: str) { order = v } else {
                    error("unknown order `\(str)`", o, hint: "use lowest_first or nearest_first")
                }
            }
        }
        var targets: [CollectiveEconomyProgramme.Target] = []
        if let t = n["targets"] {
            for item in t.items ?? [] {
                guard item.pairs != nil else { error("a target is a mapping such as `{above: 5萬, share: 90%, by: 2018}`", item); continue }
                checkKeys(item, kind["targets"].subfields.map(\.key) + Self.provenanceKeys, what: "a target")
                let tp = provenance(item)
                if tp.isEmpty && !cov { requireProvenance(item, what: "target", covered: false) }
                guard let by = year(item["by"], "`by`") else { if item["by"] == nil { error("a target needs `by`", item) }; continue }
                if !years.contains(by) { error("target year \(by) is outside the projection years \(years.lowerBound)–\(years.upperBound)", item["by"]) }
                let above = item["above"].flatMap { quantity($0, .money, "`above`") }
                let share = item["share"].flatMap { quantity($0, .ratio, "`share`") }
                if let s = share, !ShareRule.isShare(s) { error("a share must be between 0% and 100%, found \(ShareRule.percent(s))", item["share"]) }
                let hollow = item["hollow_at_most"].flatMap { quantity($0, .count, "`hollow_at_most`") }
                targets.append(.init(above: above, share: share, hollowAtMost: hollow, by: by, provenance: tp + (tp.isEmpty ? inheritedProvenance : []), location: item.location))
            }
        }
        guard let villages else { return nil }
        var programme = CollectiveEconomyProgramme(villages: villages, bands: bands, growth: growth, perVillage: pv, returnRate: ret, budget: bud,
                                                   supportBelow: below, order: order, targets: targets)
        programme.rosterIncomeColumn = rosterColumn
        return programme
    }

    mutating func decodeFunding(_ n: YNode?, _ id: String, sources: [FundingSource], parent: YNode, covered: Bool) -> FundingSplit? {
        guard let n else {
            error("commitment `\(id)` needs `funding`: who pays", parent, hint: "e.g. `funding: 市財政` or `funding: {市財政: 50%, 縣級財政: rest}`")
            return nil
        }
        let known = sources.map(\.name)
        func checkSource(_ s: inout Decoder, _ name: String, _ node: YNode) -> Bool {
            if known.contains(name) { return true }
            s.error("unknown funding source `\(name)`", node, hint: Suggest.didYouMean(name, in: known) ?? "declare it under `sources:`")
            return false
        }
        if let s = n.scalar {
            return checkSource(&self, s, n) ? FundingSplit(shares: [.init(source: s, share: nil, location: n.location)], location: n.location) : nil
        }
        guard let pairs = n.pairs else { error("`funding` takes a source name or a mapping of sources to shares", n); return nil }
        var shares: [FundingSplit.Share] = []
        var total = 0.0
        var rest: YNode?
        var ok = true
        var allLiteral = true
        for (k, v) in pairs {
            guard let src = k.scalar else { ok = false; continue }
            if ["cite", "assumption"].contains(src) { continue }
            ok = checkSource(&self, src, k) && ok
            if v.scalar == "rest" {
                if rest != nil { error("only one source can take the `rest`", k); ok = false }
                rest = k
                shares.append(.init(source: src, share: nil, location: k.location))
                continue
            }
            if let s = v.scalar, case .success = Quantity.evaluate(s) {
                guard let x = quantity(v, .ratio, "share of `\(src)`") else { ok = false; continue }
                if !ShareRule.isShare(x) { error("share of `\(src)` must be between 0% and 100%, found \(s)", v); ok = false; continue }
                total += x
            } else {
                allLiteral = false
            }
            let fcov = covered || !provenance(n).isEmpty
            if let p = parameter(v, id, "share.\(src)", .ratio, covered: fcov, in: n) { shares.append(.init(source: src, share: p, location: k.location)) } else { ok = false }
        }
        if ok && allLiteral {
            if rest == nil && !ShareRule.isWhole(total) {
                let parts = shares.map { "\($0.source)" }.joined(separator: " + ")
                error("funding shares of `\(id)` add up to \(ShareRule.percent(total)), not 100%", n,
                      hint: "\(parts) must make 100%, or let one source take the rest: `\(shares.last?.source ?? "縣級財政"): rest`")
                ok = false
            } else if rest != nil && !ShareRule.leavesRest(total) {
                error("funding shares of `\(id)` add up to \(ShareRule.percent(total)), leaving nothing for the rest", n)
                ok = false
            }
        }
        guard ok else { return nil }
        var split = FundingSplit(shares: shares, location: n.location)
        if let a = n["assumption"], let text = a.scalar, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            split.assumptions = [.assumption(text, location: a.location)]
        }
        return split
    }

    // MARK: Checks

    mutating func decodeCheck(_ n: YNode) -> Check? {
        guard n.pairs != nil else { error("each check is a mapping with `id` and `assert`", n); return nil }
        checkKeys(n, ["id", "title", "assert", "years", "from", "in", "note"] + Self.provenanceKeys, what: "a check")
        guard let idn = n["id"], let id = string(idn, "`id`"), Self.isIdentifier(id) else {
            error("a check needs an `id` of letters, digits and `_`", n["id"] ?? n)
            return nil
        }
        guard let a = n["assert"], let text = string(a, "`assert`") else { error("check `\(id)` needs `assert`", n); return nil }
        guard let e = expression(text, a) else { return nil }
        var yrs: ClosedRange<Int>?
        if let y = n["years"] { yrs = yearRange(y) }
        if let f = n["from"], let y = year(f, "`from`") {
            if y > years.upperBound || y < years.lowerBound { error("`from` \(y) is outside the projection years \(years.lowerBound)–\(years.upperBound)", f) } else { yrs = y...years.upperBound }
        }
        if let i = n["in"], let y = year(i, "`in`") { yrs = y...y }
        let prov = provenance(n)
        for lit in e.literals() where lit.value != 0 && lit.value != 1 && prov.isEmpty {
            diagnostics.append(.warning("figure `\(lit.text)` in check `\(id)` has no provenance", at: lit.location,
                                        hint: "add `cite:` or `assumption:` to the check"))
        }
        return Check(id: id, title: n["title"].flatMap { string($0, "`title`") } ?? text, assertion: e, years: yrs,
                     provenance: prov, location: idn.location)
    }
}
