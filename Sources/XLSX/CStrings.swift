/// Runs `body` with NUL-terminated UTF-8 copies of `strings`; `nil` stays `nil`.
///
/// The copies live until `body` returns. libxlsxwriter 1.1.4 copies every string the wrapper passes
/// (checked for cell text, formulas, comments, chart ranges, series names, titles, axis number
/// formats, document and custom properties, defined names, validation lists, `tmpdir`), so no copy
/// has to outlive its call. A string with an embedded NUL is rejected: C would cut it there silently.
func withCStrings<R>(
    _ call: String, _ strings: [String?], _ body: ([UnsafeMutablePointer<CChar>?]) throws -> R
) throws -> R {
    for case let string? in strings where string.utf8.contains(0) {
        throw invalidArgument(call, "text contains a NUL character: \(string.debugDescription)")
    }
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { string in
        guard let string else { return nil }
        let bytes = string.utf8CString
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        bytes.withUnsafeBufferPointer { copy.initialize(from: $0.baseAddress!, count: bytes.count) }
        return copy
    }
    defer { copies.forEach { $0?.deallocate() } }
    return try body(copies)
}

/// Runs `body` with `string` as NUL-terminated UTF-8 (Swift's own bytes, not a copy: libxlsxwriter copies what
/// it keeps, see ``withCStrings(_:_:_:)``). A string with an embedded NUL is rejected, as there.
func withCString<R>(
    _ call: String, _ string: String, _ body: (UnsafePointer<CChar>) throws -> R
) throws -> R {
    if string.utf8.contains(0) {
        throw invalidArgument(call, "text contains a NUL character: \(string.debugDescription)")
    }
    return try string.withCString(body)
}
