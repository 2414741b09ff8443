import Foundation
import Testing

/// A program or Python package outside the Swift toolchain that some tests need.
///
/// Every test that needs one declares it with ``Testing/Trait/requires(_:)``; nothing else in the
/// suite looks for outside tools. `make test` installs all of them.
public enum ExternalTool: String, CaseIterable, Sendable, CustomStringConvertible {
    case python3
    case openpyxl
    case jsonschema
    case pyyaml
    case calamine
    case pandas
    case libreOffice
    case gnumeric

    /// The programs looked up on `PATH`, any one of which will do (LibreOffice may be installed as
    /// `soffice` or `libreoffice`); empty for a Python package. The Makefile's `TEST_PROGRAMS` lists the same.
    public var programs: [String] {
        switch self {
        case .python3: ["python3"]
        case .libreOffice: ["soffice", "libreoffice"]
        case .gnumeric: ["ssconvert"]
        default: []
        }
    }

    /// The first program of ``programs``; `nil` for a Python package.
    public var program: String? { programs.first }

    /// The module a Python package is imported as; `nil` for a program.
    public var pythonModule: String? {
        switch self {
        case .openpyxl: "openpyxl"
        case .jsonschema: "jsonschema"
        case .pyyaml: "yaml"
        case .calamine: "python_calamine"
        case .pandas: "pandas"
        case .python3, .libreOffice, .gnumeric: nil
        }
    }

    public var description: String {
        switch self {
        case .python3: "python3"
        case .openpyxl: "Python's openpyxl"
        case .jsonschema: "Python's jsonschema"
        case .pyyaml: "Python's PyYAML"
        case .calamine: "Python's python-calamine"
        case .pandas: "Python's pandas"
        case .libreOffice: "LibreOffice (soffice)"
        case .gnumeric: "Gnumeric (ssconvert)"
        }
    }
}

/// Finds the outside tools once per test run and decides whether a test that needs them runs.
///
/// - Locally, a test whose tool is missing is **skipped** (shown as skipped, never as passed).
/// - With `CI=true` it runs and **fails** at once, naming what is missing.
/// - `FUNDSIM_SKIP_EXTERNAL=1` (what `make test-quick` sets) skips every such test on purpose, even
///   when the tools are there; CI ignores it, because CI must run everything.
///
/// Tools are looked up on `PATH`, as the scripts the tests run look them up, so a test run with a
/// different `PATH` (for example one without `soffice`) sees exactly what those scripts would see.
public enum ExternalTools {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// Whether this is a CI run (`CI=true`), where a missing tool fails instead of skipping.
    public static var isCI: Bool { environment["CI"] == "true" }

    /// Whether the person running the tests asked to skip those needing outside tools.
    public static var skipRequested: Bool { environment["FUNDSIM_SKIP_EXTERNAL"] == "1" && !isCI }

    /// The first executable file called `name` in a folder on `PATH`.
    public static func onPath(_ name: String) -> String? {
        for folder in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = String(folder) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// `python3` on `PATH`.
    public static let python3: String? = onPath(ExternalTool.python3.program!)

    /// Why each missing tool cannot be used; a tool that is present has no entry.
    static let problems: [ExternalTool: String] = {
        var problems: [ExternalTool: String] = [:]
        let modules = ExternalTool.allCases.compactMap(\.pythonModule)
        if let python3 {
            // One interpreter start for all packages: each is imported, as the test scripts will.
            let probe = "import importlib, sys\nfor m in sys.argv[1:]:\n    try: importlib.import_module(m)\n    except Exception as e: print(m, type(e).__name__, e)"
            let result = try? runProcess(python3, ["-c", probe] + modules)
            for tool in ExternalTool.allCases {
                guard let module = tool.pythonModule else { continue }
                if let result, result.status == 0 {
                    if let line = result.stdout.split(separator: "\n").first(where: { $0.hasPrefix(module + " ") }) {
                        problems[tool] = "\(python3) cannot import \(module): \(line.dropFirst(module.count + 1))"
                    }
                } else {
                    problems[tool] = "\(python3) could not be asked for \(module): \(result?.stderr ?? "did not start")"
                }
            }
        } else {
            problems[.python3] = "no python3 on PATH"
            for tool in ExternalTool.allCases where tool.pythonModule != nil { problems[tool] = "no python3 on PATH" }
        }
        // recalc.py also accepts LibreOffice installed as `libreoffice`.
        for tool in [ExternalTool.libreOffice, .gnumeric] where executable(tool) == nil {
            problems[tool] = "no " + tool.programs.joined(separator: " or ") + " on PATH"
        }
        return problems
    }()

    /// The path of the first of `tool`'s programs found on `PATH`, or `nil`.
    public static func executable(_ tool: ExternalTool) -> String? {
        tool.programs.lazy.compactMap(onPath).first
    }

    /// Why `tool` cannot be used here, or `nil` when it can.
    public static func problem(_ tool: ExternalTool) -> String? { problems[tool] }

    /// Whether a test needing `tools` runs: `true` when all are present, `false` (skip) when one is
    /// missing or skipping was asked for, and a thrown ``Missing`` under CI when one is missing.
    static func shouldRun(_ tools: [ExternalTool]) throws -> Bool {
        if skipRequested { return false }
        return try decide(missing: tools.compactMap { tool in problem(tool).map { "\(tool): \($0)" } }, isCI: isCI)
    }

    /// The rule itself: run when nothing is `missing`; otherwise skip, or throw under CI.
    public static func decide(missing: [String], isCI: Bool) throws -> Bool {
        if missing.isEmpty { return true }
        if isCI { throw Missing(details: missing) }
        return false
    }

    /// A needed tool is missing in a CI run.
    public struct Missing: Error, CustomStringConvertible {
        public let details: [String]
        public var description: String {
            "CI=true but a tool this test needs is missing — " + details.joined(separator: "; ")
                + ". `make test` installs everything the suite needs."
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only where `tools` are present; under `CI=true` a missing tool fails it instead.
    ///
    /// A skipped test is reported as skipped with this comment, never as passed.
    public static func requires(_ tools: ExternalTool...) -> Self {
        let names = tools.map(\.description).joined(separator: ", ")
        return .enabled(
            "needs \(names): `make test` installs it (skipped when missing, or with FUNDSIM_SKIP_EXTERNAL=1; fails with CI=true)"
        ) {
            try ExternalTools.shouldRun(tools)
        }
    }
}
