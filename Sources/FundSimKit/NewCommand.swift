import Foundation
import FundSimWriters

/// `fundsim new`: a commented starter scenario, written as safely as `run` writes its files.
public struct NewCommand {
    /// The new scenario's name or path (`.yaml` is added).
    public var name: String
    public var force = false

    public init(name: String) { self.name = name }

    public var path: String { name.hasSuffix(".yaml") ? name : name + ".yaml" }

    /// Exit 0; 73 when the file cannot be written, or exists (without `force`): a refused output is a
    /// cannot-write, as in `run`.
    public func execute(_ console: Console = .standard) throws -> Int32 {
        do {
            // A scenario is someone's work: never replaced without --force, even one FundSim wrote.
            if FileManager.default.fileExists(atPath: path), !force {
                throw SafeOutput.Failure(path: path, reason: "the file exists, and a scenario is never replaced",
                                         hint: "choose another name, or pass --force to replace it")
            }
            try SafeOutput(force: force).write(path, data: Data(Starter.text(for: path).utf8))
        } catch {
            console.err("error: \(error)\n")
            return ExitStatus.cannotWrite
        }
        console.out("wrote \(path); try: fundsim run \(path)\n")
        return ExitStatus.ok
    }
}
