import Foundation

/// What each column of a roster is, by field number, for the plain-row path: two bytes a column, read once a field.
final class ColumnRoles {
    static let id: Int16 = -1, name: Int16 = -2, county: Int16 = -3, kind: Int16 = -4
    /// `roles[k]`: one of the four above, or the index of field `k` among the number columns.
    let roles: UnsafeMutablePointer<Int16>
    let count: Int

    init(columns: Int, id: Int, name: Int, county: Int, kind: Int, numbers: [Int]) {
        count = columns
        roles = .allocate(capacity: max(1, columns))
        roles.initialize(repeating: Self.kind, count: max(1, columns))
        for (k, col) in numbers.enumerated() where col < columns { roles[col] = Int16(truncatingIfNeeded: k) }
        for (col, role) in [(id, Self.id), (name, Self.name), (county, Self.county), (kind, Self.kind)] where col < columns { roles[col] = role }
    }
    deinit { roles.deallocate() }
}

extension RosterReader {
    /// Reads the row that starts at `start` in one pass when it has the usual shape: the whole row in view, no `"`, no
    /// carriage return but one just before the line feed, as many fields as the header, the kind written `village` or
    /// `community`, a non-empty id, every number a plain decimal (`RosterFields.plainNumber`), and text that is
    /// printable ASCII or passes `textProblem`. Then the row is appended as `handleRow` appends it and the result is
    /// where the next row starts. Nil for any other row, with nothing changed (the general path reads it).
    ///
    /// A number of one to eight digits is read eight bytes at a time: the digits checked and combined in one word.
    mutating func plainRowRead(_ b: UnsafeRawBufferPointer, from start: Int, line: Int) -> Int? {
        let n = b.count
        guard let base = b.baseAddress, roster.ids.count < Roster.maxRows else { return nil }
        let roles = self.roles.roles, columns = self.roles.count
        let st = stage
        let numbers = st.numbers + st.count
        var id = 0..<0, name = 0..<0, county = 0..<0
        var community = false
        var p = start
        for k in 0..<columns {
            let fieldStart = p
            // The field's end: the next comma, line end or quote (eight bytes at a time; the lowest match is exact).
            var first: UInt64 = 0
            var found = false
            while p + 8 <= n {
                let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt64.self))
                if p == fieldStart { first = w }
                let m = Self.matches(w, 0x2C) | Self.matches(w, 0x0A) | Self.matches(w, 0x0D) | Self.matches(w, 0x22)
                if m != 0 { p += m.trailingZeroBitCount >> 3; found = true; break }
                p += 8
            }
            guard found else { return nil }
            let c = base.load(fromByteOffset: p, as: UInt8.self)
            // Each field but the last ends at a comma, the last at a line end.
            if k + 1 < columns { guard c == 0x2C else { return nil } } else { guard c == 0x0A || c == 0x0D else { return nil } }
            let length = p - fieldStart
            // `first` holds the field's first eight bytes when the scan began there with a whole word in view.
            let whole = fieldStart + 8 <= n
            switch roles[k] {
            case ColumnRoles.id:
                guard length > 0, Self.plainText(base + fieldStart, length, first: first, whole: whole) else { return nil }
                id = fieldStart..<p
            case ColumnRoles.name:
                guard Self.plainText(base + fieldStart, length, first: first, whole: whole) else { return nil }
                name = fieldStart..<p
            case ColumnRoles.county:
                guard Self.plainText(base + fieldStart, length, first: first, whole: whole) else { return nil }
                county = fieldStart..<p
            case ColumnRoles.kind:
                // `village` or `community`, exactly (anything else goes to the general path).
                guard whole else { return nil }
                if length == 7 && first & 0x00FF_FFFF_FFFF_FFFF == Self.village { community = false }
                else if length == 9 && first == Self.communit && base.load(fromByteOffset: fieldStart + 8, as: UInt8.self) == 0x79 { community = true }
                else { return nil }
            default:
                let slot = numbers + Int(roles[k]) * RowStage.rows
                if length == 0 { slot.pointee = 0; break }
                if length <= 8 && whole, let v = Self.digits(first, length) { slot.pointee = v; break }
                guard let v = RosterFields.plainNumber(b, fieldStart, p) else { return nil }
                slot.pointee = v
            }
            p += 1
        }
        // A carriage return ends the row only just before its line feed.
        if base.load(fromByteOffset: p - 1, as: UInt8.self) == 0x0D {
            guard p < n, base.load(fromByteOffset: p, as: UInt8.self) == 0x0A else { return nil }
            p += 1
        }
        let code = internCounty(bytes: UnsafeRawBufferPointer(rebasing: b[county]))
        appendRow(line: line, id: UnsafeRawBufferPointer(rebasing: b[id]), name: UnsafeRawBufferPointer(rebasing: b[name]), county: code,
                  community: community)
        return p
    }

    /// `village` and the first eight bytes of `community`, as little-endian words.
    static let village: UInt64 = 0x0065_6761_6C6C_6976
    static let communit: UInt64 = 0x7469_6E75_6D6D_6F63

    /// Whether the `length` bytes at `p` are text that `textProblem` accepts, checked eight bytes at a time while they
    /// are printable ASCII (`first`: the first eight bytes when `whole`); other bytes go to `textProblem` itself.
    @inline(__always) static func plainText(_ p: UnsafeRawPointer, _ length: Int, first: UInt64, whole: Bool) -> Bool {
        if length <= 8 && whole {
            // Printable ASCII: no byte under 0x20, none at or over 0x7F (checked on the field's bytes only).
            let keep: UInt64 = length == 8 ? ~0 : (1 << UInt64(8 * length)) &- 1
            let odd = (first | ((first &+ 0x0101_0101_0101_0101) & highBits) | ((first &- 0x2020_2020_2020_2020) & ~first)) & highBits & keep
            // A byte of 0x7F becomes 0x80 when one is added; a byte under 0x20 borrows when 0x20 is taken away. Carries and
            // borrows only move upwards, so the lowest odd byte is exact; any odd byte sends the text to the full check.
            if odd == 0 { return true }
        }
        return textProblem(in: UnsafeRawBufferPointer(start: p, count: length)) == nil
    }

    /// The value of one to eight ASCII digits, the low `length` bytes of `w` (the first digit in the lowest byte); nil
    /// when any of them is not a digit. The same value as `Double(text)`: an integer below 10^8 is exact.
    @inline(__always) static func digits(_ w: UInt64, _ length: Int) -> Double? {
        let keep: UInt64 = length == 8 ? ~0 : (1 << UInt64(8 * length)) &- 1
        let threes = 0x3030_3030_3030_3030 & keep
        // Every byte 0x30–0x3F, and none past 0x39 (adding 6 keeps a digit under 0x40; no carry leaves a byte of 0x3_).
        guard w & 0xF0F0_F0F0_F0F0_F0F0 & keep == threes, (w &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 & keep == threes else { return nil }
        // The digits' values, moved up so that the missing leading digits are zeros in the low bytes; then pairs, fours
        // and eights of digits combined by multiplication.
        var x = ((w & keep) ^ threes) << UInt64(8 * (8 - length))
        x = (x &* 10 &+ (x >> 8)) & 0x00FF_00FF_00FF_00FF
        x = (x &* 100 &+ (x >> 16)) & 0x0000_FFFF_0000_FFFF
        x = (x &* 10000 &+ (x >> 32)) & 0xFFFF_FFFF
        return Double(x)
    }
}
