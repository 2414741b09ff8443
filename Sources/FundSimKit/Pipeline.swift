import Foundation
import FundSimModel
import FundSimScenario
import FundSimEngine
import FundSimReport

/// Output formats `fundsim run` can write.
public enum OutputFormat: String, CaseIterable, Sendable {
    case xlsx, csv, json
}

/// Scenario file → validated scenario → projection → files: the path every command shares.
public struct Pipeline {
    public var seedsDirectory: String?
    public init(seedsDirectory: String? = nil) { self.seedsDirectory = seedsDirectory }

    /// A loaded and projected scenario, or the diagnostics that stopped it.
    public struct Result {
        public var path: String
        public var scenario: Scenario?
        public var projection: Projection?
        public var diagnostics: [Diagnostic]
        public var sources: [String: String]
        public var ok: Bool { projection != nil }
        public var rendered: String { DiagnosticRenderer(sources: sources).render(diagnostics) }
    }

    /// Loads, compiles and evaluates one scenario file.
    public func project(_ path: String) -> Result {
        var loader = ScenarioLoader(seedsDirectory: seedsDirectory)
        let outcome = loader.load(path: path)
        return finish(path, outcome, loader.sources)
    }

    /// The same from text (tests, the fuzzer and `watch`).
    public func project(text: String, path: String) -> Result {
        var loader = ScenarioLoader(seedsDirectory: seedsDirectory)
        let outcome = loader.load(text: text, path: path)
        return finish(path, outcome, loader.sources)
    }

    private func finish(_ path: String, _ outcome: ScenarioLoader.Outcome, _ sources: [String: String]) -> Result {
        var r = Result(path: path, scenario: outcome.scenario, projection: nil, diagnostics: outcome.diagnostics, sources: sources)
        guard let scenario = outcome.scenario else { return r }
        switch Compiler.compile(scenario) {
        case .failure(let list):
            r.diagnostics += list.diagnostics
        case .success(let model):
            switch Projection.evaluate(model) {
            case .failure(let list): r.diagnostics += list.diagnostics
            case .success(let p): r.projection = p
            }
        }
        return r
    }

    /// Writes the projection's files into `directory`; returns their paths.
    public func write(_ scenario: Scenario, _ projection: Projection, to directory: String, formats: [OutputFormat],
                      force: Bool = false) throws -> [String] {
        let safe = SafeOutput(force: force)
        var written: [String] = []
        let base = (directory as NSString).appendingPathComponent(scenario.slug)
        for f in formats {
            let path = base + "." + f.rawValue
            switch f {
            case .xlsx:
                var builder = WorkbookBuilder(scenario: scenario, projection: projection)
                let book = builder.build()
                try safe.write(path) { tmp in try XLSXRenderer.write(book, to: tmp) }
            case .csv:
                try safe.write(path, data: Data(TidyExport.csv(scenario, projection).utf8))
            case .json:
                try safe.write(path, data: Data(TidyExport.json(scenario, projection).utf8))
            }
            written.append(path)
        }
        return written
    }

    /// Scenario files named on the command line: files as given, folders by their `*.yaml` files in name order.
    public static func expand(_ paths: [String]) -> [String] {
        var out: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue {
                let files = ((try? FileManager.default.contentsOfDirectory(atPath: p)) ?? [])
                    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                out += files.map { (p as NSString).appendingPathComponent($0) }
            } else {
                out.append(p)
            }
        }
        return out
    }
}
