internal import Cxlsxwriter

/// A failed libxlsxwriter call, or a call the wrapper refused before it reached C.
///
/// `call` names the C function that failed (or would have been called), `code` is its `lxw_error`
/// number, and `message` is `lxw_strerror`'s text for that number, so a person can look the failure
/// up in libxlsxwriter's documentation. Checks the wrapper makes itself (a row outside the sheet, a
/// non-finite number, a duplicate defined name) reuse the library's code and text for the same
/// problem and say what was wrong in `detail`. Two codes are the wrapper's own and negative:
/// ``closedCode`` (any call after ``Workbook/close()``) and ``noObjectCode`` (a C constructor
/// returned `NULL`; libxlsxwriter prints its reason on standard error).
public struct XLSXError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The C function that failed, e.g. `"workbook_close"`.
    public let call: String
    /// The `lxw_error` number, or ``closedCode`` / ``noObjectCode``.
    public let code: Int
    /// The library's text for `code` (`lxw_strerror`), or the wrapper's text for its own codes.
    public let message: String
    /// The workbook file, when the failure is about writing it.
    public let path: String?
    /// What was being written when it failed: the sheet name, the cell, the offending value.
    public let detail: String?

    /// Code of ``closed(call:path:)``: the workbook was already closed.
    public static let closedCode = -1
    /// Code used when a libxlsxwriter constructor returned `NULL`.
    public static let noObjectCode = -2

    /// Creates an error from its parts; the wrapper itself goes through one internal helper.
    public init(call: String, code: Int, message: String, path: String? = nil, detail: String? = nil) {
        self.call = call
        self.code = code
        self.message = message
        self.path = path
        self.detail = detail
    }

    /// The error every call after ``Workbook/close()`` throws.
    ///
    /// `workbook_close` frees every C object of the workbook, so nothing may touch them afterwards.
    public static func closed(call: String, path: String) -> XLSXError {
        XLSXError(
            call: call, code: closedCode,
            message: "the workbook is already closed; no call is allowed after close()",
            path: path)
    }

    /// The broad kind of failure, for callers that react differently to each.
    public enum Kind: Sendable, Equatable {
        /// A call after ``Workbook/close()``.
        case closed
        /// A row or column outside the sheet (rows 0..<1,048,576, columns 0..<16,384).
        case indexOutOfRange
        /// A sheet name Excel rejects: too long, bad characters, apostrophes, already used.
        case invalidSheetName
        /// A string longer than Excel allows (32, 128, 255 or 32,767 characters).
        case stringTooLong
        /// The output file could not be created or written.
        case fileCreation
        /// Any other rejected argument.
        case invalidArgument
        /// Anything else the library reported (memory, zip, temporary files).
        case library
    }

    /// The kind of this error, derived from ``code``.
    public var kind: Kind {
        if code == Self.closedCode { return .closed }
        if code == Self.noObjectCode { return .library }
        switch lxw_error(rawValue: UInt32(clamping: code)) {
        case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE:
            return .indexOutOfRange
        case LXW_ERROR_SHEETNAME_LENGTH_EXCEEDED, LXW_ERROR_INVALID_SHEETNAME_CHARACTER,
            LXW_ERROR_SHEETNAME_START_END_APOSTROPHE, LXW_ERROR_SHEETNAME_ALREADY_USED:
            return .invalidSheetName
        case LXW_ERROR_32_STRING_LENGTH_EXCEEDED, LXW_ERROR_128_STRING_LENGTH_EXCEEDED,
            LXW_ERROR_255_STRING_LENGTH_EXCEEDED, LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
            return .stringTooLong
        case LXW_ERROR_CREATING_XLSX_FILE, LXW_ERROR_CREATING_TMPFILE, LXW_ERROR_READING_TMPFILE,
            LXW_ERROR_ZIP_FILE_OPERATION, LXW_ERROR_ZIP_FILE_ADD, LXW_ERROR_ZIP_CLOSE:
            return .fileCreation
        case LXW_ERROR_PARAMETER_VALIDATION, LXW_ERROR_NULL_PARAMETER_IGNORED,
            LXW_ERROR_FEATURE_NOT_SUPPORTED:
            return .invalidArgument
        default:
            return .library
        }
    }

    /// `cannot write PATH: CALL: MESSAGE (DETAIL)`, leaving out the parts that are not set.
    public var description: String {
        var text = "\(call): \(message)"
        if let path { text = "cannot write \(path): " + text }
        if let detail { text += " (\(detail))" }
        return text
    }
}

/// Makes the ``XLSXError`` for a non-zero `lxw_error`: the library's text, the call, the context.
///
/// The single translation from `lxw_error` to Swift. ``check(_:_:path:detail:)`` uses it for
/// return codes; the wrapper's own argument checks use it with the library's code for the same
/// problem, so both kinds of failure read alike.
func libraryError(
    _ call: String, _ code: lxw_error, path: String? = nil, detail: String? = nil
) -> XLSXError {
    let message = lxw_strerror(code).map { String(cString: $0) } ?? "unknown libxlsxwriter error"
    return XLSXError(call: call, code: Int(code.rawValue), message: message, path: path, detail: detail)
}

/// Throws the ``XLSXError`` for `code` unless it is `LXW_NO_ERROR`; call it on every return code.
func check(
    _ call: String, _ code: lxw_error, path: String? = nil, detail: @autoclosure () -> String? = nil
) throws {
    guard code != LXW_NO_ERROR else { return }
    throw libraryError(call, code, path: path, detail: detail())
}

/// The library's "Function parameter validation error." for an argument the wrapper rejects.
func invalidArgument(_ call: String, _ detail: String) -> XLSXError {
    libraryError(call, LXW_ERROR_PARAMETER_VALIDATION, detail: detail)
}

/// The error for a C constructor that returned `NULL`.
func noObject(_ call: String, detail: String? = nil) -> XLSXError {
    XLSXError(
        call: call, code: XLSXError.noObjectCode,
        message: "libxlsxwriter returned no object (its warning on standard error says why)",
        detail: detail)
}
