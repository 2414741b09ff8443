import FundSimModel
import Foundation

/// Reads the actuals file a scenario names (`actuals: FILE.csv`, or `--actuals FILE` on the command line) and
/// checks every row against the scenario: see docs/actuals.md.
extension Decoder {
    mutating func decodeActuals(_ node: YNode?, scenario: Scenario) -> Actuals? {
        // A path from the command line is relative to the working directory; one in the file, to the file.
        let written: String, named: YNode?
        if let override = actualsOverride {
            (written, named) = (override, nil)
        } else if let node {
            guard let rel = string(node, "`actuals`") else { return nil }
            (written, named) = (rel, node)
        } else {
            return nil
        }
        let at = named?.location ?? SourceLocation(file: written, line: 1, column: 1)
        guard let path = projectFile(written, named: named, key: named == nil ? "--actuals" : "actuals", what: "the actuals file",
                                     hint: "an actuals file has a row per year, commitment and measure; check that this is the right file") else { return nil }
        // At most one byte over the limit is read, so that a device or a file that grows is refused, not swallowed.
        let handle = FileHandle(forReadingAtPath: path)
        defer { try? handle?.close() }
        guard let data = (try? handle?.read(upToCount: Roster.maxBytes + 1)) ?? (handle.map { _ in Data() }) else {
            diagnostics.append(.error("cannot read the actuals file `\(Limits.escaped(written))`", at: at,
                                      hint: actualsOverride == nil ? "the path is relative to the scenario file" : "check the path"))
            return nil
        }
        if data.count > Roster.maxBytes {
            diagnostics.append(.error("the actuals file `\(Limits.escaped(written))` is over the limit of \(Roster.maxBytes) bytes", at: at,
                                      hint: "an actuals file has a row per year, commitment and measure; check that this is the right file"))
            return nil
        }
        if let text = String(data: data, encoding: .utf8) { documents[path] = text }
        switch ActualsTable.parse(data, file: path) {
        case .failure(let list):
            diagnostics += list.diagnostics
            return nil
        case .success(let table):
            return check(table, scenario)
        }
    }

    /// Checks each row: a known commitment and measure, a year of the projection, a figure whose unit fits the
    /// measure, no row twice, provenance on every row.
    private mutating func check(_ table: ActualsTable, _ s: Scenario) -> Actuals? {
        var records: [ActualRecord] = []
        var seen: [String: Int] = [:]
        let before = diagnostics.count
        let commitments = Dictionary(s.commitments.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func fail(_ f: ActualsTable.Field, _ m: String, _ hint: String? = nil) {
            diagnostics.append(.error(m, at: f.location, hint: hint))
        }
        for (row, line) in zip(table.rows, table.lines) {
            // As for rosters: at most 50 errors, so that a file for another scenario does not flood the screen.
            if diagnostics.count - before >= 50 { break }
            let yearF = row["year"]!, idF = row["commitment"]!, measureF = row["measure"]!, valueF = row["value"]!
            var ok = true
            let year = Int(yearF.text)
            if year == nil {
                fail(yearF, "the year `\(Limits.escaped(yearF.text, keepingNewlines: false))` is not a year", "write the calendar year, e.g. \(s.years.lowerBound)")
                ok = false
            } else if !s.years.contains(year!) {
                fail(yearF, "the year \(year!) is outside the projection years \(s.years.lowerBound)–\(s.years.upperBound)",
                     "record actuals only for years the scenario projects")
                ok = false
            }
            guard let c = commitments[idF.text] else {
                fail(idF, "unknown commitment `\(Limits.escaped(idF.text, keepingNewlines: false))`",
                     Suggest.didYouMean(idF.text, in: s.commitments.map(\.id)) ?? "commitments: " + s.commitments.map(\.id).joined(separator: ", "))
                continue
            }
            let rule = c.kind.spec.reforecast
            let measureWord = measureF.text
            var measure = rule.measure(measureWord)
            if case .collectiveEconomy(let k) = c.kind {
                if k.rosterIncomeColumn != nil, measure != ActualMeasure.spent { measure = nil }
                if measure?.key == "supported", k.perVillage == nil { measure = nil }
                if measure?.key == "band{n}", let n = Int(measureWord.dropFirst(4)), !(1...k.bands.count).contains(n) { measure = nil }
            }
            guard let measure else {
                var words = rule.measures.map(\.key)
                if case .collectiveEconomy(let k) = c.kind {
                    words = k.rosterIncomeColumn != nil ? [ActualMeasure.spent.key]
                        : words.flatMap { $0 == "band{n}" ? (1...k.bands.count).map { "band\($0)" } : [$0] }
                    if k.perVillage == nil { words.removeAll { $0 == "supported" } }
                }
                fail(measureF, "`\(c.id)` (\(c.kind.name)) has no measure `\(Limits.escaped(measureWord, keepingNewlines: false))`",
                     (Suggest.didYouMean(measureWord, in: words).map { $0 + " " } ?? "") + "its measures: " + words.joined(separator: ", "))
                continue
            }
            var source: String? = nil
            if let f = row["source"], !f.text.isEmpty {
                let names = c.funding.shares.map(\.source) + (c.kind.awardSource.map { [$0] } ?? [])
                if !measure.bySource {
                    fail(f, "`\(measureWord)` is not paid by a source: leave `source` empty", "only `spent` may name the source that paid it")
                    ok = false
                } else if !names.contains(f.text) {
                    fail(f, "`\(c.id)` is not funded by `\(Limits.escaped(f.text, keepingNewlines: false))`",
                         Suggest.didYouMean(f.text, in: names) ?? "its sources: " + names.joined(separator: ", "))
                    ok = false
                } else {
                    source = f.text
                }
            }
            var value = 0.0
            switch Quantity.parse(valueF.text) {
            case .failure(let e):
                fail(valueF, "\(e)", "write a figure such as 14, 3萬 or 1,200萬")
                ok = false
            case .success(let q):
                if !q.fits(measure.measure) {
                    fail(valueF, "`\(valueF.text)` is \(q.unit!.label), but `\(measureWord)` is \(measure.measure.label)",
                         measure.measure == .money ? "write money as 元, 萬 or 億: 3萬 is 30,000 yuan" : "write a count without a money unit or %")
                    ok = false
                } else if q.double < 0 {
                    fail(valueF, "`\(measureWord)` cannot be negative (\(valueF.text))")
                    ok = false
                } else {
                    value = q.double
                }
            }
            var provenance: [Provenance] = []
            let cited = !(row["cite"]?.text.isEmpty ?? true)
            if let f = row["cite"], cited {
                if let cite = citation(YNode(value: .scalar(f.text, quoted: false), location: f.location)) { provenance.append(.cite(cite)) } else { ok = false }
            }
            if let f = row["note"], !f.text.isEmpty { provenance.append(.assumption(f.text, location: f.location)) }
            if provenance.isEmpty && !cited {
                fail(yearF, "the actual has no provenance", "quote the report that states it in `cite`, or say where it comes from in `note`")
                ok = false
            }
            guard ok, let year else { continue }
            let key = "\(year)|\(c.id)|\(source ?? "")|\(measureWord)"
            if let first = seen[key] {
                fail(yearF, "\(year) `\(measureWord)` of `\(c.id)`\(source.map { " from `\($0)`" } ?? "") is recorded twice", "first at line \(first); keep one row")
                continue
            }
            seen[key] = line
            records.append(ActualRecord(year: year, commitment: c.id, source: source, measure: measureWord, value: value, text: valueF.text,
                                        provenance: provenance, location: SourceLocation(file: table.file, line: line, column: 1)))
        }
        // Whole-year rules: spending in all or by every source, not both; every band of a year together.
        var groups: [String: [ActualRecord]] = [:]
        for r in records { groups["\(r.commitment)|\(r.year)", default: []].append(r) }
        for (_, rs) in groups.sorted(by: { $0.value[0].location.line < $1.value[0].location.line }) {
            let c = commitments[rs[0].commitment]!
            let spent = rs.filter { $0.measure == ActualMeasure.spent.key }
            let bySource = spent.filter { $0.source != nil }
            if !bySource.isEmpty {
                if let total = spent.first(where: { $0.source == nil }) {
                    diagnostics.append(.error("\(total.year) spending of `\(c.id)` is given both in all and by source", at: total.location,
                                              hint: "give the total, or what each source paid"))
                } else {
                    let names = c.funding.shares.map(\.source) + (c.kind.awardSource.map { [$0] } ?? [])
                    let missing = Set(names).subtracting(bySource.compactMap(\.source))
                    if !missing.isEmpty {
                        diagnostics.append(.error("\(rs[0].year) spending of `\(c.id)` is given for some sources only", at: bySource[0].location,
                                                  hint: "add what " + missing.sorted().joined(separator: ", ") + " paid (0 if nothing), or give the total"))
                    }
                }
            }
            if case .collectiveEconomy(let k) = c.kind {
                let bands = Set(rs.filter { $0.measure.hasPrefix("band") }.map(\.measure))
                if !bands.isEmpty, bands.count != k.bands.count {
                    let missing = (1...k.bands.count).map { "band\($0)" }.filter { !bands.contains($0) }
                    diagnostics.append(.error("\(rs[0].year) gives the villages of some bands of `\(c.id)` only",
                                              at: rs.first { $0.measure.hasPrefix("band") }!.location,
                                              hint: "a distribution is every band together: add " + missing.joined(separator: ", ")))
                }
            }
        }
        return diagnostics.count == before ? Actuals(file: table.file, records: records) : nil
    }
}

extension CommitmentKind {
    /// The source that pays a construction award, if any.
    var awardSource: String? {
        if case .construction(let k) = self { return k.awardSource }
        return nil
    }
}
