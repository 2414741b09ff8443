/// How a cell looks: font, fill, borders, alignment, number format, protection.
///
/// A plain value, so report code can build styles without a workbook; ``Workbook/format(_:)`` turns
/// one into a ``Format``. Colours are `0xRRGGBB` (`0x000000` is black).
public struct CellStyle: Hashable, Sendable {
    /// Bold font.
    public var bold: Bool
    /// Italic font.
    public var italic: Bool
    /// Font colour, `0xRRGGBB`; `nil` keeps the theme's text colour.
    public var fontColor: UInt32?
    /// Font size in points; `nil` keeps the default 11.
    public var fontSize: Double?
    /// Font name, e.g. `"Microsoft JhengHei"`; `nil` keeps the default Calibri. At most 127 bytes of UTF-8.
    public var fontName: String?
    /// Solid background colour, `0xRRGGBB`; `nil` for no fill.
    public var fill: UInt32?
    /// Excel number format, e.g. `"#,##0.00"` or `"0.0%"`; `nil` for General. At most 127 bytes of UTF-8.
    public var numberFormat: String?
    /// A thin border on all four sides.
    public var border: Bool
    /// A thin top border (for totals rows).
    public var topBorder: Bool
    /// A thin bottom border (for header rows).
    public var bottomBorder: Bool
    /// Horizontal alignment; `nil` lets Excel align by type (text left, numbers right).
    public var horizontalAlign: HorizontalAlignment?
    /// Wrap text inside the cell.
    public var wrap: Bool
    /// Indent level, 0...15 (each level is about one character wide).
    public var indent: Int
    /// Whether the cell is locked when the sheet is protected (Excel's default is locked).
    public var locked: Bool

    /// Creates a style; every parameter defaults to Excel's plain cell.
    public init(
        bold: Bool = false, italic: Bool = false, fontColor: UInt32? = nil,
        fontSize: Double? = nil, fontName: String? = nil, fill: UInt32? = nil,
        numberFormat: String? = nil, border: Bool = false, topBorder: Bool = false,
        bottomBorder: Bool = false, horizontalAlign: HorizontalAlignment? = nil,
        wrap: Bool = false, indent: Int = 0, locked: Bool = true
    ) {
        self.bold = bold
        self.italic = italic
        self.fontColor = fontColor
        self.fontSize = fontSize
        self.fontName = fontName
        self.fill = fill
        self.numberFormat = numberFormat
        self.border = border
        self.topBorder = topBorder
        self.bottomBorder = bottomBorder
        self.horizontalAlign = horizontalAlign
        self.wrap = wrap
        self.indent = indent
        self.locked = locked
    }
}

/// Horizontal alignment of a cell's content.
public enum HorizontalAlignment: Hashable, Sendable {
    /// Flush left.
    case left
    /// Centred.
    case center
    /// Flush right.
    case right
}
