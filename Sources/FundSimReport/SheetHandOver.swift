import Foundation

/// A workbook's sheets handed, in book order, from the threads that build them to the one that writes them, each
/// as soon as it is finished: writing a sheet then overlaps building the sheets after it.
///
/// Each place of the book is filled once, with its sheet or with none (a sheet this workbook does not have); the
/// writer takes the places in order and waits at one not yet filled. The writer sees the same sheets in the same
/// order as in the finished ``ReportBook``, so the file is the same whether it is written during the building or after.
public final class SheetHandOver: @unchecked Sendable {
    /// A workbook's sheets in book order. The record for `pull` is not the builder's: the caller fills its place.
    public enum Place: Int, CaseIterable, Sendable {
        case summary, inputs, actuals, calculations, collective, funding, checks, sources, pullRecord, county, detail, scenarioValues
    }

    private let condition = NSCondition()
    private var head: ReportBook?
    private var sheets = [ReportSheet?](repeating: nil, count: Place.allCases.count)
    private var filled = [Bool](repeating: false, count: Place.allCases.count)
    private var names: [(name: String, formula: String)]?
    private var taken = 0

    public init() {}

    /// The book's properties and words (its sheets not yet built), set once before any sheet.
    func begin(_ book: ReportBook) {
        condition.lock(); defer { condition.unlock() }
        head = book
        condition.broadcast()
    }

    /// Fills a place with its finished sheet, or with none.
    public func fill(_ place: Place, _ sheet: ReportSheet?) {
        condition.lock(); defer { condition.unlock() }
        precondition(!filled[place.rawValue], "a workbook place is filled once")
        sheets[place.rawValue] = sheet
        filled[place.rawValue] = true
        condition.broadcast()
    }

    /// The book's defined names, set once every sheet is built.
    func finish(definedNames: [(name: String, formula: String)]) {
        condition.lock(); defer { condition.unlock() }
        names = definedNames
        condition.broadcast()
    }

    // MARK: The writer's side

    /// The book's properties and words; waits for ``begin(_:)``.
    public func waitForHead() -> ReportBook {
        condition.lock(); defer { condition.unlock() }
        while head == nil { condition.wait() }
        return head!
    }

    /// The next sheet in book order, waiting until it is built; nil after the last.
    public func next() -> ReportSheet? {
        condition.lock(); defer { condition.unlock() }
        while taken < filled.count {
            while !filled[taken] { condition.wait() }
            let sheet = sheets[taken]
            sheets[taken] = nil
            taken += 1
            if let sheet { return sheet }
        }
        return nil
    }

    /// The book's defined names; waits for ``finish(definedNames:)``.
    public func waitForDefinedNames() -> [(name: String, formula: String)] {
        condition.lock(); defer { condition.unlock() }
        while names == nil { condition.wait() }
        return names!
    }
}
