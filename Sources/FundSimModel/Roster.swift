import Foundation
import Dispatch

/// A roster (台賬): one row per village or community, stored by column for speed at national scale.
///
/// Documented columns: `id`, `name`, `county`, `kind` (`village`/`村` or `community`/`社區`), then any
/// number of numeric attributes (e.g. `cadres`, `members`, `centre_area` in m², `income` in yuan a year).
public struct Roster: Sendable {
    public var file: String
    /// Each row's id and name, as UTF-8 bytes in one buffer per column (a `String` is made when one is read).
    public var ids = RosterText()
    public var names = RosterText()
    /// True for a community (社區), false for a village (村).
    public var isCommunity: [Bool] = []
    /// Numeric attributes by column name, each with one value per row.
    public var attributes: [String: [Double]] = [:]
    /// Attribute names in file order.
    public var attributeNames: [String] = []
    /// Each row's county as written, by number: `countySpellings[countyCodes[i]]`, numbered in first-seen
    /// order of the bytes (the reader interns them as it goes, so no county text is hashed twice).
    public private(set) var countySpellings: [String] = []
    public private(set) var countyCodes: [Int] = []

    public var count: Int { ids.count }

    /// Each row's county text (setting it numbers the spellings again, byte for byte).
    public var counties: [String] {
        get { countyCodes.map { countySpellings[$0] } }
        set {
            var code: [[UInt8]: Int] = [:]
            countySpellings = []
            countyCodes = newValue.map { text in
                let bytes = Array(text.utf8)
                if let c = code[bytes] { return c }
                code[bytes] = countySpellings.count
                countySpellings.append(text)
                return countySpellings.count - 1
            }
        }
    }

    public init(file: String) { self.file = file }

    mutating func reserve(_ rows: Int, textBytes: Int) {
        ids.reserveCapacity(rows, bytes: textBytes)
        names.reserveCapacity(rows, bytes: textBytes)
        isCommunity.reserveCapacity(rows)
        countyCodes.reserveCapacity(rows)
    }

    mutating func appendCountySpelling(_ text: String) { countySpellings.append(text) }
    mutating func appendCountyCodes(_ codes: UnsafeBufferPointer<Int>) { countyCodes.append(contentsOf: codes) }

    /// Appends the rows of `other`, read from the rest of the same file; `countyCode` maps its county
    /// numbers to this roster's.
    mutating func append(_ other: Roster, countyCode: [Int]) {
        ids.append(contentsOf: other.ids)
        names.append(contentsOf: other.names)
        isCommunity += other.isCommunity
        let start = countyCodes.count
        countyCodes += other.countyCodes
        countyCodes.withUnsafeMutableBufferPointer { codes in
            for i in start..<codes.count { codes[i] = countyCode[codes[i]] }
        }
        for name in attributeNames { attributes[name]! += other.attributes[name]! }
    }

    /// The county names in first-seen order, and each row's county index.
    ///
    /// Counties are the same when their text is equal as Swift strings (canonically equivalent spellings
    /// count once, under the first one seen).
    public func countyIndex() -> (names: [String], index: [Int]) {
        var names: [String] = []
        var lookup: [String: Int] = [:]
        var remap = [Int](repeating: 0, count: countySpellings.count)
        for (code, c) in countySpellings.enumerated() {
            if let k = lookup[c] { remap[code] = k } else { lookup[c] = names.count; remap[code] = names.count; names.append(c) }
        }
        if names.count == countySpellings.count { return (names, countyCodes) }
        return (names, countyCodes.map { remap[$0] })
    }

    public static let requiredColumns = ["id", "name", "county", "kind"]
    public static let maxColumns = 256
    public static let maxRows = 2_000_000
    public static let maxBytes = 512 << 20
    /// The longest field, in bytes: the longest text a cell holds, four bytes a character. A longer field is an
    /// error that stops the reading (it is not held in memory first).
    public static let maxFieldBytes = 4 * Limits.cellCharacters

    /// A number in a roster's attribute column: a plain figure such as `30000`, `120.5`, `1e5` or `1,000`, read by
    /// the scenario's figure rules but without a unit — `3萬`, `20%`, `0x10`, `inf` and `nan` are errors (a column
    /// holds base units, and a unit in one row would silently scale only that row).
    public static func number(_ text: String) -> Double? {
        guard case .success(let q) = Quantity.parse(text), q.unit == nil, !q.scaled, q.text == text, q.double.isFinite else { return nil }
        // The correctly rounded double wherever Swift reads the text itself, as the plain-decimal fast path reads it:
        // so `"120.57"` quoted is the same number as `120.57` unquoted (the figure parser's own reading can be one
        // unit in the last place away).
        return Double(text).flatMap { $0.isFinite ? $0 : nil } ?? q.double
    }

    /// The messages of the limits a roster's rows must keep besides being well-formed CSV (duplicate ids, text
    /// that is not UTF-8 or holds control characters, text longer than a cell): for tests that compare readers.
    public static let limitMessages = ["appears twice", "is not UTF-8 text", "control character", "a cell holds"]

    /// Parses CSV text (RFC 4180 quoting, UTF-8, comma-separated, first line the header).
    ///
    /// Every bad row is a `file:line:column` diagnostic (the column is the field's number); parsing stops after
    /// 50 errors. The file is read as bytes: fields are byte ranges, plain numbers are parsed without making a
    /// `String`, and only quoted fields, odd numbers (`3萬`, `1e5`) and odd kinds take the slower text path.
    /// A large file is read in two halves at once when `threads` > 1; the result is the same either way.
    public static func parse(_ data: Data, file: String,
                             threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> Result<Roster, DiagnosticList> {
        if data.count > maxBytes { return .failure(DiagnosticList([tooLarge(data.count, file: file)])) }
        return data.withUnsafeBytes { bytes in
            let source = RosterSource.memory(bytes)
            if bytes.count >= RosterReader.splitAbove, threads > 1,
               let roster = RosterReader.readInTwo(source, size: bytes.count, file: file) {
                return .success(roster)
            }
            var reader = RosterReader(source, range: 0..<bytes.count, file: file)
            return reader.read()
        }
    }

    /// The error for a roster of `size` bytes, over `maxBytes`.
    static func tooLarge(_ size: Int, file: String) -> Diagnostic {
        .error("roster is \(size) bytes, over the limit of \(maxBytes)", at: SourceLocation(file: file, line: 1, column: 1),
               hint: "a roster of every village in China is about 60 MB; check that this is the right file")
    }

    /// Reads the roster at `path` as `parse` reads its bytes, streaming: the size is checked before anything is
    /// read, then the file is read a chunk at a time, so memory holds the columns and one chunk, not the file,
    /// and a limit (rows, columns, a field's length) stops the reading where it is passed. `file` names the roster
    /// in diagnostics (default: `path`); `chunk` is the most bytes read at a time (tests make it tiny). Nil when
    /// the file cannot be opened.
    public static func read(path: String, file: String? = nil, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                            chunk: Int = 1 << 20) -> Result<Roster, DiagnosticList>? {
        let file = file ?? path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        let size = Int(st.st_size)
        if size > maxBytes { return .failure(DiagnosticList([tooLarge(size, file: file)])) }
        let source = RosterSource.file(fd, chunk: max(1, chunk))
        if size >= RosterReader.splitAbove, threads > 1, let roster = RosterReader.readInTwo(source, size: size, file: file) {
            return .success(roster)
        }
        var reader = RosterReader(source, range: 0..<size, file: file)
        return reader.read()
    }
}

/// Where a roster's bytes come from: a buffer already in memory, or an open file read a chunk at a time.
enum RosterSource {
    case memory(UnsafeRawBufferPointer)
    case file(Int32, chunk: Int)

    /// Up to `count` bytes from `offset` (to find where to split a file without reading it all).
    func peek(_ offset: Int, _ count: Int) -> [UInt8] {
        switch self {
        case .memory(let b):
            return Array(b[min(offset, b.count)..<min(offset + count, b.count)])
        case .file(let fd, _):
            var out = [UInt8](repeating: 0, count: count)
            let got = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            return Array(out.prefix(max(0, got)))
        }
    }
}

/// The part of a roster's bytes a reader sees: the whole range (memory), or a chunk of the file with the row in
/// progress kept at its start (file).
final class RosterWindow {
    let fd: Int32
    /// The next file offset to read, and where this reader's range ends.
    var offset: Int
    let end: Int
    var buffer: UnsafeMutableRawBufferPointer
    /// Bytes of `buffer` that hold file data.
    var count = 0
    var failed = false
    /// The most bytes one read asks for.
    let chunk: Int

    init(fd: Int32, range: Range<Int>, chunk: Int) {
        self.fd = fd
        self.chunk = chunk
        offset = range.lowerBound
        end = range.upperBound
        buffer = .allocate(byteCount: min(chunk, max(1, range.count)), alignment: 16)
        _ = fill(keeping: 0..<0)
    }
    deinit { buffer.deallocate() }

    var more: Bool { offset < end && !failed }
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[0..<count]) }

    /// Moves `keep` to the start of the buffer (growing it when `keep` fills it) and reads more of the file after
    /// it; false when nothing more could be read.
    func fill(keeping keep: Range<Int>) -> Bool {
        if keep.lowerBound > 0, !keep.isEmpty {
            memmove(buffer.baseAddress!, buffer.baseAddress! + keep.lowerBound, keep.count)
        }
        count = keep.count
        if count == buffer.count {
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
            bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: count)
            buffer.deallocate()
            buffer = bigger
        }
        while more {
            let want = min(chunk, buffer.count - count, end - offset)
            let got = pread(fd, buffer.baseAddress! + count, want, off_t(offset))
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { failed = got < 0; offset = end; return false }
            count += got
            offset += got
            return true
        }
        return false
    }
}

/// Rows read but not yet appended to the roster's columns (`RosterReader.flushStage`): up to `rows` of them, each
/// number column's values one after another.
final class RowStage {
    static let rows = 256
    let numbers: UnsafeMutablePointer<Double>
    let county: UnsafeMutablePointer<Int>
    let community: UnsafeMutablePointer<Bool>
    var count = 0
    init(numbers columns: Int) {
        numbers = .allocate(capacity: max(1, columns) * Self.rows)
        county = .allocate(capacity: Self.rows)
        community = .allocate(capacity: Self.rows)
    }
    deinit {
        numbers.deallocate()
        county.deallocate()
        community.deallocate()
    }
}

/// One row's fields: a range of the file (`start..<end`), or, when `start` < 0, quoted field `-start - 1`.
final class FieldSpans {
    let start: UnsafeMutablePointer<Int>
    let end: UnsafeMutablePointer<Int>
    init(capacity: Int) {
        start = .allocate(capacity: capacity)
        end = .allocate(capacity: capacity)
    }
    deinit {
        start.deallocate()
        end.deallocate()
    }
}

/// The byte-level CSV reader behind `Roster.parse`.
///
/// Fields are split on commas and newlines outside quotes (`\r\n`, `\n` and `\r` end a line). A field that
/// opens with `"` is unquoted into its own bytes (`""` is one quote); any other field is a range of the file.
struct RosterReader {
    /// The bytes in view: the whole range read from memory, or the current chunk of a file.
    var bytes: UnsafeRawBufferPointer
    /// The file's chunk (nil when reading from memory), and the size of the range read.
    let window: RosterWindow?
    let size: Int
    let file: String
    var diags: [Diagnostic] = []
    var ok = true
    var roster: Roster

    var header: [String] = []
    var headerOK = true
    var idColumn = 0, nameColumn = 0, countyColumn = 0, kindColumn = 0
    var numericColumns: [(name: String, col: Int)] = [] {
        didSet {
            numericFields = numericColumns.map(\.col)
            roles = ColumnRoles(columns: header.count, id: idColumn, name: nameColumn, county: countyColumn, kind: kindColumn, numbers: numericFields)
        }
    }
    /// What each column is, for the plain-row path (`plainRowRead`).
    var roles = ColumnRoles(columns: 0, id: 0, name: 0, county: 0, kind: 0, numbers: [])
    /// The fields of `numericColumns`.
    var numericFields: [Int] = []
    var values: [[Double]] = []
    /// The last rows' numbers, counties and kinds, appended to their columns a block at a time (a row is staged only
    /// once it is accepted: a row with a bad number keeps none).
    var stage = RowStage(numbers: 0)

    /// The current row's fields: a range of `bytes`, or (start < 0) the unquoted field `quoted[-start - 1]`.
    let spans = FieldSpans(capacity: Roster.maxColumns + 2)
    var fieldCount = 0
    var quoted: [[UInt8]] = []
    /// Rows to make room for (when the rows of the rest of the file will be appended); nil: this file's lines.
    var reserveRows: Int?
    /// Whether the last byte read ended a row (outside quotes), so that nothing was left over.
    var endedAtRowStart = false
    /// Set when a limit is passed: one error says so, and reading stops.
    var stopped = false
    /// Ids seen so far, for the duplicate check.
    var seenIds = RosterIdSet(expected: 0)
    /// Whether the caller checks the ids for repeats after reading (a part of a file read in two): then `seenIds`
    /// is not kept, and each id's hash is kept in `idHashes` instead (made while its bytes are in the cache).
    var idsCheckedAfter = false
    var idHashes: [UInt64] = []

    init(_ source: RosterSource, range: Range<Int>, file: String) {
        switch source {
        case .memory(let b):
            bytes = UnsafeRawBufferPointer(rebasing: b[range])
            window = nil
        case .file(let fd, let chunk):
            let w = RosterWindow(fd: fd, range: range, chunk: chunk)
            window = w
            bytes = w.bytes
        }
        size = range.count
        self.file = file
        self.roster = Roster(file: file)
    }

    /// How many rows to make room for: the range's lines (memory), or as many as the first chunk's lines
    /// suggest for the whole range (file); never more than the row limit allows.
    func expectedRows() -> Int {
        let lines = Self.lineCount(bytes)
        guard let w = window, w.more, bytes.count > 0 else { return min(lines, Roster.maxRows + 1) }
        let estimate = Double(lines) * Double(size) / Double(bytes.count) * 1.05 + 16
        return min(Int(estimate), Roster.maxRows + 1)
    }

    /// Makes room for `rows` rows (and the duplicate check for this range's own rows).
    mutating func reserve(_ rows: Int) {
        roster.reserve(rows, textBytes: min(size, rows * 64))
        if !idsCheckedAfter { seenIds = RosterIdSet(expected: expectedRows()) } else { idHashes.reserveCapacity(rows) }
    }

    /// One error for a field longer than `Roster.maxFieldBytes`, and reading stops.
    mutating func fieldTooLong(line: Int, column: Int) {
        err(line, column, "field \(column) is over \(Roster.maxFieldBytes) bytes long",
            "a roster's fields are names and numbers; check that this is the right file and that every quote is closed")
        ok = false
        stopped = true
    }

    mutating func err(_ line: Int, _ col: Int, _ m: String, _ hint: String? = nil) {
        diags.append(.error(m, at: SourceLocation(file: file, line: line, column: col), hint: hint))
    }

    /// The same for bytes, in one pass and without making a `String`: well-formed UTF-8 (what
    /// `String(validating:)` accepts: no overlong forms, no surrogates, nothing past U+10FFFF), no control
    /// character (`Limits.isControl`), at most `Limits.cellCharacters` Unicode scalars.
    static func textProblem(in raw: UnsafeRawBufferPointer) -> String? {
        let n = raw.count
        // Plain ASCII text (the common case) needs only the control-character and length checks; a control
        // character before the first non-ASCII byte is named by its byte.
        var i = 0
        // Eight bytes at a time while none is a control or past ASCII; the byte loop below looks at the rest.
        if let base = raw.baseAddress {
            while i + 8 <= n {
                let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let odd = (w & Self.highBits) | ((w &- 0x2020_2020_2020_2020) & ~w & Self.highBits) | Self.matches(w, 0x7F)
                if odd != 0 { break }
                i += 8
            }
        }
        while i < n, raw[i] < 0x80 {
            let c = raw[i]
            if (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) || c == 0x7F { return "holds a control character (byte 0x\(String(c, radix: 16)))" }
            i += 1
        }
        if i == n { return n > Limits.cellCharacters ? "is \(n) characters long, over the \(Limits.cellCharacters) a cell holds" : nil }
        // Otherwise the whole text must be UTF-8 before its first control character is named.
        var scalars = i
        var control: UInt32?
        while i < n {
            let c = raw[i]
            // Printable ASCII, and three-byte characters led by E1–EC or EE (U+1000–U+CFFF, U+E000–U+EFFF: most CJK),
            // which cannot be overlong, surrogates or controls: only their continuation bytes need a look.
            if c >= 0x20 && c < 0x7F { scalars += 1; i += 1; continue }
            if c >= 0xE1 && c <= 0xEE && c != 0xED && i + 2 < n && raw[i + 1] & 0xC0 == 0x80 && raw[i + 2] & 0xC0 == 0x80 {
                scalars += 1
                i += 3
                continue
            }
            var value: UInt32
            var length: Int
            switch c {
            case 0x00...0x7F: value = UInt32(c); length = 1
            case 0xC2...0xDF: value = UInt32(c & 0x1F); length = 2
            case 0xE0...0xEF: value = UInt32(c & 0x0F); length = 3
            case 0xF0...0xF4: value = UInt32(c & 0x07); length = 4
            default: return "is not UTF-8 text"
            }
            guard i + length <= n else { return "is not UTF-8 text" }
            var k = 1
            while k < length {
                let d = raw[i + k]
                guard d & 0xC0 == 0x80 else { return "is not UTF-8 text" }
                value = value << 6 | UInt32(d & 0x3F)
                k += 1
            }
            // Overlong three- and four-byte forms, surrogates and values past U+10FFFF.
            if (length == 3 && (value < 0x800 || (value >= 0xD800 && value <= 0xDFFF))) || (length == 4 && (value < 0x10000 || value > 0x10FFFF)) {
                return "is not UTF-8 text"
            }
            // Control characters are all below U+00A0 or at U+FFFE and U+FFFF: most text (Chinese) needs no lookup.
            if control == nil, value < 0xA0 || value >= 0xFFFE, let s = Unicode.Scalar(value), Limits.isControl(s) { control = value }
            scalars += 1
            i += length
        }
        if let control { return "holds the control character U+\(String(format: "%04X", control))" }
        return scalars > Limits.cellCharacters ? "is \(scalars) characters long, over the \(Limits.cellCharacters) a cell holds" : nil
    }

    mutating func read() -> Result<Roster, DiagnosticList> {
        var b = bytes, n = b.count
        var i = 0
        var line = 1, lineStart = 1
        var fieldStart = 0
        var rowStart = 0  // where the row being read starts in `b`: a new chunk keeps it and what follows
        var unquoting = false  // the current field opened with a quote: its bytes go to `scratch`
        var inQuotes = false
        var scratch: [UInt8] = []
        /// Reads the next chunk of a file, keeping the row in progress; false at the end (or past a limit).
        func refill(_ r: inout RosterReader) -> Bool {
            guard let w = r.window, w.more else { return false }
            if (unquoting ? scratch.count : i - fieldStart) > Roster.maxFieldBytes {
                r.fieldTooLong(line: lineStart, column: r.fieldCount + 1)
                return false
            }
            let shift = rowStart
            let more = w.fill(keeping: rowStart..<n)
            if w.failed { r.err(line, 1, "cannot read the roster past byte \(w.offset)"); r.ok = false; r.stopped = true }
            for k in 0..<r.fieldCount where r.spans.start[k] >= 0 {
                r.spans.start[k] -= shift
                r.spans.end[k] -= shift
            }
            i -= shift
            fieldStart -= shift
            rowStart = 0
            r.bytes = w.bytes
            b = r.bytes
            n = b.count
            return more
        }
        func finishField(_ r: inout RosterReader, at end: Int) {
            if (unquoting ? scratch.count : end - fieldStart) > Roster.maxFieldBytes {
                r.fieldTooLong(line: lineStart, column: r.fieldCount + 1)
                return
            }
            if unquoting {
                r.quoted.append(scratch)
                r.spans.start[r.fieldCount] = -r.quoted.count
                r.spans.end[r.fieldCount] = 0
            } else {
                r.spans.start[r.fieldCount] = fieldStart
                r.spans.end[r.fieldCount] = end
            }
            r.fieldCount += 1
        }
        while diags.count < 50, !stopped {
            if i >= n {
                if refill(&self) { continue }
                break
            }
            // A row start. A plain row of the usual shape (no quote, every field as the fast checks expect) is read and
            // checked in one pass; otherwise a row with no quote and no lone carriage return is split in one scan, and
            // handled field by field; the general loop below reads every other row, and any row a limit stops, the
            // same way it always has.
            if fieldCount == 0, i == fieldStart, !unquoting, headerOK, !header.isEmpty, let next = plainRowRead(b, from: i, line: lineStart) {
                line += 1
                lineStart = line
                i = next
                rowStart = i
                fieldStart = i
                continue
            }
            if fieldCount == 0, i == fieldStart, !unquoting, let end = Self.plainRow(b, from: i, into: spans) {
                fieldCount = end.fields
                handleRow(line: lineStart)
                fieldCount = 0
                line += 1
                lineStart = line
                i = end.next
                rowStart = i
                fieldStart = i
                continue
            }
            let c = b[i]
            if unquoting {
                if inQuotes {
                    if c == 0x22 {
                        if i + 1 >= n, window?.more == true { _ = refill(&self); continue }  // `""` across chunks
                        if i + 1 < n && b[i + 1] == 0x22 { scratch.append(0x22); i += 2; continue }
                        inQuotes = false
                    } else {
                        if c == 0x0A { line += 1 }
                        scratch.append(c)
                        if scratch.count > Roster.maxFieldBytes { fieldTooLong(line: lineStart, column: fieldCount + 1); break }
                    }
                    i += 1
                    continue
                }
                if c == 0x22 && scratch.isEmpty { inQuotes = true; i += 1; continue }
                if c != 0x2C && c != 0x0A && c != 0x0D { scratch.append(c); i += 1; continue }
            } else {
                if c == 0x22 && i == fieldStart {
                    unquoting = true
                    inQuotes = true
                    scratch.removeAll(keepingCapacity: true)
                    i += 1
                    continue
                }
                if c != 0x2C && c != 0x0A && c != 0x0D {
                    i = Self.separator(in: b, from: i + 1)
                    continue
                }
            }
            // A comma or a line end outside quotes.
            if c == 0x0D, i + 1 >= n, window?.more == true { _ = refill(&self); continue }  // `\r\n` across chunks
            finishField(&self, at: i)
            if stopped { return finish() }
            if c == 0x2C {
                if fieldCount >= Roster.maxColumns {
                    err(lineStart, 1, "row has over \(Roster.maxColumns) columns", "a roster has id, name, county, kind and a few attributes")
                    ok = false
                    stopped = true
                    return finish()
                }
            } else {
                if c == 0x0D && i + 1 < n && b[i + 1] == 0x0A { i += 1 }
                handleRow(line: lineStart)
                fieldCount = 0
                if !quoted.isEmpty { quoted.removeAll(keepingCapacity: true) }
                line += 1
                lineStart = line
                rowStart = i + 1
            }
            i += 1
            fieldStart = i
            unquoting = false
        }
        if inQuotes, !stopped { err(lineStart, 1, "a quoted field is not closed", "every \" that opens a field must be closed"); ok = false }
        let current = unquoting ? !scratch.isEmpty : i > fieldStart
        endedAtRowStart = !inQuotes && !current && fieldCount == 0 && i == n
        if !stopped, current || fieldCount > 0 {
            finishField(&self, at: i)
            if !stopped { handleRow(line: lineStart) }
        }
        return finish()
    }

    mutating func finish() -> Result<Roster, DiagnosticList> {
        flushStage()
        if header.isEmpty, !stopped { err(1, 1, "the roster is empty", "the first line is the header: id,name,county,kind,…"); ok = false }
        for (k, c) in numericColumns.enumerated() { roster.attributes[c.name] = values[k] }
        values = []  // the roster holds each column once (so that joining two halves appends in place)
        return ok && diags.isEmpty ? .success(roster) : .failure(DiagnosticList(diags))
    }

    /// The current row's fields.
    var fields: RosterFields { RosterFields(spans: spans, bytes: bytes, quoted: quoted) }

    mutating func handleHeader(line: Int) {
        let f = fields
        // Column names become the detail sheet's headings: UTF-8 text without control characters, like names.
        for k in 0..<fieldCount {
            if let problem = f.textProblem(k) {
                err(line, k + 1, "the name of column \(k + 1) \(problem)", "save the roster as UTF-8 text; a column name is a plain word such as income")
                ok = false
            }
        }
        header = (0..<fieldCount).map { f.string($0).trimmingCharacters(in: .whitespaces) }
        if header.first?.hasPrefix("\u{FEFF}") == true { header[0].removeFirst() }
        var columnOf: [String: Int] = [:]
        for (i, h) in header.enumerated() {
            if h.isEmpty { err(line, 1, "column \(i + 1) of the header has no name"); ok = false }
            if columnOf[h] != nil { err(line, 1, "column `\(h)` appears twice in the header"); ok = false }
            columnOf[h] = i
        }
        headerOK = ok
        for r in Roster.requiredColumns where columnOf[r] == nil {
            err(line, 1, "the roster has no `\(r)` column", "the header must start with: id,name,county,kind, then numeric attributes")
            ok = false
            headerOK = false
        }
        guard headerOK else { return }
        idColumn = columnOf["id"]!
        nameColumn = columnOf["name"]!
        countyColumn = columnOf["county"]!
        kindColumn = columnOf["kind"]!
        numericColumns = header.enumerated().filter { !Roster.requiredColumns.contains($0.element) }.map { ($0.element, $0.offset) }
        roster.attributeNames = numericColumns.map(\.name)
        // Room for every line of the file, so that no column is copied as it grows.
        let rows = reserveRows ?? expectedRows()
        values = numericColumns.map { _ in
            var column: [Double] = []
            column.reserveCapacity(rows)
            return column
        }
        reserve(rows)
        stage = RowStage(numbers: numericColumns.count)
    }

    /// Appends the staged rows to their columns.
    mutating func flushStage() {
        let st = stage, n = st.count
        guard n > 0 else { return }
        for k in values.indices { values[k].append(contentsOf: UnsafeBufferPointer(start: st.numbers + k * RowStage.rows, count: n)) }
        roster.appendCountyCodes(UnsafeBufferPointer(start: st.county, count: n))
        roster.isCommunity.append(contentsOf: UnsafeBufferPointer(start: st.community, count: n))
        st.count = 0
    }

    mutating func handleRow(line: Int) {
        let f = fields
        if header.isEmpty {
            handleHeader(line: line)
            return
        }
        if fieldCount == 1 && f.fieldIsEmpty(0) { return }  // blank line
        guard headerOK else { return }  // a bad header: its errors say what to fix; rows cannot be read
        guard fieldCount == header.count else {
            err(line, 1, "row has \(fieldCount) fields, the header has \(header.count)", "check for a missing or extra comma; quote text that contains commas")
            ok = false
            return
        }
        // The county is looked up first, though kept only with the row: the lookup's wait for memory then overlaps
        // the checks below. (A row with an error fails the whole reading, so a county numbered for it is never seen.)
        let county = countyCode(countyColumn)
        let community: Bool
        if f.fieldEquals(kindColumn, "village") { community = false }
        else if f.fieldEquals(kindColumn, "community") { community = true }
        else {
            let kind = f.string(kindColumn).trimmingCharacters(in: .whitespaces)
            switch kind.lowercased() {
            case "village", "村": community = false
            case "community", "社區", "社区": community = true
            default:
                err(line, kindColumn + 1, "kind `\(kind)` is neither village (村) nor community (社區)")
                ok = false
                return
            }
        }
        if f.fieldIsEmpty(idColumn) { err(line, 1, "row has an empty id"); ok = false; return }
        // This row's place in the stage: column k's number at numbers[k * RowStage.rows].
        let st = stage, numbers = st.numbers + st.count
        for k in numericFields.indices {
            let col = numericFields[k]
            if let v = f.plainNumber(col) { numbers[k * RowStage.rows] = v; continue }
            let text = f.string(col).trimmingCharacters(in: .whitespaces)
            if text.isEmpty { numbers[k * RowStage.rows] = 0; continue }
            guard let v = Roster.number(text) else {
                err(line, col + 1, "`\(numericColumns[k].name)` must be a plain decimal number, found `\(Limits.escaped(String(text.prefix(40)), keepingNewlines: false))`",
                    "write numbers in base units without units, %, 萬 or hex: 30000 for 3萬, 0.2 for 20%")
                ok = false
                return
            }
            if v < 0 { err(line, col + 1, "`\(numericColumns[k].name)` cannot be negative (\(text))"); ok = false; return }
            numbers[k * RowStage.rows] = v
        }
        if roster.ids.count >= Roster.maxRows {
            err(line, 1, "roster has over \(Roster.maxRows) rows", "split it by province, or check that this is the right file")
            ok = false
            stopped = true
            return
        }
        for j in 0..<3 {
            let k = j == 0 ? idColumn : j == 1 ? nameColumn : countyColumn
            if let problem = f.textProblem(k) { err(line, k + 1, "`\(header[k])` \(problem)", "save the roster as UTF-8 text, with names as plain text"); ok = false; return }
        }
        f.withField(idColumn) { id in
            f.withField(nameColumn) { name in appendRow(line: line, id: id, name: name, county: county, community: community) }
        }
    }

    /// Appends an accepted row: its id (checked for a repeat here unless the caller checks after reading), its name,
    /// county and kind; its numbers are in the stage already. A repeated id is an error, and the row is left out.
    @inline(__always) mutating func appendRow(line: Int, id: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer, county: Int, community: Bool) {
        let row = roster.ids.count
        roster.ids.append(id)
        if idsCheckedAfter {
            idHashes.append(rosterHash(id))
        } else if !seenIds.insert(row: row, of: roster.ids) {
            roster.ids.removeLast()
            let id = String(decoding: id, as: UTF8.self)
            err(line, idColumn + 1, "id `\(Limits.escaped(id, keepingNewlines: false))` appears twice", "each village or community has one row with its own id")
            ok = false
            return
        }
        roster.names.append(name)
        let st = stage
        st.county[st.count] = county
        st.community[st.count] = community
        st.count += 1
        if st.count == RowStage.rows { flushStage() }
    }

    /// The number of the county in field `k`, by its bytes (`internCounty(bytes:)`).
    mutating func countyCode(_ k: Int) -> Int {
        if spans.start[k] < 0 {
            let text = quoted[-spans.start[k] - 1]
            return text.withUnsafeBytes { internCounty(bytes: $0) }
        }
        return internCounty(bytes: UnsafeRawBufferPointer(rebasing: bytes[spans.start[k]..<spans.end[k]]))
    }

    /// The county table: four words a slot — the spelling's hash; its number plus one (0: an empty slot) with its
    /// length in bytes above; and its bytes (`countyKey`) — so that a lookup reads one slot, not a chain of arrays.
    var countySlots = [UInt64](repeating: 0, count: 4 << 12)
    var countyHashes: [UInt64] = []
    /// The bytes of each county spelling, one after another: spelling c is countyText[countyEnds[c-1]..<countyEnds[c]].
    var countyText: [UInt8] = []
    var countyEnds: [Int] = []

    /// Two words that hold a text of at most 16 bytes exactly, given its length (the first and last eight bytes, or
    /// four, or the bytes themselves); for a longer text, only a first filter.
    @inline(__always) static func countyKey(_ text: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        let n = text.count
        guard let p = text.baseAddress, n > 0 else { return (0, 0) }
        if n >= 8 { return (p.loadUnaligned(as: UInt64.self), p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) }
        if n >= 4 {
            return (UInt64(p.loadUnaligned(as: UInt32.self)) | UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32, 0)
        }
        var w: UInt64 = 0
        for k in 0..<n { w |= UInt64(p.load(fromByteOffset: k, as: UInt8.self)) << UInt64(8 * k) }
        return (w, 0)
    }

    /// The number of a county spelling, new ones numbered in the order first seen.
    mutating func internCounty(bytes text: UnsafeRawBufferPointer) -> Int {
        let n = text.count
        let key = Self.countyKey(text)
        // Up to 16 bytes the key and the length are the text: the hash mixes them; longer texts hash all their bytes.
        let h: UInt64
        if n <= 16 {
            var x = (key.0 ^ UInt64(n) &* 0x9E3779B97F4A7C15) &* 0xFF51AFD7ED558CCD
            x = (x ^ (x >> 32) ^ key.1) &* 0xC4CEB9FE1A85EC53
            h = x ^ (x >> 29)
        } else {
            h = rosterHash(text)
        }
        let found: Int? = countySlots.withUnsafeBufferPointer { slots in
            let mask = slots.count / 4 - 1
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let meta = slots[4 * slot + 1]
                if meta == 0 { return nil }
                if slots[4 * slot] == h && Int(meta >> 32) == n && slots[4 * slot + 2] == key.0 && slots[4 * slot + 3] == key.1 {
                    let code = Int(meta & 0xFFFF_FFFF) - 1
                    if n <= 16 { return code }
                    let start = code == 0 ? 0 : countyEnds[code - 1]
                    if countyText.withUnsafeBytes({ memcmp($0.baseAddress! + start, text.baseAddress!, n) == 0 }) { return code }
                }
                slot = (slot + 1) & mask
            }
        }
        if let found { return found }
        let code = countyHashes.count
        countyHashes.append(h)
        countyText.append(contentsOf: text)
        countyEnds.append(countyText.count)
        roster.appendCountySpelling(String(decoding: text, as: UTF8.self))
        let grow = countyHashes.count * 2 > countySlots.count / 4  // keep the table at most half full
        if grow { countySlots = [UInt64](repeating: 0, count: countySlots.count * 2) }
        let mask = countySlots.count / 4 - 1
        func place(_ c: Int) {
            let start = c == 0 ? 0 : countyEnds[c - 1]
            let k = countyText.withUnsafeBytes { Self.countyKey(UnsafeRawBufferPointer(rebasing: $0[start..<countyEnds[c]])) }
            var s = Int(truncatingIfNeeded: countyHashes[c]) & mask
            while countySlots[4 * s + 1] != 0 { s = (s + 1) & mask }
            countySlots[4 * s] = countyHashes[c]
            countySlots[4 * s + 1] = UInt64(countyEnds[c] - start) << 32 | UInt64(c + 1)
            countySlots[4 * s + 2] = k.0
            countySlots[4 * s + 3] = k.1
        }
        if grow { for c in 0...code { place(c) } } else { place(code) }
        return code
    }

    /// Files at least this large are read in two halves on two threads.
    static let splitAbove = 4 << 20

    /// Reads the file as two halves at once, split after a line feed near the middle, and joins them; nil
    /// when that cannot give exactly what one pass gives (a quote in the header, a quoted field open across
    /// the split, any diagnostic, a repeated id: errors are then found and numbered by one pass, as ever).
    static func readInTwo(_ source: RosterSource, size: Int, file: String) -> Roster? {
        let look = 1 << 16
        let head = source.peek(0, look)
        guard let nl = head.firstIndex(of: 0x0A) else { return nil }
        let headerEnd = nl + 1
        guard !head[..<headerEnd].contains(0x22), size / 2 > headerEnd,
              let mid = source.peek(size / 2, look).firstIndex(of: 0x0A) else { return nil }
        let split = size / 2 + mid + 1
        guard split < size else { return nil }
        var header = RosterReader(source, range: 0..<headerEnd, file: file)
        guard case .success = header.read() else { return nil }
        final class Halves: @unchecked Sendable {
            var readers: [RosterReader]
            var clean = [false, false]
            init(_ r: [RosterReader]) { readers = r }
        }
        var second = RosterReader(source, range: split..<size, file: file)
        second.idsCheckedAfter = true
        second.adoptHeader(of: header)
        var firstHalf = RosterReader(source, range: 0..<split, file: file)
        firstHalf.idsCheckedAfter = true
        // A file that looks like more rows than the limit is read in one pass, which stops at the limit: two
        // halves would each read up to it, then the one pass again for the error.
        let rows = firstHalf.expectedRows() * 2
        guard rows <= Roster.maxRows else { return nil }
        firstHalf.reserveRows = rows
        let halves = Halves([firstHalf, second])
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            if case .success = halves.readers[k].read(), halves.readers[k].endedAtRowStart { halves.clean[k] = true }
        }
        guard halves.clean == [true, true] else { return nil }
        var first = halves.readers[0], rest = halves.readers[1]
        halves.readers = []  // each column is then held once, and joined in place
        guard first.roster.count + rest.roster.count <= Roster.maxRows else { return nil }
        let codes = (0..<rest.countyEnds.count).map { c in
            rest.countyText.withUnsafeBytes { text in
                first.internCounty(bytes: UnsafeRawBufferPointer(rebasing: text[(c == 0 ? 0 : rest.countyEnds[c - 1])..<rest.countyEnds[c]]))
            }
        }
        // The ids are joined and checked for repeats on one thread while the other columns are joined on another.
        // A repeated id is reported by the one-pass reader, with its line; ids other than ASCII are compared as
        // strings there too.
        final class Join: @unchecked Sendable {
            var ids: RosterText, restIds: RosterText, others: Roster, rest: Roster
            var clean = false
            init(_ first: Roster, _ rest: Roster) {
                ids = first.ids
                others = first
                others.ids = RosterText()
                restIds = rest.ids
                self.rest = rest
                self.rest.ids = RosterText()
            }
        }
        let join = Join(first.roster, rest.roster)
        first.roster = Roster(file: file)
        rest.roster = Roster(file: file)
        // Both threads look for a repeat, each among the ids whose hashes fall in its half of the hash space (the
        // halves made each id's hash as they read it).
        guard !RosterText.hasRepeat([join.ids, join.restIds], hashes: [first.idHashes, rest.idHashes], threads: 2) else { return nil }
        first.idHashes = []
        rest.idHashes = []
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            if k == 0 {
                join.ids.append(contentsOf: join.restIds)
                join.restIds = RosterText()
                join.clean = join.ids.isASCII
            } else {
                join.others.append(join.rest, countyCode: codes)
                join.rest = Roster(file: "")
            }
        }
        guard join.clean else { return nil }
        join.others.ids = join.ids
        return join.others
    }

    /// Takes the header another reader has read (to read rows from the middle of a file).
    mutating func adoptHeader(of other: RosterReader) {
        header = other.header
        headerOK = other.headerOK
        (idColumn, nameColumn, countyColumn, kindColumn) = (other.idColumn, other.nameColumn, other.countyColumn, other.kindColumn)
        numericColumns = other.numericColumns
        roster.attributeNames = other.roster.attributeNames
        let rows = expectedRows()
        values = numericColumns.map { _ in
            var column: [Double] = []
            column.reserveCapacity(rows)
            return column
        }
        reserve(rows)
        stage = RowStage(numbers: numericColumns.count)
    }

    static let lowBits: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// A word whose lowest set bit is the high bit of the first byte of `w` (in memory order) equal to `byte`;
    /// zero when none is. (Bits above the first match may be set wrongly; only the lowest is used.)
    @inline(__always) static func matches(_ w: UInt64, _ byte: UInt8) -> UInt64 {
        let x = w ^ (lowBits &* UInt64(byte))
        return (x &- lowBits) & ~x & highBits
    }

    /// The fields of the row that starts at `start`, written to `spans`, when the whole row is in view and plain: no
    /// `"` anywhere in it, no carriage return but one just before its line feed, at most `Roster.maxColumns` fields,
    /// none longer than `Roster.maxFieldBytes`. Then `fields` is their number and `next` where the next row starts;
    /// nil for any other row, which the byte loop reads (and reports) as ever.
    @inline(__always) static func plainRow(_ b: UnsafeRawBufferPointer, from start: Int, into spans: FieldSpans) -> (fields: Int, next: Int)? {
        let n = b.count
        guard let base = b.baseAddress else { return nil }
        var fieldStart = start, fields = 0
        var p = start
        while true {
            // The next comma, line end or quote at or after `p` (eight bytes at a time; the lowest match is exact).
            var found = false
            while p + 8 <= n {
                let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt64.self))
                let m = matches(w, 0x2C) | matches(w, 0x0A) | matches(w, 0x0D) | matches(w, 0x22)
                if m != 0 { p += m.trailingZeroBitCount >> 3; found = true; break }
                p += 8
            }
            if !found {
                while p < n {
                    let d = b[p]
                    if d == 0x2C || d == 0x0A || d == 0x0D || d == 0x22 { found = true; break }
                    p += 1
                }
                if !found { return nil }
            }
            let c = b[p]
            if c == 0x22 || p - fieldStart > Roster.maxFieldBytes { return nil }
            if c == 0x0D && !(p + 1 < n && b[p + 1] == 0x0A) { return nil }
            spans.start[fields] = fieldStart
            spans.end[fields] = p
            fields += 1
            if c == 0x0A { return (fields, p + 1) }
            if c == 0x0D { return (fields, p + 2) }
            if fields >= Roster.maxColumns { return nil }
            p += 1
            fieldStart = p
        }
    }

    /// The index of the first comma, line feed or carriage return in `b` at or after `i` (`b.count` when there is
    /// none), read eight bytes at a time.
    @inline(__always) static func separator(in b: UnsafeRawBufferPointer, from start: Int) -> Int {
        let n = b.count
        var i = start
        if let base = b.baseAddress {
            while i + 8 <= n {
                let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let m = matches(w, 0x2C) | matches(w, 0x0A) | matches(w, 0x0D)
                if m != 0 { return i + m.trailingZeroBitCount >> 3 }
                i += 8
            }
        }
        while i < n {
            let d = b[i]
            if d == 0x2C || d == 0x0A || d == 0x0D { return i }
            i += 1
        }
        return n
    }

    /// The number of line feeds in the file, plus one.
    static func lineCount(_ b: UnsafeRawBufferPointer) -> Int {
        guard var p = b.baseAddress, b.count > 0 else { return 0 }
        let end = p + b.count
        var lines = 1
        while p < end, let q = memchr(p, 0x0A, end - p) {
            lines += 1
            p = UnsafeRawPointer(q) + 1
        }
        return lines
    }

    /// Powers of ten that a double holds exactly.
    static let exactPowersOfTen: [Double] = (0...22).map { Foundation.pow(10, Double($0)) }

}

/// A column of texts (a roster's ids or names) kept as their UTF-8 bytes one after another in one buffer, so that
/// a national roster holds two buffers rather than 980,000 strings.
///
/// Reading an element makes a `String`; `withUTF8(_:_:)` hands over the bytes without one. Two columns are equal
/// when they hold the same texts byte for byte.
public struct RosterText: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
    /// The texts' bytes, one after another.
    public private(set) var utf8: [UInt8] = []
    /// Where each text ends in `utf8`; it starts where the one before ends (a roster is at most
    /// `Roster.maxBytes`, so an offset fits 32 bits).
    public private(set) var ends: [UInt32] = []

    public init() {}
    public init(arrayLiteral texts: String...) { for t in texts { append(t) } }
    public init<S: Sequence>(_ texts: S) where S.Element == String { for t in texts { append(t) } }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.count }

    /// The byte range of text `i` in `utf8`.
    @inline(__always) public func span(_ i: Int) -> Range<Int> {
        (i == 0 ? 0 : Int(ends[i - 1]))..<Int(ends[i])
    }

    public subscript(i: Int) -> String {
        withUTF8(i) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of text `i`.
    public func withUTF8<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let r = span(i)
        return try utf8.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[r])) }
    }

    public mutating func append(_ text: String) {
        var t = text
        t.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends a text given as bytes (the caller has checked they are UTF-8).
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if let b = bytes.baseAddress, bytes.count > 0 {
            utf8.append(contentsOf: UnsafeBufferPointer(start: b.assumingMemoryBound(to: UInt8.self), count: bytes.count))
        }
        precondition(utf8.count <= Int(UInt32.max), "a roster's text column is limited to 4 GB")
        ends.append(UInt32(truncatingIfNeeded: utf8.count))
    }

    mutating func append(contentsOf other: RosterText) {
        let shift = UInt32(utf8.count)
        utf8 += other.utf8
        precondition(utf8.count <= Int(UInt32.max), "a roster's text column is limited to 4 GB")
        let start = ends.count
        ends += other.ends
        ends.withUnsafeMutableBufferPointer { ends in
            for i in start..<ends.count { ends[i] += shift }
        }
    }

    /// Whether every text is ASCII.
    var isASCII: Bool {
        utf8.withUnsafeBytes { b in
            var p = 0, any: UInt64 = 0
            while p + 8 <= b.count { any |= b.loadUnaligned(fromByteOffset: p, as: UInt64.self); p += 8 }
            while p < b.count { any |= UInt64(b[p]); p += 1 }
            return any & 0x8080_8080_8080_8080 == 0
        }
    }

    /// Whether two of the texts are the same bytes.
    func hasRepeat() -> Bool {
        let n = count
        guard n > 1 else { return false }
        let hashes = [UInt64](unsafeUninitializedCapacity: n) { h, done in
            utf8.withUnsafeBytes { all in
                ends.withUnsafeBufferPointer { ends in
                    let (out, text, end) = (SharedBuffer(h), SharedRaw(all), SharedBuffer(ends))
                    RosterText.inParts(n, threads: 2) { r in
                        for i in r {
                            let s = i == 0 ? 0 : Int(end[i - 1])
                            out[i] = rosterHash(UnsafeRawBufferPointer(start: text.base + s, count: Int(end[i]) - s))
                        }
                    }
                }
            }
            done = n
        }
        return Self.hasRepeat([self], hashes: [hashes], threads: 2)
    }

    /// Runs `body` over `0..<n` in two parts at once when `n` is large and `threads` > 1 (each part a range of its
    /// own), else in one.
    static func inParts(_ n: Int, threads: Int, _ body: @Sendable (Range<Int>) -> Void) {
        guard n >= 1 << 16, threads > 1 else { body(0..<n); return }
        DispatchQueue.concurrentPerform(iterations: 2) { part in body(part == 0 ? 0..<(n / 2) : (n / 2)..<n) }
    }

    /// Whether two of the texts of `columns` (one column in one or two parts, its rows one part after the other) are
    /// the same bytes; `hashes[k][i]` is `rosterHash` of text `i` of `columns[k]`.
    ///
    /// The texts are bucketed by the top bits of their hashes (one pass, in order), then each bucket goes through a
    /// small table that stays in cache: no random access over a table of the whole column. With two threads, each
    /// takes the buckets of one half of the hash space (a repeat has one hash, so it falls in one half).
    static func hasRepeat(_ columns: [RosterText], hashes: [[UInt64]], threads: Int) -> Bool {
        precondition(columns.count == hashes.count && (1...2).contains(columns.count))
        let n = hashes.reduce(0) { $0 + $1.count }
        guard n > 1 else { return false }
        var topBits = 0
        while topBits < 16 && n >> topBits > 256 { topBits += 1 }
        let bits = topBits
        let parts = bits > 0 && threads > 1 && n >= 1 << 16 ? 2 : 1
        let a = columns[0], b = columns.count > 1 ? columns[1] : RosterText()
        let ha = hashes[0], hb = hashes.count > 1 ? hashes[1] : []
        let found = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 2)
        found.initialize(repeating: false)
        defer { found.deallocate() }
        let flags = SharedBuffer(found)
        a.utf8.withUnsafeBytes { aText in a.ends.withUnsafeBufferPointer { aEnds in
        b.utf8.withUnsafeBytes { bText in b.ends.withUnsafeBufferPointer { bEnds in
        ha.withUnsafeBufferPointer { haBuf in hb.withUnsafeBufferPointer { hbBuf in
            let texts = [(SharedRaw(aText), SharedBuffer(aEnds)), (SharedRaw(bText), SharedBuffer(bEnds))]
            let hs = [(SharedBuffer(haBuf), haBuf.count), (SharedBuffer(hbBuf), hbBuf.count)]
            let na = haBuf.count
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                /// Row `i` of the whole column (the first part's rows, then the second's).
                func text(_ i: Int) -> UnsafeRawBufferPointer {
                    let (all, ends) = i < na ? texts[0] : texts[1]
                    let r = i < na ? i : i - na
                    let s = r == 0 ? 0 : Int(ends[r - 1])
                    return UnsafeRawBufferPointer(start: all.base + s, count: Int(ends[r]) - s)
                }
                let shift = UInt64(64 - bits)
                @inline(__always) func bucket(_ h: UInt64) -> Int { bits == 0 ? 0 : Int(h >> shift) }
                // This thread's buckets.
                let lo = part * (1 << bits) / parts, hi = (part + 1) * (1 << bits) / parts
                var start = [Int](repeating: 0, count: hi - lo + 1)
                for (h, m) in hs {
                    for i in 0..<m {
                        let k = bucket(h[i])
                        if k >= lo && k < hi { start[k - lo + 1] += 1 }
                    }
                }
                var largest = 0
                for k in 0..<(hi - lo) { largest = Swift.max(largest, start[k + 1]); start[k + 1] += start[k] }
                var next = start
                // Each row with its hash, bucket by bucket: the tables below then read them in order.
                var order = [UInt64](repeating: 0, count: 2 * start[hi - lo])
                order.withUnsafeMutableBufferPointer { order in
                    var row = 0
                    for (h, m) in hs {
                        for i in 0..<m {
                            let x = h[i], k = bucket(x)
                            if k >= lo && k < hi {
                                order[2 * next[k - lo]] = x
                                order[2 * next[k - lo] + 1] = UInt64(row)
                                next[k - lo] += 1
                            }
                            row += 1
                        }
                    }
                }
                var size = 16
                while size < largest * 2 { size <<= 1 }
                let mask = size - 1
                // Per slot: the bucket's number plus one in the top 32 bits (so no slot is cleared between
                // buckets) and the row in the low 32; then the row's hash (so a probe reads no other array).
                var table = [UInt64](repeating: 0, count: 2 * size)
                let repeated = table.withUnsafeMutableBufferPointer { table in
                    for k in 0..<(hi - lo) {
                        let stamp = UInt64(k + 1) << 32
                        for j in start[k]..<start[k + 1] {
                            let h = order[2 * j], row = Int(order[2 * j + 1])
                            var s = Int(truncatingIfNeeded: h) & mask
                            while table[2 * s] & 0xFFFF_FFFF_0000_0000 == stamp {
                                if table[2 * s + 1] == h {
                                    let x = text(row), y = text(Int(table[2 * s] & 0xFFFF_FFFF))
                                    if x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) { return true }
                                }
                                s = (s + 1) & mask
                            }
                            table[2 * s] = stamp | UInt64(row)
                            table[2 * s + 1] = h
                        }
                    }
                    return false
                }
                flags[part] = repeated
            }
        }}}}}}
        return found[0] || found[1]
    }

    mutating func removeLast() {
        ends.removeLast()
        utf8.removeLast(utf8.count - Int(ends.last ?? 0))
    }

    mutating func reserveCapacity(_ count: Int, bytes: Int) {
        ends.reserveCapacity(count)
        utf8.reserveCapacity(bytes)
    }
}

/// A buffer handed to the threads of `RosterText.inParts` and `hasRepeat`, each of which touches its own part.
struct SharedBuffer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    init(_ b: UnsafeMutableBufferPointer<T>) { base = b.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)! }
    init(_ b: UnsafeBufferPointer<T>) { base = UnsafeMutablePointer(mutating: b.baseAddress ?? UnsafePointer(bitPattern: 8)!) }
    subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

/// Bytes read by the threads of `RosterText.hasRepeat`.
struct SharedRaw: @unchecked Sendable {
    let base: UnsafeRawPointer
    init(_ b: UnsafeRawBufferPointer) { base = b.baseAddress ?? UnsafeRawPointer(bitPattern: 8)! }
}

/// The hash of a short run of bytes (an id, a county), for the reader's open-addressing tables: eight bytes at a
/// time, mixed by multiplication.
@inline(__always) func rosterHash(_ text: UnsafeRawBufferPointer) -> UInt64 {
    let n = text.count
    var h: UInt64 = 0x9E3779B97F4A7C15 ^ UInt64(n)
    var p = 0
    while p + 8 <= n {
        h = (h ^ text.loadUnaligned(fromByteOffset: p, as: UInt64.self)) &* 0xFF51AFD7ED558CCD
        h ^= h >> 32
        p += 8
    }
    var tail: UInt64 = 0
    while p < n { tail = tail << 8 | UInt64(text[p]); p += 1 }
    h = (h ^ tail) &* 0xC4CEB9FE1A85EC53
    return h ^ (h >> 29)
}

/// The ids read so far, for the duplicate check: an open-addressing table over the bytes of the id column.
///
/// Ids are the same when they are the same as Swift strings (canonically equivalent spellings are one id), which
/// for text of ASCII bytes only means byte for byte. So ASCII ids go through the table; from the first id with any
/// other byte on, every id is checked as a `String` in a set, as all were before the table.
struct RosterIdSet {
    /// Per slot: the top 32 bits of the hash and the row number plus one (0: empty).
    var slots: [UInt64]
    var count = 0
    /// Set once an id that is not ASCII has been read: then `strings` holds every id.
    var strings: Set<String>?

    init(expected: Int) {
        var size = 1024
        while size < expected * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
    }

    /// Adds row `row` whose id is `ids[row]` (already appended); false when the id was there before.
    mutating func insert(row: Int, of ids: RosterText) -> Bool {
        if strings != nil { return strings!.insert(ids[row]).inserted }
        let span = ids.span(row)
        let ascii = ids.utf8.withUnsafeBytes { all -> Bool? in
            let text = UnsafeRawBufferPointer(rebasing: all[span])
            for c in text where c >= 0x80 { return nil }
            return insert(row: row, text, hash: rosterHash(text), all: all, ends: ids)
        }
        if let ascii { return ascii }
        // The first id that is not ASCII: from here on every id is compared as a string.
        var set = Set<String>(minimumCapacity: slots.count / 2)
        for r in 0..<row { set.insert(ids[r]) }
        strings = set
        return strings!.insert(ids[row]).inserted
    }

    private mutating func insert(row: Int, _ text: UnsafeRawBufferPointer, hash h: UInt64, all: UnsafeRawBufferPointer, ends ids: RosterText) -> Bool {
        let mask = slots.count - 1
        let tag = h >> 32
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[s]
            if slot == 0 { break }
            if slot >> 32 == tag {
                let other = ids.span(Int(slot & 0xFFFF_FFFF) - 1)
                if other.count == text.count && (text.count == 0 || memcmp(all.baseAddress! + other.lowerBound, text.baseAddress!, text.count) == 0) {
                    return false
                }
            }
            s = (s + 1) & mask
        }
        slots[s] = tag << 32 | UInt64(row + 1)
        count += 1
        if count * 2 > slots.count { grow(ids) }
        return true
    }

    private mutating func grow(_ ids: RosterText) {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot != 0 {
            let h = ids.withUTF8(Int(slot & 0xFFFF_FFFF) - 1) { rosterHash($0) }
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = slot
        }
    }
}

/// The current row's fields as the reader sees them, for the per-row checks: a small value made once per row, so
/// that reading a field never copies the whole reader.
struct RosterFields {
    let spans: FieldSpans
    let bytes: UnsafeRawBufferPointer
    let quoted: [[UInt8]]

    func fieldIsEmpty(_ k: Int) -> Bool {
        spans.start[k] < 0 ? quoted[-spans.start[k] - 1].isEmpty : spans.start[k] == spans.end[k]
    }

    /// Calls `body` with the bytes of field `k`.
    @inline(__always) func withField<R>(_ k: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if spans.start[k] < 0 { return quoted[-spans.start[k] - 1].withUnsafeBytes(body) }
        return body(UnsafeRawBufferPointer(rebasing: bytes[spans.start[k]..<spans.end[k]]))
    }

    func string(_ k: Int) -> String {
        if spans.start[k] < 0 { return String(decoding: quoted[-spans.start[k] - 1], as: UTF8.self) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[spans.start[k]..<spans.end[k]]), as: UTF8.self)
    }

    /// What is wrong with text field `k`, if anything: not UTF-8, a control character, or longer than a cell holds.
    func textProblem(_ k: Int) -> String? {
        let raw: UnsafeRawBufferPointer
        if spans.start[k] < 0 {
            return quoted[-spans.start[k] - 1].withUnsafeBytes { RosterReader.textProblem(in: $0) }
        }
        raw = UnsafeRawBufferPointer(rebasing: bytes[spans.start[k]..<spans.end[k]])
        return RosterReader.textProblem(in: raw)
    }

    /// Whether field `k` is exactly the ASCII word `word` (no quotes, no spaces).
    func fieldEquals(_ k: Int, _ word: StaticString) -> Bool {
        let s = spans.start[k], e = spans.end[k]
        guard s >= 0, e - s == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for j in 0..<(e - s) where bytes[s + j] != w[j] { return false }
        return true
    }

    /// The value of field `k` when it is a plain decimal: ASCII spaces or tabs around, up to 15 digits with at
    /// most one `.` between digits; nil for anything else (quoted, signed, exponent, units, more digits).
    ///
    /// The result equals `Double(text)`: a mantissa below 2^53 divided by an exact power of ten is correctly
    /// rounded (Clinger's fast path); blank gives 0, as an empty attribute does.
    func plainNumber(_ k: Int) -> Double? {
        let s = spans.start[k], e = spans.end[k]
        guard s >= 0 else { return nil }
        return Self.plainNumber(bytes, s, e)
    }

    /// `plainNumber(_:)` for the bytes `b[s..<e]`.
    static func plainNumber(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Double? {
        var s = start, e = end
        while s < e && (b[s] == 0x20 || b[s] == 0x09) { s += 1 }
        while e > s && (b[e - 1] == 0x20 || b[e - 1] == 0x09) { e -= 1 }
        if s == e { return 0 }
        var mantissa: UInt64 = 0
        var digits = 0, fraction = 0
        var dot = -1
        var j = s
        while j < e {
            let c = b[j]
            if c >= 0x30 && c <= 0x39 {
                mantissa = mantissa &* 10 &+ UInt64(c &- 0x30)
                digits += 1
                if dot >= 0 { fraction += 1 }
            } else if c == 0x2E && dot < 0 {
                dot = j
            } else {
                return nil
            }
            j += 1
        }
        guard digits > 0, digits <= 15, dot != s, dot != e - 1 else { return nil }
        let m = Double(mantissa)
        return fraction == 0 ? m : m / RosterReader.exactPowersOfTen[fraction]
    }
}
