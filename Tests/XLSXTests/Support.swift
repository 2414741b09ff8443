import Foundation
import Testing

/// A JSON value as `read_xlsx.py` prints it; missing keys read as `.null`.
enum JSON: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSON].self))
        }
    }

    subscript(key: String) -> JSON {
        if case .object(let object) = self { return object[key] ?? .null }
        return .null
    }

    subscript(index: Int) -> JSON {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return .null
    }

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var number: Double? { if case .number(let n) = self { n } else { nil } }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    var count: Int {
        switch self {
        case .array(let a): a.count
        case .object(let o): o.count
        default: 0
        }
    }
}

/// Reads workbooks back with Python's openpyxl, a reader that shares no code with libxlsxwriter.
enum Reader {
    /// `read_xlsx.py`, next to this file.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("read_xlsx.py").path

    /// Whether this is a CI run, where a missing reader must fail rather than skip.
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Why openpyxl cannot be used here, or `nil` when it can.
    static let openpyxlProblem: String? = {
        do {
            let result = try run(["python3", "-c", "import openpyxl"])
            return result.status == 0
                ? nil : "python3 cannot import openpyxl: \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
        } catch {
            return "cannot run python3: \(error)"
        }
    }()

    /// Run the reader tests unless openpyxl is missing outside CI; in CI they run and fail loudly.
    static var enabled: Bool { openpyxlProblem == nil || isCI }

    /// Fails the current test with install instructions when openpyxl is missing (only reached in CI).
    static func requireOpenpyxl(sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(
            openpyxlProblem == nil,
            "\(openpyxlProblem ?? ""). The xlsx round-trip tests need it: run `make test-deps` or `python3 -m pip install openpyxl`.",
            sourceLocation: sourceLocation)
    }

    /// The JSON dump of the workbook at `path`.
    static func read(_ path: String) throws -> JSON {
        let result = try run(["python3", script, path])
        guard result.status == 0 else {
            throw ReaderFailure(message: "read_xlsx.py exited \(result.status): \(result.stderr)")
        }
        return try JSONDecoder().decode(JSON.self, from: result.stdout)
    }

    struct ReaderFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// Runs a command found on PATH, collecting its output.
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let stdout = Pipe()
        // stderr goes to a file so that neither pipe can fill up and stall the child.
        let errorFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("read_xlsx-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        defer { try? errorHandle.close() }
        process.standardOutput = stdout
        process.standardError = errorHandle
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return (process.terminationStatus, output, errors)
    }
}

/// A fresh folder for one test's files, removed afterwards.
final class ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("XLSXTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` inside the folder.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
