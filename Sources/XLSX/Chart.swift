internal import Cxlsxwriter

/// The chart types libxlsxwriter 1.1.4 can draw that FundSim uses.
///
/// 1.1.4 has no combined charts and no secondary axis.
public enum ChartType: Sendable, Hashable, CustomStringConvertible {
    /// Vertical bars side by side.
    case column
    /// Vertical bars stacked.
    case columnStacked
    /// Horizontal bars side by side.
    case bar
    /// Horizontal bars stacked.
    case barStacked
    /// Lines.
    case line
    /// Lines stacked.
    case lineStacked
    /// Filled areas.
    case area
    /// Filled areas stacked.
    case areaStacked
    /// A pie of the first series.
    case pie
    /// A doughnut of the first series.
    case doughnut
    /// Points on two value axes (markers only).
    case scatter
    /// Points on two value axes joined by straight lines, with markers.
    case scatterLines

    /// The type's name, as in `ChartType.columnStacked`.
    public var description: String {
        switch self {
        case .column: "column"
        case .columnStacked: "columnStacked"
        case .bar: "bar"
        case .barStacked: "barStacked"
        case .line: "line"
        case .lineStacked: "lineStacked"
        case .area: "area"
        case .areaStacked: "areaStacked"
        case .pie: "pie"
        case .doughnut: "doughnut"
        case .scatter: "scatter"
        case .scatterLines: "scatterLines"
        }
    }

    /// libxlsxwriter's `LXW_CHART_*` number.
    var cValue: UInt8 {
        let type: lxw_chart_type
        switch self {
        case .column: type = LXW_CHART_COLUMN
        case .columnStacked: type = LXW_CHART_COLUMN_STACKED
        case .bar: type = LXW_CHART_BAR
        case .barStacked: type = LXW_CHART_BAR_STACKED
        case .line: type = LXW_CHART_LINE
        case .lineStacked: type = LXW_CHART_LINE_STACKED
        case .area: type = LXW_CHART_AREA
        case .areaStacked: type = LXW_CHART_AREA_STACKED
        case .pie: type = LXW_CHART_PIE
        case .doughnut: type = LXW_CHART_DOUGHNUT
        case .scatter: type = LXW_CHART_SCATTER
        case .scatterLines: type = LXW_CHART_SCATTER_STRAIGHT_WITH_MARKERS
        }
        return UInt8(type.rawValue)
    }
}

/// Where a chart shows its legend.
public enum LegendPosition: Sendable, Hashable {
    /// Right of the plot (Excel's default).
    case right
    /// Left of the plot.
    case left
    /// Above the plot.
    case top
    /// Below the plot.
    case bottom
    /// No legend.
    case none
}

/// A chart of a ``Workbook``; made by ``Workbook/addChart(_:)``, placed by
/// ``Worksheet/insertChart(_:_:_:xScale:yScale:)``.
///
/// The C `lxw_chart` belongs to the C workbook; this object keeps the workbook alive, and every call
/// after ``Workbook/close()`` throws ``XLSXError/closed(call:path:)``. Ranges are absolute references
/// with a leading `=`, e.g. `"=Summary!$C$5:$G$5"` or `"='匯總'!$C$5:$G$5"` (see ``CellRef``).
public final class Chart {
    /// The chart type.
    public let type: ChartType
    /// The workbook this chart belongs to (kept alive by the chart).
    public let workbook: Workbook
    let handle: UnsafeMutablePointer<lxw_chart>

    init(workbook: Workbook, handle: UnsafeMutablePointer<lxw_chart>, type: ChartType) {
        self.workbook = workbook
        self.handle = handle
        self.type = type
    }

    private func open(_ call: String) throws -> UnsafeMutablePointer<lxw_chart> {
        _ = try workbook.open(call)
        return handle
    }

    /// Adds a data series.
    ///
    /// - Parameters:
    ///   - name: the legend text, either plain (`"Income"`) or a cell reference (`"=Summary!$B$5"`);
    ///     `nil` lets Excel say "Series1".
    ///   - categories: the range of category labels (x values for scatter); `nil` numbers them 1, 2, ….
    ///   - values: the range of values.
    ///   - color: `0xRRGGBB` for the bars, areas, line or markers; `nil` uses the chart style's colour.
    ///     In a pie or doughnut it paints every slice, so leave it `nil` there.
    ///   - outline: bars drawn as an unfilled outline in `color` (a level to hold other bars against).
    ///   - hidden: draw nothing for the series and leave it out of the legend (the transparent base of a
    ///     band drawn as a stacked area).
    /// - Throws: ``XLSXError`` if a range is not a single `Sheet!$A$1:$B$2` reference. A sheet that
    ///   does not exist is reported by ``Workbook/close()``, since sheets may be added later.
    @discardableResult
    public func addSeries(
        name: String?, categories: String?, values: String, color: UInt32? = nil, outline: Bool = false, hidden: Bool = false
    ) throws -> Chart {
        let call = "chart_add_series"
        let chart = try open(call)
        let ranges = [categories, values, name.flatMap { $0.hasPrefix("=") ? $0 : nil }]
        var sheets: [(formula: String, sheet: String)] = []
        for case let formula? in ranges {
            guard let sheet = ChartRange.sheet(of: formula) else {
                throw invalidArgument(
                    call,
                    "chart range \(formula.debugDescription) is not one reference like \"=Summary!$C$5:$G$5\"")
            }
            sheets.append((formula, sheet))
        }
        let lxwColor = try color.map { try XLSX.lxwColor($0, call, "series colour") }
        let series = try withCStrings(call, [categories, values]) {
            chart_add_series(chart, $0[0], $0[1])
        }
        guard let series else { throw noObject(call, detail: "values \(values.debugDescription)") }
        if let name {
            try withCString("chart_series_set_name", name) { chart_series_set_name(series, $0) }
        }
        if outline {
            var none = lxw_chart_fill()
            none.none = 1
            chart_series_set_fill(series, &none)
            var line = lxw_chart_line()
            line.color = lxwColor ?? 0
            line.width = 2.25
            chart_series_set_line(series, &line)
        } else if let lxwColor { paint(series, lxwColor) }
        if hidden {
            var none = lxw_chart_fill()
            none.none = 1
            var noLine = lxw_chart_line()
            noLine.none = 1
            chart_series_set_fill(series, &none)
            chart_series_set_line(series, &noLine)
            hiddenSeries.append(Int16(seriesCount))
            try setLegendDeletions()
        }
        seriesCount += 1
        workbook.chartSheetReferences += sheets.map { (call, $0.formula, $0.sheet) }
        return self
    }

    /// Colours a series the way its chart type draws it.
    private func paint(_ series: UnsafeMutablePointer<lxw_chart_series>, _ color: lxw_color_t) {
        var line = lxw_chart_line()
        line.color = color
        var fill = lxw_chart_fill()
        fill.color = color
        switch type {
        case .line, .lineStacked:
            chart_series_set_line(series, &line)
        case .scatter, .scatterLines:
            chart_series_set_marker_fill(series, &fill)
            chart_series_set_marker_line(series, &line)
            if type == .scatterLines { chart_series_set_line(series, &line) }
        case .column, .columnStacked, .bar, .barStacked, .area, .areaStacked, .pie, .doughnut:
            chart_series_set_fill(series, &fill)
        }
    }

    /// Series added so far, and those drawn as nothing (left out of the legend).
    private var seriesCount = 0
    private var hiddenSeries: [Int16] = []

    private func setLegendDeletions() throws {
        let call = "chart_legend_delete_series"
        let chart = try open(call)
        var list = hiddenSeries + [-1]
        let rc = list.withUnsafeMutableBufferPointer { chart_legend_delete_series(chart, $0.baseAddress) }
        try check(call, rc)
    }

    /// Puts the category labels at the low end of the value axis, outside the plot, instead of next to the
    /// axis: in a tornado chart, whose axis runs through the middle of the bars, they would sit on the bars.
    public func setCategoryLabelsLow() throws {
        let call = "chart_axis_set_label_position"
        let chart = try open(call)
        // libxlsxwriter writes a bar chart's category axis from its `y_axis` (the axes are swapped).
        let axis = type == .bar || type == .barStacked ? chart.pointee.y_axis : chart.pointee.x_axis
        chart_axis_set_label_position(axis, UInt8(LXW_CHART_AXIS_LABEL_POSITION_LOW.rawValue))
    }

    /// Sets the chart title: plain text or a cell reference such as `"=Summary!$A$1"`.
    public func setTitle(_ title: String) throws {
        let call = "chart_title_set_name"
        let chart = try open(call)
        try withCString(call, title) { chart_title_set_name(chart, $0) }
    }

    /// Sets the title of the category axis (the horizontal one, or the vertical one in bar charts).
    public func setXAxisTitle(_ title: String) throws {
        let call = "chart_axis_set_name"
        let chart = try open(call)
        try withCString(call, title) { chart_axis_set_name(chart.pointee.x_axis, $0) }
    }

    /// Sets the title of the value axis.
    public func setYAxisTitle(_ title: String) throws {
        let call = "chart_axis_set_name"
        let chart = try open(call)
        try withCString(call, title) { chart_axis_set_name(chart.pointee.y_axis, $0) }
    }

    /// Sets the number format of the value axis labels, e.g. `"#,##0"`.
    public func setYAxisNumberFormat(_ format: String) throws {
        let call = "chart_axis_set_num_format"
        let chart = try open(call)
        try withCString(call, format) { chart_axis_set_num_format(chart.pointee.y_axis, $0) }
    }

    /// Places the legend, or removes it with `.none`.
    public func setLegend(position: LegendPosition) throws {
        let call = "chart_legend_set_position"
        let chart = try open(call)
        let value: lxw_chart_legend_position
        switch position {
        case .right: value = LXW_CHART_LEGEND_RIGHT
        case .left: value = LXW_CHART_LEGEND_LEFT
        case .top: value = LXW_CHART_LEGEND_TOP
        case .bottom: value = LXW_CHART_LEGEND_BOTTOM
        case .none: value = LXW_CHART_LEGEND_NONE
        }
        chart_legend_set_position(chart, UInt8(value.rawValue))
    }

    /// How far the bars of one category overlap (-100...100; 100 draws them on top of each other).
    public func setSeriesOverlap(_ percent: Int) throws {
        let call = "chart_set_series_overlap"
        let chart = try open(call)
        guard (-100...100).contains(percent) else { throw invalidArgument(call, "overlap \(percent) is outside -100...100") }
        chart_set_series_overlap(chart, Int8(percent))
    }

    /// Chooses one of Excel's 48 built-in chart styles (1...48; Excel's default is 2).
    public func setStyle(_ style: Int) throws {
        let call = "chart_set_style"
        let chart = try open(call)
        guard (1...48).contains(style) else {
            throw invalidArgument(call, "chart style \(style) is outside 1...48")
        }
        chart_set_style(chart, UInt8(style))
    }
}

/// Reading the sheet out of a chart range.
enum ChartRange {
    /// The unquoted sheet name of `=Sheet!$A$1:$B$2`, `='My Sheet'!A1` and the like, or `nil` when
    /// `formula` is not a single such reference (see ``CellRef/parseReference(_:)``).
    static func sheet(of formula: String) -> String? {
        guard formula.hasPrefix("=") else { return nil }
        return CellRef.parseReference(formula)?.sheet
    }
}
