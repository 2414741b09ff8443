import FundSimModel

/// A phrase FundSim writes, written out in each report language (no character conversion).
public struct Phrase: Sendable, Hashable {
    public let zhHant: String
    public let zhHans: String
    public let en: String

    public init(_ zhHant: String, _ zhHans: String, _ en: String) {
        self.zhHant = zhHant
        self.zhHans = zhHans
        self.en = en
    }

    public func text(_ language: ReportLanguage) -> String {
        switch language {
        case .zhHant: return zhHant
        case .zhHans: return zhHans
        case .en: return en
        }
    }
}

/// Words of the report in its language, from the label catalogue (LabelCatalogue.swift).
public struct Labels: Sendable {
    public let language: ReportLanguage
    /// The unit amounts inside phrases are shown in: the scenario's display unit when the caller knows
    /// it; otherwise 萬元 in Chinese and yuan in English.
    public let amountUnit: DisplayUnit

    public init(_ language: ReportLanguage, unit: DisplayUnit? = nil) {
        self.language = language
        self.amountUnit = unit ?? (language == .en ? .yuan : .wan)
    }

    public subscript(_ p: Phrase) -> String { p.text(language) }

    /// A row's or a check's label: a catalogue phrase with its arguments, or the author's text exactly as written.
    public func text(_ label: RowLabel) -> String {
        switch label {
        case .user(let s):
            return s
        case .key(let key, let args):
            var s = Phrase.rows[key]?.text(language) ?? key.rawValue
            for (i, a) in args.enumerated() { s = s.replacingOccurrences(of: "{\(i)}", with: argument(a)) }
            return s
        }
    }

    /// A value inside a phrase: user text as written, amounts in ``amountUnit`` (see ``ValueStyle/amount(_:)``).
    public func argument(_ a: LabelArgument) -> String {
        switch a {
        case .text(let s): return s
        case .number(let v): return Expr.format(v)
        case .amount(let v): return ValueStyle(unit: amountUnit, labels: self).amount(v)
        }
    }

    // Sheet names.
    public var summary: String { self[.summary] }
    public var inputs: String { self[.inputsSheet] }
    public var calculations: String { self[.calculationsSheet] }
    public var funding: String { self[.fundingSheet] }
    public var collective: String { self[.collectiveSheet] }
    public var checks: String { self[.checksHeading] }
    public var sources: String { self[.sourcesSheet] }
    public var scenarioValues: String { self[.scenarioValuesSheet] }
    public var comparison: String { self[.comparisonSheet] }
    public var assumptionChanges: String { self[.assumptionChangesSheet] }

    /// A category's name (`category.pay` in the catalogue).
    public func category(_ c: Category) -> String { text(.key(c.labelKey)) }

    /// The unit a workbook shows a measure in: money in ``amountUnit`` (the scenario's display unit).
    public func unitName(_ m: Measure) -> String {
        switch m {
        case .money: return displayUnit(amountUnit)
        case .ratio: return "%"
        case .count: return self[.unitCount]
        case .area: return self[.unitArea]
        case .year: return self[.unitYear]
        case .number: return ""
        }
    }

    /// A row label marked as an expected value (`空殼村數(期望值)`, `hollow villages (expected)`).
    public func expected(_ label: String) -> String { withUnit(label, self[.expectedValue]) }

    /// A heading with the unit of its figures: `金額(萬元)`, `Amount (yuan)`.
    public func withUnit(_ text: String, _ unit: String) -> String {
        language == .en ? "\(text) (\(unit))" : "\(text)(\(unit))"
    }

    public func displayUnit(_ u: DisplayUnit) -> String {
        switch u {
        case .yuan: return self[.unitYuan]
        case .wan: return self[.displayWan]
        case .yi: return self[.displayYi]
        }
    }
}

extension Labels {
    /// How lists of inputs (sensitivity, assumption changes) name an input: by its label, or by `ID:FIELD`
    /// for a figure written inline in a commitment.
    public func inputListName(_ label: RowLabel, id: String) -> String {
        if case .key(let k, _) = label, k.rawValue.hasPrefix("input."), k != CommonRows.envelopeInput { return id }
        return text(label)
    }
}
