internal import Cxlsxwriter

/// One sheet of a ``Workbook``; made by ``Workbook/addWorksheet(_:)``.
///
/// Rows and columns are 0-based, as in libxlsxwriter: `write(2, 1, …)` writes cell B3. A row
/// outside 0..<1,048,576 or a column outside 0..<16,384 throws an ``XLSXError`` of kind
/// `.indexOutOfRange`. The C `lxw_worksheet` belongs to the C workbook; this object keeps the
/// workbook alive, and every call after ``Workbook/close()`` throws ``XLSXError/closed(call:path:)``.
public final class Worksheet {
    /// The sheet's name as shown on its tab.
    public let name: String
    /// The workbook this sheet belongs to (kept alive by the sheet).
    public let workbook: Workbook
    private let handle: UnsafeMutablePointer<lxw_worksheet>

    init(workbook: Workbook, handle: UnsafeMutablePointer<lxw_worksheet>, name: String) {
        self.workbook = workbook
        self.handle = handle
        self.name = name
    }

    /// The C worksheet, or ``XLSXError/closed(call:path:)`` once the workbook is closed.
    fileprivate func open(_ call: String) throws -> UnsafeMutablePointer<lxw_worksheet> {
        _ = try workbook.open(call)
        return handle
    }

    /// "sheet NAME, cell B3" for error details; raw numbers when the cell is off the sheet.
    fileprivate func place(_ row: Int, _ col: Int) -> String {
        let cell =
            CellRef.contains(row: row, col: col)
            ? "cell \(CellRef.name(row: row, col: col))" : "row \(row), column \(col)"
        return "sheet \(name.debugDescription), \(cell)"
    }

    /// The C row index, or the library's out-of-range error.
    fileprivate func cRow(_ row: Int, _ call: String, col: Int = 0) throws -> lxw_row_t {
        guard (0..<CellRef.maxRows).contains(row) else {
            throw libraryError(call, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE, detail: place(row, col))
        }
        return lxw_row_t(row)
    }

    /// The C column index, or the library's out-of-range error.
    private func cCol(_ col: Int, _ call: String, row: Int = 0) throws -> lxw_col_t {
        guard (0..<CellRef.maxColumns).contains(col) else {
            throw libraryError(call, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE, detail: place(row, col))
        }
        return lxw_col_t(col)
    }

    /// Everything a cell write needs: the open sheet, C indices and C format.
    private func target(
        _ call: String, _ row: Int, _ col: Int, _ format: Format?
    ) throws -> (UnsafeMutablePointer<lxw_worksheet>, lxw_row_t, lxw_col_t, UnsafeMutablePointer<lxw_format>?) {
        let sheet = try open(call)
        let r = try cRow(row, call, col: col)
        let c = try cCol(col, call, row: row)
        return (sheet, r, c, try workbook.resolve(format, call))
    }

    /// Rejects NaN and infinities, which libxlsxwriter would write as text Excel cannot open.
    fileprivate func requireFinite(_ value: Double, _ call: String, _ row: Int, _ col: Int) throws {
        guard value.isFinite else {
            throw invalidArgument(call, "\(place(row, col)): \(value) is not a finite number")
        }
    }

    // MARK: Cells

    /// Writes a number.
    ///
    /// - Throws: ``XLSXError`` for a cell off the sheet or a NaN or infinite value.
    public func write(_ row: Int, _ col: Int, number: Double, _ format: Format? = nil) throws {
        let call = "worksheet_write_number"
        let (sheet, r, c, f) = try target(call, row, col, format)
        try requireFinite(number, call, row, col)
        try check(call, worksheet_write_number(sheet, r, c, number, f), detail: place(row, col))
    }

    /// Writes text (at most 32,767 characters).
    public func write(_ row: Int, _ col: Int, string: String, _ format: Format? = nil) throws {
        let call = "worksheet_write_string"
        let (sheet, r, c, f) = try target(call, row, col, format)
        let code = try withCString(call, string) { worksheet_write_string(sheet, r, c, $0, f) }
        try check(call, code, detail: place(row, col))
    }

    /// A writer for the rows of a large table: each row's texts (no format) from `firstCol` on, then its
    /// numbers, number column `k` in `numberFormats[k]`.
    ///
    /// The fast path for streamed sheets: the sheet, the columns and the formats are checked once here, and
    /// ``RowWriter/write(_:texts:numbers:)`` passes each cell straight to C, as a program calling libxlsxwriter
    /// would. The checks on each cell are the same as for single cells.
    public func rowWriter(firstCol: Int = 0, textColumns: Int, numberFormats: [Format?]) throws -> RowWriter {
        let call = "worksheet_write_row"
        _ = try open(call)
        let count = textColumns + numberFormats.count
        guard textColumns >= 0 else { throw invalidArgument(call, "sheet \(name.debugDescription): \(textColumns) text columns") }
        _ = try cCol(firstCol, call)
        if count > 0 { _ = try cCol(firstCol + count - 1, call) }
        let formats = try numberFormats.map { try workbook.resolve($0, call) }
        return RowWriter(sheet: self, handle: handle, firstCol: firstCol, textColumns: textColumns, formats: formats)
    }

    /// Writes the rows of one table; made by ``Worksheet/rowWriter(firstCol:textColumns:numberFormats:)``.
    public struct RowWriter {
        let sheet: Worksheet
        let handle: UnsafeMutablePointer<lxw_worksheet>
        let firstCol: Int
        let textColumns: Int
        let formats: [UnsafeMutablePointer<lxw_format>?]

        /// Writes row `row`: `texts` (as many as the writer's text columns), then `numbers` (one per number format).
        ///
        /// - Throws: ``XLSXError`` for a row off the sheet, text with a NUL character, a NaN or infinite number,
        ///   the wrong count of values, or a closed workbook.
        public func write(_ row: Int, texts: [String], numbers: [Double]) throws {
            let call = "worksheet_write_row"
            _ = try sheet.open(call)
            guard texts.count == textColumns, numbers.count == formats.count else {
                throw invalidArgument(call, "sheet \(sheet.name.debugDescription), row \(row + 1): \(texts.count) texts and "
                    + "\(numbers.count) numbers for \(textColumns) text and \(formats.count) number columns")
            }
            let r = try sheet.cRow(row, call, col: firstCol)
            var c = lxw_col_t(firstCol)
            for text in texts {
                let code: lxw_error = try text.withCString { p in
                    guard strlen(p) == text.utf8.count else {
                        throw invalidArgument("worksheet_write_string", "text contains a NUL character: \(text.debugDescription)")
                    }
                    return worksheet_write_string(handle, r, c, p, nil)
                }
                try check("worksheet_write_string", code, detail: sheet.place(row, Int(c)))
                c += 1
            }
            for (k, v) in numbers.enumerated() {
                try sheet.requireFinite(v, "worksheet_write_number", row, Int(c))
                try check("worksheet_write_number", worksheet_write_number(handle, r, c, v, formats[k]), detail: sheet.place(row, Int(c)))
                c += 1
            }
        }
    }

    /// Writes TRUE or FALSE.
    public func write(_ row: Int, _ col: Int, boolean: Bool, _ format: Format? = nil) throws {
        let call = "worksheet_write_boolean"
        let (sheet, r, c, f) = try target(call, row, col, format)
        try check(call, worksheet_write_boolean(sheet, r, c, boolean ? 1 : 0, f), detail: place(row, col))
    }

    /// Writes a formula with its numeric result, e.g. `writeFormula(4, 2, "=C3*C4", cached: 1200)`.
    ///
    /// Formulas use US syntax (`,` between arguments, `.` for decimals). The cached result is what
    /// readers that do not recalculate show (openpyxl, calamine, LibreOffice by default); Excel
    /// recalculates on load.
    public func writeFormula(
        _ row: Int, _ col: Int, _ formula: String, cached: Double, _ format: Format? = nil
    ) throws {
        let call = "worksheet_write_formula_num"
        let (sheet, r, c, f) = try target(call, row, col, format)
        try requireFinite(cached, call, row, col)
        let code = try withCString(call, formula) {
            worksheet_write_formula_num(sheet, r, c, $0, f, cached)
        }
        try check(call, code, detail: "\(place(row, col)), formula \(formula.debugDescription)")
    }

    /// Writes a formula with its text result.
    public func writeFormula(
        _ row: Int, _ col: Int, _ formula: String, cachedString: String, _ format: Format? = nil
    ) throws {
        let call = "worksheet_write_formula_str"
        let (sheet, r, c, f) = try target(call, row, col, format)
        let code = try withCStrings(call, [formula, cachedString]) {
            worksheet_write_formula_str(sheet, r, c, $0[0], f, $0[1])
        }
        try check(call, code, detail: "\(place(row, col)), formula \(formula.debugDescription)")
    }

    /// Writes a formula whose result is a boolean, caching `TRUE` or `FALSE`.
    ///
    /// libxlsxwriter 1.1.4 cannot cache a boolean result (`t="b"`): the best it offers is the text
    /// `TRUE`/`FALSE` (`t="str"`), which is what this writes. Excel recalculates on load and shows a
    /// real boolean; LibreOffice without recalculation shows the text `TRUE`/`FALSE`, which looks the
    /// same; openpyxl (`data_only=True`) and calamine return the *string* `"TRUE"`/`"FALSE"`.
    /// Writing `1`/`0` instead would make non-recalculating viewers show `1`/`0`.
    public func writeFormula(
        _ row: Int, _ col: Int, _ formula: String, cachedBool: Bool, _ format: Format? = nil
    ) throws {
        try writeFormula(row, col, formula, cachedString: cachedBool ? "TRUE" : "FALSE", format)
    }

    /// Writes a formatted empty cell (libxlsxwriter skips a blank cell without a format).
    public func writeBlank(_ row: Int, _ col: Int, _ format: Format) throws {
        let call = "worksheet_write_blank"
        let (sheet, r, c, f) = try target(call, row, col, format)
        try check(call, worksheet_write_blank(sheet, r, c, f), detail: place(row, col))
    }

    /// Attaches a comment (a note shown on hover) to a cell.
    ///
    /// - Parameter author: shown in the note; `nil` leaves it empty.
    public func writeComment(_ row: Int, _ col: Int, _ text: String, author: String? = nil) throws {
        let call = "worksheet_write_comment_opt"
        let (sheet, r, c, _) = try target(call, row, col, nil)
        let code = try withCStrings(call, [text, author]) { s in
            var options = lxw_comment_options()
            options.author = s[1]
            return worksheet_write_comment_opt(sheet, r, c, s[0], &options)
        }
        try check(call, code, detail: place(row, col))
    }

    /// Writes a hyperlink: `https://…`, `mailto:…`, `internal:Sheet!A1` or `external:file.xlsx`.
    ///
    /// - Parameters:
    ///   - text: what the cell shows; `nil` shows the URL.
    ///   - tooltip: shown on hover.
    ///   - format: `nil` uses Excel's blue underlined hyperlink style.
    public func writeURL(
        _ row: Int, _ col: Int, _ url: String, text: String? = nil, tooltip: String? = nil,
        _ format: Format? = nil
    ) throws {
        let call = "worksheet_write_url_opt"
        let (sheet, r, c, f) = try target(call, row, col, format)
        let code = try withCStrings(call, [url, text, tooltip]) {
            worksheet_write_url_opt(sheet, r, c, $0[0], f, $0[1], $0[2])
        }
        try check(call, code, detail: "\(place(row, col)), URL \(url.debugDescription)")
    }

    /// Merges a block of cells and writes `string` in it (at least two cells).
    public func mergeRange(
        firstRow: Int, firstCol: Int, lastRow: Int, lastCol: Int, string: String,
        format: Format? = nil
    ) throws {
        let call = "worksheet_merge_range"
        let (sheet, r0, c0, f) = try target(call, firstRow, firstCol, format)
        let r1 = try cRow(lastRow, call, col: lastCol)
        let c1 = try cCol(lastCol, call, row: lastRow)
        let code = try withCString(call, string) {
            worksheet_merge_range(sheet, r0, c0, r1, c1, $0, f)
        }
        try check(
            call, code,
            detail: "sheet \(name.debugDescription), rows \(firstRow)...\(lastRow), "
                + "columns \(firstCol)...\(lastCol)")
    }

    /// Offers a drop-down list of `values` in a cell and rejects anything else typed there.
    ///
    /// - Throws: ``XLSXError`` if the list is empty, a value contains `,` or `"` (Excel's inline
    ///   list cannot hold them), or the values with their commas exceed 255 characters.
    public func dataValidationList(_ row: Int, _ col: Int, values: [String]) throws {
        let call = "worksheet_data_validation_cell"
        let (sheet, r, c, _) = try target(call, row, col, nil)
        guard !values.isEmpty else { throw invalidArgument(call, "\(place(row, col)): no values") }
        if let bad = values.first(where: { $0.contains(",") || $0.contains("\"") }) {
            throw invalidArgument(
                call, "\(place(row, col)): list value \(bad.debugDescription) contains ',' or '\"'")
        }
        let code = try withCStrings(call, values + [nil]) { s in
            s.withUnsafeBufferPointer { list in
                var validation = lxw_data_validation()
                validation.validate = UInt8(LXW_VALIDATION_TYPE_LIST.rawValue)
                validation.value_list = UnsafeMutablePointer(mutating: list.baseAddress)
                return worksheet_data_validation_cell(sheet, r, c, &validation)
            }
        }
        try check(call, code, detail: place(row, col))
    }

    /// Offers a drop-down list of the values in `range` (e.g. `"='Names'!$A$2:$A$40"`) in a cell and
    /// rejects anything else typed there.
    ///
    /// Unlike an inline list, a list taken from a range has no 255-character limit and its values may
    /// hold commas.
    ///
    /// - Throws: ``XLSXError`` for a cell off the sheet or a range that is not a formula (`=` first).
    public func dataValidationList(_ row: Int, _ col: Int, range: String) throws {
        let call = "worksheet_data_validation_cell"
        let (sheet, r, c, _) = try target(call, row, col, nil)
        guard range.hasPrefix("="), range.count > 1 else {
            throw invalidArgument(call, "\(place(row, col)): list range \(range.debugDescription) does not start with '='")
        }
        let code = try withCString(call, range) { formula in
            var validation = lxw_data_validation()
            validation.validate = UInt8(LXW_VALIDATION_TYPE_LIST_FORMULA.rawValue)
            validation.value_formula = UnsafeMutablePointer(mutating: formula)  // read only: libxlsxwriter copies it
            return worksheet_data_validation_cell(sheet, r, c, &validation)
        }
        try check(call, code, detail: place(row, col))
    }

    /// Draws cells of a range in `format` while `rule` holds (Excel's conditional formatting): the look
    /// follows the value after every recalculation, unlike a fixed fill.
    ///
    /// Only the font colour, bold, italic, fill, borders and number format of `format` apply, as in Excel.
    ///
    /// - Throws: ``XLSXError`` for a range off the sheet or reversed, or a formula rule without `=`.
    public func conditionalFormat(
        firstRow: Int, firstCol: Int, lastRow: Int, lastCol: Int, when rule: ConditionalRule, _ format: Format
    ) throws {
        let call = "worksheet_conditional_format_range"
        let sheet = try open(call)
        let r0 = try cRow(firstRow, call, col: firstCol), c0 = try cCol(firstCol, call, row: firstRow)
        let r1 = try cRow(lastRow, call, col: lastCol), c1 = try cCol(lastCol, call, row: lastRow)
        guard r0 <= r1, c0 <= c1 else {
            throw invalidArgument(call, "\(place(firstRow, firstCol)) to \(place(lastRow, lastCol)) is reversed")
        }
        let f = try workbook.resolve(format, call)
        var cf = lxw_conditional_format()
        cf.format = f
        var text: String?
        switch rule {
        case .equalTo(let v), .notEqualTo(let v):
            try requireFinite(v, call, firstRow, firstCol)
            let equal = if case .equalTo = rule { true } else { false }
            cf.type = UInt8(LXW_CONDITIONAL_TYPE_CELL.rawValue)
            cf.criteria = UInt8((equal ? LXW_CONDITIONAL_CRITERIA_EQUAL_TO : LXW_CONDITIONAL_CRITERIA_NOT_EQUAL_TO).rawValue)
            cf.value = v
        case .formula(let formula):
            guard formula.hasPrefix("=") else {
                throw invalidArgument(call, "\(place(firstRow, firstCol)): rule \(formula.debugDescription) does not start with '='")
            }
            cf.type = UInt8(LXW_CONDITIONAL_TYPE_FORMULA.rawValue)
            text = formula
        }
        let code = try withCStrings(call, [text]) { s in
            cf.value_string = s[0]
            return worksheet_conditional_format_range(sheet, r0, c0, r1, c1, &cf)
        }
        try check(call, code, detail: "\(place(firstRow, firstCol)) to \(place(lastRow, lastCol))")
    }

    /// Places `chart` with its top-left corner in the given cell, scaled from 480 × 288 pixels.
    ///
    /// A chart needs at least one series and can be placed only once.
    public func insertChart(
        _ row: Int, _ col: Int, _ chart: Chart, xScale: Double = 1, yScale: Double = 1
    ) throws {
        let call = "worksheet_insert_chart_opt"
        let (sheet, r, c, _) = try target(call, row, col, nil)
        guard chart.workbook === workbook else {
            throw invalidArgument(call, "\(place(row, col)): the chart belongs to another workbook")
        }
        guard xScale.isFinite, yScale.isFinite, xScale > 0, yScale > 0 else {
            throw invalidArgument(call, "\(place(row, col)): scale \(xScale) × \(yScale) is not positive")
        }
        var options = lxw_chart_options()
        options.x_scale = xScale
        options.y_scale = yScale
        let code = worksheet_insert_chart_opt(sheet, r, c, chart.handle, &options)
        try check(call, code, detail: "\(place(row, col)); a chart needs a series and can be placed only once")
    }

    // MARK: Rows and columns

    /// Sets the width of columns `first...last` in characters of the default font (Excel's default is
    /// 8.43), optionally with a default format for their cells.
    public func setColumnWidth(_ first: Int, _ last: Int, width: Double, _ format: Format? = nil) throws {
        let call = "worksheet_set_column"
        let sheet = try open(call)
        let c0 = try cCol(first, call)
        let c1 = try cCol(last, call)
        guard width.isFinite, width >= 0, width <= 255 else {
            throw invalidArgument(call, "sheet \(name.debugDescription): column width \(width) is outside 0...255")
        }
        let f = try workbook.resolve(format, call)
        try check(call, worksheet_set_column(sheet, c0, c1, width, f), detail: "sheet \(name.debugDescription)")
    }

    /// Sets the height of a row in points (Excel's default is 15).
    public func setRowHeight(_ row: Int, height: Double) throws {
        let call = "worksheet_set_row"
        let sheet = try open(call)
        let r = try cRow(row, call)
        guard height.isFinite, height >= 0, height <= 409 else {
            throw invalidArgument(call, "sheet \(name.debugDescription): row height \(height) is outside 0...409")
        }
        try check(call, worksheet_set_row(sheet, r, height, nil), detail: place(row, 0))
    }

    /// Keeps the rows above `row` and the columns left of `col` in view while scrolling.
    ///
    /// `freezePanes(row: 1, col: 0)` freezes the first row; `(0, 0)` freezes nothing.
    public func freezePanes(row: Int, col: Int) throws {
        let call = "worksheet_freeze_panes"
        let sheet = try open(call)
        let r = try cRow(row, call, col: col)
        let c = try cCol(col, call, row: row)
        worksheet_freeze_panes(sheet, r, c)
    }

    // MARK: Page setup

    /// Prints in landscape orientation.
    public func setLandscape() throws {
        worksheet_set_landscape(try open("worksheet_set_landscape"))
    }

    /// Prints on A4 paper (libxlsxwriter paper type 9).
    public func setPaperA4() throws {
        worksheet_set_paper(try open("worksheet_set_paper"), 9)
    }

    /// Scales printing to fit `width` pages across and `height` down; 0 leaves that direction free.
    public func fitToPages(width: Int, height: Int) throws {
        let call = "worksheet_fit_to_pages"
        let sheet = try open(call)
        guard let w = UInt16(exactly: width), let h = UInt16(exactly: height) else {
            throw invalidArgument(call, "sheet \(name.debugDescription): \(width) × \(height) pages")
        }
        worksheet_fit_to_pages(sheet, w, h)
    }

    /// Repeats rows `first...last` at the top of every printed page.
    public func repeatRows(_ first: Int, _ last: Int) throws {
        let call = "worksheet_repeat_rows"
        let sheet = try open(call)
        let r0 = try cRow(first, call)
        let r1 = try cRow(last, call)
        try check(call, worksheet_repeat_rows(sheet, r0, r1), detail: "sheet \(name.debugDescription)")
    }

    /// Sets the printed margins in inches; `nil` keeps Excel's default (0.7 left/right, 0.75 top/bottom).
    public func setMargins(
        left: Double? = nil, right: Double? = nil, top: Double? = nil, bottom: Double? = nil
    ) throws {
        let call = "worksheet_set_margins"
        let sheet = try open(call)
        let margins = [left, right, top, bottom]
        if let bad = margins.compactMap({ $0 }).first(where: { !($0.isFinite && $0 >= 0) }) {
            throw invalidArgument(call, "sheet \(name.debugDescription): margin \(bad)")
        }
        // -1 asks libxlsxwriter for Excel's default.
        let m = margins.map { $0 ?? -1 }
        worksheet_set_margins(sheet, m[0], m[1], m[2], m[3])
    }

    // MARK: View

    /// Hides gridlines on screen and in print.
    public func hideGridlines() throws {
        worksheet_gridlines(try open("worksheet_gridlines"), UInt8(LXW_HIDE_ALL_GRIDLINES.rawValue))
    }

    /// Hides the sheet's tab (the reader can unhide it); a hidden sheet cannot be the active one.
    public func hide() throws {
        worksheet_hide(try open("worksheet_hide"))
    }

    /// Makes this the sheet shown when the file opens.
    public func activate() throws {
        worksheet_activate(try open("worksheet_activate"))
    }

    /// Colours the sheet's tab, `0xRRGGBB`.
    public func setTabColor(_ color: UInt32) throws {
        let call = "worksheet_set_tab_color"
        let sheet = try open(call)
        worksheet_set_tab_color(sheet, try lxwColor(color, call, "tab colour"))
    }

    /// Sets the zoom in percent, 10...400.
    public func setZoom(_ percent: Int) throws {
        let call = "worksheet_set_zoom"
        let sheet = try open(call)
        guard (10...400).contains(percent) else {
            throw invalidArgument(call, "sheet \(name.debugDescription): zoom \(percent)% is outside 10...400")
        }
        worksheet_set_zoom(sheet, UInt16(percent))
    }
}
