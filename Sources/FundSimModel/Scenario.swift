import Foundation
import Dispatch

/// A validated scenario: what a scenario file says, with every figure in base units and every position kept.
///
/// It is independent of YAML: tests and other front ends may build one in code.
public struct Scenario: Sendable {
    public var file: String
    public var title: String
    public var region: String
    /// Projection years, e.g. 2016...2020.
    public var years: ClosedRange<Int>
    /// The year whose state the achievements and problems describe (usually the year before the first).
    public var baseYear: Int
    public var unit: DisplayUnit
    public var language: ReportLanguage
    /// Fixed creation time for reproducible workbooks (seconds since 1970).
    public var created: Date?
    public var inputs: [Input]
    public var sources: [FundingSource]
    public var commitments: [Commitment]
    public var checks: [Check]
    /// Files this scenario was read from: itself first, then what it extends.
    public var files: [String]
    /// The roster (台賬) the scenario names, if any.
    public var roster: Roster?
    /// The analyst's description, shown on the Summary sheet.
    public var description: String?
    /// What the scenario is about, for the roll-up: the `jurisdiction:` key. Nil when the file does not say.
    public var jurisdiction: String?

    /// The name the roll-up counts the scenario under: `jurisdiction:` when given, else the title.
    /// Two scenarios that are not variants may not share it in one roll-up (docs/scenario-format.md).
    public var jurisdictionName: String { jurisdiction ?? title }

    /// A variant `extends:` another file; the roll-up never adds it to its base.
    public var isVariant: Bool { files.count > 1 }

    /// What was actually spent and done in past years (`actuals:` or `--actuals`), if any: see docs/actuals.md.
    public var actuals: Actuals?

    public init(file: String, title: String, region: String = "", years: ClosedRange<Int>, baseYear: Int? = nil,
                unit: DisplayUnit = .wan, language: ReportLanguage = .zhHans, created: Date? = nil,
                inputs: [Input] = [], sources: [FundingSource] = [], commitments: [Commitment] = [], checks: [Check] = []) {
        self.file = file
        self.title = title
        self.region = region
        self.years = years
        self.baseYear = baseYear ?? years.lowerBound - 1
        self.unit = unit
        self.language = language
        self.created = created
        self.inputs = inputs
        self.sources = sources
        self.commitments = commitments
        self.checks = checks
        self.files = [file]
    }

    public var yearList: [Int] { Array(years) }

    /// The name a report uses for this scenario: the file's base name without extension.
    public var slug: String {
        URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
    }
}

/// The unit reports show money in.
public enum DisplayUnit: String, Sendable, CaseIterable {
    case yuan = "元", wan = "萬元", yi = "億元"

    /// Yuan per display unit, from the unit table.
    public var divisor: Double {
        NSDecimalNumber(decimal: UnitTable.unit(named: rawValue)!.multiplier).doubleValue
    }
}

public enum ReportLanguage: String, Sendable, CaseIterable {
    case zhHans = "zh-Hans", zhHant = "zh-Hant", en = "en"
}

/// Where a figure comes from: a quote from a seed document, or an analyst's stated assumption.
public enum Provenance: Hashable, Sendable {
    case cite(Citation)
    case assumption(String, location: SourceLocation?)

    public var text: String {
        switch self {
        case .cite(let c): return "「\(c.quote)」 — \(c.document):\(c.line)"
        case .assumption(let s, _): return "Assumption: \(s)"
        }
    }
}

/// An exact quote, verified to occur in a document under `seeds/`.
public struct Citation: Hashable, Sendable {
    public var quote: String
    /// The document's path relative to the project (e.g. `seeds/000_6fcc4107c968a94b.txt`).
    public var document: String
    /// 1-based line and column of the quote's first character in the document.
    public var line: Int
    public var column: Int
    /// Where the `cite:` stands in the scenario.
    public var location: SourceLocation?

    public init(quote: String, document: String, line: Int, column: Int, location: SourceLocation?) {
        self.quote = quote
        self.document = document
        self.line = line
        self.column = column
        self.location = location
    }
}

/// A named assumption: a scalar or a series over the projection years.
public struct Input: Sendable {
    public var name: String
    public var title: String?
    public var dimension: Measure
    public var definition: SeriesDefinition
    public var provenance: [Provenance]
    public var location: SourceLocation?
    /// Low and high values for sensitivity analysis (absolute, in base units).
    public var range: ClosedRange<Double>?
    /// A distribution for Monte Carlo.
    public var distribution: Distribution?
    /// Set when the input was written inline in a commitment (`commitment id`).
    public var owner: String?
    /// Set when the value is a count or sum over the roster's rows (for per-county reports).
    public var rosterAggregate: RosterAggregate?
    /// The file's `note:` for readers (FundSim computes nothing from it; the seed scenarios' tests read it).
    public var note: String?

    public init(name: String, title: String? = nil, dimension: Measure, definition: SeriesDefinition,
                provenance: [Provenance] = [], location: SourceLocation? = nil, range: ClosedRange<Double>? = nil,
                distribution: Distribution? = nil, owner: String? = nil) {
        self.name = name
        self.title = title
        self.dimension = dimension
        self.definition = definition
        self.provenance = provenance
        self.location = location
        self.range = range
        self.distribution = distribution
        self.owner = owner
    }
}

/// How an input's yearly values are defined. All figures are in base units.
public enum SeriesDefinition: Hashable, Sendable {
    /// The same value every year.
    case constant(Double)
    /// Values by year; a year that is not listed takes the value of the year before.
    case table([Int: Double])
    /// `base` in year `from`, growing by `rate` a year (compound).
    case growth(base: Double, rate: Double, from: Int)
    /// `from` in year `start`, reaching `to` in year `by` and staying there; linear or compound in between.
    case path(from: Double, to: Double, start: Int, by: Int, compound: Bool)
    /// `before` until the year before `year`, `after` from `year` on.
    case step(before: Double, after: Double, year: Int)
    /// A formula of other inputs and results.
    case expression(Expr)

    /// Every figure the definition holds (for scaling in sensitivity analysis).
    public func scaled(by f: Double) -> SeriesDefinition {
        switch self {
        case .constant(let v): return .constant(v * f)
        case .table(let t): return .table(t.mapValues { $0 * f })
        case .growth(let b, let r, let y): return .growth(base: b * f, rate: r, from: y)
        case .path(let a, let b, let s, let y, let c): return .path(from: a * f, to: b * f, start: s, by: y, compound: c)
        case .step(let a, let b, let y): return .step(before: a * f, after: b * f, year: y)
        case .expression(let e): return .expression(Expr(.binary(.multiply, e, .literal(f))))
        }
    }
}

extension SeriesDefinition {
    /// A path's value in `year`: `from` up to `start`, `to` from `by` on, and between them linear or, when
    /// `compound`, in equal ratios. The engine's series and the decoder's path-start warning both use it.
    public static func pathValue(from a: Double, to b: Double, start: Int, by: Int, compound: Bool, in year: Int) -> Double {
        if year >= by { return b }
        if year <= start { return a }
        let t = Double(year - start) / Double(by - start)
        return compound ? a * Foundation.pow(b / a, t) : a + (b - a) * t
    }
}

/// A probability distribution over an input's value (applied as the input's constant value, or as a factor on a series).
public enum Distribution: Hashable, Sendable {
    case uniform(low: Double, high: Double)
    case triangular(low: Double, mode: Double, high: Double)
    case normal(mean: Double, sd: Double, low: Double, high: Double)
}

/// A budget that pays for commitments: 市財政, 縣級財政, 省級轉移支付.
public struct FundingSource: Sendable {
    public var name: String
    public var title: String?
    /// The yearly envelope, as the name of an input, when the scenario states one.
    public var envelope: String?
    public var location: SourceLocation?

    public init(name: String, title: String? = nil, envelope: String? = nil, location: SourceLocation? = nil) {
        self.name = name
        self.title = title
        self.envelope = envelope
        self.location = location
    }
}

/// Budget categories that reports total by.
public enum Category: String, Sendable, CaseIterable, Hashable {
    case pay, construction, operating, collective, other
}

/// A parameter of a commitment: the name of an input or an expression (inline figures become inputs).
public typealias Parameter = Expr

/// A multi-year funding commitment.
public struct Commitment: Sendable {
    public var id: String
    public var title: String
    public var category: Category
    public var kind: CommitmentKind
    public var funding: FundingSplit
    public var provenance: [Provenance]
    public var location: SourceLocation?
    /// The `basis:` written in the file (nil when not written); see ``effectiveBasis``.
    public var basis: MoneyBasis?
    /// The `assumption:` of the mapping that holds a parameter written as a name or an expression (`target:`,
    /// `award:`, `upkeep:`, `support:`, a band, `funding:`), by parameter: it reaches the row the parameter
    /// defines. (An inline figure becomes an input that carries the mapping's provenance itself.)
    public var parameterAssumptions: [Parameter: [Provenance]] = [:]

    public init(id: String, title: String, category: Category? = nil, kind: CommitmentKind, funding: FundingSplit,
                provenance: [Provenance] = [], location: SourceLocation? = nil, basis: MoneyBasis? = nil) {
        self.id = id
        self.title = title
        self.kind = kind
        self.category = category ?? kind.defaultCategory
        self.funding = funding
        self.provenance = provenance
        self.location = location
        self.basis = basis
    }

    /// The base a recurring kind's `basis` is measured from (`base_pay`, `base_rate`, `base_amount`), if written.
    public var base: Parameter? {
        switch kind {
        case .cadrePay(let k): return k.basePay
        case .operatingFund(let k): return k.baseRate
        case .lumpSum(let k): return k.baseAmount
        case .construction, .collectiveEconomy: return nil
        }
    }

    /// The basis the money is costed on: as written; else `increase` when a base is given, `whole` otherwise.
    /// Nil for kinds that declare no `basis` (capital programmes, which are new money).
    public var effectiveBasis: MoneyBasis? {
        guard kind.spec.field(MoneyBasis.key) != nil else { return nil }
        return basis ?? (base != nil ? .increase : .whole)
    }
}

/// Whether a recurring commitment costs the whole bill or only new money over a base (`basis:`).
public enum MoneyBasis: String, Sendable, CaseIterable {
    /// The whole bill; with a base, the base × quantity is continuing money and the rest new money;
    /// without one, the bill is not split.
    case whole
    /// Only the rise over the base: all of the cost is new money.
    case increase
    /// The whole bill is new money (a new programme, or a budget the text calls new); no base.
    case new
    /// Existing money carried on (e.g. the base year's amount continued): all of the cost is continuing money.
    case continuing

    /// The key in a scenario file.
    public static let key = "basis"
}

public enum CommitmentKind: Sendable {
    case cadrePay(CadrePay)
    case construction(ConstructionProgramme)
    case operatingFund(OperatingFund)
    case lumpSum(LumpSum)
    case collectiveEconomy(CollectiveEconomyProgramme)

    /// The kind's declaration: its YAML key, keys, rows and category.
    public var spec: CommitmentKindSpec {
        switch self {
        case .cadrePay: return .cadrePay
        case .construction: return .construction
        case .operatingFund: return .operatingFund
        case .lumpSum: return .lumpSum
        case .collectiveEconomy: return .collectiveEconomy
        }
    }

    public var defaultCategory: Category { spec.category }

    /// The `kind:` value of the scenario file.
    public var name: String { spec.key }

    public static var names: [String] { CommitmentKindSpec.all.map(\.key) }
}

/// Headcount × yearly pay per head (+ on-costs per head), for a group of cadres.
public struct CadrePay: Sendable {
    public var headcount: Parameter
    public var pay: Parameter
    /// Pay is at least this (e.g. 1.5 × rural income per head).
    public var floor: Parameter?
    /// On-costs per head per year (pension subsidy, allowances).
    public var oncost: Parameter?
    /// When set, the cost is only the rise above this pay per head (for "new money" budgets).
    public var basePay: Parameter?

    public init(headcount: Parameter, pay: Parameter, floor: Parameter? = nil, oncost: Parameter? = nil, basePay: Parameter? = nil) {
        self.headcount = headcount
        self.pay = pay
        self.floor = floor
        self.oncost = oncost
        self.basePay = basePay
    }
}

/// Building or upgrading units (service centres, standard communities).
public struct ConstructionProgramme: Sendable {
    public enum Schedule: Sendable {
        /// Units completed each year.
        case units(Parameter)
        /// Reach `stock` completed units by `year`, spread evenly over the years left.
        case target(stock: Parameter, by: Int)
    }
    public var schedule: Schedule
    public var unitCost: Parameter
    /// A fixed award per unit from `awardSource` (以獎代補); the rest of the unit cost follows the funding split.
    public var award: Parameter?
    public var awardSource: String?
    /// Yearly upkeep per completed unit, from the year after completion.
    public var upkeepPerUnit: Parameter?
    /// Yearly upkeep as a share of the capital cost spent so far, from the year after.
    public var upkeepShare: Parameter?
    /// Units below the standard at the base year; each completed unit lifts one until none is left.
    public var belowStandard: Parameter?

    public init(schedule: Schedule, unitCost: Parameter, award: Parameter? = nil, awardSource: String? = nil,
                upkeepPerUnit: Parameter? = nil, upkeepShare: Parameter? = nil, belowStandard: Parameter? = nil) {
        self.schedule = schedule
        self.unitCost = unitCost
        self.award = award
        self.awardSource = awardSource
        self.upkeepPerUnit = upkeepPerUnit
        self.upkeepShare = upkeepShare
        self.belowStandard = belowStandard
    }
}

/// An amount per unit per year (village, community, branch, party member) × a count.
public struct OperatingFund: Sendable {
    public var count: Parameter
    public var rate: Parameter
    /// The existing rate per unit that `basis` measures from.
    public var baseRate: Parameter?
    public init(count: Parameter, rate: Parameter, baseRate: Parameter? = nil) {
        self.count = count
        self.rate = rate
        self.baseRate = baseRate
    }
}

/// Fixed amounts by year.
public struct LumpSum: Sendable {
    public var amount: Parameter
    /// The existing yearly amount that `basis` measures from.
    public var baseAmount: Parameter?
    public init(amount: Parameter, baseAmount: Parameter? = nil) {
        self.amount = amount
        self.baseAmount = baseAmount
    }
}

/// Villages spread over collective-income bands, lifted by organic growth and by supported investment.
public struct CollectiveEconomyProgramme: Sendable {
    public struct Band: Sendable {
        public var name: String
        /// The band's upper income bound (exclusive); nil for the top band.
        public var below: Double?
        /// True for the band of villages with no collective income (空殼村).
        public var hollow: Bool
        /// Villages in the band at the base year: a count, a share of all villages, or the rest.
        public var initial: Initial
        public var location: SourceLocation?

        public enum Initial: Sendable {
            case count(Parameter)
            case share(Parameter)
            case rest
        }

        public init(name: String, below: Double?, hollow: Bool = false, initial: Initial, location: SourceLocation? = nil) {
            self.name = name
            self.below = below
            self.hollow = hollow
            self.initial = initial
            self.location = location
        }
    }

    public enum Order: String, Sendable { case lowestFirst = "lowest_first", nearestFirst = "nearest_first" }

    public struct Target: Sendable {
        /// The income threshold (a band's lower bound), or nil for a target on hollow villages.
        public var above: Double?
        /// The share of villages at or above `above` that must be reached (or the most hollow villages left).
        public var share: Double?
        public var hollowAtMost: Double?
        public var by: Int
        public var provenance: [Provenance]
        public var location: SourceLocation?

        public init(above: Double? = nil, share: Double? = nil, hollowAtMost: Double? = nil, by: Int,
                    provenance: [Provenance] = [], location: SourceLocation? = nil) {
            self.above = above
            self.share = share
            self.hollowAtMost = hollowAtMost
            self.by = by
            self.provenance = provenance
            self.location = location
        }
    }

    public var villages: Parameter
    public var bands: [Band]
    /// Organic yearly growth of every earning village's collective income.
    public var growth: Parameter?
    /// Investment per supported village, its yearly return, and the yearly budget for it.
    public var perVillage: Parameter?
    public var returnRate: Parameter?
    public var budget: Parameter?
    /// Villages at or above this income are not supported (default: the lowest target threshold).
    public var supportBelow: Double?
    public var order: Order
    public var targets: [Target]
    /// When set, the programme runs per village over the roster, with incomes from this column.
    public var rosterIncomeColumn: String?

    public init(villages: Parameter, bands: [Band], growth: Parameter? = nil, perVillage: Parameter? = nil,
                returnRate: Parameter? = nil, budget: Parameter? = nil, supportBelow: Double? = nil,
                order: Order = .lowestFirst, targets: [Target] = []) {
        self.villages = villages
        self.bands = bands
        self.growth = growth
        self.perVillage = perVillage
        self.returnRate = returnRate
        self.budget = budget
        self.supportBelow = supportBelow
        self.order = order
        self.targets = targets
    }
}

/// How a commitment's cost is split across funding sources.
public struct FundingSplit: Sendable {
    public struct Share: Sendable {
        public var source: String
        /// The share as a parameter (a ratio), or nil for the source that takes the rest.
        public var share: Parameter?
        public var location: SourceLocation?
        public init(source: String, share: Parameter?, location: SourceLocation? = nil) {
            self.source = source
            self.share = share
            self.location = location
        }
    }
    public var shares: [Share]
    public var location: SourceLocation?
    /// The `assumption:` written on the `funding:` mapping: who pays is assumed. It reaches the share of a source
    /// that takes the rest alone (a share written as a figure or a name carries it already).
    public var assumptions: [Provenance] = []
    public init(shares: [Share], location: SourceLocation? = nil) {
        self.shares = shares
        self.location = location
    }
    public static func all(_ source: String) -> FundingSplit {
        FundingSplit(shares: [Share(source: source, share: nil)])
    }
}

/// An assertion the analyst states, checked in every year it applies to.
public struct Check: Sendable {
    public var id: String
    public var title: String
    public var assertion: Expr
    public var years: ClosedRange<Int>?
    public var provenance: [Provenance]
    public var location: SourceLocation?

    public init(id: String, title: String, assertion: Expr, years: ClosedRange<Int>? = nil,
                provenance: [Provenance] = [], location: SourceLocation? = nil) {
        self.id = id
        self.title = title
        self.assertion = assertion
        self.years = years
        self.provenance = provenance
        self.location = location
    }
}

/// A count or sum over roster rows: `{roster: count, where: "village and centre_area < 120"}`.
public struct RosterAggregate: Sendable {
    public enum Operation: String, Sendable { case count, sum }
    public var operation: Operation
    /// Which rows count (attributes by name; `village` and `community` are 1 or 0).
    public var filter: Expr?
    /// What is summed (for `sum`).
    public var of: Expr?
    public init(operation: Operation, filter: Expr?, of: Expr?) {
        self.operation = operation
        self.filter = filter
        self.of = of
    }

    /// The value for each row (1 or 0 for count; the summed expression for sum, 0 where the filter fails).
    ///
    /// Rows are computed a block at a time, column by column (`evaluate(_:_:_:into:)`), on two threads; a block
    /// where any operation fails is computed again row by row with the compiled rule (`compile`), which evaluates
    /// only what a row needs (the value where the filter holds, the chosen branch of an `if`) and names the
    /// first error, so that the figures and the messages are those of the row-by-row rule.
    public func perRow(_ roster: Roster) -> Result<[Double], Diagnostic> {
        var columns: [String: [Double]] = roster.attributes
        let used = Set([filter, of].compactMap { $0 }.flatMap { $0.names().map { $0.0.joined(separator: ".") } })
        // `village` and `community` are columns of 1 and 0, made only when a rule uses them.
        for (name, community) in [("village", false), ("community", true)] {
            columns[name] = used.contains(name) ? roster.isCommunity.map { $0 == community ? 1 : 0 } : []
        }
        for e in [filter, of].compactMap({ $0 }) {
            for (path, loc) in e.names() where columns[path.joined(separator: ".")] == nil {
                let name = path.joined(separator: ".")
                return .failure(.error("the roster has no column `\(name)`", at: loc,
                                       hint: Suggest.didYouMean(name, in: Array(columns.keys)) ?? "columns: " + columns.keys.sorted().joined(separator: ", ")))
            }
        }
        let count = roster.count
        // Every row is written below (or the result is an error).
        var out = [Double](unsafeUninitializedCapacity: count) { o, done in
            LargeMemory.advise(UnsafeMutableRawBufferPointer(o))
            done = count
        }
        var failure: (row: Int, diagnostic: Diagnostic)?
        /// The rows' values, and each part's first error (the parts write apart).
        final class Parts: @unchecked Sendable {
            var first: (row: Int, diagnostic: Diagnostic)?, second: (row: Int, diagnostic: Diagnostic)?
            var out: UnsafeMutableBufferPointer<Double>
            init(_ out: UnsafeMutableBufferPointer<Double>) { self.out = out }
        }
        let half = (count / 2 + Self.block - 1) / Self.block * Self.block
        let split = count > Self.block * 4
        let cols = columns
        out.withUnsafeMutableBufferPointer { out in
            let parts = Parts(out)
            DispatchQueue.concurrentPerform(iterations: split ? 2 : 1) { part in
                let error = fill(parts.out, rows: split ? (part == 0 ? 0..<half : half..<count) : 0..<count, cols, roster)
                if part == 0 { parts.first = error } else { parts.second = error }
            }
            failure = parts.first ?? parts.second
        }
        if let failure { return .failure(failure.diagnostic) }
        return .success(out)
    }

    /// Rows computed together.
    static let block = 1024

    /// Fills `out[rows]`; the first error in `rows`, if any, with its row.
    private func fill(_ out: UnsafeMutableBufferPointer<Double>, rows: Range<Int>, _ columns: [String: [Double]],
                      _ roster: Roster) -> (row: Int, diagnostic: Diagnostic)? {
        let block = Self.block
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * block) { buffers in
            let keep = buffers.baseAddress!, value = keep + block
            var keepRule: ((Int) throws -> Double)?, valueRule: ((Int) throws -> Double)?
            let filtered = filter != nil, counting = operation == .count, summed = of != nil
            var lo = rows.lowerBound
            while lo < rows.upperBound {
                let n = min(block, rows.upperBound - lo)
                let whole = (filter.map { Self.evaluate($0, columns, lo..<(lo + n), into: keep) } ?? true)
                    && (operation == .count || of.map { Self.evaluate($0, columns, lo..<(lo + n), into: value) } ?? true)
                if whole {
                    for j in 0..<n {
                        if filtered, keep[j] == 0 { out[lo + j] = 0; continue }
                        out[lo + j] = counting ? 1 : (summed ? value[j] : 0)
                    }
                } else {
                    // Some operation failed in this block: the row-by-row rule finds the first error, if a row needs it.
                    if keepRule == nil, let filter { keepRule = Self.compile(filter, columns) }
                    if valueRule == nil, let of { valueRule = Self.compile(of, columns) }
                    for i in lo..<(lo + n) {
                        do {
                            if let keepRule, try keepRule(i) == 0 { out[i] = 0; continue }
                            out[i] = operation == .count ? 1 : try (valueRule?(i) ?? 0)
                        } catch let e as RowError {
                            let name = i < roster.names.count ? "`\(roster.names[i])`" : "row \(i + 1)"
                            return (i, .error("\(e.error) for \(name) of the roster", at: e.location,
                                              hint: "a roster column used here may be 0 or empty for this row"))
                        } catch {
                            return (i, .error("\(error)", at: nil))
                        }
                    }
                }
                lo += n
            }
            return nil
        }
    }

    /// Computes `e` for `rows` (at most `block` of them) into `out`, operation by operation over the block; false
    /// when an operation fails for some row (or a branch of `if` a row does not take), which the caller then
    /// computes row by row. Each value is the same operation on the same numbers as in `compile`.
    static func evaluate(_ e: Expr, _ columns: [String: [Double]], _ rows: Range<Int>, into out: UnsafeMutablePointer<Double>) -> Bool {
        let n = rows.count
        switch e.kind {
        case .literal(let v, _):
            out.update(repeating: v, count: n)
            return true
        case .name(let p):
            guard let column = columns[p.joined(separator: ".")] else { out.update(repeating: 0, count: n); return true }
            column.withUnsafeBufferPointer { out.update(from: $0.baseAddress! + rows.lowerBound, count: n) }
            return true
        case .negate(let a):
            guard evaluate(a, columns, rows, into: out) else { return false }
            for j in 0..<n { out[j] = Negation.apply(out[j]) }
            return true
        case .binary(let op, let a, let b):
            guard evaluate(a, columns, rows, into: out) else { return false }
            return withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { y in
                guard evaluate(b, columns, rows, into: y.baseAddress!) else { return false }
                do throws(OperationError) {
                    if op.isComparison {
                        for j in 0..<n { out[j] = try ComparisonRule.compare(op, out[j], y[j], measure: nil) }
                    } else {
                        for j in 0..<n { out[j] = try op.apply(out[j], y[j]) }
                    }
                } catch {
                    return false
                }
                return true
            }
        case .call(let fn, let args):
            return withUnsafeTemporaryAllocation(of: Double.self, capacity: n * args.count) { a in
                for (k, arg) in args.enumerated() where !evaluate(arg, columns, rows, into: a.baseAddress! + k * n) { return false }
                if fn == .if {
                    for j in 0..<n { out[j] = a[fn.branch(condition: a[j]) * n + j] }
                    return true
                }
                return withUnsafeTemporaryAllocation(of: Double.self, capacity: args.count) { v in
                    do throws(OperationError) {
                        for j in 0..<n {
                            for k in args.indices { v[k] = a[k * n + j] }
                            if fn == .floor || fn == .ceil {
                                let near = try Function.round(v[0], digits: Double(ComparisonRule.integerDigits))
                                out[j] = try fn.apply([near])
                            } else {
                                out[j] = try fn.apply(UnsafeBufferPointer(v))
                            }
                        }
                    } catch {
                        return false
                    }
                    return true
                }
            }
        }
    }

    struct RowError: Error { var error: OperationError; var location: SourceLocation? }

    /// A roster rule compiled once into closures over the columns, so that a row is only arithmetic: no
    /// tree walk and no name lookup per row. Every operator means what the operator table says
    /// (`BinaryOperator.apply`, `ComparisonRule` for plain numbers, `Function.apply`, `if` evaluating only
    /// its chosen branch); an operation's error names the expression it came from.
    static func compile(_ e: Expr, _ columns: [String: [Double]]) -> (Int) throws -> Double {
        let location = e.location
        switch e.kind {
        case .literal(let v, _):
            return { _ in v }
        case .name(let p):
            guard let column = columns[p.joined(separator: ".")] else { return { _ in 0 } }
            return { column[$0] }
        case .negate(let a):
            let f = compile(a, columns)
            return { Negation.apply(try f($0)) }
        case .binary(let op, let a, let b):
            let f = compile(a, columns), g = compile(b, columns)
            if op.isComparison {
                return { i in
                    let x = try f(i), y = try g(i)
                    do throws(OperationError) { return try ComparisonRule.compare(op, x, y, measure: nil) } catch { throw RowError(error: error, location: location) }
                }
            }
            return { i in
                let x = try f(i), y = try g(i)
                do throws(OperationError) { return try op.apply(x, y) } catch { throw RowError(error: error, location: location) }
            }
        case .call(.if, let args):
            let fs = args.map { compile($0, columns) }
            return { i in try fs[Function.if.branch(condition: try fs[0](i))](i) }
        case .call(let fn, let args):
            let fs = args.map { compile($0, columns) }
            return { i in
                try withUnsafeTemporaryAllocation(of: Double.self, capacity: fs.count) { v in
                    for (k, f) in fs.enumerated() { v[k] = try f(i) }
                    do throws(OperationError) {
                        if fn == .floor || fn == .ceil {
                            let near = try Function.round(v[0], digits: Double(ComparisonRule.integerDigits))
                            return try fn.apply([near])
                        }
                        return try fn.apply(UnsafeBufferPointer(v))
                    } catch {
                        throw RowError(error: error, location: location)
                    }
                }
            }
        }
    }
}
