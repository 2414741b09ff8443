import Foundation
import Testing
@testable import FundSimModel
import FundSimKit

/// The byte reader against the row-by-row reader it replaced (kept here, unchanged but for names, as the
/// oracle): thousands of mutated rosters give the same rows or the same diagnostics, line and column.
@Suite("Roster reader against the old reader")
struct RosterOracleTests {
    /// What the old reader produced.
    struct Reference {
        var file: String
        var ids: [String] = []
        var names: [String] = []
        var counties: [String] = []
        var isCommunity: [Bool] = []
        var attributes: [String: [Double]] = [:]
        var attributeNames: [String] = []
        init(file: String) { self.file = file }

    static func parse(_ data: Data, file: String) -> Result<Reference, DiagnosticList> {
        var diags: [Diagnostic] = []
        func err(_ line: Int, _ col: Int, _ m: String, _ hint: String? = nil) {
            diags.append(.error(m, at: SourceLocation(file: file, line: line, column: col), hint: hint))
        }
        if data.count > Roster.maxBytes {
            err(1, 1, "roster is \(data.count) bytes, over the limit of \(Roster.maxBytes)")
            return .failure(DiagnosticList(diags))
        }
        var roster = Reference(file: file)
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
                for r in Roster.requiredColumns where columnOf[r] == nil {
                    err(line, 1, "the roster has no `\(r)` column", "the header must start with: id,name,county,kind, then numeric attributes")
                    ok = false
                    headerOK = false
                }
                numericColumns = header.enumerated().filter { !Roster.requiredColumns.contains($0.element) }.map { ($0.element, $0.offset) }
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
                guard let v = Roster.number(text) else {
                    err(line, col + 1, "`\(name)` must be a plain decimal number, found `\(Limits.escaped(String(text.prefix(40)), keepingNewlines: false))`",
                        "write numbers in base units without units, %, 萬 or hex: 30000 for 3萬, 0.2 for 20%")
                    ok = false
                    return
                }
                if v < 0 { err(line, col + 1, "`\(name)` cannot be negative (\(text))"); ok = false; return }
                parsed.append(v)
            }
            if roster.ids.count >= Roster.maxRows { err(line, 1, "roster has over \(Roster.maxRows) rows"); ok = false; return }
            roster.ids.append(id)
            roster.names.append(fields[columnOf["name"]!])
            roster.counties.append(fields[columnOf["county"]!])
            roster.isCommunity.append(community)
            for k in parsed.indices { values[k].append(parsed[k]) }
        }

        // A byte-level CSV reader: fields are split on commas and newlines outside quotes.
        data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            let b = buf
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
                    if fields.count > Roster.maxColumns {
                        err(lineStart, 1, "row has over \(Roster.maxColumns) columns", "a roster has id, name, county, kind and a few attributes")
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

    static func same(_ new: Result<Roster, DiagnosticList>, _ old: Result<Reference, DiagnosticList>) -> Bool {
        switch (new, old) {
        case (.failure(let a), _) where a.diagnostics.contains(where: { d in Roster.limitMessages.contains { d.message.contains($0) } }):
            // Issue 19's limits on a row's text and ids, which the old reader did not have.
            return true
        case (.failure(let a), .failure(let b)):
            return DiagnosticRenderer().render(a.diagnostics) == DiagnosticRenderer().render(b.diagnostics)
        case (.success(let a), .success(let b)):
            return Array(a.ids) == b.ids && Array(a.names) == b.names && a.counties == b.counties && a.isCommunity == b.isCommunity
                && a.attributeNames == b.attributeNames
                && a.attributeNames.allSatisfy { a.attributes[$0]!.map(\.bitPattern) == b.attributes[$0]!.map(\.bitPattern) }
        default:
            return false
        }
    }

    @Test("mutated rosters: the same rows or the same diagnostics as the old reader")
    func mutations() throws {
        let fixtures = Project.fixtures + "/rosters"
        let seeds = try FileManager.default.contentsOfDirectory(atPath: fixtures).filter { $0.hasSuffix(".csv") }.sorted()
            .map { [UInt8](FileManager.default.contents(atPath: fixtures + "/" + $0)!) }
        // Bytes that matter to a CSV reader or a number: quotes, separators, line ends, spaces, signs, digits, units.
        let pieces: [[UInt8]] = ["\"", ",", "\n", "\r", "\r\n", " ", "\t", "-", "+", ".", "e", "0", "7", "1e5", "3萬", "元",
                                 "\u{3000}", "village", "村", "社區", "Community", "\"\"", "nan", "1e400", "\u{FEFF}", "12345678901234567"]
            .map { Array($0.utf8) }
        var rng = SystemRandomNumberGenerator()
        var seed = UInt64.random(in: 0...UInt64.max, using: &rng)
        let start = seed
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) }
        var mismatches: [String] = []
        for _ in 0..<3000 {
            var b = seeds[next() % seeds.count]
            for _ in 0..<(1 + next() % 4) {
                let at = b.isEmpty ? 0 : next() % (b.count + 1)
                switch next() % 3 {
                case 0: b.insert(contentsOf: pieces[next() % pieces.count], at: at)
                case 1: if at < b.count { b.remove(at: at) }
                default: if at < b.count { b.replaceSubrange(at..<min(b.count, at + 1 + next() % 3), with: pieces[next() % pieces.count]) }
                }
            }
            let data = Data(b)
            if !Self.same(Roster.parse(data, file: "m.csv"), Reference.parse(data, file: "m.csv")) {
                mismatches.append(String(decoding: b, as: UTF8.self))
            }
        }
        #expect(mismatches.isEmpty, "random start \(start); first mismatch:\n\(mismatches.first ?? "")")
    }

    @Test("a large roster read in two halves equals one pass and the old reader; a quote or an error across the middle too")
    func halves() throws {
        var text = ""
        RosterSynth.generate(villages: 120_000, communities: 1_000, seed: 3) { text += $0 }
        let data = Data(text.utf8)
        #expect(data.count >= 4 << 20, "large enough to be split")
        #expect(Self.same(Roster.parse(data, file: "s.csv", threads: 2), Reference.parse(data, file: "s.csv")))
        #expect(Self.same(Roster.parse(data, file: "s.csv", threads: 1), Reference.parse(data, file: "s.csv")))
        // A name with a line feed inside quotes just before the middle, and a bad row after it.
        var b = [UInt8](data)
        let mid = b.count / 2
        let lineStart = b[..<mid].lastIndex(of: 0x0A)! + 1
        let nameStart = b[lineStart...].firstIndex(of: 0x2C)! + 1
        b.insert(contentsOf: Array("\"跨\n中線\n".utf8), at: nameStart)
        let nameEnd = b[(nameStart + 8)...].firstIndex(of: 0x2C)!
        b.insert(0x22, at: nameEnd)
        let quoted = Data(b)
        #expect(Self.same(Roster.parse(quoted, file: "q.csv", threads: 2), Reference.parse(quoted, file: "q.csv")))
        if case .success(let r) = Roster.parse(quoted, file: "q.csv", threads: 2) {
            #expect(r.names.contains { $0.contains("跨\n中線\n") })
        } else {
            Issue.record("the quoted name spans lines but is valid")
        }
        let late = b.count * 3 / 4
        let badLine = b[..<late].lastIndex(of: 0x0A)! + 1
        b.insert(contentsOf: Array("X1,壞,縣1,town,1,1,1,1\n".utf8), at: badLine)
        let bad = Data(b)
        #expect(Self.same(Roster.parse(bad, file: "b.csv", threads: 2), Reference.parse(bad, file: "b.csv")))
        // The same files streamed from disk (two halves, each read a chunk at a time) read as in memory.
        let dir = Project.tempDir("roster-halves")
        for (name, d) in [("s.csv", data), ("q.csv", quoted), ("b.csv", bad)] {
            try d.write(to: URL(fileURLWithPath: dir + "/" + name))
            let streamed = Roster.read(path: dir + "/" + name, file: name, threads: 2, chunk: 4096)
            #expect(streamed.map { Self.identical($0, Roster.parse(d, file: name, threads: 1)) } == true, "\(name)")
        }
    }

    /// Whether two readings are the same rows (ids, names, counties, kinds, every number to the bit) or the same
    /// diagnostics, rendered.
    static func identical(_ a: Result<Roster, DiagnosticList>, _ b: Result<Roster, DiagnosticList>) -> Bool {
        switch (a, b) {
        case (.failure(let x), .failure(let y)):
            return DiagnosticRenderer().render(x.diagnostics) == DiagnosticRenderer().render(y.diagnostics)
        case (.success(let x), .success(let y)):
            return x.ids == y.ids && x.names == y.names && x.counties == y.counties && x.isCommunity == y.isCommunity
                && x.attributeNames == y.attributeNames
                && x.attributeNames.allSatisfy { x.attributes[$0]!.map(\.bitPattern) == y.attributes[$0]!.map(\.bitPattern) }
        default:
            return false
        }
    }

    /// What the reader said of a name's bytes before it checked them without a `String` (kept as the oracle).
    static func referenceTextProblem(_ raw: [UInt8]) -> String? {
        var ascii = true
        for c in raw {
            if c >= 0x80 { ascii = false; break }
            if (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) || c == 0x7F { return "holds a control character (byte 0x\(String(c, radix: 16)))" }
        }
        if ascii { return raw.count > Limits.cellCharacters ? "is \(raw.count) characters long, over the \(Limits.cellCharacters) a cell holds" : nil }
        guard let text = String(validating: raw, as: UTF8.self) else { return "is not UTF-8 text" }
        if let (_, c) = Limits.firstControlCharacter(in: text) { return "holds the control character U+\(String(format: "%04X", c.value))" }
        let count = text.unicodeScalars.count
        return count > Limits.cellCharacters ? "is \(count) characters long, over the \(Limits.cellCharacters) a cell holds" : nil
    }

    @Test("a name's bytes are judged as String(validating:) judged them: UTF-8, control characters, length")
    func textChecks() {
        // Valid and broken UTF-8: overlong forms, surrogates, past U+10FFFF, C1 controls, U+FFFE, truncated sequences.
        let pieces: [[UInt8]] = [[0x41], [0x01], [0x7F], [0x09], [0xC2, 0x85], [0xC2, 0xA0], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],
                                 [0xEF, 0xBF, 0xBE], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0xE6, 0x9D],
                                 [0x80], [0xFF], [0xF5, 0x80, 0x80, 0x80]] + ["村", "長", "é", "\u{0301}"].map { Array($0.utf8) }
        var seed: UInt64 = 7
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) }
        var mismatches: [String] = []
        var texts: [[UInt8]] = (0..<3000).map { _ in (0..<(next() % 6)).flatMap { _ in pieces[next() % pieces.count] } }
        texts.append([UInt8](String(repeating: "長", count: Limits.cellCharacters + 1).utf8))
        texts.append([UInt8](String(repeating: "長", count: Limits.cellCharacters).utf8))
        for name in texts where !name.isEmpty {
            let csv = Array("id,name,county,kind\nV1,".utf8) + name + Array(",縣,village\n".utf8)
            let said: String?
            switch Roster.parse(Data(csv), file: "t.csv") {
            case .success: said = nil
            case .failure(let list): said = list.diagnostics.first?.message
            }
            let expected = Self.referenceTextProblem(name).map { "`name` " + $0 }
            if said != expected { mismatches.append("\(name.map { String($0, radix: 16) }): \(said ?? "accepted") vs \(expected ?? "accepted")") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count); first: \(mismatches.first ?? "")")
    }

    @Test("a roster streamed from its file a few bytes at a time reads as its bytes in memory: rows, or diagnostics with their lines")
    func streamed() throws {
        let fixtures = Project.fixtures + "/rosters"
        let hostile = Project.fixtures + "/hostile/rosters"
        var files: [[UInt8]] = []
        for folder in [fixtures, hostile] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasSuffix(".csv") }).sorted() {
                files.append([UInt8](FileManager.default.contents(atPath: folder + "/" + name)!))
            }
        }
        // Mutations that put quotes, `""`, `\r\n` and line feeds anywhere, so that they fall across chunk ends.
        let pieces: [[UInt8]] = ["\"", "\"\"", ",", "\n", "\r", "\r\n", " ", "村", "3萬", "1e5"].map { Array($0.utf8) }
        var seed: UInt64 = 20261127
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) }
        let originals = files.count
        for _ in 0..<400 {
            var b = files[next() % originals]
            for _ in 0..<(1 + next() % 4) {
                let at = next() % (b.count + 1)
                if next() % 2 == 0 { b.insert(contentsOf: pieces[next() % pieces.count], at: at) } else if at < b.count { b.remove(at: at) }
            }
            files.append(b)
        }
        let dir = Project.tempDir("roster-stream")
        var mismatches: [String] = []
        for (k, b) in files.enumerated() {
            let path = dir + "/\(k).csv"
            try Data(b).write(to: URL(fileURLWithPath: path))
            let whole = Roster.parse(Data(b), file: "m.csv", threads: 1)
            for chunk in [1, 2, 3, 7, 64] {
                guard let streamed = Roster.read(path: path, file: "m.csv", threads: 1, chunk: chunk) else {
                    Issue.record("cannot open \(path)")
                    return
                }
                if !Self.identical(streamed, whole) { mismatches.append("chunk \(chunk): " + String(decoding: b, as: UTF8.self)) }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches; first:\n\(mismatches.first ?? "")")
    }

    @Test("thousands of counties, long and short, alike in their first and last bytes, are read and numbered as the old reader reads them")
    func countySpellings() {
        let long = "恩施土家族苗族自治州"
        var text = "id,name,county,kind,income,members\n"
        for i in 0..<90_000 {  // over 4 MB: read in two halves
            let county: String
            switch i % 6 {
            case 0: county = "縣\(i / 6 % 3_000)"
            case 1: county = long + "\(i / 6 % 700)" + long  // over 16 bytes; of one length, the same first and last bytes
            case 2: county = "ab\(i / 6 % 97)"
            case 3: county = String(repeating: "x", count: i / 6 % 17)  // 0 to 16 bytes
            case 4: county = "縣" + String(repeating: "0", count: i % 9) + "\(i % 13)"
            default: county = "\"縣\(i / 6 % 3_000)\""  // quoted: the same spelling as unquoted
            }
            text += "V\(i),村\(i),\(county),village,\(i * 7),\(i % 50)\n"
        }
        let data = Data(text.utf8)
        #expect(data.count >= 4 << 20)
        let reference = Reference.parse(data, file: "c.csv")
        for threads in [1, 2] {
            let read = Roster.parse(data, file: "c.csv", threads: threads)
            #expect(Self.same(read, reference), "threads: \(threads)")
            guard case .success(let r) = read else { Issue.record("threads: \(threads): not read"); continue }
            // Numbered in the order first seen, each spelling once.
            var seen: [[UInt8]] = [], known = Set<[UInt8]>()
            for c in r.counties where known.insert(Array(c.utf8)).inserted { seen.append(Array(c.utf8)) }
            #expect(r.countySpellings.map { Array($0.utf8) } == seen, "threads: \(threads)")
            #expect(r.countySpellings.count > 3_500)  // the table grows past its first size
        }
    }


    @Test("the one-pass plain-row path reads digits, kinds, ASCII and other text, line ends and short fields as the old reader, in memory and streamed")
    func plainRows() throws {
        var seed: UInt64 = 61
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) }
        // Fields around the eight-byte word: digits of every length (and a few that are not digits), kinds, text with
        // tabs, controls, DEL and bytes past ASCII in every position.
        let digits = "0123456789"
        // Most files are valid (so that their rows are compared); every fifth may hold anything.
        var anything = false
        func number() -> String {
            switch next() % 8 {
            case 0: return ""
            case 1: return String((0..<(1 + next() % (anything ? 17 : 15))).map { _ in Array(digits)[next() % 10] })
            case 2: return anything ? ["/", ":", "0/", "9:", "-1", "3萬"][next() % 6] : ["1.5", " 7", "8 ", "00000000", "99999999", "100000000", "1e3", "0.25"][next() % 8]
            default: return String((0..<(1 + next() % 8)).map { _ in Array(digits)[next() % 10] })
            }
        }
        let odd = ["\t", " ", "~", "é", "村", "長長長", "\u{1}", "\u{7F}", "\u{1F}", "\u{85}"]
        func text(_ base: String) -> String {
            var t = Array(base)
            if next() % 3 == 0 { t.insert(contentsOf: Array(odd[next() % (anything ? odd.count : 6)]), at: next() % (t.count + 1)) }
            return String(t)
        }
        let kinds = ["village", "community", "village ", "Village", "村", "communitY", "社區", " community", "villagf", "communit"]
        var files: [[UInt8]] = []
        for f in 0..<60 {
            anything = f % 5 == 0
            var csv = f % 4 == 3 ? "id,kind,a,name,b,county,c\r\n" : "id,name,county,kind,a,b,c\n"
            for r in 0..<(20 + next() % 60) {
                let id = anything && r % 17 == 16 ? "" : text("V\(r)" + String(repeating: "x", count: next() % 9))
                let name = text(String(repeating: "n", count: next() % 12)), county = text("c" + String(repeating: "k", count: next() % 10))
                let kind = next() % 4 == 0 ? kinds[next() % (anything ? kinds.count : 8)] : kinds[next() % 2]
                let (a, b, c) = (number(), number(), number())
                let row = f % 4 == 3 ? [id, kind, a, name, b, county, c] : [id, name, county, kind, a, b, c]
                csv += row.joined(separator: ",") + (f % 4 == 3 ? "\r\n" : (next() % 20 == 0 ? "\r\n" : "\n"))
            }
            if f % 5 == 4 { csv.removeLast() }  // no line end after the last row
            files.append(Array(csv.utf8))
        }
        let dir = Project.tempDir("roster-plain-rows")
        var mismatches: [String] = []
        var valid = 0
        for (k, b) in files.enumerated() {
            let data = Data(b)
            let read = Roster.parse(data, file: "p.csv", threads: 1)
            if case .success = read { valid += 1 }
            if !Self.same(read, Reference.parse(data, file: "p.csv")) { mismatches.append("in memory: " + String(decoding: b, as: UTF8.self)) }
            let path = dir + "/\(k).csv"
            try data.write(to: URL(fileURLWithPath: path))
            for chunk in [5, 13, 64] {
                guard let streamed = Roster.read(path: path, file: "p.csv", threads: 1, chunk: chunk) else { Issue.record("cannot open \(path)"); return }
                if !Self.identical(streamed, read) { mismatches.append("chunk \(chunk): " + String(decoding: b, as: UTF8.self)) }
            }
        }
        #expect(mismatches.count == 0, "first mismatch:\n\(mismatches.first ?? "")")
        #expect(valid >= 40, "most files are valid, so that their rows are compared: \(valid) of \(files.count)")
    }

    @Test("eight digits at a time give Double(text) for every length, and reject every byte that is not a digit")
    func digitWords() {
        var seed: UInt64 = 5
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) }
        for _ in 0..<20_000 {
            let length = 1 + next() % 8
            var bytes = (0..<8).map { _ in UInt8(0x30 + next() % 10) }
            if next() % 4 == 0 { bytes[next() % length] = UInt8(next() % 256) }
            if next() % 2 == 0 { for j in length..<8 { bytes[j] = UInt8(next() % 256) } }  // what follows the field
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let text = String(decoding: bytes[..<length], as: UTF8.self)
            let expected = bytes[..<length].allSatisfy { $0 >= 0x30 && $0 <= 0x39 } ? Double(text) : nil
            #expect(RosterReader.digits(UInt64(littleEndian: word), length) == expected, "\(bytes[..<length])")
        }
    }

    @Test("printable ASCII is judged eight bytes at a time as textProblem judges it")
    func plainTextWords() {
        var seed: UInt64 = 9
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) }
        for _ in 0..<20_000 {
            let length = next() % 12
            var bytes = (0..<16).map { _ in UInt8(0x20 + next() % 95) }
            for _ in 0..<(next() % 3) { bytes[next() % 16] = [0x00, 0x09, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0xC3, 0xFF][next() % 9] }
            bytes.withUnsafeBytes { all in
                let word = UInt64(littleEndian: all.loadUnaligned(as: UInt64.self))
                let field = UnsafeRawBufferPointer(rebasing: all[..<length])
                let expected = RosterReader.textProblem(in: field) == nil
                #expect(RosterReader.plainText(all.baseAddress!, length, first: word, whole: true) == expected, "\(Array(bytes[..<length]))")
            }
        }
    }
}
