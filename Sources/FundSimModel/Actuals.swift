import Foundation

/// What was actually spent and done (執行數, 決算) in past years of a scenario, read from an actuals CSV file.
///
/// One row per year, commitment, optional source and measure; see docs/actuals.md. Values are in base units
/// (yuan, counts), each with its provenance: a quote checked against the seed, or the analyst's note.
public struct Actuals: Sendable {
    /// The file as diagnostics name it.
    public var file: String
    public var records: [ActualRecord]

    public init(file: String, records: [ActualRecord]) {
        self.file = file
        self.records = records
    }

    /// The years with at least one actual: the outturn years. A check failing in one of them was missed; in
    /// any other year it is at risk.
    public var years: Set<Int> { Set(records.map(\.year)) }

    public func records(for commitment: String) -> [ActualRecord] { records.filter { $0.commitment == commitment } }
}

public struct ActualRecord: Sendable, Hashable {
    public var year: Int
    public var commitment: String
    /// The funding source that paid (only for `spent`).
    public var source: String?
    /// `spent`, or a driver of the commitment's kind (`headcount`, `units`, `band2`, …).
    public var measure: String
    /// In base units: yuan, a count.
    public var value: Double
    /// The figure as written in the file.
    public var text: String
    public var provenance: [Provenance]
    /// The row's place in the file (column 1).
    public var location: SourceLocation

    public init(year: Int, commitment: String, source: String?, measure: String, value: Double, text: String,
                provenance: [Provenance], location: SourceLocation) {
        self.year = year
        self.commitment = commitment
        self.source = source
        self.measure = measure
        self.value = value
        self.text = text
        self.provenance = provenance
        self.location = location
    }
}

/// The rows of an actuals file as text with their places, before they are checked against a scenario.
public struct ActualsTable: Sendable {
    public struct Field: Sendable {
        public var text: String
        public var location: SourceLocation
    }
    public var file: String
    /// One mapping per data row, by column name (`year`, `commitment`, `source`, `measure`, `value`, `cite`, `note`).
    public var rows: [[String: Field]] = []
    /// The line of each row.
    public var lines: [Int] = []

    /// The columns of an actuals file; `source`, `cite` and `note` may be left out of the header.
    public static let columns = ["year", "commitment", "source", "measure", "value", "cite", "note"]
    public static let requiredColumns = ["year", "commitment", "measure", "value"]

    /// Parses an actuals file: CSV (RFC 4180 quoting, UTF-8, first line the header), with the roster's limits
    /// (`Roster.maxBytes`, `Roster.maxColumns`, `Roster.maxRows`) and the roster's text checks. Every bad row is a
    /// `file:line:column` diagnostic, as for rosters; the column is where the field starts (in characters, as for
    /// a scenario), so that the caret under the quoted line points at it.
    public static func parse(_ data: Data, file: String) -> Result<ActualsTable, DiagnosticList> {
        var diags: [Diagnostic] = []
        func err(_ line: Int, _ col: Int, _ m: String, _ hint: String? = nil) {
            diags.append(.error(m, at: SourceLocation(file: file, line: line, column: col), hint: hint))
        }
        if data.count > Roster.maxBytes {
            err(1, 1, "the actuals file is \(data.count) bytes, over the limit of \(Roster.maxBytes)")
            return .failure(DiagnosticList(diags))
        }
        var table = ActualsTable(file: file)
        var header: [String] = []
        var records: [(line: Int, fields: [[UInt8]], starts: [Int])] = []
        // Split into records of fields, quotes respected; a record's line is where it starts.
        var fields: [[UInt8]] = [], field: [UInt8] = []
        // The character column where each field starts (UTF-8 continuation bytes do not count).
        var starts: [Int] = [1], column = 1
        var inQuotes = false, quotedField = false
        var line = 1, recordLine = 1
        let bytes = [UInt8](data)
        var i = 0
        func endRecord() {
            fields.append(field)
            records.append((recordLine, fields, starts))
            fields = []; field = []; quotedField = false
            starts = [1]; column = 1
        }
        while i < bytes.count {
            let c = bytes[i]
            if c & 0xC0 != 0x80 { column += 1 }
            if inQuotes {
                if c == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                    inQuotes = false
                } else {
                    if c == 0x0A { line += 1 }
                    field.append(c)
                }
            } else if c == 0x22 && field.isEmpty && !quotedField {
                inQuotes = true; quotedField = true
            } else if c == 0x2C {
                fields.append(field); field = []; quotedField = false
                starts.append(column)
                if fields.count >= Roster.maxColumns {
                    err(recordLine, 1, "row has over \(Roster.maxColumns) columns", "an actuals row has year, commitment, source, measure, value, cite, note")
                    return .failure(DiagnosticList(diags))
                }
            } else if c == 0x0A || c == 0x0D {
                if c == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                endRecord()
                line += 1
                recordLine = line
                if records.count > Roster.maxRows + 1 {
                    err(recordLine, 1, "the actuals file has over \(Roster.maxRows) rows", "check that this is the right file")
                    return .failure(DiagnosticList(diags))
                }
            } else {
                field.append(c)
            }
            i += 1
        }
        if inQuotes { err(recordLine, 1, "a quoted field is not closed", "every \" that opens a field must be closed"); return .failure(DiagnosticList(diags)) }
        if !field.isEmpty || !fields.isEmpty || quotedField { endRecord() }

        func text(_ b: [UInt8], _ line: Int, _ col: Int, _ name: String) -> String? {
            if let problem = b.withUnsafeBytes({ RosterReader.textProblem(in: $0) }) {
                err(line, col, "`\(name)` \(problem)", "save the actuals file as UTF-8 text")
                return nil
            }
            return String(decoding: b, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
        guard let first = records.first else {
            err(1, 1, "the actuals file is empty", "the first line is the header: " + columns.joined(separator: ","))
            return .failure(DiagnosticList(diags))
        }
        for (k, f) in first.fields.enumerated() {
            guard var h = text(f, first.line, first.starts[k], "header") else { continue }
            if k == 0, h.hasPrefix("\u{FEFF}") { h.removeFirst() }
            if !columns.contains(h) {
                err(first.line, first.starts[k], "unknown column `\(Limits.escaped(h, keepingNewlines: false))` in the header",
                    Suggest.didYouMean(h, in: columns) ?? "the columns are: " + columns.joined(separator: ","))
            } else if header.contains(h) {
                err(first.line, first.starts[k], "column `\(h)` appears twice in the header")
            }
            header.append(h)
        }
        for r in requiredColumns where !header.contains(r) {
            err(first.line, 1, "the actuals file has no `\(r)` column", "the header is: " + columns.joined(separator: ","))
        }
        guard diags.isEmpty else { return .failure(DiagnosticList(diags)) }
        for rec in records.dropFirst() {
            if rec.fields.count == 1 && rec.fields[0].isEmpty { continue }   // a blank line
            guard rec.fields.count == header.count else {
                err(rec.line, 1, "row has \(rec.fields.count) fields, the header has \(header.count)", "check for a missing or extra comma; quote text that contains commas")
                if diags.count >= 50 { break }
                continue
            }
            var row: [String: Field] = [:]
            var ok = true
            for (k, f) in rec.fields.enumerated() {
                guard let t = text(f, rec.line, rec.starts[k], header[k]) else { ok = false; continue }
                row[header[k]] = Field(text: t, location: SourceLocation(file: file, line: rec.line, column: rec.starts[k]))
            }
            if ok {
                table.rows.append(row)
                table.lines.append(rec.line)
            }
            if diags.count >= 50 { break }
        }
        return diags.isEmpty ? .success(table) : .failure(DiagnosticList(diags))
    }
}

/// The rows a commitment gains when its scenario has actuals: the recorded figures (on the Actuals sheet),
/// the plan a re-forecast row starts from, and a construction programme's shortfall.
public enum ReforecastRows {
    /// `ID.actual.MEASURE`, `ID.actual.spent.SOURCE`: recorded figures, blank where none.
    public static func actualField(_ measure: String, source: String? = nil) -> String {
        "actual." + measure + (source.map { "." + $0 } ?? "")
    }
    public static let spentBySource: LabelKey = "actual.spent_by"
    public static let headcountPlan = RowSpec("headcount_plan", "row.headcount_plan", .count, when: "with actuals")
    public static let countPlan = RowSpec("count_plan", "row.count_plan", .count, when: "with actuals")
    public static let unitsPlan = RowSpec("units_plan", "row.units_plan", .count, when: "with actuals and `units`")
    public static let plannedStock = RowSpec("planned_stock", "row.planned_stock", .count, when: "with actuals and `units`")
    public static let shortfall = RowSpec("shortfall", "row.shortfall", .count, when: "with actuals")
    public static let modelCost = RowSpec("cost_model", "row.cost_model", .money, when: "with actuals and `roster_income`")
    /// The check that a construction programme keeps to its schedule (or reaches its target by `by`).
    public static let onScheduleCheck: LabelKey = "check.on_schedule"
    public static let targetCheck: LabelKey = "check.target_by"
}
