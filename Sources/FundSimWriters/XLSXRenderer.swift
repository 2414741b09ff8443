import Foundation
import XLSX
import FundSimReport

/// Writes a `ReportBook` as an xlsx file through libxlsxwriter. It translates; it decides nothing.
public enum XLSXRenderer {
    public static func write(_ book: ReportBook, to path: String) throws {
        var sheets = book.sheets.makeIterator()
        // A streamed sheet means a large workbook: libxlsxwriter's constant_memory mode keeps memory flat,
        // at the price of writing every sheet's rows in order.
        try write(book, constantMemory: book.sheets.contains { $0.stream != nil }, to: path, next: { sheets.next() },
                  definedNames: { book.definedNames })
    }

    /// Writes a book handed over sheet by sheet while it is built (``SheetHandOver``): each sheet is written as soon
    /// as it and those before it are built. A book with a streamed sheet is written after it is built.
    /// `written` is called once the file is complete, before the memory libxlsxwriter leaves is freed.
    public static func write(_ handOver: SheetHandOver, constantMemory: Bool = false, to path: String, written: () -> Void = {}) throws {
        try write(handOver.waitForHead(), constantMemory: constantMemory, to: path, next: { handOver.next() },
                  definedNames: { handOver.waitForDefinedNames() }, written: written)
    }

    /// Writes `head`'s properties, then the sheets `next` gives until nil, in order, then the defined names.
    static func write(_ head: ReportBook, constantMemory: Bool, to path: String, next: () -> ReportSheet?,
                      definedNames: () -> [(name: String, formula: String)], written: () -> Void = {}) throws {
        let book = head
        let wb = try Workbook(path: path, options: WorkbookOptions(constantMemory: constantMemory, useZip64: constantMemory))
        var formats: [CellRole: Format] = [:]
        for role in CellRole.allCases { formats[role] = wb.format(style(role, checkWords: book.checkWords, failingCountWord: book.failingCountWord, moneyExtraPlaces: book.moneyExtraPlaces)) }
        var looks: [ReportConditionalFormat.Look: Format] = [:]
        for look in ReportConditionalFormat.Look.allCases { looks[look] = wb.format(style(look)) }
        try wb.setProperties(DocumentProperties(title: book.properties.title, subject: book.properties.subject,
                                                author: book.properties.author, company: book.properties.company,
                                                keywords: book.properties.keywords, comments: book.properties.comments,
                                                created: book.properties.created))
        try wb.setCustomProperty("generator", "FundSim")
        let (roleFormats, lookFormats) = (formats, looks)
        let write = { (s: ReportSheet, ws: Worksheet) in
            try sheet(s, ws, in: wb, constantMemory: constantMemory, formats: roleFormats, looks: lookFormats)
        }
        var first: Worksheet?
        if constantMemory {
            // A streamed book is written after it is built: every sheet is at hand. The formats of a sheet marked so
            // (the detail sheet) get the first numbers, those of its number columns, then those of its other cells.
            // Numbered before any cell is written, they are never numbered while that sheet is written.
            var sheets: [ReportSheet] = []
            while let s = next() { sheets.append(s) }
            var numberedFirst = true
            for s in sheets {
                guard let stream = s.stream, stream.formatsFirst else { continue }
                numberedFirst = try wb.numberFirst(stream.numberRoles.map { formats[$0] } + s.cells.map { formats[$0.role] }) && numberedFirst
            }
            let added = try sheets.map { (sheet: $0, ws: try wb.addWorksheet($0.name)) }
            first = added.first?.ws
            // One large sheet is written on the other core while the others are written here (see `writesAside`);
            // what is written is the same as one sheet after the other.
            if numberedFirst, let aside = added.firstIndex(where: { writesAside($0.sheet) }) {
                let (here, there) = BothCores.run({
                    Result { for (i, (s, ws)) in added.enumerated() where i != aside { try write(s, ws) } }
                }, {
                    Result { try write(added[aside].sheet, added[aside].ws) }
                })
                try here.get()
                try there.get()
            } else {
                for (s, ws) in added { try write(s, ws) }
            }
        } else {
            while let s = next() {
                let ws = try wb.addWorksheet(s.name)
                if first == nil { first = ws }
                try write(s, ws)
            }
        }
        for (name, formula) in definedNames() { try wb.defineName(name, formula: formula) }
        if let first { try first.activate() }
        try wb.close()
        written()
    }

    /// Whether a sheet can be written on another thread while the others are: in constant-memory mode each sheet has
    /// its own row buffer and temporary file in libxlsxwriter, and what they share is the numbering of formats, done
    /// on first use. A sheet whose formats were all numbered first, each with a number of its own
    /// (``ReportStream/formatsFirst``, ``XLSX/Workbook/numberFirst(_:)``), and that has nothing
    /// kept for the whole workbook (charts, conditional formats, drop-downs, comments, hiding, which moves the first
    /// and active sheets) touches nothing shared (libxlsxwriter 1.1.4's worksheet.c).
    public static func writesAside(_ s: ReportSheet) -> Bool {
        s.stream?.formatsFirst == true && s.charts.isEmpty && s.conditionalFormats.isEmpty && s.dropDowns.isEmpty
            && !s.hidden && !s.cells.contains { $0.comment != nil }
    }

    /// Writes one sheet: widths, cells, streamed rows, then its settings and charts.
    static func sheet(_ s: ReportSheet, _ ws: Worksheet, in wb: Workbook, constantMemory: Bool, formats: [CellRole: Format],
                      looks: [ReportConditionalFormat.Look: Format]) throws {
        for w in s.columnWidths { try ws.setColumnWidth(w.first, w.last, width: w.width) }
        if !constantMemory { for h in s.rowHeights { try ws.setRowHeight(h.row, height: h.height) } }
        let cells = constantMemory ? s.cells.enumerated().sorted { ($0.element.row, $0.element.col, $0.offset) < ($1.element.row, $1.element.col, $1.offset) }.map(\.element) : s.cells
        // Neighbouring cells mostly share a role: the last one's format is kept rather than looked up by name.
        var last: (role: CellRole, format: Format?)?
        for cell in cells {
            let f: Format?
            if let l = last, l.role == cell.role { f = l.format } else { f = formats[cell.role]; last = (cell.role, f) }
            switch cell.value {
            case .number(let v): try ws.write(cell.row, cell.col, number: v, f)
            case .text(let t): try ws.write(cell.row, cell.col, string: t, f)
            case .bool(let b): try ws.write(cell.row, cell.col, boolean: b, f)
            case .blank: if let f { try ws.writeBlank(cell.row, cell.col, f) }
            case .formula(let text, let cached):
                switch cached {
                case .number(let v): try ws.writeFormula(cell.row, cell.col, text, cached: v, f)
                case .text(let t): try ws.writeFormula(cell.row, cell.col, text, cachedString: t, f)
                }
            }
            if let c = cell.comment { try ws.writeComment(cell.row, cell.col, c, author: "FundSim") }
        }
        if let stream = s.stream {
            let rows = try ws.rowWriter(textColumns: stream.textColumns, numberFormats: stream.numberRoles.map { formats[$0] })
            var texts = [String](repeating: "", count: stream.textColumns)
            var numbers = [Double](repeating: 0, count: stream.numberColumns)
            for i in 0..<stream.rowCount {
                stream.fill(i, &texts, &numbers)
                try rows.write(stream.startRow + i, texts: texts, numbers: numbers)
            }
        }
        if let fr = s.freeze { try ws.freezePanes(row: fr.row, col: fr.col) }
        for d in s.dropDowns { try ws.dataValidationList(d.row, d.col, range: d.listRange) }
        for c in s.conditionalFormats {
            let rule: ConditionalRule
            switch c.when {
            case .equals(let v): rule = .equalTo(v)
            case .equalsOnRowsWithNumber(let v, let keyCol):
                // Relative to the block's top-left cell, as a formula rule is read for each cell of its range.
                let key = "$" + CellRef.column(keyCol) + String(c.rows.lowerBound + 1)
                let cell = CellRef.name(row: c.rows.lowerBound, col: c.cols.lowerBound)
                rule = .formula("=AND(ISNUMBER(\(key)),\(cell)=\(Self.figure(v)))")
            }
            try ws.conditionalFormat(firstRow: c.rows.lowerBound, firstCol: c.cols.lowerBound, lastRow: c.rows.upperBound,
                                     lastCol: c.cols.upperBound, when: rule, looks[c.look]!)
        }
        if s.landscape { try ws.setLandscape() }
        try ws.setPaperA4()
        try ws.fitToPages(width: 1, height: 0)
        if let p = s.printTitleRows { try ws.repeatRows(p.lowerBound, p.upperBound) }
        if let t = s.tabColor { try ws.setTabColor(t) }
        if s.hidden { try ws.hide() }
        for c in s.charts {
            let chart = try wb.addChart(chartType(c.kind))
            for series in c.series {
                try chart.addSeries(name: "=" + series.name, categories: "=" + series.categories, values: "=" + series.values, color: series.color,
                                    outline: series.outline, hidden: series.hidden)
            }
            if let o = c.overlap { try chart.setSeriesOverlap(o) }
            if c.categoryLabelsLow { try chart.setCategoryLabelsLow() }
            try chart.setTitle(c.title)
            if let y = c.yAxisTitle { try chart.setYAxisTitle(y) }
            try chart.setLegend(position: .bottom)
            try ws.insertChart(c.row, c.col, chart, xScale: c.xScale, yScale: c.yScale)
        }
    }

    /// A number as a formula writes it: `1`, `0`, `2.5`.
    static func figure(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    static func chartType(_ k: ReportChart.Kind) -> ChartType {
        switch k {
        case .column: return .column
        case .columnStacked: return .columnStacked
        case .line: return .line
        case .bar: return .bar
        case .barStacked: return .barStacked
        case .areaStacked: return .areaStacked
        }
    }

    /// The look of each role: inputs blue on pale yellow (FAST convention), calculations black, checks green/red by value.
    static func style(_ role: CellRole, checkWords: (pass: String, fail: String), failingCountWord: String, moneyExtraPlaces: Int = 0) -> CellStyle {
        // Money to the yuan in any display unit (2.5 and 0.0125 萬元: `#,##0.00##`), two decimals at least.
        let money = "#,##0.00" + String(repeating: "#", count: max(0, moneyExtraPlaces))
        // 1 and 0 shown as words; anything else (an error, a stray value) as it is.
        let checkFormat = "[=1]\"\(checkWords.pass)\";[=0]\"\(checkWords.fail)\";General"
        let inputFill: UInt32 = 0xFFF2CC, inputFont: UInt32 = 0x0000FF
        switch role {
        case .title: return CellStyle(bold: true, fontSize: 14)
        case .subtitle: return CellStyle(italic: true, fontColor: 0x595959)
        case .header: return CellStyle(bold: true, fontColor: 0xFFFFFF, fill: 0x1F4E79, horizontalAlign: .left)
        case .headerYear: return CellStyle(bold: true, fontColor: 0xFFFFFF, fill: 0x1F4E79, numberFormat: "0", horizontalAlign: .right)
        case .label: return CellStyle()
        case .labelBold: return CellStyle(bold: true)
        case .note: return CellStyle(fontColor: 0x7F7F7F)
        case .noteWrap: return CellStyle(fontColor: 0x595959, wrap: true)
        case .text: return CellStyle(wrap: true)
        case .inputMoney: return CellStyle(fontColor: inputFont, fill: inputFill, numberFormat: money, border: true, locked: false)
        // As typed: 2400, 2.5 (a fixed number of decimals would hide a typed fraction or show `2,400.`).
        case .inputCount: return CellStyle(fontColor: inputFont, fill: inputFill, numberFormat: "General", border: true, locked: false)
        case .inputRatio: return CellStyle(fontColor: inputFont, fill: inputFill, numberFormat: "0.0%", border: true, locked: false)
        case .inputNumber: return CellStyle(fontColor: inputFont, fill: inputFill, numberFormat: "General", border: true, locked: false)
        case .inputYear: return CellStyle(fontColor: inputFont, fill: inputFill, numberFormat: "0", border: true, locked: false)
        case .money: return CellStyle(numberFormat: money)
        case .count: return CellStyle(numberFormat: "#,##0")
        case .countDecimal: return CellStyle(numberFormat: "#,##0.0")
        case .ratio: return CellStyle(numberFormat: "0.0%")
        case .number: return CellStyle(numberFormat: "General")
        case .year: return CellStyle(numberFormat: "0")
        case .totalMoney: return CellStyle(bold: true, numberFormat: money, topBorder: true)
        case .displayMoney: return CellStyle(numberFormat: money)
        case .displayTotal: return CellStyle(bold: true, numberFormat: money)
        case .check: return CellStyle(numberFormat: checkFormat, horizontalAlign: .center)
        // No fill: pass and fail are coloured by conditional formatting (see `style(_:)` for a look).
        case .checkOverall: return CellStyle(bold: true, numberFormat: checkFormat, border: true, horizontalAlign: .center)
        case .checkCount: return CellStyle(bold: true, numberFormat: "0\" \(failingCountWord)\"", horizontalAlign: .center)
        case .notApplicable: return CellStyle(fontColor: 0xA6A6A6, horizontalAlign: .center)
        case .link: return CellStyle(fontColor: 0x0563C1)
        }
    }

    /// The look of a conditional format: Excel's own "good" and "bad" styles.
    static func style(_ look: ReportConditionalFormat.Look) -> CellStyle {
        switch look {
        case .pass: return CellStyle(fontColor: 0x006100, fill: 0xC6EFCE)
        case .fail: return CellStyle(fontColor: 0x9C0006, fill: 0xFFC7CE)
        }
    }
}
