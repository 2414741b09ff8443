import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// Lays a projection out as a live workbook model: inputs, calculations, funding, checks, sources, summary.
///
/// Every calculated cell is a formula over the Inputs cells, written with the engine's value as its
/// cached result, so the file shows numbers at once and recalculates to the same numbers.
public struct WorkbookBuilder {
    public let scenario: Scenario
    public let projection: Projection
    public let labels: Labels
    var model: Model { projection.model }

    /// Layout: label, name, unit, value (scalars) and then one column per year.
    public static let labelCol = 0, nameCol = 1, unitCol = 2, valueCol = 3, firstYearCol = 4
    public static let headerRow = 2

    /// Where each model row sits: sheet and 0-based row.
    public internal(set) var placement: [Int: (sheet: String, row: Int)] = [:]
    /// Other scenarios the live model can switch to (for `fundsim compare`): their inputs sit on a
    /// scenario-values sheet, and the Inputs cells pick the selected scenario's values.
    public var alternatives: [(scenario: Scenario, projection: Projection)] = []
    /// Whether to add the per-village detail sheet (one row per roster row) when the scenario has a roster.
    public var includeDetail = false
    /// Where each sheet goes as soon as it is built, for a writer working while the rest is built; the caller fills
    /// the place of the record for `pull` (``SheetHandOver/Place/pullRecord``), with nil when there is none.
    public var handOver: SheetHandOver?
    /// Where each input row's block of values (one row per scenario) starts on the scenario-values sheet.
    var valueBlock: [Int: Int] = [:]
    var selectorIndex = ""
    /// The scenario names on the scenario-values sheet, as a range: the Summary's drop-down lists them.
    var scenarioNames = ""
    /// Scalar inputs that some compared scenario gives per year: they switch year by year.
    var switchSeries: Set<Int> = []
    var unitCell = ""
    /// Each row's money degree (``MoneyScale/rowDegrees(_:)``), settled once per build.
    var degrees: [Int] = []
    /// The sheets that hold model rows (where a formula's year is the header cell above it), settled with `placement`.
    var placedSheets: Set<String> = []
    var citations: [Citation] = []
    var citationNumber: [Citation: Int] = [:]
    /// Every placed row's reference text, settled once the rows are placed (see ``rowRefs``).
    var references: RowRefs?

    public init(scenario: Scenario, projection: Projection) {
        self.scenario = scenario
        self.projection = projection
        self.labels = Labels(scenario.language, unit: scenario.unit)
    }

    var years: [Int] { model.years }
    var lastYearCol: Int { Self.firstYearCol + years.count - 1 }
    func yearCol(_ y: Int) -> Int { Self.firstYearCol + y }

    // MARK: Building

    public mutating func build() -> ReportBook {
        var book = ReportBook()
        book.properties.title = scenario.title
        book.properties.subject = labels[.grassrootsFundingCommitmentsProjection]
        book.properties.company = scenario.region
        book.properties.keywords = "FundSim, \(scenario.region), \(scenario.years.lowerBound)-\(scenario.years.upperBound)"
        book.properties.comments = labels[.writtenByFundSimFrom] + scenario.slug + ".yaml" + (scenario.description.map { "\n" + $0 } ?? "")
        book.properties.created = Self.creationDate(scenario)
        book.checkWords = (labels[.checkPassWord], labels[.checkFailWord])
        book.failingCountWord = labels[.failingCountWord]
        book.moneyExtraPlaces = style.moneyExtraPlaces
        handOver?.begin(book)

        references = nil
        collectCitations()
        let hasCollective = model.commitments.contains { $0.kind == CommitmentKindSpec.collectiveEconomy.key }
        // Place rows first so that formulas can refer forward; each row's money degree is worked out on a second
        // core meanwhile (placing needs none).
        let model = self.model
        let (attributionStart, rowDegrees) = BothCores.run({ self.placeRows(hasCollective: hasCollective) }, { MoneyScale.rowDegrees(model) })
        degrees = rowDegrees
        placedSheets = Set(placement.values.map(\.sheet))

        var scenarioValues: ReportSheet? = nil
        if !alternatives.isEmpty { scenarioValues = writeScenarioValues() }
        settleReferences()
        // The sheets read the settled builder only: the checks, summary and funding sheets are built on a second core
        // while this one builds the inputs, calculations and sources. Each sheet is handed to the writer (when there
        // is one) as soon as it is finished.
        let settled = self
        let (builtHere, builtThere) = BothCores.run({ () -> [(SheetHandOver.Place, ReportSheet)] in
            let sourcing = projection.sourcing()
            var inputs = ReportSheet(name: labels.inputs)
            writeInputs(&inputs)
            var done = [finished(.inputs, inputs), finished(.actuals, writeActuals())]
            var calc = ReportSheet(name: labels.calculations)
            writeCommitmentSheet(&calc, collectiveSheet: false)
            annotateSourcing(&calc, sourcing: sourcing)
            done.append(finished(.calculations, calc))
            var collective: ReportSheet? = nil
            if hasCollective {
                var sheet = ReportSheet(name: labels.collective)
                writeCommitmentSheet(&sheet, collectiveSheet: true)
                annotateSourcing(&sheet, sourcing: sourcing)
                collective = sheet
            }
            done.append(finished(.collective, collective))
            done.append(finished(.sources, writeSources()))
            return done.compactMap { $0 }
        }, { () -> [(SheetHandOver.Place, ReportSheet)] in
            // The checks first: the Summary, the book's first sheet, shows their results.
            var checks = ReportSheet(name: settled.labels.checks)
            let overall = settled.writeChecks(&checks)
            var done = [settled.finished(.summary, settled.writeSummary(checks: overall))]
            let sourcing = settled.projection.sourcing()
            var funding = ReportSheet(name: settled.labels.funding)
            settled.writeFunding(&funding, attributionStart: attributionStart)
            settled.annotateSourcing(&funding, sourcing: sourcing)
            settled.annotateFundingStatus(&funding)
            done.append(settled.finished(.funding, funding))
            settled.annotateChecks(&checks, sourcing: sourcing)
            done.append(settled.finished(.checks, checks))
            return done.compactMap { $0 }
        })
        var built = Dictionary(uniqueKeysWithValues: builtHere + builtThere)
        let rest: [(SheetHandOver.Place, ReportSheet?)] = [
            (.county, RosterSheets.countySheet(scenario, projection, labels: labels)),
            (.detail, writesDetail ? RosterSheets.detailSheet(scenario, projection, labels: labels) : nil),
            (.scenarioValues, scenarioValues)]
        for (place, sheet) in rest { if let (p, s) = finished(place, sheet) { built[p] = s } }
        book.sheets = SheetHandOver.Place.allCases.compactMap { built[$0] }
        book.definedNames = definedNames()
        handOver?.finish(definedNames: book.definedNames)
        return book
    }

    /// A sheet is finished once its partial sums are placed below it; it is then handed to the writer at once.
    func finished(_ place: SheetHandOver.Place, _ sheet: ReportSheet?) -> (SheetHandOver.Place, ReportSheet)? {
        var sheet = sheet
        sheet?.placePartialSums()
        handOver?.fill(place, sheet)
        return sheet.map { (place, $0) }
    }

    /// Whether the book has the per-village detail sheet: it streams, so the file is written after the building.
    public var writesDetail: Bool { includeDetail && scenario.roster != nil }

    /// Places every model row on its sheet (``placement``); returns the first row of the Funding sheet's attribution.
    mutating func placeRows(hasCollective: Bool) -> Int {
        placeInputs()
        placeActuals()
        var r = Self.headerRow + 2
        for c in model.commitments where c.kind != CommitmentKindSpec.collectiveEconomy.key {
            r += 1
            for id in c.rows where isFormula(id) { placement[model.index[id]!] = (labels.calculations, r); r += 1 }
            r += 1
        }
        r += 1
        for cat in Category.allCases { placement[model.index["total.\(cat.rawValue)"]!] = (labels.calculations, r); r += 1 }
        placement[model.index["total"]!] = (labels.calculations, r)
        if hasCollective {
            r = Self.headerRow + 2
            for c in model.commitments where c.kind == CommitmentKindSpec.collectiveEconomy.key {
                r += 1
                for id in c.rows where isFormula(id) { placement[model.index[id]!] = (labels.collective, r); r += 1 }
                r += 1
            }
        }
        r = Self.headerRow + 2
        let fundingRows = fundingFormulaRows()
        for c in model.commitments {
            r += 1
            for i in fundingRows[c.id] ?? [] { placement[i] = (labels.funding, r); r += 1 }
            r += 1
        }
        r += 1
        for s in model.sources {
            r += 1
            for id in [s.committedRow, s.envelopeRow, s.gapRow, s.cumulativeGapRow].compactMap({ $0 }) {
                placement[model.index[id]!] = (labels.funding, r); r += 1
            }
            r += 1
        }
        let attributionStart = r + 1
        r = Self.headerRow + 4
        for ch in model.checks {
            placement[model.index[ch.row]!] = (labels.checks, r)
            if let l = ch.lhsRow, model.rows[model.index[l]!].section == .check { placement[model.index[l]!] = (labels.checks, r + 1) }
            if let h = ch.rhsRow, model.rows[model.index[h]!].section == .check { placement[model.index[h]!] = (labels.checks, r + 2) }
            r += 4
        }
        return attributionStart
    }

    /// The workbook's creation time: the scenario's `created`, else SOURCE_DATE_EPOCH, else 1 January of the
    /// first projection year, so that the same scenario always gives the same bytes.
    public static func creationDate(_ s: Scenario) -> Date {
        if let c = s.created { return c }
        if let e = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let t = Double(e), t > 0 { return Date(timeIntervalSince1970: t) }
        var comps = DateComponents()
        // The first projection year, kept within the years a workbook can record (a projection may start in 1950).
        comps.year = min(max(s.years.lowerBound, Limits.createdYears.lowerBound), Limits.createdYears.upperBound); comps.month = 1; comps.day = 1
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        return cal.date(from: comps) ?? Date(timeIntervalSince1970: 86400)
    }

    func isFormula(_ id: String) -> Bool {
        guard let i = model.index[id] else { return false }
        return !model.rows[i].isInput
    }

    // MARK: Names

    func definedNames() -> [(name: String, formula: String)] {
        var out: [(name: String, formula: String)] = [(labels[.unitDivisor], "=" + unitCell)]
        for (i, row) in model.rows.enumerated() where row.section == .input && row.owner == nil && Self.isDefinableName(row.id) {
            guard let (sheet, r) = placement[i] else { continue }
            switch row.definition {
            case .scalar:
                out.append((row.id, "=" + CellRef.sheetPrefix(sheet) + CellRef.name(row: r, col: Self.valueCol, absolute: true)))
            case .series, .formula:
                out.append((row.id, "=" + CellRef.sheetPrefix(sheet) + CellRef.name(row: r, col: Self.firstYearCol, absolute: true) + ":" + CellRef.name(row: r, col: lastYearCol, absolute: true)))
            }
        }
        return out
    }

    /// Whether a spreadsheet accepts this as a defined name (not a cell reference, no punctuation).
    public static func isDefinableName(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || CharacterSet.letters.contains(f),
              s.utf8.count < 128 else { return false } // libxlsxwriter's limit on a defined name; a longer input has none
        guard s.unicodeScalars.allSatisfy({ $0 == "_" || CharacterSet.alphanumerics.contains($0) }) else { return false }
        let upper = s.uppercased()
        // Names that look like A1 or R1C1 references are not allowed.
        if upper.range(of: "^[A-Z]{1,3}[0-9]+$", options: .regularExpression) != nil { return false }
        if upper.range(of: "^R[0-9]*C?[0-9]*$", options: .regularExpression) != nil || upper == "C" { return false }
        if ["TRUE", "FALSE"].contains(upper) { return false }
        return true
    }
}
