internal import Cxlsxwriter
import Foundation

/// How libxlsxwriter builds the file.
public struct WorkbookOptions: Sendable, Equatable {
    /// Keep only the current row in memory.
    ///
    /// Memory stays flat however large the sheet, but every sheet must then be written row by row in
    /// order (an earlier row throws an ``XLSXError`` of kind `.indexOutOfRange`), strings are stored
    /// inline rather than shared, and tables and merged ranges over earlier rows are not available.
    public var constantMemory: Bool
    /// The folder for libxlsxwriter's temporary files; `nil` uses the system's.
    public var tmpdir: String?
    /// Write ZIP64 extensions, needed only when a part of the file exceeds 4 GB.
    public var useZip64: Bool

    /// Creates options; the defaults keep everything in memory and use the system's temporary folder.
    public init(constantMemory: Bool = false, tmpdir: String? = nil, useZip64: Bool = false) {
        self.constantMemory = constantMemory
        self.tmpdir = tmpdir
        self.useZip64 = useZip64
    }
}

/// The document properties shown in File › Info (core properties of the package).
public struct DocumentProperties: Sendable, Equatable {
    /// The title.
    public var title: String?
    /// The subject.
    public var subject: String?
    /// The author, written as both creator and "last modified by".
    public var author: String?
    /// The manager.
    public var manager: String?
    /// The company.
    public var company: String?
    /// The category.
    public var category: String?
    /// Keywords, as one string.
    public var keywords: String?
    /// Comments (the description).
    public var comments: String?
    /// The status.
    public var status: String?
    /// The creation time, also written as the modification time and used for the zip entries.
    ///
    /// Fix it for reproducible bytes: two workbooks with the same content and the same `created`
    /// are byte-identical. `nil` uses the time of writing. Whole seconds only; it must be after
    /// 1970-01-01T00:00:00Z because libxlsxwriter reads 0 as "now".
    public var created: Date?

    /// Creates properties; every field defaults to unset.
    public init(
        title: String? = nil, subject: String? = nil, author: String? = nil,
        manager: String? = nil, company: String? = nil, category: String? = nil,
        keywords: String? = nil, comments: String? = nil, status: String? = nil,
        created: Date? = nil
    ) {
        self.title = title
        self.subject = subject
        self.author = author
        self.manager = manager
        self.company = company
        self.category = category
        self.keywords = keywords
        self.comments = comments
        self.status = status
        self.created = created
    }
}

/// An xlsx file being written: the single owner of libxlsxwriter's `lxw_workbook`.
///
/// Add sheets, formats and charts, write cells, then call ``close()``, which writes the file and
/// frees every C object. A workbook that is never closed writes nothing: `deinit` only frees.
/// ``Worksheet``, ``Chart`` and ``Format`` objects belong to their workbook; worksheets and charts
/// keep it alive, and every call on any of them after ``close()`` throws ``XLSXError/closed(call:path:)``.
/// Not thread-safe: use a workbook and its objects from one task at a time.
public final class Workbook {
    /// The file ``close()`` writes.
    public let path: String
    /// The options the workbook was created with.
    public let options: WorkbookOptions

    /// The C workbook; `nil` once ``close()`` has run, since `workbook_close` frees it.
    private var handle: UnsafeMutablePointer<lxw_workbook>?
    /// Formats by style, so that one style makes one `lxw_format`.
    private var formats: [CellStyle: Format] = [:]
    /// Defined names, lower-cased: libxlsxwriter 1.1.4 mis-reports a duplicate as a malloc failure.
    private var definedNames: Set<String> = []
    /// Custom property names: libxlsxwriter 1.1.4 writes a duplicate twice.
    private var customPropertyNames: Set<String> = []
    /// Sheets named in chart ranges, checked by ``close()``: libxlsxwriter only warns about them.
    var chartSheetReferences: [(call: String, formula: String, sheet: String)] = []

    /// Creates a workbook that ``close()`` will write to `path`.
    ///
    /// Nothing is written yet, so a bad folder is only reported by ``close()``.
    /// - Throws: ``XLSXError`` naming `path` if libxlsxwriter cannot create the workbook.
    public init(path: String, options: WorkbookOptions = .init()) throws {
        self.path = path
        self.options = options
        let call = "workbook_new_opt"
        let created = try withCStrings(call, [path, options.tmpdir]) { strings in
            var cOptions = lxw_workbook_options(
                constant_memory: options.constantMemory ? 1 : 0,
                tmpdir: strings[1],
                use_zip64: options.useZip64 ? 1 : 0)
            return workbook_new_opt(strings[0], &cOptions)
        }
        guard let created else {
            throw XLSXError(
                call: call, code: XLSXError.noObjectCode,
                message: "libxlsxwriter could not create the workbook (its warning on standard error says why)",
                path: path)
        }
        handle = created
    }

    deinit {
        // Never closed: free without writing a file.
        if let handle { lxw_workbook_free(handle) }
    }

    /// Whether ``close()`` has run (successfully or not).
    public var isClosed: Bool { handle == nil }

    /// The C workbook, or ``XLSXError/closed(call:path:)`` once closed.
    func open(_ call: String) throws -> UnsafeMutablePointer<lxw_workbook> {
        guard let handle else { throw XLSXError.closed(call: call, path: path) }
        return handle
    }

    // MARK: Sheets

    /// Adds a worksheet named `name` after the existing ones.
    ///
    /// - Throws: ``XLSXError`` of kind `.invalidSheetName` naming `name` if Excel would reject it
    ///   (see ``validateSheetName(_:)``).
    public func addWorksheet(_ name: String) throws -> Worksheet {
        let call = "workbook_add_worksheet"
        let workbook = try open(call)
        try validateSheetName(name)
        let sheet = try withCString(call, name) { workbook_add_worksheet(workbook, $0) }
        guard let sheet else { throw noObject(call, detail: "sheet name \(name.debugDescription)") }
        return Worksheet(workbook: self, handle: sheet, name: name)
    }

    /// Checks that `name` can be added to this workbook as a sheet name.
    ///
    /// Excel's rules, checked by libxlsxwriter's `workbook_validate_sheet_name`: not empty, at most
    /// 31 characters (a Chinese character counts one), none of `[ ] : * ? / \`, no leading or
    /// trailing apostrophe, and not already used in this workbook ignoring ASCII case.
    /// - Throws: ``XLSXError`` of kind `.invalidSheetName` whose description names `name`.
    public func validateSheetName(_ name: String) throws {
        let call = "workbook_validate_sheet_name"
        let workbook = try open(call)
        try Self.validateSheetName(name, in: workbook)
    }

    /// Whether `name` follows Excel's sheet-name rules, without a workbook to check duplicates in.
    public static func isValidSheetName(_ name: String) -> Bool {
        // A scratch workbook gives the library's own rules; freed without closing, it writes nothing.
        guard let scratch = workbook_new("unused.xlsx") else { return false }
        defer { lxw_workbook_free(scratch) }
        return (try? validateSheetName(name, in: scratch)) != nil
    }

    private static func validateSheetName(
        _ name: String, in workbook: UnsafeMutablePointer<lxw_workbook>
    ) throws {
        let call = "workbook_validate_sheet_name"
        let detail = "sheet name \(name.debugDescription)"
        // libxlsxwriter 1.1.4 accepts "" (it would name the sheet "SheetN"); Excel does not.
        if name.isEmpty { throw invalidArgument(call, "a sheet name must not be empty") }
        let code = try withCString(call, name) { workbook_validate_sheet_name(workbook, $0) }
        try check(call, code, detail: detail)
    }

    // MARK: Formats

    /// The format for `style`; asking twice for the same style returns the same object.
    ///
    /// The C format is made the first time a cell uses it, so this never fails; a style the library
    /// cannot represent (a colour above 0xFFFFFF, an indent above 15, a number format or font name
    /// over 127 bytes of UTF-8) throws from that write.
    public func format(_ style: CellStyle) -> Format {
        if let existing = formats[style] { return existing }
        let format = Format(style: style, workbook: self)
        formats[style] = format
        return format
    }

    /// Gives `formats` the workbook's first style numbers, in this order (`nil` is skipped).
    ///
    /// libxlsxwriter numbers the formats in order of first use, and every cell names its format's number
    /// (`s="12"`). For a sheet of millions of cells in a few formats, numbering those first saves a byte a cell.
    /// The workbook shows the same either way; only the numbering in the file changes. Call it before any cell
    /// is written: a format already used keeps its number.
    ///
    /// - Returns: whether each format now holds a number of its own. One that looks exactly like a format numbered
    ///   before it (the workbook's default, for a `CellStyle()`) shares that number and looks it up at each use.
    @discardableResult
    public func numberFirst(_ formats: [Format?]) throws -> Bool {
        let call = "lxw_format_get_xf_index"
        var own = true
        for case let format? in formats {
            let handle = try resolve(format, call)!
            let number = lxw_format_get_xf_index(handle)
            own = own && handle.pointee.xf_index == number
        }
        return own
    }

    /// The C format for `format`, made on first use; `nil` for no format.
    func resolve(_ format: Format?, _ call: String) throws -> UnsafeMutablePointer<lxw_format>? {
        guard let format else { return nil }
        let workbook = try open(call)
        guard format.workbook === self else {
            throw invalidArgument(call, "the format belongs to another workbook")
        }
        if let handle = format.handle { return handle }
        let handle = try format.style.makeFormat(in: workbook, call: call)
        format.handle = handle
        return handle
    }

    // MARK: Properties and names

    /// Sets the document properties; a second call replaces the first.
    ///
    /// - Throws: ``XLSXError`` if `created` is not after 1970-01-01T00:00:00Z or the library fails.
    public func setProperties(_ properties: DocumentProperties) throws {
        let call = "workbook_set_properties"
        let workbook = try open(call)
        var created: time_t = 0
        if let date = properties.created {
            let seconds = date.timeIntervalSince1970.rounded(.down)
            guard seconds >= 1, seconds < 253_402_300_800 else {
                throw invalidArgument(
                    call, "created \(date) must lie after 1970-01-01T00:00:00Z and before year 10000")
            }
            created = time_t(seconds)
        }
        let p = properties
        let fields = [
            p.title, p.subject, p.author, p.manager, p.company, p.category, p.keywords, p.comments,
            p.status,
        ]
        let code = try withCStrings(call, fields) { s in
            var c = lxw_doc_properties(
                title: s[0], subject: s[1], author: s[2], manager: s[3], company: s[4],
                category: s[5], keywords: s[6], comments: s[7], status: s[8],
                hyperlink_base: nil, created: created)
            return workbook_set_properties(workbook, &c)
        }
        try check(call, code)
    }

    /// Adds a custom document property with a text value (File › Properties › Custom).
    ///
    /// - Throws: ``XLSXError`` if `name` is already used or longer than 255 characters.
    public func setCustomProperty(_ name: String, _ value: String) throws {
        let call = "workbook_set_custom_property_string"
        let workbook = try open(call)
        try claimCustomPropertyName(name, call)
        let code = try withCStrings(call, [name, value]) {
            workbook_set_custom_property_string(workbook, $0[0], $0[1])
        }
        try check(call, code, detail: "custom property \(name.debugDescription)")
    }

    /// Adds a custom document property with a number value.
    ///
    /// - Throws: ``XLSXError`` if `name` is already used, `value` is not finite, or the library fails.
    public func setCustomProperty(_ name: String, _ value: Double) throws {
        let call = "workbook_set_custom_property_number"
        let workbook = try open(call)
        guard value.isFinite else {
            throw invalidArgument(call, "custom property \(name.debugDescription) is \(value)")
        }
        try claimCustomPropertyName(name, call)
        let code = try withCString(call, name) {
            workbook_set_custom_property_number(workbook, $0, value)
        }
        try check(call, code, detail: "custom property \(name.debugDescription)")
    }

    private func claimCustomPropertyName(_ name: String, _ call: String) throws {
        guard !name.isEmpty else { throw invalidArgument(call, "a custom property needs a name") }
        guard !customPropertyNames.contains(name) else {
            throw invalidArgument(call, "custom property \(name.debugDescription) is already set")
        }
        customPropertyNames.insert(name)
    }

    /// Defines a workbook-wide name, e.g. `defineName("GrowthRate", formula: "='輸入'!$B$3")`.
    ///
    /// Prefix the name with a sheet (`"'輸入'!Rate"`) for a name local to that sheet. Names follow
    /// Excel's rules: a letter, `_` or `\` first, then letters, digits, `_`, `.`, `\` or `?`; not a
    /// cell reference such as `A1` or `R1C1`; unique ignoring case. The formula is at most 127 bytes
    /// of UTF-8 (a Chinese character takes three).
    /// - Throws: ``XLSXError`` naming `name` when it breaks a rule or the library rejects it.
    public func defineName(_ name: String, formula: String) throws {
        let call = "workbook_define_name"
        let workbook = try open(call)
        let detail = "defined name \(name.debugDescription) = \(formula.debugDescription)"
        if let problem = DefinedName.problem(name) {
            throw invalidArgument(call, "\(detail): \(problem)")
        }
        let key = name.lowercased()
        guard !definedNames.contains(key) else {
            throw invalidArgument(call, "\(detail): the name is already defined")
        }
        let code = try withCStrings(call, [name, formula]) {
            workbook_define_name(workbook, $0[0], $0[1])
        }
        try check(call, code, detail: detail)
        definedNames.insert(key)
    }

    // MARK: Charts

    /// Adds a chart of `type`; give it series, then place it with ``Worksheet/insertChart(_:_:_:xScale:yScale:)``.
    public func addChart(_ type: ChartType) throws -> Chart {
        let call = "workbook_add_chart"
        let workbook = try open(call)
        guard let chart = workbook_add_chart(workbook, type.cValue) else {
            throw noObject(call, detail: "chart type \(type)")
        }
        return Chart(workbook: self, handle: chart, type: type)
    }

    // MARK: Closing

    /// Writes the file and frees every C object; the workbook cannot be used afterwards.
    ///
    /// Before writing, checks that every sheet named in a chart range exists; if one does not, throws
    /// without writing and leaves the workbook open (add the sheet, then close again). Otherwise the
    /// workbook is closed whether or not writing succeeds.
    /// - Throws: ``XLSXError`` with ``XLSXError/path`` set when the file cannot be written, e.g. its
    ///   folder does not exist; ``XLSXError/closed(call:path:)`` when already closed.
    public func close() throws {
        let call = "workbook_close"
        let workbook = try open(call)
        for reference in chartSheetReferences {
            let found = try withCString(reference.call, reference.sheet) {
                workbook_get_worksheet_by_name(workbook, $0)
            }
            if found == nil {
                throw invalidArgument(
                    reference.call,
                    "chart range \(reference.formula.debugDescription) names sheet "
                        + "\(reference.sheet.debugDescription), which this workbook does not have")
            }
        }
        // workbook_close frees the workbook even when it fails.
        handle = nil
        formats.removeAll()
        try check(call, workbook_close(workbook), path: path)
    }
}

/// Excel's rules for defined names that libxlsxwriter 1.1.4 does not check itself.
enum DefinedName {
    /// Why `name` is not a valid defined name, or `nil` if it is.
    static func problem(_ name: String) -> String? {
        var local = Substring(name)
        if let bang = name.lastIndex(of: "!") { local = name[name.index(after: bang)...] }
        guard let first = local.first else { return "the name is empty" }
        if local.count > 255 { return "the name is longer than 255 characters" }
        guard first.isLetter || first == "_" || first == "\\" else {
            return "a name must start with a letter, '_' or '\\'"
        }
        if let bad = local.first(where: { !($0.isLetter || $0.isNumber || "_.\\?".contains($0)) }) {
            return "a name cannot contain \(String(bad).debugDescription)"
        }
        if CellRef.looksLikeCellReference(local) { return "the name looks like a cell reference" }
        return nil
    }
}
