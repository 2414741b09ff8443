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
    public private(set) var placement: [Int: (sheet: String, row: Int)] = [:]
    /// Other scenarios the live model can switch to (for `fundsim compare`): their inputs sit on a
    /// scenario-values sheet, and the Inputs cells pick the selected scenario's values.
    public var alternatives: [(scenario: Scenario, projection: Projection)] = []
    /// Whether to add the per-village detail sheet (one row per roster row) when the scenario has a roster.
    public var includeDetail = false
    /// Where each input row's block of values (one row per scenario) starts on the scenario-values sheet.
    private var valueBlock: [Int: Int] = [:]
    private var selectorIndex = ""
    /// Scalar inputs that some compared scenario gives per year: they switch year by year.
    private var switchSeries: Set<Int> = []
    private var unitCell = ""
    private var citations: [Citation] = []
    private var citationNumber: [Citation: Int] = [:]

    public init(scenario: Scenario, projection: Projection) {
        self.scenario = scenario
        self.projection = projection
        self.labels = Labels(scenario.language)
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

        collectCitations()
        var inputs = ReportSheet(name: labels.inputs)
        var calc = ReportSheet(name: labels.calculations)
        var collective = ReportSheet(name: labels.collective)
        var funding = ReportSheet(name: labels.funding)
        var checks = ReportSheet(name: labels.checks)
        let hasCollective = model.commitments.contains { $0.kind == CommitmentKindSpec.collectiveEconomy.key }

        // Place rows first so that formulas can refer forward.
        placeInputs()
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

        var scenarioValues: ReportSheet? = nil
        if !alternatives.isEmpty { scenarioValues = writeScenarioValues() }
        writeInputs(&inputs)
        writeCommitmentSheet(&calc, collectiveSheet: false)
        if hasCollective { writeCommitmentSheet(&collective, collectiveSheet: true) }
        writeFunding(&funding, attributionStart: attributionStart)
        let overall = writeChecks(&checks)
        let sources = writeSources()
        let summary = writeSummary(overallCheck: overall)

        book.sheets = [summary, inputs, calc] + (hasCollective ? [collective] : []) + [funding, checks, sources]
        if let county = RosterSheets.countySheet(scenario, projection, labels: labels) { book.sheets.append(county) }
        if includeDetail, let detail = RosterSheets.detailSheet(scenario, projection, labels: labels) { book.sheets.append(detail) }
        if let scenarioValues { book.sheets.append(scenarioValues) }
        book.definedNames = definedNames()
        return book
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

    // MARK: Inputs

    private mutating func placeInputs() {
        var r = Self.headerRow + 1
        unitCell = CellRef.sheetPrefix(labels.inputs) + CellRef.name(row: r, col: Self.valueCol, absolute: true)
        r += 2
        func place(_ i: Int) { placement[i] = (labels.inputs, r); r += 1 }
        // Scenario inputs, then each commitment's own figures, then envelopes.
        for (i, row) in model.rows.enumerated() where row.section == .input && row.owner == nil { place(i) }
        // Each commitment's own figures, found in one pass over the rows (in row order).
        var ownedBy: [String: [Int]] = [:]
        for (i, row) in model.rows.enumerated() {
            switch row.section {
            case .input: if case .commitment(let c) = row.owner { ownedBy[c, default: []].append(i) }
            case .commitment(let c), .funding(let c): if row.isInput { ownedBy[c, default: []].append(i) }
            default: break
            }
        }
        for c in model.commitments {
            guard let owned = ownedBy[c.id], !owned.isEmpty else { continue }
            r += 1
            for i in owned { place(i) }
        }
        r += 1
        for (i, row) in model.rows.enumerated() where row.section == .input && row.owner != nil && placement[i] == nil { place(i) }
    }

    /// Each commitment's computed funding rows, in row order: one pass over the rows, not one per commitment.
    private func fundingFormulaRows() -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for (i, row) in model.rows.enumerated() where !row.isInput {
            if case .funding(let c) = row.section { out[c, default: []].append(i) }
        }
        return out
    }

    private func header(_ sheet: inout ReportSheet, title: String, unitNote: String? = nil) {
        sheet.set(0, 0, .text(title), .title)
        sheet.set(1, 0, .text(scenario.title + (unitNote.map { " · " + $0 } ?? "")), .subtitle)
        let h = Self.headerRow
        sheet.set(h, Self.labelCol, .text(labels[.item]), .header)
        sheet.set(h, Self.nameCol, .text(labels[.name]), .header)
        sheet.set(h, Self.unitCol, .text(labels[.unitHeader]), .header)
        sheet.set(h, Self.valueCol, .text(labels[.value]), .header)
        for (y, year) in years.enumerated() { sheet.set(h, yearCol(y), .number(Double(year)), .headerYear) }
        sheet.freeze = (h + 1, Self.valueCol)
        sheet.printTitleRows = h...h
        sheet.columnWidths = [(0, 0, 34), (1, 1, 24), (2, 2, 8), (3, 3, 14), (Self.firstYearCol, lastYearCol, 15)]
    }

    private func inputRole(_ m: Measure) -> CellRole {
        switch m {
        case .money: return .inputMoney
        case .count, .area: return .inputCount
        case .ratio: return .inputRatio
        case .year: return .inputYear
        case .number: return .inputNumber
        }
    }

    private func calcRole(_ m: Measure) -> CellRole { CellRole.calculated(m) }

    private mutating func collectCitations() {
        for row in model.rows {
            for p in row.provenance { if case .cite(let c) = p { addCitation(c) } }
        }
        for c in model.commitments { for p in c.provenance { if case .cite(let x) = p { addCitation(x) } } }
        for c in model.checks { for p in c.provenance { if case .cite(let x) = p { addCitation(x) } } }
    }

    private mutating func addCitation(_ c: Citation) {
        var key = c
        key.location = nil
        if citationNumber[key] == nil {
            citations.append(key)
            citationNumber[key] = citations.count
        }
    }

    /// Provenance as one line per source: the quote with its place, or the assumption.
    func provenanceText(_ ps: [Provenance]) -> String {
        if ps.isEmpty { return labels[.noProvenance] }
        return ps.map { p in
            switch p {
            case .cite(let c):
                var k = c
                k.location = nil
                return "[\(citationNumber[k] ?? 0)] 「\(c.quote)」 \(c.document):\(c.line)"
            case .assumption(let s, _):
                return labels[.assumption] + s
            }
        }.joined(separator: "\n")
    }

    private func writeInputs(_ sheet: inout ReportSheet) {
        header(&sheet, title: labels[.inputsAssumptions])
        let provCol = lastYearCol + 1
        sheet.set(Self.headerRow, provCol, .text(labels[.sourceOrAssumption]), .header)
        sheet.columnWidths.append((provCol, provCol, 70))
        // The divisor for the display unit: summary figures divide by it.
        let ur = Self.headerRow + 1
        sheet.set(ur, Self.labelCol, .text(labels[.displayUnitYuan]), .label)
        sheet.set(ur, Self.nameCol, .text(labels[.unitDivisor]), .note)
        sheet.set(ur, Self.unitCol, .text(labels.displayUnit(scenario.unit)), .note)
        sheet.set(ur, Self.valueCol, .number(scenario.unit.divisor), .inputNumber,
                  comment: labels[.summaryShowsMoneyInThis])
        var lastOwner: String? = nil
        let commitmentById = Dictionary(model.commitments.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, row) in model.rows.enumerated() {
            guard let (sheetName, r) = placement[i], sheetName == labels.inputs else { continue }
            let owner: String? = {
                switch row.section {
                case .input: return row.owner?.id
                case .commitment(let c), .funding(let c): return c
                default: return nil
                }
            }()
            if let owner, owner != lastOwner, let c = commitmentById[owner] {
                sheet.set(r - 1, Self.labelCol, .text(c.title), .labelBold)
                sheet.set(r - 1, Self.nameCol, .text(c.id), .note)
            }
            lastOwner = owner
            let prov = provenanceText(row.provenance)
            sheet.set(r, Self.labelCol, .text(displayLabel(row)), .label)
            sheet.set(r, Self.nameCol, .text(row.id), .note)
            sheet.set(r, Self.unitCol, .text(labels.unitName(row.dimension)), .note)
            switch row.definition {
            case .scalar(let v) where valueBlock[i] != nil && switchSeries.contains(i):
                let b = valueBlock[i]!
                for y in years.indices {
                    let range = CellRef.sheetPrefix(labels.scenarioValues) + CellRef.name(row: b, col: yearCol(y), absoluteRow: true) + ":" + CellRef.name(row: b + alternatives.count, col: yearCol(y), absoluteRow: true)
                    sheet.set(r, yearCol(y), .formula("=INDEX(\(range),\(selectorIndex))", cached: .number(v)), calcRole(row.dimension), comment: y == 0 ? prov : nil)
                }
            case .scalar(let v) where valueBlock[i] != nil:
                let b = valueBlock[i]!
                let range = CellRef.sheetPrefix(labels.scenarioValues) + CellRef.name(row: b, col: Self.valueCol, absolute: true) + ":" + CellRef.name(row: b + alternatives.count, col: Self.valueCol, absolute: true)
                sheet.set(r, Self.valueCol, .formula("=INDEX(\(range),\(selectorIndex))", cached: .number(v)), calcRole(row.dimension), comment: prov)
            case .series(let v) where valueBlock[i] != nil:
                let b = valueBlock[i]!
                for y in years.indices {
                    let range = CellRef.sheetPrefix(labels.scenarioValues) + CellRef.name(row: b, col: yearCol(y), absoluteRow: true) + ":" + CellRef.name(row: b + alternatives.count, col: yearCol(y), absoluteRow: true)
                    sheet.set(r, yearCol(y), .formula("=INDEX(\(range),\(selectorIndex))", cached: .number(v[y])), calcRole(row.dimension), comment: y == 0 ? prov : nil)
                }
            case .scalar(let v):
                sheet.set(r, Self.valueCol, .number(v), inputRole(row.dimension), comment: prov)
            case .series(let v):
                for y in years.indices { sheet.set(r, yearCol(y), .number(v[y]), inputRole(row.dimension), comment: y == 0 ? prov : nil) }
                if let note = row.note { sheet.set(r, Self.valueCol, .text(note), .note) }
            case .formula(let f):
                writeFormulaRow(&sheet, i, r, f)
            }
            let shown: String
            if case .formula = row.definition, let note = row.note, row.provenance.isEmpty {
                shown = labels[.computedFromOtherInputs] + note
            } else {
                shown = prov
            }
            sheet.set(r, provCol, .text(shown), .noteWrap)
            // About 70 narrow characters fit a line of the column; Chinese characters take two.
            let width = shown.split(separator: "\n").map { line in max(1, (line.unicodeScalars.reduce(0) { $0 + DiagnosticRenderer.displayWidth($1) } + 67) / 68) }.reduce(0, +)
            // A row is at most 409 points high (27 lines; a spreadsheet's limit): longer text shows when the cell is opened.
            if width > 1 { sheet.rowHeights.append((r, min(409, 15.0 * Double(width)))) }
        }
    }

    func displayLabel(_ row: Row) -> String { labels.text(row.label) }

    // MARK: Scenario switch

    /// Every input's values in each compared scenario; the Inputs sheet picks one row of each block.
    private mutating func writeScenarioValues() -> ReportSheet {
        var sheet = ReportSheet(name: labels.scenarioValues)
        header(&sheet, title: labels[.inputValuesEachScenario])
        sheet.set(Self.headerRow, Self.unitCol, .text(labels[.scenarioHeader]), .header)
        let all = [(scenario, projection)] + alternatives.map { ($0.scenario, $0.projection) }
        // The list of scenario names, for the drop-down and MATCH.
        let listRow = Self.headerRow + 1
        sheet.set(listRow, Self.labelCol, .text(labels[.scenarios]), .labelBold)
        for (k, item) in all.enumerated() { sheet.set(listRow + 1 + k, Self.labelCol, .text(item.0.slug), .inputNumber) }
        var r = listRow + all.count + 3
        for (i, row) in model.rows.enumerated() where row.isInput {
            guard let (sheetName, _) = placement[i], sheetName == labels.inputs else { continue }
            valueBlock[i] = r
            let perScenario: [[Double]] = all.map { item in item.1.model.index[row.id].map { item.1.values[$0] } ?? projection.values[i] }
            if case .scalar = row.definition, perScenario.contains(where: { Set($0).count > 1 }) { switchSeries.insert(i) }
            for (k, item) in all.enumerated() {
                let m = item.1.model
                sheet.set(r, Self.labelCol, .text(k == 0 ? displayLabel(row) : ""), k == 0 ? .label : .note)
                sheet.set(r, Self.nameCol, .text(row.id), .note)
                sheet.set(r, Self.unitCol, .text(item.0.slug), .note)
                let values: [Double] = m.index[row.id].map { item.1.values[$0] } ?? projection.values[i]
                switch row.definition {
                case .scalar where !switchSeries.contains(i): sheet.set(r, Self.valueCol, .number(values[0]), inputRole(row.dimension))
                default: for y in years.indices { sheet.set(r, yearCol(y), .number(values[y]), inputRole(row.dimension)) }
                }
                r += 1
            }
            r += 1
        }
        let names = CellRef.sheetPrefix(labels.scenarioValues) + CellRef.name(row: listRow + 1, col: Self.labelCol, absolute: true) + ":" + CellRef.name(row: listRow + all.count, col: Self.labelCol, absolute: true)
        selectorIndex = "MATCH(" + CellRef.sheetPrefix(labels.summary) + "$E$4," + names + ",0)"
        return sheet
    }

    // MARK: Formulas

    /// The reference to a model row in a given year, as seen from `host`.
    func ref(_ i: Int, year y: Int, from host: String) -> String {
        guard let (sheet, r) = placement[i] else { return "0" }
        let prefix = sheet == host ? "" : CellRef.sheetPrefix(sheet)
        if case .scalar = model.rows[i].definition, !switchSeries.contains(i) {
            return prefix + CellRef.name(row: r, col: Self.valueCol, absolute: true)
        }
        return prefix + CellRef.name(row: r, col: yearCol(y))
    }

    /// Translates a model formula into a spreadsheet formula for year index `y` on sheet `host`.
    public func formula(_ f: Formula, year y: Int, host: String) -> String {
        func go(_ f: Formula) -> String {
            switch f {
            case .constant(let v): return v < 0 ? "(\(Expr.format(v)))" : Expr.format(v)
            case .row(let i): return ref(i, year: y, from: host)
            case .previous(let i, let initial): return y == 0 ? go(initial) : ref(i, year: y - 1, from: host)
            case .year:
                let yr = (host == labels.inputs || placement.values.contains { $0.sheet == host }) ? CellRef.name(row: Self.headerRow, col: yearCol(y), absoluteRow: true) : String(years[y])
                return yr
            case .negate(let a): return Negation.spreadsheet(go(a))
            case .binary(let op, let a, let b): return op.spreadsheet(go(a), go(b))
            case .call(.if, let args):
                // A branch that is a truth value is written as 1 or 0, so that IF gives a number either way.
                return Function.if.spreadsheet(args.enumerated().map { k, a in k > 0 && isBoolean(a) ? "IF(\(go(a)),1,0)" : go(a) })
            case .call(let fn, let args): return fn.spreadsheet(args.map(go))
            case .kernel:
                return "0"   // written as a value by writeFormulaRow
            }
        }
        var s = go(f)
        // Drop one pair of outer parentheses for readability.
        if s.hasPrefix("("), s.hasSuffix(")"), balancedInside(s) { s = String(s.dropFirst().dropLast()) }
        return "=" + s
    }

    private func balancedInside(_ s: String) -> Bool {
        var depth = 0
        for (k, ch) in s.enumerated() {
            if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
            if depth == 0 && k < s.count - 1 { return false }
        }
        return true
    }

    func isBoolean(_ f: Formula) -> Bool {
        switch f {
        case .binary(let op, _, _): return op.resultType == .boolean
        case .call(let fn, _): return fn.resultType == .boolean
        default: return false
        }
    }

    private func writeFormulaRow(_ sheet: inout ReportSheet, _ i: Int, _ r: Int, _ f: Formula, applies: ((Int) -> Bool)? = nil) {
        let row = model.rows[i]
        let values = projection.values[i]
        let boolean = isBoolean(f)
        if case .kernel = f {
            // A per-village model: the engine's values, marked as such.
            for y in years.indices { sheet.set(r, yearCol(y), .number(values[y]), calcRole(row.dimension)) }
            sheet.set(r, lastYearCol + 1, .text(labels[.engineValuesPerVillageModel]), .note)
            return
        }
        for y in years.indices {
            if let applies, !applies(y) {
                sheet.set(r, yearCol(y), .text("—"), .notApplicable)
                continue
            }
            let text = formula(f, year: y, host: sheet.name)
            // A truth value is stored as the number 1 or 0 (shown as pass/fail by the cell's format), so
            // that every reader finds the type a recalculating spreadsheet gives: see docs/engine.md.
            let typed = boolean ? "=IF(" + text.dropFirst() + ",1,0)" : text
            sheet.set(r, yearCol(y), .formula(typed, cached: .number(values[y])), boolean ? .check : calcRole(row.dimension))
        }
    }

    // MARK: Calculation sheets

    private func writeCommitmentSheet(_ sheet: inout ReportSheet, collectiveSheet: Bool) {
        header(&sheet, title: collectiveSheet ? labels[.villageCollectiveEconomy]
                                              : labels[.calculationsEachCommitmentByYear])
        if collectiveSheet {
            sheet.set(Self.headerRow + 1, 0, .text(labels[.bandCountsAssumeIncomesSpread]), .note)
        }
        for c in model.commitments where (c.kind == CommitmentKindSpec.collectiveEconomy.key) == collectiveSheet {
            let rows = c.rows.filter(isFormula).compactMap { model.index[$0] }
            guard let first = rows.first, let (_, r0) = placement[first] else { continue }
            sheet.set(r0 - 1, Self.labelCol, .text(c.title), .labelBold)
            sheet.set(r0 - 1, Self.nameCol, .text(c.id), .note)
            sheet.set(r0 - 1, Self.unitCol, .text(c.kind), .note)
            for i in rows {
                guard let (_, r) = placement[i], case .formula(let f) = model.rows[i].definition else { continue }
                let row = model.rows[i]
                sheet.set(r, Self.labelCol, .text(labels.text(row.label)), row.id == c.costRow ? .labelBold : .label)
                sheet.set(r, Self.nameCol, .text(row.id), .note)
                sheet.set(r, Self.unitCol, .text(labels.unitName(row.dimension)), .note)
                writeFormulaRow(&sheet, i, r, f)
            }
        }
        if !collectiveSheet {
            let first = model.index["total.pay"]!
            guard let (_, r0) = placement[first] else { return }
            sheet.set(r0 - 1, Self.labelCol, .text(labels[.totalsByCategoryYuan]), .labelBold)
            for id in Category.allCases.map({ "total.\($0.rawValue)" }) + ["total"] {
                let i = model.index[id]!
                guard let (_, r) = placement[i], case .formula(let f) = model.rows[i].definition else { continue }
                sheet.set(r, Self.labelCol, .text(labels.text(model.rows[i].label)), id == "total" ? .labelBold : .label)
                sheet.set(r, Self.nameCol, .text(id), .note)
                sheet.set(r, Self.unitCol, .text(labels.unitName(.money)), .note)
                writeFormulaRow(&sheet, i, r, f)
            }
        }
    }

    private func writeFunding(_ sheet: inout ReportSheet, attributionStart: Int) {
        header(&sheet, title: labels[.fundingWhoPaysBudgetEnough])
        let fundingRows = fundingFormulaRows()
        for c in model.commitments {
            let rows = fundingRows[c.id] ?? []
            guard let first = rows.first, let (_, r0) = placement[first] else { continue }
            sheet.set(r0 - 1, Self.labelCol, .text(c.title), .labelBold)
            sheet.set(r0 - 1, Self.nameCol, .text(c.id), .note)
            for i in rows {
                guard let (_, r) = placement[i], case .formula(let f) = model.rows[i].definition else { continue }
                let row = model.rows[i]
                let label = labels.text(row.label)
                sheet.set(r, Self.labelCol, .text(label), .label)
                sheet.set(r, Self.nameCol, .text(row.id), .note)
                sheet.set(r, Self.unitCol, .text(labels.unitName(row.dimension)), .note)
                writeFormulaRow(&sheet, i, r, f)
            }
        }
        for s in model.sources {
            let i0 = model.index[s.committedRow]!
            guard let (_, r0) = placement[i0] else { continue }
            sheet.set(r0 - 1, Self.labelCol, .text(labels[.sourceColon] + s.title), .labelBold)
            sheet.set(r0 - 1, Self.nameCol, .text(s.name), .note)
            for id in [s.committedRow, s.envelopeRow, s.gapRow, s.cumulativeGapRow].compactMap({ $0 }) {
                let i = model.index[id]!
                guard let (_, r) = placement[i], case .formula(let f) = model.rows[i].definition else { continue }
                sheet.set(r, Self.labelCol, .text(labels.text(model.rows[i].label)), id == s.gapRow ? .labelBold : .label)
                sheet.set(r, Self.nameCol, .text(id), .note)
                sheet.set(r, Self.unitCol, .text(labels.unitName(.money)), .note)
                writeFormulaRow(&sheet, i, r, f)
            }
        }
        // Which commitments push each source over its envelope: taken in scenario order.
        var r = attributionStart
        for s in model.sources {
            guard let envRow = s.envelopeRow, let env = model.index[envRow] else { continue }
            let pays = model.commitments.flatMap { c in c.amountRows.filter { $0.source == s.name }.map { (c, model.index[$0.row]!) } }
            if pays.isEmpty { continue }
            sheet.set(r, Self.labelCol, .text(labels[.overEnvelopeAttribution] + s.title), .labelBold)
            sheet.set(r, Self.nameCol, .text(labels[.runningTotalInScenarioOrder]), .note)
            r += 1
            for (k, (c, amountRow)) in pays.enumerated() {
                sheet.set(r, Self.labelCol, .text(c.title), .label)
                sheet.set(r, Self.nameCol, .text("\(s.name).over.\(c.id)"), .note)
                sheet.set(r, Self.unitCol, .text(labels.unitName(.money)), .note)
                for y in years.indices {
                    let amounts = pays[0...k].map { ref($0.1, year: y, from: sheet.name) }
                    let running = pays[0...k].map { projection.values[$0.1][y] }.reduce(0, +)
                    let value = max(0, min(projection.values[amountRow][y], running - projection.values[env][y]))
                    let text = "=MAX(0,MIN(\(ref(amountRow, year: y, from: sheet.name)),\(amounts.joined(separator: "+"))-\(ref(env, year: y, from: sheet.name))))"
                    sheet.set(r, yearCol(y), .formula(text, cached: .number(value)), .money)
                }
                r += 1
            }
            r += 1
        }
    }

    /// Writes the checks; returns the reference of the overall cell.
    private func writeChecks(_ sheet: inout ReportSheet) -> (ref: String, value: Bool) {
        header(&sheet, title: labels[.checksHeading])
        sheet.set(Self.headerRow, Self.valueCol, .text(labels[.passHeader]), .header)
        let results = projection.checkResults()
        var overallRefs: [String] = []
        for (k, ch) in model.checks.enumerated() {
            let i = model.index[ch.row]!
            guard let (_, r) = placement[i], case .formula(let f) = model.rows[i].definition else { continue }
            sheet.set(r, Self.labelCol, .text(labels.text(ch.title)), .labelBold)
            sheet.set(r, Self.nameCol, .text(ch.id), .note)
            sheet.set(r, Self.unitCol, .text(ch.builtIn ? labels[.builtIn] : labels[.scenarioLower]), .note)
            writeFormulaRow(&sheet, i, r, f) { y in ch.years.contains(self.years[y]) }
            let range = CellRef.name(row: r, col: Self.firstYearCol) + ":" + CellRef.name(row: r, col: lastYearCol)
            sheet.set(r, Self.valueCol, .formula("=IF(AND(\(range)),1,0)", cached: .number(results[k].passed ? 1 : 0)), .check)
            overallRefs.append(CellRef.name(row: r, col: Self.valueCol))
            for (side, id, offset) in [(labels[.leftSide], ch.lhsRow, 1), (labels[.rightSide], ch.rhsRow, 2)] {
                guard let id, let j = model.index[id], let (_, rr) = placement[j], rr == r + offset,
                      case .formula(let g) = model.rows[j].definition else { continue }
                sheet.set(rr, Self.labelCol, .text("  " + side), .note)
                sheet.set(rr, Self.nameCol, .text(id), .note)
                writeFormulaRow(&sheet, j, rr, g)
            }
        }
        let overallRow = Self.headerRow + 2
        let allPass = results.allSatisfy(\.passed)
        sheet.set(overallRow, Self.labelCol, .text(labels[.allChecksPass]), .labelBold)
        let f = overallRefs.isEmpty ? "=1" : "=IF(AND(\(overallRefs.joined(separator: ","))),1,0)"
        sheet.set(overallRow, Self.valueCol, .formula(f, cached: .number(allPass ? 1 : 0)), .checkOverall)
        return (CellRef.sheetPrefix(sheet.name) + CellRef.name(row: overallRow, col: Self.valueCol, absolute: true), allPass)
    }

    private func writeSources() -> ReportSheet {
        var sheet = ReportSheet(name: labels.sources)
        sheet.set(0, 0, .text(labels[.whereFiguresComeFrom]), .title)
        sheet.set(1, 0, .text(labels[.everyQuoteWasCheckedOccurs]), .subtitle)
        let h = 3
        for (c, t) in [labels[.no], labels[.quote], labels[.document], labels[.line], labels[.usedBy]].enumerated() {
            sheet.set(h, c, .text(t), .header)
        }
        var usedBy: [Int: [String]] = [:]
        for row in model.rows {
            for p in row.provenance {
                if case .cite(var c) = p { c.location = nil; if let n = citationNumber[c] { usedBy[n, default: []].append(row.id) } }
            }
        }
        for ch in model.checks {
            for p in ch.provenance { if case .cite(var c) = p { c.location = nil; if let n = citationNumber[c] { usedBy[n, default: []].append("check " + ch.id) } } }
        }
        for c in model.commitments {
            for p in c.provenance { if case .cite(var x) = p { x.location = nil; if let n = citationNumber[x] { usedBy[n, default: []].append(c.id) } } }
        }
        for (k, c) in citations.enumerated() {
            let r = h + 1 + k
            sheet.set(r, 0, .number(Double(k + 1)), .count)
            sheet.set(r, 1, .text(c.quote), .text)
            sheet.set(r, 2, .text(c.document), .note)
            sheet.set(r, 3, .number(Double(c.line)), .count)
            sheet.set(r, 4, .text((usedBy[k + 1] ?? []).joined(separator: ", ")), .note)
        }
        var r = h + citations.count + 3
        sheet.set(r, 0, .text(labels[.assumptions]), .labelBold)
        r += 1
        for row in model.rows {
            for p in row.provenance {
                if case .assumption(let s, _) = p {
                    sheet.set(r, 1, .text(s), .text)
                    sheet.set(r, 4, .text(row.id), .note)
                    r += 1
                }
            }
        }
        sheet.columnWidths = [(0, 0, 6), (1, 1, 90), (2, 2, 32), (3, 3, 6), (4, 4, 40)]
        sheet.freeze = (h + 1, 0)
        sheet.printTitleRows = h...h
        return sheet
    }

    // MARK: Summary

    private func writeSummary(overallCheck: (ref: String, value: Bool)) -> ReportSheet {
        var sheet = ReportSheet(name: labels.summary)
        let unit = labels.displayUnit(scenario.unit)
        let div = scenario.unit.divisor
        sheet.set(0, 0, .text(scenario.title), .title)
        sheet.set(1, 0, .text([scenario.region, "\(scenario.years.lowerBound)–\(scenario.years.upperBound)", labels[.unitColon] + unit]
            .filter { !$0.isEmpty }.joined(separator: " · ")), .subtitle)
        sheet.set(2, 0, .text(labels[.allChecksPass]), .labelBold)
        sheet.set(2, Self.firstYearCol, .formula("=" + overallCheck.ref, cached: .number(overallCheck.value ? 1 : 0)), .checkOverall)
        let results = projection.checkResults()
        let failing = results.filter { !$0.passed }
        sheet.set(2, Self.firstYearCol + 1, .text(failing.isEmpty ? labels[.everyCheckPasses]
                                              : labels[.failing] + failing.map { labels.text($0.info.title) }.joined(separator: ";")), .note)

        if let d = scenario.description, alternatives.isEmpty { sheet.set(3, 0, .text(d), .note) }
        if !alternatives.isEmpty {
            sheet.set(3, 0, .text(labels[.scenarioShownPickOneWhole]), .labelBold)
            sheet.set(3, Self.firstYearCol, .text(scenario.slug), .inputNumber)
            // Many alternatives, or a name with a comma, do not fit a cell's drop-down list: the cell then takes
            // the name typed in, as the label says.
            let choices = [scenario.slug] + alternatives.map { $0.scenario.slug }
            if Limits.fitsDropDown(choices) { sheet.dropDowns.append((3, Self.firstYearCol, choices)) }
        }
        let totalCol = Self.firstYearCol + years.count
        func tableHeader(_ r: Int, _ title: String) {
            sheet.set(r, 0, .text(title + "(\(unit))"), .header)
            for c in 1..<Self.firstYearCol { sheet.set(r, c, .blank, .header) }
            for (y, year) in years.enumerated() { sheet.set(r, yearCol(y), .number(Double(year)), .headerYear) }
            sheet.set(r, totalCol, .text(labels[.total]), .header)
        }
        func displayRow(_ r: Int, _ label: String, _ id: String, bold: Bool = false) {
            let i = model.index[id]!
            sheet.set(r, 0, .text(label), bold ? .labelBold : .label)
            for y in years.indices {
                let v = projection.values[i][y] / div
                sheet.set(r, yearCol(y), .formula("=\(ref(i, year: y, from: sheet.name))/\(unitCell)", cached: .number(v)), bold ? .displayTotal : .displayMoney)
            }
            let total = projection.values[i].reduce(0, +) / div
            sheet.set(r, totalCol, .formula("=SUM(\(CellRef.name(row: r, col: Self.firstYearCol)):\(CellRef.name(row: r, col: lastYearCol)))", cached: .number(total)), .displayTotal)
        }
        var r = 4
        tableHeader(r, labels[.costByCategory])
        let catStart = r + 1
        for cat in Category.allCases {
            r += 1
            displayRow(r, labels.category(cat), "total.\(cat.rawValue)")
        }
        r += 1
        displayRow(r, labels[.total], "total", bold: true)
        let catEnd = r - 1
        let categoriesRange = CellRef.sheetPrefix(sheet.name) + CellRef.name(row: Self.headerRow + 2, col: Self.firstYearCol, absolute: true) + ":" + CellRef.name(row: Self.headerRow + 2, col: lastYearCol, absolute: true)

        r += 2
        tableHeader(r, labels[.fundingSourcesCommittedEnvelopeGap])
        var sourceRows: [(name: String, committed: Int, envelope: Int?, gap: Int?)] = []
        for s in model.sources {
            r += 1
            displayRow(r, s.title + labels[.committed], s.committedRow, bold: true)
            let committed = r
            var envRow: Int?, gapRow: Int?
            if let e = s.envelopeRow, let g = s.gapRow {
                r += 1; displayRow(r, s.title + labels[.envelope], e); envRow = r
                r += 1; displayRow(r, s.title + labels[.gapOver], g); gapRow = r
            }
            sourceRows.append((s.title, committed, envRow, gapRow))
        }

        // Charts: cost by category (stacked), and each source against its envelope, and the gaps.
        let cats = CellRef.sheetPrefix(sheet.name) + CellRef.name(row: 4, col: Self.firstYearCol, absolute: true) + ":" + CellRef.name(row: 4, col: lastYearCol, absolute: true)
        _ = categoriesRange
        var chartRow = r + 3
        let palette: [UInt32] = [0x1F4E79, 0x2E75B6, 0x70AD47, 0xFFC000, 0xA5A5A5, 0xC00000, 0x7030A0, 0x00B0F0]
        let costSeries = (catStart...catEnd).enumerated().map { k, row in
            ReportChart.Series(name: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: row, col: 0, absolute: true), categories: cats,
                               values: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: row, col: Self.firstYearCol, absolute: true) + ":" + CellRef.name(row: row, col: lastYearCol, absolute: true),
                               color: palette[k % palette.count])
        }
        sheet.charts.append(ReportChart(kind: .columnStacked, title: labels[.costByCategoryYear],
                                        yAxisTitle: unit, series: costSeries, row: chartRow, col: 0, xScale: 1.4, yScale: 1.2))
        let withEnvelope = sourceRows.filter { $0.envelope != nil }
        var envSeries: [ReportChart.Series] = []
        for (k, s) in sourceRows.enumerated() {
            let range = { (row: Int) in CellRef.sheetPrefix(sheet.name) + CellRef.name(row: row, col: Self.firstYearCol, absolute: true) + ":" + CellRef.name(row: row, col: lastYearCol, absolute: true) }
            envSeries.append(.init(name: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: s.committed, col: 0, absolute: true), categories: cats, values: range(s.committed), color: palette[(2 * k) % palette.count]))
            if let e = s.envelope {
                envSeries.append(.init(name: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: e, col: 0, absolute: true), categories: cats, values: range(e), color: palette[(2 * k + 1) % palette.count]))
            }
        }
        // Side by side: the first chart spans about columns A–G, so the second starts after them.
        sheet.charts.append(ReportChart(kind: .column, title: labels[.eachSourceCommittedAgainstEnvelope],
                                        yAxisTitle: unit, series: envSeries, row: chartRow, col: Self.firstYearCol + 4, xScale: 1.4, yScale: 1.2))
        if !withEnvelope.isEmpty {
            chartRow += 20
            let gapSeries = withEnvelope.enumerated().map { k, s in
                ReportChart.Series(name: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: s.gap!, col: 0, absolute: true), categories: cats,
                                   values: CellRef.sheetPrefix(sheet.name) + CellRef.name(row: s.gap!, col: Self.firstYearCol, absolute: true) + ":" + CellRef.name(row: s.gap!, col: lastYearCol, absolute: true),
                                   color: palette[(k + 5) % palette.count])
            }
            sheet.charts.append(ReportChart(kind: .column, title: labels[.gapPositiveOverEnvelope],
                                            yAxisTitle: unit, series: gapSeries, row: chartRow, col: 0, xScale: 1.4, yScale: 1.0))
        }
        sheet.columnWidths = [(0, 0, 36), (1, 3, 3), (Self.firstYearCol, totalCol, 13)]
        sheet.freeze = (4, 1)
        sheet.printTitleRows = 4...4
        return sheet
    }

    // MARK: Names

    private func definedNames() -> [(name: String, formula: String)] {
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
        guard let f = s.unicodeScalars.first, f == "_" || CharacterSet.letters.contains(f), s.count <= 200 else { return false }
        guard s.unicodeScalars.allSatisfy({ $0 == "_" || CharacterSet.alphanumerics.contains($0) }) else { return false }
        let upper = s.uppercased()
        // Names that look like A1 or R1C1 references are not allowed.
        if upper.range(of: "^[A-Z]{1,3}[0-9]+$", options: .regularExpression) != nil { return false }
        if upper.range(of: "^R[0-9]*C?[0-9]*$", options: .regularExpression) != nil || upper == "C" { return false }
        if ["TRUE", "FALSE"].contains(upper) { return false }
        return true
    }
}
