import FundSimModel
import Foundation

/// Where the files a scenario names may lie: inside its project, unless the command line allows more.
///
/// The project is the folder holding the nearest `seeds/` above the scenario, or else the scenario's own
/// folder. `extends:`, `roster:`, `document:` and `cite: {file:}` resolve inside it, symbolic links resolved
/// first, so a scenario from someone else cannot read — or test the contents of — any other file on the machine.
public struct ProjectScope: Sendable {
    /// The project folder, symbolic links resolved.
    public let root: String
    /// Further files or folders the command line allows (`--allow-outside PATH`), links resolved.
    public let allowed: [String]

    /// The scope of the scenario at `scenario`; `allowOutside` as given on the command line.
    public init(scenario: String, allowOutside: [String] = []) {
        let seeds = ScenarioLoader.findSeeds(near: scenario)
        let folder = seeds.map { ($0 as NSString).deletingLastPathComponent }
            ?? (Self.absolute(scenario) as NSString).deletingLastPathComponent
        root = Self.resolved(folder)
        allowed = allowOutside.map { Self.resolved($0) }
    }

    /// Whether `path` lies inside the project or an allowed place, once its links are resolved.
    public func admits(_ path: String) -> Bool {
        let p = Self.resolved(path)
        return ([root] + allowed).contains { p == $0 || p.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
    }

    /// The diagnostic for a file named at `location` (by `key`) that lies outside: it names the file as written,
    /// never its contents (the file is not read).
    public func outside(_ written: String, key: String, at location: SourceLocation) -> Diagnostic {
        .error("`\(key)` names `\(Limits.escaped(written, keepingNewlines: false))`, outside the scenario's project", at: location,
               hint: "a scenario reads only files inside its project (the folder holding `seeds/`, or the scenario's own folder); "
                   + "to allow another place, pass --allow-outside PATH")
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// The path with `.`/`..` and every symbolic link resolved; for a path that does not exist, its nearest
    /// existing ancestor is resolved and the rest appended.
    static func resolved(_ path: String) -> String {
        var head = (absolute(path) as NSString).standardizingPath
        var tail: [String] = []
        while !head.isEmpty && head != "/" {
            if let r = realpath(head, nil) {
                defer { free(r) }
                let base = String(cString: r)
                return tail.isEmpty ? base : (base as NSString).appendingPathComponent(tail.reversed().joined(separator: "/"))
            }
            tail.append((head as NSString).lastPathComponent)
            head = (head as NSString).deletingLastPathComponent
        }
        return "/" + tail.reversed().joined(separator: "/")
    }
}
