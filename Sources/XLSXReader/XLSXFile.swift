import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import CellReferences
internal import ZIPFoundation

/// An xlsx workbook opened for reading: its sheets, defined names and custom document properties, and
/// each sheet's cells on demand.
///
/// It reads what spreadsheet programs write (Excel, LibreOffice, openpyxl, libxlsxwriter): shared or inline
/// strings, rich-text runs, shared formulas, cells without an `r` attribute. It knows nothing about what the
/// workbook means. Rows and columns are 0-based.
public final class XLSXFile {
    /// A sheet as the workbook lists it, in tab order.
    public struct Sheet: Sendable, Equatable {
        public enum State: String, Sendable { case visible, hidden, veryHidden }
        public var name: String
        public var state: State
        /// The sheet's part inside the zip, e.g. `xl/worksheets/sheet1.xml`.
        public var part: String
    }

    /// A defined name: `formula` is its text as stored (`'輸入'!$D$5`, without `=`).
    public struct DefinedName: Sendable, Equatable {
        public var name: String
        public var formula: String
        /// The index of the sheet the name is local to, nil for a workbook-wide name.
        public var localSheet: Int?
    }

    /// One cell: its value as last computed or typed, and its formula when it has one.
    public struct Cell: Sendable, Equatable {
        public enum Value: Sendable, Equatable {
            case number(Double)
            case text(String)
            case bool(Bool)
            /// An error value such as `#DIV/0!`.
            case error(String)
            case empty
        }
        public var row: Int
        public var col: Int
        public var value: Value
        /// The formula's text for a cell that holds one; `""` for a cell that shares another cell's formula
        /// (`t="shared"` without text) or belongs to an array formula. Nil for a typed value.
        public var formula: String?
        public var isFormula: Bool { formula != nil }
        /// The cell's name, `B3`.
        public var name: String { CellRef.name(row: row, col: col) }
    }

    public let path: String
    public private(set) var sheets: [Sheet] = []
    public private(set) var definedNames: [DefinedName] = []
    /// Custom document properties (`docProps/custom.xml`), their values as text.
    public private(set) var customProperties: [String: String] = [:]
    private let archive: Archive
    private var sharedStrings: [String] = []

    /// Opens the workbook; throws `XLSXReadError` when the file is not a readable xlsx workbook.
    public init(path: String) throws {
        self.path = path
        guard FileManager.default.isReadableFile(atPath: path) else { throw XLSXReadError.cannotOpen(path, "the file does not exist or cannot be read") }
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw XLSXReadError.notXLSX(path, "it is not a zip archive (an xlsx file is one)")
        }
        let workbookPart = try officeDocumentPart()
        guard let workbookXML = try part(workbookPart) else {
            throw XLSXReadError.notXLSX(path, "it has no workbook part \(workbookPart)")
        }
        let rels = try relationships(of: workbookPart)
        let wb = WorkbookParser()
        try parse(workbookXML, wb, part: workbookPart)
        sheets = wb.sheets.map { s in Sheet(name: s.name, state: s.state, part: rels[s.rid].map { Self.resolve($0, from: workbookPart) } ?? "") }
        definedNames = wb.names
        if let sst = rels.first(where: { $0.value.hasSuffix("sharedStrings.xml") }).map({ Self.resolve($0.value, from: workbookPart) }),
           let data = try part(sst) {
            let p = SharedStringsParser()
            try parse(data, p, part: sst)
            sharedStrings = p.strings
        }
        if let data = try part("docProps/custom.xml") {
            let p = CustomPropertiesParser()
            try parse(data, p, part: "docProps/custom.xml")
            customProperties = p.properties
        }
    }

    /// The sheet with this name, if the workbook has one.
    public func sheet(named name: String) -> Sheet? { sheets.first { $0.name == name } }

    /// Every cell the sheet stores (with a value or a formula), in file order.
    public func cells(of sheet: Sheet) throws -> [Cell] {
        guard let data = try part(sheet.part) else { throw XLSXReadError.notXLSX(path, "sheet \(sheet.name) has no part \(sheet.part)") }
        let p = SheetParser(sharedStrings: sharedStrings)
        try parse(data, p, part: sheet.part)
        return p.cells
    }

    // MARK: Parts

    private func part(_ name: String) throws -> Data? {
        guard let entry = archive[name] else { return nil }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
        } catch {
            throw XLSXReadError.notXLSX(path, "its part \(name) cannot be read: \(error)")
        }
        return data
    }

    private func officeDocumentPart() throws -> String {
        guard let data = try part("_rels/.rels") else {
            if archive["xl/workbook.xml"] != nil { return "xl/workbook.xml" }
            throw XLSXReadError.notXLSX(path, "it has no _rels/.rels: it is a zip file, but not a spreadsheet")
        }
        let p = RelationshipsParser()
        try parse(data, p, part: "_rels/.rels")
        guard let target = p.byType.first(where: { $0.type.hasSuffix("/officeDocument") })?.target else {
            throw XLSXReadError.notXLSX(path, "it names no main document")
        }
        return Self.resolve(target, from: "")
    }

    private func relationships(of part: String) throws -> [String: String] {
        let dir = (part as NSString).deletingLastPathComponent
        let name = (part as NSString).lastPathComponent
        let relsPart = (dir.isEmpty ? "" : dir + "/") + "_rels/" + name + ".rels"
        guard let data = try self.part(relsPart) else { return [:] }
        let p = RelationshipsParser()
        try parse(data, p, part: relsPart)
        return p.byID
    }

    /// A relationship target relative to the part that names it, or absolute from the package root.
    static func resolve(_ target: String, from part: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var components = (part as NSString).deletingLastPathComponent.split(separator: "/").map(String.init)
        for c in target.split(separator: "/") {
            if c == ".." { _ = components.popLast() } else if c != "." { components.append(String(c)) }
        }
        return components.joined(separator: "/")
    }

    private func parse(_ data: Data, _ delegate: XMLParserDelegate, part: String) throws {
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldProcessNamespaces = false
        guard parser.parse() else {
            throw XLSXReadError.notXLSX(path, "its part \(part) is not well-formed XML (line \(parser.lineNumber): \(parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown error"))")
        }
    }
}

/// Why a workbook could not be read.
public enum XLSXReadError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(String, String)
    case notXLSX(String, String)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let why): return "cannot open \(p): \(why)"
        case .notXLSX(let p, let why): return "\(p) is not an xlsx workbook: \(why)"
        }
    }
}

// MARK: XML parsers

/// The local part of an element name (`x:sheet` → `sheet`): some writers prefix the main namespace.
private func local(_ name: String) -> Substring {
    name.lastIndex(of: ":").map { name[name.index(after: $0)...] } ?? Substring(name)
}

private final class RelationshipsParser: NSObject, XMLParserDelegate {
    var byID: [String: String] = [:]
    var byType: [(type: String, target: String)] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        guard local(name) == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        if attributes["TargetMode"] == "External" { return }
        byID[id] = target
        byType.append((attributes["Type"] ?? "", target))
    }
}

private final class WorkbookParser: NSObject, XMLParserDelegate {
    var sheets: [(name: String, rid: String, state: XLSXFile.Sheet.State)] = []
    var names: [XLSXFile.DefinedName] = []
    private var current: (name: String, local: Int?)?
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch local(name) {
        case "sheet":
            let rid = attributes.first { local($0.key) == "id" }?.value ?? ""
            sheets.append((attributes["name"] ?? "", rid, attributes["state"].flatMap(XLSXFile.Sheet.State.init(rawValue:)) ?? .visible))
        case "definedName":
            current = (attributes["name"] ?? "", attributes["localSheetId"].flatMap { Int($0) })
            text = ""
        default: break
        }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if current != nil { text += string } }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if local(name) == "definedName", let c = current {
            names.append(.init(name: c.name, formula: text, localSheet: c.local))
            current = nil
        }
    }
}

private final class SharedStringsParser: NSObject, XMLParserDelegate {
    var strings: [String] = []
    private var item: String?
    private var inText = false
    private var phonetic = 0
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch local(name) {
        case "si": item = ""
        case "t": inText = phonetic == 0
        case "rPh": phonetic += 1
        default: break
        }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { item? += string } }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch local(name) {
        case "si": strings.append(item ?? ""); item = nil
        case "t": inText = false
        case "rPh": phonetic -= 1
        default: break
        }
    }
}

private final class CustomPropertiesParser: NSObject, XMLParserDelegate {
    var properties: [String: String] = [:]
    private var name: String?
    private var text = ""
    private var depth = 0
    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if local(element) == "property" { name = attributes["name"]; text = "" }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if name != nil { text += string } }
    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        if local(element) == "property", let n = name { properties[n] = text; name = nil }
    }
}

private final class SheetParser: NSObject, XMLParserDelegate {
    let sharedStrings: [String]
    var cells: [XLSXFile.Cell] = []
    init(sharedStrings: [String]) { self.sharedStrings = sharedStrings }

    private var row = -1, nextCol = 0
    private var cell: (row: Int, col: Int, type: String)?
    private var formula: String?
    private var valueText: String?
    private var inline: String?
    private var reading: Substring = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch local(name) {
        case "row":
            row = attributes["r"].flatMap { Int($0) }.map { $0 - 1 } ?? row + 1
            nextCol = 0
        case "c":
            var r = row, c = nextCol
            if let ref = attributes["r"], let p = CellRef.parse(ref) { (r, c) = (p.row, p.col) }
            cell = (r, c, attributes["t"] ?? "n")
            nextCol = c + 1
            formula = nil; valueText = nil; inline = nil
        case "f": formula = ""; reading = "f"
        case "v": valueText = ""; reading = "v"
        case "is": inline = ""
        case "t" where inline != nil: reading = "t"
        case "rPh": reading = "rPh"
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        switch reading {
        case "f": formula? += string
        case "v": valueText? += string
        case "t": inline? += string
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch local(name) {
        case "f", "v", "t", "rPh": reading = ""
        case "c":
            guard let c = cell else { return }
            cells.append(XLSXFile.Cell(row: c.row, col: c.col, value: value(type: c.type), formula: formula))
            cell = nil
        default: break
        }
    }

    private func value(type: String) -> XLSXFile.Cell.Value {
        switch type {
        case "s":
            guard let i = valueText.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), sharedStrings.indices.contains(i) else { return .empty }
            return .text(sharedStrings[i])
        case "inlineStr": return inline.map { .text($0) } ?? .empty
        case "str": return .text(valueText ?? "")
        case "b": return .bool(valueText?.trimmingCharacters(in: .whitespaces) == "1")
        case "e": return .error(valueText ?? "")
        default:
            guard let t = valueText?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return .empty }
            return Double(t).map { .number($0) } ?? .text(t)
        }
    }
}
