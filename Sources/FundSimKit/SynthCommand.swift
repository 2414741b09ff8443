import Foundation
import FundSimModel
import FundSimWriters

/// `fundsim roster synth`: a synthetic roster to standard output, or to a file written safely.
public struct SynthCommand {
    public var villages: Int
    public var communities: Int?
    public var seed: UInt64 = 1
    /// The file to write, or nil for standard output.
    public var output: String?
    public var force = false

    public init(villages: Int) { self.villages = villages }

    /// Why the options cannot work, or nil.
    public static func problem(villages: Int, communities: Int?) -> String? {
        if villages < 1 || villages > Roster.maxRows { return "--villages must be between 1 and \(Roster.maxRows)" }
        if let communities, communities < 0 || villages + communities > Roster.maxRows {
            return "--communities must be between 0 and \(Roster.maxRows - villages) (a roster holds at most \(Roster.maxRows) rows)"
        }
        return nil
    }

    public func execute(_ console: Console = .standard) -> Int32 {
        let communities = self.communities ?? villages / 5
        guard let output else {
            RosterSynth.generate(villages: villages, communities: communities, seed: seed) { console.out($0) }
            return ExitStatus.ok
        }
        do {
            try SafeOutput(force: force).write(output, chunks: { emit in
                var failure: Error?
                RosterSynth.generate(villages: villages, communities: communities, seed: seed) { text in
                    guard failure == nil else { return }
                    do { try emit(text) } catch { failure = error }
                }
                if let failure { throw failure }
            })
        } catch {
            console.err("error: \(error)\n")
            return ExitStatus.cannotWrite
        }
        return ExitStatus.ok
    }
}
