import Foundation
import Testing
import FundSimKit
import FundSimReport
import FundSimWriters

/// A workbook written while it is built (each sheet handed to the writer as soon as it is finished) must be the
/// workbook written after it is built, byte for byte.
@Suite("Writing while building")
struct SheetHandOverTests {
    static let scenarios = [
        Project.root + "/scenarios/enshi.yaml",                                     // a collective-economy sheet
        Project.root + "/Tests/FundSimTests/Fixtures/actuals/scenario.yaml",       // an actuals sheet
        Project.root + "/scenarios/small-wins.yaml",
    ]

    @Test("the writer takes the sheets in book order and writes the same bytes as from the finished book", arguments: scenarios)
    func sameBytes(_ path: String) throws {
        let r = Pipeline(seedsDirectory: Project.seeds).project(path)
        let p = try #require(r.projection, "\(r.rendered)")
        let scenario = try #require(r.scenario)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("handover-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        var after = WorkbookBuilder(scenario: scenario, projection: p)
        let book = after.build()
        try XLSXRenderer.write(book, to: dir + "/after.xlsx")

        // The same build with a writer on another thread, taking each sheet as it comes.
        let handOver = SheetHandOver()
        var during = WorkbookBuilder(scenario: scenario, projection: p)
        during.handOver = handOver
        let outcome = Outcome()
        let writer = Thread {
            do { try XLSXRenderer.write(handOver, to: dir + "/during.xlsx") } catch { outcome.failure = "\(error)" }
            outcome.done.signal()
        }
        writer.stackSize = 8 << 20
        writer.start()
        let duringBook = during.build()
        handOver.fill(.pullRecord, nil)
        outcome.done.wait()
        #expect(outcome.failure == nil)
        #expect(duringBook.sheets.map(\.name) == book.sheets.map(\.name))
        let a = try #require(FileManager.default.contents(atPath: dir + "/after.xlsx"))
        let d = try #require(FileManager.default.contents(atPath: dir + "/during.xlsx"))
        #expect(a == d, "\(path): \(a.count) bytes after building, \(d.count) while building")
    }

    @Test("the writer waits for a place not yet filled and skips a place filled with no sheet")
    func order() {
        let handOver = SheetHandOver()
        let outcome = Outcome()
        Thread {
            while let s = handOver.next() { outcome.taken.append(s.name) }
            outcome.done.signal()
        }.start()
        // Filled out of order, as two threads do; some places have no sheet.
        for place in SheetHandOver.Place.allCases.reversed() {
            handOver.fill(place, place.rawValue % 3 == 1 ? nil : ReportSheet(name: "\(place)"))
        }
        outcome.done.wait()
        #expect(outcome.taken == SheetHandOver.Place.allCases.filter { $0.rawValue % 3 != 1 }.map { "\($0)" })
    }

    /// What the writer's thread reports, read once `done` is signalled.
    final class Outcome: @unchecked Sendable {
        var failure: String?
        var taken: [String] = []
        let done = DispatchSemaphore(value: 0)
    }
}
