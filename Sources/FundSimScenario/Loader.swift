import FundSimModel
import Foundation

/// Reads scenario files: YAML → located tree → variants merged → validated `Scenario`, with every problem found.
public struct ScenarioLoader {
    /// Where `seeds/` is; by default the nearest folder named `seeds` above the scenario file.
    public var seedsDirectory: String?
    /// The text of every file read, by the path diagnostics use (for rendering source lines).
    public private(set) var sources: [String: String] = [:]

    /// Files or folders outside a scenario's project that it may name (see `ProjectScope`).
    public var allowOutside: [String]
    /// An actuals file named on the command line; it replaces the scenario's `actuals:` (see docs/actuals.md).
    public var actualsPath: String?

    public init(seedsDirectory: String? = nil, allowOutside: [String] = []) {
        self.seedsDirectory = seedsDirectory
        self.allowOutside = allowOutside
    }

    /// The outcome of loading: a scenario when there is no error, and all diagnostics either way.
    public struct Outcome: Sendable {
        public var scenario: Scenario?
        public var diagnostics: [Diagnostic]
        /// When decoding found errors: the part of the scenario that decoded, and every name the file declares,
        /// so that the later phases can still report what they find (unknown names, cycles, bad rows).
        public var partial: Scenario? = nil
        public var declared: Set<String> = []
        public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
        public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    }

    public mutating func load(path: String) -> Outcome {
        var chain: [String] = []
        var diags: [Diagnostic] = []
        let scope = ProjectScope(scenario: path, allowOutside: allowOutside)
        guard let root = readMerged(path: path, chain: &chain, diagnostics: &diags, from: nil, scope: scope) else {
            return Outcome(scenario: nil, diagnostics: diags)
        }
        let seeds = seedsDirectory ?? Self.findSeeds(inAny: chain)
        var decoder = Decoder(file: path, seeds: seeds, scope: scope)
        decoder.actualsOverride = actualsPath
        let scenario = decoder.decode(root)
        diags += decoder.diagnostics
        for (k, v) in decoder.documents { sources[k] = v }
        var s = scenario
        s?.files = chain
        let hasErrors = diags.contains { $0.severity == .error }
        return Outcome(scenario: hasErrors ? nil : s, diagnostics: Self.sorted(diags), partial: hasErrors ? s : nil,
                       declared: decoder.declaredNames)
    }

    /// Loads from text (for tests and the fuzzer); `path` names the file in diagnostics and anchors `extends`.
    public mutating func load(text: String, path: String) -> Outcome {
        sources[path] = text
        var diags: [Diagnostic] = []
        let root: YNode
        switch YAMLReader.read(text, file: path) {
        case .success(let n): root = n
        case .failure(let d): return Outcome(scenario: nil, diagnostics: [d])
        }
        YAMLReader.textProblems(root, into: &diags)
        var chain = [path]
        let scope = ProjectScope(scenario: path, allowOutside: allowOutside)
        guard let merged = resolveExtends(root, path: path, chain: &chain, diagnostics: &diags, scope: scope) else {
            return Outcome(scenario: nil, diagnostics: diags)
        }
        var decoder = Decoder(file: path, seeds: seedsDirectory ?? Self.findSeeds(inAny: chain), scope: scope)
        decoder.actualsOverride = actualsPath
        let scenario = decoder.decode(merged)
        diags += decoder.diagnostics
        for (k, v) in decoder.documents { sources[k] = v }
        let hasErrors = diags.contains { $0.severity == .error }
        return Outcome(scenario: hasErrors ? nil : scenario, diagnostics: Self.sorted(diags), partial: hasErrors ? scenario : nil,
                       declared: decoder.declaredNames)
    }

    /// Diagnostics in file order (by line and column within a file; files in the order first met), duplicates dropped.
    public static func sorted(_ ds: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return ds.filter { seen.insert($0).inserted }.enumerated().sorted { a, b in
            let la = a.element.location, lb = b.element.location
            if la?.file != lb?.file { return a.offset < b.offset }
            if (la?.line ?? 0, la?.column ?? 0) != (lb?.line ?? 0, lb?.column ?? 0) {
                return (la?.line ?? 0, la?.column ?? 0) < (lb?.line ?? 0, lb?.column ?? 0)
            }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The first `seeds` folder found near any of the files (a variant may live outside the project).
    static func findSeeds(inAny files: [String]) -> String? {
        for f in files {
            if let s = findSeeds(near: f) { return s }
        }
        return nil
    }

    /// The nearest `seeds` folder in the scenario's folder or above it.
    public static func findSeeds(near path: String) -> String? {
        var dir = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("seeds")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir.boolValue {
                return candidate.path
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { break }
            dir = parent
        }
        return nil
    }

    private mutating func readMerged(path: String, chain: inout [String], diagnostics: inout [Diagnostic], from: SourceLocation?,
                                     scope: ProjectScope) -> YNode? {
        // The size first: a huge file (or a device) is refused without reading it.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.intValue > InputLimits.maxFileBytes {
            diagnostics.append(.error("`\(path)` is \(size.intValue) bytes, over the limit of \(InputLimits.maxFileBytes)",
                                      at: from ?? SourceLocation(file: path, line: 1, column: 1),
                                      hint: "a scenario is a short text file; check that this is the right file"))
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.append(.error("cannot read `\(path)`: no such file or not readable", at: from,
                                      hint: from == nil ? "check the path" : "`extends:` paths are relative to the file that names them"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.append(.error("`\(path)` is not UTF-8 text", at: from ?? SourceLocation(file: path, line: 1, column: 1),
                                      hint: "save the scenario as UTF-8"))
            return nil
        }
        sources[path] = text
        chain.append(path)
        switch YAMLReader.read(text, file: path) {
        case .failure(let d):
            diagnostics.append(d)
            return nil
        case .success(let root):
            YAMLReader.textProblems(root, into: &diagnostics)
            return resolveExtends(root, path: path, chain: &chain, diagnostics: &diagnostics, scope: scope)
        }
    }

    /// Applies `extends:`: the base file's tree with this file's keys laid over it.
    private mutating func resolveExtends(_ root: YNode, path: String, chain: inout [String], diagnostics: inout [Diagnostic],
                                         scope: ProjectScope) -> YNode? {
        guard let ext = root["extends"] else { return root }
        guard let rel = ext.scalar, !rel.isEmpty else {
            diagnostics.append(.error("`extends` takes the path of another scenario file", at: ext.location))
            return nil
        }
        let basePath = rel.hasPrefix("/") ? rel : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(rel).standardizedFileURL.path
        let display = Self.display(basePath, like: path)
        if chain.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == URL(fileURLWithPath: basePath).standardizedFileURL.path }) {
            diagnostics.append(.error("`extends` loop: " + (chain + [display]).joined(separator: " → "), at: ext.location,
                                      hint: "a variant cannot extend itself or a file that extends it"))
            return nil
        }
        if chain.count > 16 {
            diagnostics.append(.error("`extends` chain longer than 16 files", at: ext.location))
            return nil
        }
        // Only a scenario file inside the project is read: its text may be shown in a diagnostic.
        guard rel.hasSuffix(".yaml") || rel.hasSuffix(".yml") else {
            diagnostics.append(.error("`extends` names `\(Limits.escaped(rel, keepingNewlines: false))`, which is not a scenario file (.yaml)", at: ext.location,
                                      hint: "`extends:` takes the path of the base scenario, e.g. `extends: enshi.yaml`"))
            return nil
        }
        guard scope.admits(basePath) else {
            diagnostics.append(scope.outside(rel, key: "extends", at: ext.location))
            return nil
        }
        guard let base = readMerged(path: display, chain: &chain, diagnostics: &diagnostics, from: ext.location, scope: scope) else { return nil }
        return Merge.variant(base: base, over: root, diagnostics: &diagnostics)
    }

    /// A path shown relative to the working directory when the original was relative.
    static func display(_ absolute: String, like original: String) -> String {
        if original.hasPrefix("/") { return absolute }
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return absolute.hasPrefix(cwd) ? String(absolute.dropFirst(cwd.count)) : absolute
    }
}

/// How a variant's keys lay over its base.
enum Merge {
    static func variant(base: YNode, over: YNode, diagnostics: inout [Diagnostic]) -> YNode {
        guard var basePairs = base.pairs, let overPairs = over.pairs else { return over }
        var removed: Set<String> = []
        if let rm = over["remove"] {
            for item in rm.items ?? [rm] {
                if let s = item.scalar { removed.insert(s) }
            }
        }
        for (k, v) in overPairs {
            guard let key = k.scalar, key != "extends", key != "remove" else { continue }
            if let i = basePairs.firstIndex(where: { $0.key.scalar == key }) {
                switch key {
                case "inputs", "sources":
                    basePairs[i].value = mergeMapping(basePairs[i].value, v)
                case "commitments", "checks":
                    basePairs[i].value = mergeList(basePairs[i].value, v)
                default:
                    basePairs[i] = (k, v)
                }
            } else {
                basePairs.append((k, v))
            }
        }
        if !removed.isEmpty {
            var known = Set<String>()
            for (k, v) in basePairs where ["inputs", "sources", "commitments", "checks"].contains(k.scalar ?? "") {
                for (kk, _) in v.pairs ?? [] { if let s = kk.scalar { known.insert(s) } }
                for item in v.items ?? [] { if let s = item["id"]?.scalar { known.insert(s) } }
            }
            for item in over["remove"]?.items ?? [over["remove"]].compactMap({ $0 }) {
                if let s = item.scalar, !known.contains(s) {
                    diagnostics.append(.error("`remove` names `\(s)`, which the base scenario does not have", at: item.location,
                                              hint: Suggest.didYouMean(s, in: Array(known)) ?? "name an input, source, commitment or check of the base"))
                }
            }
            for i in basePairs.indices {
                switch basePairs[i].key.scalar {
                case "inputs", "sources":
                    if let p = basePairs[i].value.pairs {
                        basePairs[i].value.value = .mapping(p.filter { !removed.contains($0.key.scalar ?? "") })
                    }
                case "commitments", "checks":
                    if let items = basePairs[i].value.items {
                        basePairs[i].value.value = .sequence(items.filter { !removed.contains($0["id"]?.scalar ?? "") })
                    }
                default: break
                }
            }
        }
        return YNode(value: .mapping(basePairs), location: base.location)
    }

    /// Entries by key: an entry of the variant replaces the base's entry of the same name.
    static func mergeMapping(_ base: YNode, _ over: YNode) -> YNode {
        guard var pairs = base.pairs, let o = over.pairs else { return over }
        for (k, v) in o {
            if let i = pairs.firstIndex(where: { $0.key.scalar == k.scalar }) { pairs[i] = (k, v) } else { pairs.append((k, v)) }
        }
        return YNode(value: .mapping(pairs), location: base.location)
    }

    /// Items by `id`: the variant's keys replace the same keys of the base item; new ids are added.
    static func mergeList(_ base: YNode, _ over: YNode) -> YNode {
        guard var items = base.items, let o = over.items else { return over }
        for item in o {
            guard let id = item["id"]?.scalar, let i = items.firstIndex(where: { $0["id"]?.scalar == id }),
                  let bp = items[i].pairs, let op = item.pairs else {
                items.append(item)
                continue
            }
            var merged = bp
            for (k, v) in op {
                if let j = merged.firstIndex(where: { $0.key.scalar == k.scalar }) { merged[j] = (k, v) } else { merged.append((k, v)) }
            }
            items[i] = YNode(value: .mapping(merged), location: items[i].location)
        }
        return YNode(value: .sequence(items), location: base.location)
    }
}
