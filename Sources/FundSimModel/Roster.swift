import Foundation

/// A roster (台賬): one row per village or community, stored by column for speed at national scale.
///
/// Documented columns: `id`, `name`, `county`, `kind` (`village`/`村` or `community`/`社區`), then any
/// number of numeric attributes (e.g. `cadres`, `members`, `centre_area` in m², `income` in yuan a year).
public struct Roster: Sendable {
    public var file: String
    public var ids: [String] = []
    public var names: [String] = []
    public var counties: [String] = []
    /// True for a community (社區), false for a village (村).
    public var isCommunity: [Bool] = []
    /// Numeric attributes by column name, each with one value per row.
    public var attributes: [String: [Double]] = [:]
    /// Attribute names in file order.
    public var attributeNames: [String] = []

    public var count: Int { ids.count }

    public init(file: String) { self.file = file }

    /// The county names in first-seen order, and each row's county index.
    public func countyIndex() -> (names: [String], index: [Int]) {
        var names: [String] = []
        var lookup: [String: Int] = [:]
        var index = [Int](repeating: 0, count: counties.count)
        for (i, c) in counties.enumerated() {
            if let k = lookup[c] { index[i] = k } else { lookup[c] = names.count; index[i] = names.count; names.append(c) }
        }
        return (names, index)
    }

    public static let requiredColumns = ["id", "name", "county", "kind"]
    public static let maxColumns = 256
    public static let maxRows = 2_000_000
    public static let maxBytes = 512 << 20

    /// Parses CSV text (RFC 4180 quoting, UTF-8, comma-separated, first line the header).
    ///
    /// Every bad row is a `file:line:column` diagnostic; parsing stops after 50 errors.
    public static func parse(_ data: Data, file: String) -> Result<Roster, DiagnosticList> {
        var diags: [Diagnostic] = []
        func err(_ line: Int, _ col: Int, _ m: String, _ hint: String? = nil) {
            diags.append(.error(m, at: SourceLocation(file: file, line: line, column: col), hint: hint))
        }
        if data.count > maxBytes {
            err(1, 1, "roster is \(data.count) bytes, over the limit of \(maxBytes)")
            return .failure(DiagnosticList(diags))
        }
        var roster = Roster(file: file)
        var header: [String] = []
        var columnOf: [String: Int] = [:]
        var numericColumns: [(name: String, col: Int)] = []
        var values: [[Double]] = []
        var line = 1
        var fields: [String] = []
        fields.reserveCapacity(16)
        var ok = true
        var headerOK = true

        func handle(_ fields: [String], line: Int) {
            if header.isEmpty {
                header = fields.map { $0.trimmingCharacters(in: .whitespaces) }
                if header.first?.hasPrefix("\u{FEFF}") == true { header[0].removeFirst() }
                for (i, h) in header.enumerated() {
                    if h.isEmpty { err(line, 1, "column \(i + 1) of the header has no name"); ok = false }
                    if columnOf[h] != nil { err(line, 1, "column `\(h)` appears twice in the header"); ok = false }
                    columnOf[h] = i
                }
                headerOK = ok
                for r in requiredColumns where columnOf[r] == nil {
                    err(line, 1, "the roster has no `\(r)` column", "the header must start with: id,name,county,kind, then numeric attributes")
                    ok = false
                    headerOK = false
                }
                numericColumns = header.enumerated().filter { !requiredColumns.contains($0.element) }.map { ($0.element, $0.offset) }
                roster.attributeNames = numericColumns.map(\.name)
                values = numericColumns.map { _ in [] }
                return
            }
            if fields.count == 1 && fields[0].isEmpty { return }  // blank line
            guard headerOK else { return }  // a bad header: its errors say what to fix; rows cannot be read
            guard fields.count == header.count else {
                err(line, 1, "row has \(fields.count) fields, the header has \(header.count)", "check for a missing or extra comma; quote text that contains commas")
                ok = false
                return
            }
            let kind = fields[columnOf["kind"]!].trimmingCharacters(in: .whitespaces)
            let community: Bool
            switch kind.lowercased() {
            case "village", "村": community = false
            case "community", "社區", "社区": community = true
            default:
                err(line, columnOf["kind"]! + 1, "kind `\(kind)` is neither village (村) nor community (社區)")
                ok = false
                return
            }
            let id = fields[columnOf["id"]!]
            if id.isEmpty { err(line, 1, "row has an empty id"); ok = false; return }
            var parsed: [Double] = []
            parsed.reserveCapacity(numericColumns.count)
            for (name, col) in numericColumns {
                let text = fields[col].trimmingCharacters(in: .whitespaces)
                if text.isEmpty { parsed.append(0); continue }
                guard let v = Double(text) ?? (try? Quantity.parse(text).get().double), v.isFinite else {
                    err(line, col + 1, "`\(name)` must be a number, found `\(text)`")
                    ok = false
                    return
                }
                if v < 0 { err(line, col + 1, "`\(name)` cannot be negative (\(text))"); ok = false; return }
                parsed.append(v)
            }
            if roster.ids.count >= maxRows { err(line, 1, "roster has over \(maxRows) rows"); ok = false; return }
            roster.ids.append(id)
            roster.names.append(fields[columnOf["name"]!])
            roster.counties.append(fields[columnOf["county"]!])
            roster.isCommunity.append(community)
            for k in parsed.indices { values[k].append(parsed[k]) }
        }

        // A byte-level CSV reader: fields are split on commas and newlines outside quotes.
        data.withUnsafeBytes { (b: UnsafeRawBufferPointer) in
            var i = 0
            var field = [UInt8]()
            var inQuotes = false
            var lineStart = 1
            while i < b.count, diags.count < 50 {
                let c = b[i]
                if inQuotes {
                    if c == 0x22 {
                        if i + 1 < b.count && b[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                        inQuotes = false
                    } else {
                        if c == 0x0A { line += 1 }
                        field.append(c)
                    }
                } else if c == 0x22 && field.isEmpty {
                    inQuotes = true
                } else if c == 0x2C {
                    fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true)
                    if fields.count > maxColumns {
                        err(lineStart, 1, "row has over \(maxColumns) columns", "a roster has id, name, county, kind and a few attributes")
                        ok = false
                        return
                    }
                } else if c == 0x0A || c == 0x0D {
                    if c == 0x0D && i + 1 < b.count && b[i + 1] == 0x0A { i += 1 }
                    fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true)
                    handle(fields, line: lineStart)
                    fields.removeAll(keepingCapacity: true)
                    line += 1
                    lineStart = line
                } else {
                    field.append(c)
                }
                i += 1
            }
            if inQuotes { err(lineStart, 1, "a quoted field is not closed", "every \" that opens a field must be closed") ; ok = false }
            if !field.isEmpty || !fields.isEmpty {
                fields.append(String(decoding: field, as: UTF8.self))
                handle(fields, line: lineStart)
            }
        }
        if header.isEmpty { err(1, 1, "the roster is empty", "the first line is the header: id,name,county,kind,…"); ok = false }
        for (k, c) in numericColumns.enumerated() { roster.attributes[c.name] = values[k] }
        return ok && diags.isEmpty ? .success(roster) : .failure(DiagnosticList(diags))
    }
}
