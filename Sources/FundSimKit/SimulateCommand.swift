import Foundation
import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters

/// `fundsim simulate`: Monte Carlo over inputs with a distribution; P10/P50/P90 and check probabilities.
public struct SimulateCommand {
    public var file: String
    public var draws = 1000
    public var seed: UInt64 = 1
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    public var output = "output"
    public var force = false
    public var workbook = true
    public var seeds: String?
    /// Files or folders outside the scenario's project that it may name (`--allow-outside`).
    public var allowOutside: [String] = []

    public init(file: String) { self.file = file }

    public static let drawsRange = 1...10_000_000
    public static let threadsRange = 1...256

    /// What is wrong with these options (a usage mistake), or nil.
    public static func problem(draws: Int, threads: Int) -> String? {
        if !drawsRange.contains(draws) { return "--draws must be between 1 and 10,000,000" }
        if !threadsRange.contains(threads) { return "--threads must be between \(threadsRange.lowerBound) and \(threadsRange.upperBound)" }
        return nil
    }

    public func execute(_ console: Console = .standard) -> Int32 {
        let pipeline = Pipeline(seedsDirectory: seeds, allowOutside: allowOutside)
        guard let (s, p) = pipeline.projectValid(file, console) else { return ExitStatus.invalid }
        let bar = ProgressBar(total: draws)
        let r = Analysis.simulate(p.model, draws: draws, seed: seed, threads: threads) { bar.update($0) }
        if let problem = r.problem {
            console.err(DiagnosticRenderer().render(problem.described))
            console.err("\(file): \(problem.count) of \(draws) draws give figures a run would refuse; narrow the distributions\n")
            return ExitStatus.invalid
        }
        console.out(AnalysisReports.simulationTable(s, r, years: p.years))
        guard workbook else { return ExitStatus.ok }
        return pipeline.writeWorkbook(AnalysisReports.simulationBook(s, r, years: p.years), folder: output, name: "\(s.slug)-simulation.xlsx", force: force, console)
    }
}

/// A progress bar on standard error, shown only when it is a terminal.
final class ProgressBar: @unchecked Sendable {
    let total: Int
    let enabled = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    init(total: Int) { self.total = total }
    func update(_ done: Int) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let width = 30, filled = min(width, done * width / max(1, total))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(min(done, total))/\(total)".utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
