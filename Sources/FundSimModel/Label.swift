/// A label FundSim writes, by identity rather than text.
///
/// The engine names what a row is (`.key("row.headcount")`); the report's label catalogue
/// (`FundSimReport/LabelCatalogue.swift`) renders it in zh-Hans, zh-Hant or English. Text the scenario's
/// author wrote — an input's name or title, a band's or a source's name, a check's title — is carried as
/// written and never converted.
public enum RowLabel: Hashable, Sendable {
    /// Text from the scenario file, shown exactly as written.
    case user(String)
    /// A catalogue phrase; its `{0}`, `{1}`, … places take the arguments.
    case key(LabelKey, [LabelArgument])

    /// A catalogue phrase without arguments.
    public static func key(_ k: LabelKey) -> RowLabel { .key(k, []) }
}

/// The identity of a phrase in the label catalogue, e.g. `row.headcount`, `category.pay`.
public struct LabelKey: Hashable, Sendable, Comparable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (a: LabelKey, b: LabelKey) -> Bool { a.rawValue < b.rawValue }
}

/// A value put into a phrase.
public enum LabelArgument: Hashable, Sendable {
    /// User text (a band's or a source's name), shown as written.
    case text(String)
    /// An amount in yuan: shown in 萬元 in Chinese, in yuan in English.
    case amount(Double)
    /// A plain number, shown as `Expr.format` writes it.
    case number(Double)
}

/// Who a model row belongs to, besides its section: the commitment or source whose figure it is.
public enum RowOwner: Hashable, Sendable {
    case commitment(String)
    case source(String)

    public var id: String {
        switch self {
        case .commitment(let c), .source(let c): return c
        }
    }
}
