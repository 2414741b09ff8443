internal import Cxlsxwriter

/// A cell format of one workbook, made by ``Workbook/format(_:)``.
///
/// The C `lxw_format` belongs to the C workbook and is made the first time a cell uses this format.
/// Unlike worksheets and charts, a format holds its workbook weakly: the workbook caches its formats,
/// so a strong reference back would keep an unclosed workbook alive forever. A format is only ever
/// used through a worksheet, and worksheets keep the workbook alive.
public final class Format {
    /// The style this format draws.
    public let style: CellStyle
    /// The workbook that made this format.
    weak var workbook: Workbook?
    /// The C format, once a cell has used it.
    var handle: UnsafeMutablePointer<lxw_format>?

    init(style: CellStyle, workbook: Workbook) {
        self.style = style
        self.workbook = workbook
    }
}

/// libxlsxwriter's colour value for `0xRRGGBB`.
///
/// In libxlsxwriter 0x000000 means "unset", so black must be passed as `LXW_COLOR_BLACK`.
func lxwColor(_ rgb: UInt32, _ call: String, _ what: String) throws -> lxw_color_t {
    guard rgb <= 0xFF_FFFF else {
        throw invalidArgument(call, "\(what) 0x\(String(rgb, radix: 16, uppercase: true)) is not 0xRRGGBB")
    }
    return rgb == 0 ? lxw_color_t(LXW_COLOR_BLACK.rawValue) : rgb
}

/// The longest number format or font name libxlsxwriter 1.1.4 stores whole, in UTF-8 bytes
/// (`LXW_FORMAT_FIELD_LEN` less the terminating NUL).
let maxFormatFieldBytes = Int(LXW_FORMAT_FIELD_LEN) - 1

extension CellStyle {
    /// Makes the C format for this style in `workbook`, checking what the library would not.
    func makeFormat(
        in workbook: UnsafeMutablePointer<lxw_workbook>, call: String
    ) throws -> UnsafeMutablePointer<lxw_format> {
        let fontColor = try self.fontColor.map { try lxwColor($0, call, "font colour") }
        let fill = try self.fill.map { try lxwColor($0, call, "fill colour") }
        guard (0...15).contains(indent) else {
            throw invalidArgument(call, "indent \(indent) is outside 0...15")
        }
        if let fontSize, !(fontSize >= 1 && fontSize <= 409) {
            throw invalidArgument(call, "font size \(fontSize) is outside 1...409 points")
        }
        // libxlsxwriter copies both into fixed 128-byte buffers and cuts longer text without a word,
        // possibly inside a UTF-8 character; refuse it here instead.
        for (what, text) in [("number format", numberFormat), ("font name", fontName)] {
            guard let text, text.utf8.count > maxFormatFieldBytes else { continue }
            throw libraryError(
                call, LXW_ERROR_128_STRING_LENGTH_EXCEEDED,
                detail: "\(what) is \(text.utf8.count) bytes of UTF-8, libxlsxwriter keeps at most \(maxFormatFieldBytes): "
                    + "\(String(text.prefix(20)).debugDescription)…")
        }
        guard let format = workbook_add_format(workbook) else { throw noObject("workbook_add_format") }
        if bold { format_set_bold(format) }
        if italic { format_set_italic(format) }
        if let fontColor { format_set_font_color(format, fontColor) }
        if let fontSize { format_set_font_size(format, fontSize) }
        if let fill {
            format_set_pattern(format, UInt8(LXW_PATTERN_SOLID.rawValue))
            format_set_bg_color(format, fill)
        }
        let thin = UInt8(LXW_BORDER_THIN.rawValue)
        if border { format_set_border(format, thin) }
        if topBorder { format_set_top(format, thin) }
        if bottomBorder { format_set_bottom(format, thin) }
        switch horizontalAlign {
        case .left?: format_set_align(format, UInt8(LXW_ALIGN_LEFT.rawValue))
        case .center?: format_set_align(format, UInt8(LXW_ALIGN_CENTER.rawValue))
        case .right?: format_set_align(format, UInt8(LXW_ALIGN_RIGHT.rawValue))
        case nil: break
        }
        if wrap { format_set_text_wrap(format) }
        if indent > 0 { format_set_indent(format, UInt8(indent)) }
        if !locked { format_set_unlocked(format) }
        try withCStrings(call, [numberFormat, fontName]) { s in
            if let numberFormat = s[0] { format_set_num_format(format, numberFormat) }
            if let fontName = s[1] { format_set_font_name(format, fontName) }
        }
        return format
    }
}
