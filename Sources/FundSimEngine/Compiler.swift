import FundSimModel

/// Expands a scenario into the row model: inputs, each commitment's lines, funding, sources, totals, checks.
public struct Compiler {
    let scenario: Scenario
    var specs: [Spec] = []
    var specIndex: [String: Int] = [:]
    private var diagnostics: [Diagnostic] = []
    private var commitments: [CommitmentInfo] = []
    private var sources: [SourceInfo] = []
    private var checks: [CheckInfo] = []
    private var kernelParams: [(RosterKernel, (growth: Expr?, perVillage: Expr?, returnRate: Expr?, budget: Expr?))] = []

    /// A row before its expressions are resolved to row indices.
    struct Spec {
        var id: String
        var label: RowLabel
        var dimension: Measure
        var section: Row.Section
        var body: Body
        var owner: RowOwner? = nil
        var field: String? = nil
        var provenance: [Provenance] = []
        var location: SourceLocation?
        var note: String?
        var range: ClosedRange<Double>?
        var distribution: Distribution?
        enum Body {
            case scalar(Double), series([Double]), expr(Expr), kernel(RosterKernel, Int)
            /// The actuals recorded in the first group of rows, else in the next, …, else the expression (see `Formula.recorded`).
            case recorded([[String]], Expr)
        }
    }

    /// Names the file declares whose definitions failed to decode: a reference to one of them is not reported
    /// again as an unknown name (the decoding error already says what is wrong).
    private let declared: Set<String>
    /// Commitments by id and sources by envelope input, for looking up an inline input's owner in constant time.
    private let commitmentById: [String: Commitment]
    private let sourceByEnvelope: [String: FundingSource]

    /// Compiles a scenario; errors are diagnostics that point into its file.
    ///
    /// `declared` names everything the file declares, for a scenario decoded with errors (see `declared`).
    public static func compile(_ scenario: Scenario, declared: Set<String> = []) -> Result<Model, DiagnosticList> {
        var c = Compiler(scenario: scenario, declared: declared)
        return c.run().map(FormulaRules.apply).flatMap(Self.checkNesting)
    }

    /// Compiles as far as possible, for a validation pass that reports every problem: every error found, and a
    /// model whenever the rows can still be ordered — a row whose formula failed to resolve is not a number
    /// (`.nan`), so that evaluating the rest reports their own problems and nothing that follows from it.
    public static func compileCollecting(_ scenario: Scenario, declared: Set<String> = []) -> (model: Model?, diagnostics: [Diagnostic]) {
        var c = Compiler(scenario: scenario, declared: declared)
        c.collecting = true
        switch c.run() {
        case .failure(let list): return (nil, list.diagnostics)
        case .success(let compiled):
            let model = FormulaRules.apply(compiled)
            var problems = c.diagnostics
            if case .failure(let list) = checkNesting(model) { problems += list.diagnostics }
            return (model, problems)
        }
    }

    /// Whether `run` goes on past errors (see `compileCollecting`).
    private var collecting = false

    /// Refuses a row whose spreadsheet formula would nest deeper than `Limits.expressionDepth` (the parser
    /// bounds what is written; the rows FundSim adds around it could still pass the limit).
    static func checkNesting(_ model: Model) -> Result<Model, DiagnosticList> {
        func depth(_ f: Formula) -> Int {
            switch f {
            case .constant, .row, .year, .kernel: return 0
            case .previous(_, let initial): return depth(initial)
            case .recorded(_, let otherwise): return 1 + depth(otherwise)
            case .negate(let a): return 1 + depth(a)
            case .binary(_, let a, let b): return 1 + max(depth(a), depth(b))
            case .call(_, let args): return 1 + (args.map(depth).max() ?? 0)
            }
        }
        var problems: [Diagnostic] = []
        for row in model.rows {
            guard case .formula(let f) = row.definition else { continue }
            let d = depth(f)
            if d > Limits.expressionDepth {
                problems.append(.error("the formula of `\(row.id)` nests \(d) levels, over the \(Limits.expressionDepth) a spreadsheet allows", at: row.location,
                                       hint: "split the expression into inputs that refer to each other"))
            }
        }
        return problems.isEmpty ? .success(model) : .failure(DiagnosticList(problems))
    }

    private init(scenario: Scenario, declared: Set<String>) {
        self.scenario = scenario
        self.declared = declared
        commitmentById = Dictionary(scenario.commitments.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        sourceByEnvelope = Dictionary(scenario.sources.compactMap { s in s.envelope.map { ($0, s) } }, uniquingKeysWith: { a, _ in a })
    }

    mutating func add(_ s: Spec) {
        if specIndex[s.id] != nil {
            diagnostics.append(.error("`\(s.id)` is defined twice", at: s.location, hint: "names of inputs, commitments and sources must be unique"))
            return
        }
        specIndex[s.id] = specs.count
        specs.append(s)
    }

    static func n(_ parts: String...) -> Expr { Expr(.name([parts.joined(separator: ".")])) }
    static func lit(_ v: Double) -> Expr { .literal(v) }
    static func call(_ f: Function, _ args: [Expr]) -> Expr { Expr(.call(f, args)) }
    static func bin(_ op: BinaryOperator, _ a: Expr, _ b: Expr) -> Expr { Expr(.binary(op, a, b)) }

    private mutating func run() -> Result<Model, DiagnosticList> {
        let years = scenario.yearList
        for input in scenario.inputs { addInput(input) }
        for source in scenario.sources { declareSource(source) }
        for c in scenario.commitments { addCommitment(c) }
        for source in scenario.sources { addSourceRows(source) }
        addTotals()
        for check in scenario.checks { addCheck(check) }
        addEnvelopeChecks()
        if !collecting, diagnostics.contains(where: { $0.severity == .error }) { return .failure(DiagnosticList(diagnostics)) }

        // Resolve the per-village models' parameters.
        for (k, params) in kernelParams {
            let spec = Spec(id: "kernel", label: .user(""), dimension: .number, section: .total, body: .scalar(0))
            k.growth = params.growth.flatMap { resolve($0, in: spec) }
            k.perVillage = params.perVillage.flatMap { resolve($0, in: spec) }
            k.returnRate = params.returnRate.flatMap { resolve($0, in: spec) }
            k.budget = params.budget.flatMap { resolve($0, in: spec) }
        }
        // Resolve expressions.
        var rows: [Row] = []
        for s in specs {
            let def: Row.Definition
            switch s.body {
            case .scalar(let v): def = .scalar(v)
            case .series(let v): def = .series(v)
            case .expr(let e):
                guard let f = resolve(e, in: s) else { def = .formula(.constant(collecting ? .nan : 0)); break }
                def = .formula(f)
            case .kernel(let k, let output):
                def = .formula(.kernel(k, output: output))
            case .recorded(let groups, let e):
                guard var f = resolve(e, in: s) else { def = .formula(.constant(collecting ? .nan : 0)); break }
                for g in groups.reversed() where !g.isEmpty { f = .recorded(g.compactMap { specIndex[$0] }, otherwise: f) }
                def = .formula(f)
            }
            rows.append(Row(id: s.id, label: s.label, owner: s.owner, field: s.field, dimension: s.dimension, section: s.section, definition: def,
                            provenance: s.provenance, location: s.location, note: s.note, range: s.range, distribution: s.distribution))
        }
        if !collecting, diagnostics.contains(where: { $0.severity == .error }) { return .failure(DiagnosticList(diagnostics)) }
        guard let order = topologicalOrder(rows) else { return .failure(DiagnosticList(diagnostics)) }
        return .success(Model(years: years, rows: rows, index: specIndex, order: order,
                              commitments: commitments, sources: sources, checks: checks, unit: scenario.unit))
    }

    // MARK: Inputs

    private mutating func addInput(_ input: Input) {
        var spec = Spec(id: input.name, label: .user(input.title ?? input.name), dimension: input.dimension, section: .input,
                        body: .scalar(0), provenance: input.provenance, location: input.location,
                        range: input.range, distribution: input.distribution)
        if let owner = input.owner {
            let field = String(input.name.dropFirst(owner.count + 1))
            let source = sourceByEnvelope[input.name]
            spec.owner = source != nil ? .source(owner) : .commitment(owner)
            spec.field = field
            if input.title == nil {
                if let source {
                    spec.label = .key(CommonRows.envelopeInput, [.text(source.title ?? source.name)])
                } else {
                    let kind = commitmentById[owner]?.kind.spec
                    spec.label = Self.inlineInputLabel(field, kind: kind)
                }
            }
        }
        let years = scenario.yearList
        // A figure in the row's note in the unit its row shows: money in the display unit (the unit column
        // names it), anything else exactly.
        func fig(_ v: Double) -> String {
            input.dimension == .money ? FigureText.exact(scenario.unit.figure(v)) : Expr.format(v)
        }
        switch input.definition {
        case .constant(let v):
            spec.body = .scalar(v)
        case .table(let t):
            var values: [Double] = []
            var last: Double? = t.filter { $0.key < years[0] }.max { $0.key < $1.key }?.value
            for y in years {
                if let v = t[y] { last = v }
                values.append(last ?? 0)
            }
            spec.body = .series(values)
        case .growth(let base, let rate, let from):
            spec.body = .series(years.map { base * pow1(1 + rate, $0 - from) })
            spec.note = "growth: base \(fig(base)) in \(from), \(Expr.format(rate * 100))% a year"
        case .path(let a, let b, let start, let by, let compound):
            spec.body = .series(years.map { SeriesDefinition.pathValue(from: a, to: b, start: start, by: by, compound: compound, in: $0) })
            spec.note = "path: \(fig(a)) in \(start) → \(fig(b)) by \(by) (\(compound ? "compound" : "linear"))"
        case .step(let before, let after, let year):
            spec.body = .series(years.map { $0 >= year ? after : before })
            spec.note = "step: \(fig(before)) → \(fig(after)) from \(year)"
        case .expression(let e):
            spec.body = .expr(e)
            spec.note = "= " + e.text
        }
        add(spec)
    }

    // MARK: Commitments

    /// Declares a parameter's row: the input it names, or a formula row `id.field`.
    /// The label of an input written inline in a commitment (`ID:FIELD`), from the kind's declaration.
    static func inlineInputLabel(_ field: String, kind: CommitmentKindSpec?) -> RowLabel {
        if field.hasPrefix("share.") { return .key(CommonRows.shareInput, [.text(String(field.dropFirst(6)))]) }
        if field.hasPrefix("band") { return .key(CollectiveEconomyRows.bandInput, [.text(field)]) }
        let declared = (kind?.fields ?? []).flatMap { [$0] + $0.subfields }
        if let key = declared.first(where: { $0.input == field })?.inputLabel { return .key(key) }
        return .user(field)
    }

    /// A row of commitment `c` as its kind declares it: `ID.FIELD`, with `{n}` in the field replaced by `n`.
    func spec(_ c: Commitment, _ row: RowSpec, n: Int, args: [LabelArgument], _ body: Spec.Body, location: SourceLocation?) -> Spec {
        let field = row.field(n)
        return Spec(id: "\(c.id).\(field)", label: .key(row.label, args), dimension: row.measure, section: .commitment(c.id), body: body,
                    owner: .commitment(c.id), field: field, location: location)
    }

    /// Declares a parameter's row: the input it names, or a formula row `id.field`.
    /// The row carries the assumption of the mapping that holds the parameter, if any.
    private mutating func param(_ p: Parameter, _ c: Commitment, _ row: RowSpec, n: Int = 0, args: [LabelArgument] = [],
                                rows: inout [String]) -> Expr {
        var s = spec(c, row, n: n, args: args, .expr(p), location: p.location ?? c.location)
        s.provenance = c.parameterAssumptions[p] ?? []
        add(s)
        rows.append(s.id)
        return Self.n(s.id)
    }

    private mutating func line(_ c: Commitment, _ row: RowSpec, n: Int = 0, args: [LabelArgument] = [], _ e: Expr,
                               rows: inout [String]) -> Expr {
        let s = spec(c, row, n: n, args: args, .expr(e), location: c.location)
        add(s)
        rows.append(s.id)
        return Self.n(s.id)
    }

    /// A row with a fixed value or another body, placed like `line`.
    private mutating func fixed(_ c: Commitment, _ row: RowSpec, n: Int = 0, args: [LabelArgument] = [], _ body: Spec.Body,
                                provenance: [Provenance] = [], location: SourceLocation?, rows: inout [String]) -> String {
        var s = spec(c, row, n: n, args: args, body, location: location)
        s.provenance = provenance
        add(s)
        rows.append(s.id)
        return s.id
    }

    private mutating func addCommitment(_ c: Commitment) {
        var rows: [String] = []
        var award: Expr? = nil
        var awardSource: String? = nil
        let cost: Expr
        switch c.kind {
        case .cadrePay(let k):
            typealias K = CadrePayRows
            let head = param(k.headcount, c, K.headcount, rows: &rows)
            var pay = param(k.pay, c, K.payStandard, rows: &rows)
            if let f = k.floor {
                let floor = param(f, c, K.payFloor, rows: &rows)
                pay = line(c, K.pay, Self.call(.max, [pay, floor]), rows: &rows)
            } else {
                pay = line(c, K.pay, pay, rows: &rows)
            }
            var perHead = pay
            if let o = k.oncost {
                let oncost = param(o, c, K.oncost, rows: &rows)
                perHead = Self.bin(.add, perHead, oncost)
            }
            let base = k.basePay.map { param($0, c, K.basePay, rows: &rows) }
            cost = costOnBasis(c, quantity: head, level: perHead, base: base, cost: K.cost, rows: &rows)
        case .construction(let k):
            typealias K = ConstructionRows
            let units: Expr
            let built = Self.n(c.id, "built")
            switch k.schedule {
            case .units(let p):
                units = param(p, c, K.units, rows: &rows)
            case .target(let stock, let by):
                let target = param(stock, c, K.target, rows: &rows)
                let byRow = fixed(c, K.by, .scalar(Double(by)), location: c.location, rows: &rows)
                let remaining = Self.call(.max, [Self.lit(0), Self.bin(.subtract, target, Self.call(.prev, [built, Self.lit(0)]))])
                let yearsLeft = Self.bin(.add, Self.bin(.subtract, Self.n(byRow), Expr(.name(["year"]))), Self.lit(1))
                let e = Self.call(.if, [Self.bin(.lessEqual, Expr(.name(["year"])), Self.n(byRow)),
                                        Self.call(.round, [Self.bin(.divide, remaining, yearsLeft), Self.lit(0)]), Self.lit(0)])
                units = line(c, K.units, e, rows: &rows)
            }
            _ = line(c, K.built, Self.bin(.add, Self.call(.prev, [built, Self.lit(0)]), units), rows: &rows)
            if let b = k.belowStandard {
                let initial = param(b, c, K.belowInitial, rows: &rows)
                let below = Self.n(c.id, "below_standard")
                _ = line(c, K.belowStandard, Self.call(.max, [Self.lit(0), Self.bin(.subtract, Self.call(.prev, [below, initial]), units)]), rows: &rows)
            }
            let unitCost = param(k.unitCost, c, K.unitCost, rows: &rows)
            let capital = line(c, K.capital, Self.bin(.multiply, units, unitCost), rows: &rows)
            if let a = k.award {
                let perUnit = param(a, c, K.awardPerUnit, rows: &rows)
                award = line(c, K.award, Self.call(.min, [Self.bin(.multiply, units, perUnit), capital]), rows: &rows)
                awardSource = k.awardSource
            }
            var upkeepTerms: [Expr] = []
            if let u = k.upkeepPerUnit {
                let rate = param(u, c, K.upkeepPerUnit, rows: &rows)
                upkeepTerms.append(Self.bin(.multiply, Self.call(.prev, [built, Self.lit(0)]), rate))
            }
            if let s = k.upkeepShare {
                let share = param(s, c, K.upkeepShare, rows: &rows)
                let cum = Self.n(c.id, "capital_to_date")
                _ = line(c, K.capitalToDate, Self.bin(.add, Self.call(.prev, [cum, Self.lit(0)]), capital), rows: &rows)
                upkeepTerms.append(Self.bin(.multiply, Self.call(.prev, [cum, Self.lit(0)]), share))
            }
            if upkeepTerms.isEmpty {
                cost = line(c, K.cost, capital, rows: &rows)
            } else {
                let upkeep = line(c, K.upkeep, upkeepTerms.dropFirst().reduce(upkeepTerms[0]) { Self.bin(.add, $0, $1) }, rows: &rows)
                cost = line(c, K.cost, Self.bin(.add, capital, upkeep), rows: &rows)
            }
        case .operatingFund(let k):
            let count = param(k.count, c, OperatingFundRows.count, rows: &rows)
            let rate = param(k.rate, c, OperatingFundRows.rate, rows: &rows)
            let base = k.baseRate.map { param($0, c, OperatingFundRows.baseRate, rows: &rows) }
            cost = costOnBasis(c, quantity: count, level: rate, base: base, cost: OperatingFundRows.cost, rows: &rows)
        case .lumpSum(let k):
            let amount = param(k.amount, c, LumpSumRows.amount, rows: &rows)
            let base = k.baseAmount.map { param($0, c, LumpSumRows.baseAmount, rows: &rows) }
            cost = costOnBasis(c, quantity: nil, level: amount, base: base, cost: LumpSumRows.cost, rows: &rows)
        case .collectiveEconomy(let k):
            cost = addCollectiveEconomy(c, k, rows: &rows)
        }

        // Funding split.
        var amountRows: [(source: String, row: String)] = []
        let explicit = c.funding.shares.filter { $0.share != nil }
        let shareRows: [(String, Expr)] = c.funding.shares.map { sh in
            let id = "\(c.id).share.\(sh.source)"
            if let p = sh.share {
                add(Spec(id: id, label: .key(CommonRows.share.label, [.text(sh.source)]), dimension: .ratio, section: .funding(c.id),
                         body: .expr(p), owner: .commitment(c.id), field: "share.\(sh.source)",
                         provenance: c.parameterAssumptions[p] ?? [], location: sh.location ?? c.funding.location))
            } else {
                let others = explicit.map { Self.n("\(c.id).share.\($0.source)") }
                let rest = others.isEmpty ? Self.lit(1) : Self.bin(.subtract, Self.lit(1), Self.call(.sum, others))
                // A source that takes the rest alone is 100% by the assumption on `funding:`, if one is written.
                add(Spec(id: id, label: .key(CommonRows.shareRest.label, [.text(sh.source)]), dimension: .ratio,
                         section: .funding(c.id), body: .expr(rest), owner: .commitment(c.id), field: "share.\(sh.source)",
                         provenance: others.isEmpty ? c.funding.assumptions : [], location: sh.location ?? c.funding.location))
            }
            return (sh.source, Self.n(id))
        }
        let base = award.map { Self.bin(.subtract, cost, $0) } ?? cost
        if let awardSource, !c.funding.shares.contains(where: { $0.source == awardSource }), award != nil {
            let id = "\(c.id).to.\(awardSource)"
            add(Spec(id: id, label: .key(CommonRows.paidBy.label, [.text(awardSource)]), dimension: .money, section: .funding(c.id),
                     body: .expr(award!), owner: .commitment(c.id), field: "to.\(awardSource)", location: c.location))
            amountRows.append((awardSource, id))
        }
        for (source, share) in shareRows {
            let id = "\(c.id).to.\(source)"
            var e = Self.bin(.multiply, base, share)
            if let award, source == awardSource { e = Self.bin(.add, e, award) }
            add(Spec(id: id, label: .key(CommonRows.paidBy.label, [.text(source)]), dimension: .money, section: .funding(c.id), body: .expr(e),
                     owner: .commitment(c.id), field: "to.\(source)", location: c.location))
            amountRows.append((source, id))
        }
        amountRows.sort { a, b in
            (scenario.sources.firstIndex { $0.name == a.source } ?? 0) < (scenario.sources.firstIndex { $0.name == b.source } ?? 0)
        }
        let continuing = specIndex["\(c.id).\(CommonRows.continuing.field)"] != nil ? "\(c.id).\(CommonRows.continuing.field)" : nil
        if scenario.actuals != nil { reforecast(c, rows: &rows, sources: amountRows.map(\.source)) }
        commitments.append(CommitmentInfo(id: c.id, title: c.title, kind: c.kind.name, category: c.category, rows: rows,
                                          costRow: "\(c.id).cost", amountRows: amountRows, provenance: c.provenance,
                                          basis: c.effectiveBasis, continuingRow: continuing))
    }

    /// The cost of a recurring commitment on its `basis` (docs/engine.md, "Money basis"): `quantity × level`
    /// (or `level` alone for a lump sum), less `quantity × base` on `increase`; on `whole` with a base, the
    /// row `ID.continuing` = `quantity × base` says how much of it is continuing money.
    private mutating func costOnBasis(_ c: Commitment, quantity: Expr?, level: Expr, base: Expr?, cost row: RowSpec, rows: inout [String]) -> Expr {
        func times(_ e: Expr) -> Expr { quantity.map { Self.bin(.multiply, $0, e) } ?? e }
        let basis = c.effectiveBasis ?? .whole
        if basis == .increase, let base {
            return line(c, row, times(Self.bin(.subtract, level, base)), rows: &rows)
        }
        let cost = line(c, row, times(level), rows: &rows)
        if basis == .whole, let base {
            _ = line(c, CommonRows.continuing, times(base), rows: &rows)
        }
        return cost
    }

    /// Bands of villages by collective income; see docs/engine.md for the model.
    private mutating func addCollectiveEconomy(_ c: Commitment, _ k: CollectiveEconomyProgramme, rows: inout [String]) -> Expr {
        if let column = k.rosterIncomeColumn, let roster = scenario.roster {
            return addRosterCollectiveEconomy(c, k, roster: roster, column: column, rows: &rows)
        }
        typealias K = CollectiveEconomyRows
        let villages = param(k.villages, c, K.villages, rows: &rows)
        let bands = k.bands
        // Thresholds as input rows, so that the sheet shows them and formulas refer to them.
        var lower: [Expr?] = []   // nil for hollow
        var upper: [Expr?] = []   // nil for the top band (and hollow)
        var lastUpper: Expr = Self.lit(0)
        for (i, b) in bands.enumerated() {
            if b.hollow { lower.append(nil); upper.append(nil); continue }
            lower.append(lastUpper)
            if let below = b.below {
                let id = fixed(c, K.bandBelow, n: i + 1, args: [.text(b.name)], .scalar(below), location: b.location, rows: &rows)
                upper.append(Self.n(id))
                lastUpper = Self.n(id)
            } else {
                upper.append(nil)
            }
        }
        // Initial counts.
        var initial: [Expr] = []
        for (i, b) in bands.enumerated() {
            let id = "\(c.id).band\(i + 1).initial"
            switch b.initial {
            case .count(let p):
                initial.append(param(p, c, K.bandInitial, n: i + 1, args: [.text(b.name)], rows: &rows))
            case .share(let p):
                let shareId = fixed(c, K.bandInitialShare, n: i + 1, args: [.text(b.name)], .expr(p),
                                    provenance: c.parameterAssumptions[p] ?? [], location: b.location, rows: &rows)
                initial.append(Self.n(fixed(c, K.bandInitial, n: i + 1, args: [.text(b.name)], .expr(Self.bin(.multiply, villages, Self.n(shareId))),
                                            location: b.location, rows: &rows)))
            case .rest:
                initial.append(Self.n(id)) // filled below
            }
        }
        if let restIndex = bands.firstIndex(where: { if case .rest = $0.initial { return true } else { return false } }) {
            let others = initial.enumerated().filter { $0.offset != restIndex }.map(\.element)
            _ = fixed(c, K.bandInitialRest, n: restIndex + 1, args: [.text(bands[restIndex].name)],
                      .expr(Self.bin(.subtract, villages, others.isEmpty ? Self.lit(0) : Self.call(.sum, others))), location: bands[restIndex].location, rows: &rows)
        }
        let growth = k.growth.map { param($0, c, K.growth, rows: &rows) }
        let band: [Expr] = bands.indices.map { Self.n(c.id, "band\($0 + 1)") }
        let prevBand: [Expr] = bands.indices.map { Self.call(.prev, [band[$0], initial[$0]]) }
        // Organic growth: with incomes spread evenly in [L, U), growth g lifts the villages above U/(1+g).
        var up: [Expr] = []
        for i in bands.indices {
            guard let growth, let u = upper[i], let l = lower[i] else { up.append(Self.lit(0)); continue }
            let fraction = Self.call(.min, [Self.lit(1), Self.bin(.divide, Self.bin(.multiply, u, growth),
                                                                   Self.bin(.multiply, Self.bin(.add, Self.lit(1), growth), Self.bin(.subtract, u, l)))])
            up.append(line(c, K.organicUp, n: i + 1, args: [.text(bands[i].name)], Self.bin(.multiply, prevBand[i], fraction), rows: &rows))
        }
        var avail: [Expr] = []
        for i in bands.indices {
            var e = Self.bin(.subtract, prevBand[i], up[i])
            if i > 0, !bands[i].hollow, !bands[i - 1].hollow { e = Self.bin(.add, e, up[i - 1]) }
            avail.append(e)
        }
        // Support: capacity from the budget, given to eligible bands in the stated order.
        var supported: [Expr] = bands.indices.map { _ in Self.lit(0) }
        var supportCost: Expr = Self.lit(0)
        if let pv = k.perVillage, let ret = k.returnRate, let bud = k.budget {
            let perVillage = param(pv, c, K.perVillage, rows: &rows)
            let returnRate = param(ret, c, K.returnRate, rows: &rows)
            let budget = param(bud, c, K.budget, rows: &rows)
            let gain = line(c, K.gain, Self.bin(.multiply, perVillage, returnRate), rows: &rows)
            let capacity = line(c, K.capacity, Self.call(.if, [Self.bin(.greater, perVillage, Self.lit(0)),
                                                Self.call(.floor, [Self.bin(.divide, budget, perVillage)]), Self.lit(0)]), rows: &rows)
            let threshold = k.supportBelow ?? k.targets.compactMap(\.above).min() ?? bands.compactMap(\.below).first ?? 0
            let eligible = bands.indices.filter { i in
                bands[i].hollow || (bands[i].below.map { $0 <= threshold } ?? false)
            }
            let ordered = k.order == .lowestFirst ? eligible : eligible.reversed()
            var given: [Expr] = []
            for i in ordered {
                let left = given.isEmpty ? capacity : Self.bin(.subtract, capacity, Self.call(.sum, given))
                let s = line(c, K.bandSupported, n: i + 1, args: [.text(bands[i].name)], Self.call(.max, [Self.lit(0), Self.call(.min, [avail[i], left])]), rows: &rows)
                supported[i] = s
                given.append(s)
            }
            let total = line(c, K.supported, given.isEmpty ? Self.lit(0) : Self.call(.sum, given), rows: &rows)
            supportCost = Self.bin(.multiply, total, perVillage)
            // Where supported villages land. A hollow village's income becomes the gain. In an earning band
            // [L, U), incomes are taken as spread evenly (as for growth), so [L + G, U + G) is split among the
            // bands it overlaps: the share landing in [Lj, Uj) is max(0, min(U + G, Uj) − max(L + G, Lj)) / (U − L).
            var inflow: [[Expr]] = bands.indices.map { _ in [] }
            let firstEarning = bands.firstIndex { !$0.hollow }
            for i in eligible {
                if let li = lower[i], let ui = upper[i] {
                    let top = Self.bin(.add, ui, gain), bottom = Self.bin(.add, li, gain)
                    for j in bands.indices where !bands[j].hollow {
                        let hi = upper[j].map { Self.call(.min, [top, $0]) } ?? top
                        let lo = Self.call(.max, [bottom, lower[j] ?? Self.lit(0)])
                        let share = Self.bin(.divide, Self.call(.max, [Self.lit(0), Self.bin(.subtract, hi, lo)]), Self.bin(.subtract, ui, li))
                        inflow[j].append(Self.bin(.multiply, supported[i], share))
                    }
                    continue
                }
                let income = lower[i].map { Self.bin(.add, $0, gain) } ?? gain
                for j in bands.indices {
                    var conds: [Expr] = []
                    if bands[j].hollow {
                        conds.append(Self.bin(.lessEqual, income, Self.lit(0)))
                    } else {
                        if j == firstEarning, bands.contains(where: \.hollow) {
                            conds.append(Self.bin(.greater, income, Self.lit(0)))
                        } else if let l = lower[j] {
                            conds.append(Self.bin(.greaterEqual, income, l))
                        }
                        if let u = upper[j] { conds.append(Self.bin(.less, income, u)) }
                    }
                    let cond = conds.count == 1 ? conds[0] : Self.call(.and, conds)
                    inflow[j].append(Self.call(.if, [cond, supported[i], Self.lit(0)]))
                }
            }
            for j in bands.indices where !inflow[j].isEmpty {
                let e = inflow[j].count == 1 ? inflow[j][0] : Self.call(.sum, inflow[j])
                avail[j] = Self.bin(.add, Self.bin(.subtract, avail[j], supported[j]), e)
            }
        }
        for i in bands.indices {
            _ = line(c, K.band, n: i + 1, args: [.text(bands[i].name)], avail[i], rows: &rows)
        }
        if let h = bands.firstIndex(where: \.hollow) {
            _ = line(c, K.hollow, band[h], rows: &rows)
        }
        // Share at or above each threshold.
        var k2 = 0
        for (j, b) in bands.enumerated() where !b.hollow && lower[j] != nil && j != bands.firstIndex(where: { !$0.hollow }) {
            k2 += 1
            let above = Array(band[j...])
            let bound: LabelArgument = bands[j - 1].below.map { .amount($0) } ?? .text(bands[j].name)
            _ = line(c, K.shareAbove, n: k2, args: [bound], Self.bin(.divide, Self.call(.sum, above), villages), rows: &rows)
        }
        let cost = line(c, K.cost, supportCost, rows: &rows)
        addTargets(c, k.targets, thresholds: bands.compactMap(\.below), hasHollow: bands.contains(where: \.hollow), rows: &rows)
        return cost
    }

    /// The per-village variant: each village's income from the roster, moved by the engine year by year.
    private mutating func addRosterCollectiveEconomy(_ c: Commitment, _ k: CollectiveEconomyProgramme, roster: Roster, column: String,
                                                     rows: inout [String]) -> Expr {
        typealias K = CollectiveEconomyRows
        _ = param(k.villages, c, K.rosterVillages, rows: &rows)
        // A missing income column is reported where the scenario names it; the model cannot be built without it.
        guard let incomeColumn = roster.attributes[column], incomeColumn.count == roster.isCommunity.count else {
            if !diagnostics.contains(where: { $0.severity == .error }) {
                diagnostics.append(.error("the roster has no column `\(column)` for the incomes of `\(c.id)`", at: c.location,
                                          hint: "name a column of the roster in `roster_income:`"))
            }
            return Self.lit(0)
        }
        // A roster of villages only (a national one) hands its columns over as they are, without a copy.
        let allVillages = !roster.isCommunity.contains(true)
        let villageRows = allVillages ? Array(roster.isCommunity.indices) : roster.isCommunity.indices.filter { !roster.isCommunity[$0] }
        let (countyNames, countyIndex) = roster.countyIndex()
        let thresholds = k.bands.compactMap(\.below)
        let hasHollow = k.bands.contains(where: \.hollow)
        let supportBelow = k.supportBelow ?? k.targets.compactMap(\.above).min() ?? thresholds.first ?? 0
        let kernel = RosterKernel(incomes: allVillages ? incomeColumn : villageRows.map { incomeColumn[$0] }, rosterRows: villageRows,
                                  counties: allVillages ? countyIndex : villageRows.map { countyIndex[$0] }, countyNames: countyNames,
                                  thresholds: thresholds, hasHollow: hasHollow, supportBelow: supportBelow, lowestFirst: k.order == .lowestFirst)
        let growth = k.growth.map { param($0, c, K.growth, rows: &rows) }
        let pv = k.perVillage.map { param($0, c, K.perVillage, rows: &rows) }
        let ret = k.returnRate.map { param($0, c, K.returnRate, rows: &rows) }
        let bud = k.budget.map { param($0, c, K.budget, rows: &rows) }
        kernelParams.append((kernel, (growth, pv, ret, bud)))
        for (i, b) in k.bands.enumerated() where b.below != nil {
            _ = fixed(c, K.bandBelow, n: i + 1, args: [.text(b.name)], .scalar(b.below!), location: b.location, rows: &rows)
        }
        var output = 0
        // Each output of the per-village model, in the kernel's output order.
        func out(_ s: inout Compiler, _ row: RowSpec, n: Int = 0, args: [LabelArgument] = []) {
            _ = s.fixed(c, row, n: n, args: args, .kernel(kernel, output), location: c.location, rows: &rows)
            output += 1
        }
        for (i, b) in k.bands.enumerated() { out(&self, K.band, n: i + 1, args: [.text(b.name)]) }
        if hasHollow { out(&self, K.hollow) }
        for (t, v) in thresholds.enumerated() { out(&self, K.rosterShareAbove, n: t + 1, args: [.number(v)]) }
        out(&self, K.supported)
        out(&self, K.cost)
        addTargets(c, k.targets, thresholds: thresholds, hasHollow: hasHollow, rows: &rows)
        return Self.n(c.id, "cost")
    }


    /// Collective-economy targets become checks on the share above a threshold or on hollow villages.
    private mutating func addTargets(_ c: Commitment, _ targets: [CollectiveEconomyProgramme.Target], thresholds: [Double], hasHollow: Bool,
                                     rows: inout [String]) {
        for (t, target) in targets.enumerated() {
            let id = "\(c.id).target\(t + 1)"
            let assertion: Expr
            let title: RowLabel
            if let above = target.above, let share = target.share {
                guard let idx = thresholds.firstIndex(of: above) else {
                    diagnostics.append(.error("target threshold \(Expr.format(above)) is not a band bound of `\(c.id)`",
                                              at: target.location, hint: "band bounds: " + thresholds.map(Expr.format).joined(separator: ", ")))
                    continue
                }
                let shareId = fixed(c, CollectiveEconomyRows.targetShare, n: t + 1, .scalar(share), provenance: target.provenance,
                                    location: target.location, rows: &rows)
                assertion = Self.bin(.greaterEqual, Self.n(c.id, "share_above_\(idx + 1)"), Self.n(shareId))
                title = .key(CollectiveEconomyRows.targetShareCheck, [.text(c.title), .number(Double(target.by)), .amount(above), .number(share * 100)])
            } else if let most = target.hollowAtMost, hasHollow {
                let mostId = fixed(c, CollectiveEconomyRows.targetHollow, n: t + 1, .scalar(most), provenance: target.provenance,
                                   location: target.location, rows: &rows)
                assertion = Self.bin(.lessEqual, Self.n(c.id, "hollow"), Self.n(mostId))
                title = .key(CollectiveEconomyRows.targetHollowCheck, [.text(c.title), .number(Double(target.by)), .number(most)])
            } else {
                diagnostics.append(.error("a target needs `above` (a band bound) with `share`, or `hollow_at_most` with a hollow band", at: target.location))
                continue
            }
            addCheck(Check(id: id, title: "", assertion: assertion, years: target.by...max(target.by, scenario.years.upperBound),
                           provenance: target.provenance, location: target.location), title: title)
        }
    }

    // MARK: Sources and totals

    private mutating func declareSource(_ s: FundingSource) {
        sources.append(SourceInfo(name: s.name, title: s.title ?? s.name, committedRow: "\(s.name).committed",
                                  envelopeRow: s.envelope.map { _ in "\(s.name).envelope" },
                                  gapRow: s.envelope.map { _ in "\(s.name).gap" },
                                  cumulativeGapRow: s.envelope.map { _ in "\(s.name).cumulative_gap" }))
    }

    private mutating func addSourceRows(_ s: FundingSource) {
        let amounts = commitments.flatMap { c in c.amountRows.filter { $0.source == s.name }.map { Self.n($0.row) } }
        let committed = Self.n(s.name, "committed")
        func sourceRow(_ row: RowSpec, _ e: Expr) -> Spec {
            Spec(id: "\(s.name).\(row.field)", label: .key(row.label), dimension: row.measure, section: .source(s.name), body: .expr(e),
                 owner: .source(s.name), field: row.field, location: s.location)
        }
        add(sourceRow(CommonRows.committed, amounts.isEmpty ? Self.lit(0) : Self.call(.sum, amounts)))
        if let env = s.envelope {
            add(sourceRow(CommonRows.envelope, Expr(.name([env]), at: s.location)))
            let gap = Self.n(s.name, "gap")
            add(sourceRow(CommonRows.gap, Self.bin(.subtract, committed, Self.n(s.name, "envelope"))))
            add(sourceRow(CommonRows.cumulativeGap, Self.bin(.add, Self.call(.prev, [Self.n(s.name, "cumulative_gap"), Self.lit(0)]), gap)))
        }
    }

    private mutating func addTotals() {
        var cats: [Expr] = []
        for cat in Category.allCases {
            // By index: filtering the list would copy each commitment's record once per category.
            let costs = commitments.indices.filter { commitments[$0].category == cat }.map { Self.n(commitments[$0].costRow) }
            add(Spec(id: "total.\(cat.rawValue)", label: .key(cat.labelKey), dimension: .money, section: .total,
                     body: .expr(costs.isEmpty ? Self.lit(0) : Self.call(.sum, costs)), field: cat.rawValue))
            cats.append(Self.n("total.\(cat.rawValue)"))
        }
        add(Spec(id: "total", label: .key(CommonRows.total.label), dimension: .money, section: .total, body: .expr(Self.call(.sum, cats))))
    }

    // MARK: Checks

    /// Adds a check; `title` replaces the check's own title (for the checks FundSim writes itself).
    mutating func addCheck(_ check: Check, title: RowLabel? = nil) {
        let title = title ?? .user(check.title)
        let id = "check.\(check.id)"
        var lhs: String? = nil, rhs: String? = nil
        if case .binary(let op, let a, let b) = check.assertion.kind, op.isComparison {
            lhs = "\(id).lhs"; rhs = "\(id).rhs"
            add(Spec(id: lhs!, label: .key(CommonRows.lhs), dimension: .number, section: .check, body: .expr(a), location: a.location))
            add(Spec(id: rhs!, label: .key(CommonRows.rhs), dimension: .number, section: .check, body: .expr(b), location: b.location))
            add(Spec(id: id, label: title, dimension: .number, section: .check,
                     body: .expr(Self.bin(op, Self.n(lhs!), Self.n(rhs!))), location: check.location))
        } else {
            add(Spec(id: id, label: title, dimension: .number, section: .check, body: .expr(check.assertion), location: check.location))
        }
        let years = check.years ?? scenario.years
        if years.lowerBound < scenario.years.lowerBound || years.upperBound > scenario.years.upperBound {
            diagnostics.append(.error("check `\(check.id)` applies to \(years.lowerBound)–\(years.upperBound), outside the projection years \(scenario.years.lowerBound)–\(scenario.years.upperBound)",
                                      at: check.location, hint: "use years within the scenario's `years:`"))
        }
        checks.append(CheckInfo(id: check.id, title: title, row: id, years: years, lhsRow: lhs, rhsRow: rhs,
                                builtIn: false, provenance: check.provenance, location: check.location))
    }

    private mutating func addEnvelopeChecks() {
        for s in sources where s.envelopeRow != nil {
            let id = "check.envelope.\(s.name)"
            add(Spec(id: id, label: .key(CommonRows.envelopeCheckRow, [.text(s.name)]), dimension: .number, section: .check,
                     body: .expr(Self.bin(.lessEqual, Self.n(s.committedRow), Self.n(s.envelopeRow!)))))
            checks.append(CheckInfo(id: "envelope.\(s.name)", title: .key(CommonRows.envelopeCheckTitle, [.text(s.name)]),
                                    row: id, years: scenario.years, lhsRow: s.committedRow, rhsRow: s.envelopeRow, builtIn: true,
                                    provenance: [], location: nil))
        }
    }

    // MARK: Resolution

    private func fieldsOf(_ prefix: String) -> [String] {
        specIndex.keys.filter { $0.hasPrefix(prefix + ".") }.map { String($0.dropFirst(prefix.count + 1)) }.sorted()
    }

    private mutating func resolveName(_ path: [String], at loc: SourceLocation?, in spec: Spec) -> Int? {
        let joined = path.joined(separator: ".")
        if let i = specIndex[joined] { return i }
        if path.count == 1 {
            if let i = specIndex["\(joined).cost"] { return i }
            if let i = specIndex["\(joined).committed"] { return i }
        }
        if path.count > 1, specIndex["\(path[0]).cost"] != nil || specIndex["\(path[0]).committed"] != nil {
            let fields = fieldsOf(path[0])
            diagnostics.append(.error("`\(path[0])` has no field `\(path.dropFirst().joined(separator: "."))`", at: loc,
                                      hint: Suggest.didYouMean(path.dropFirst().joined(separator: "."), in: fields)
                                          ?? "fields: " + fields.filter { !$0.contains(".") }.joined(separator: ", ")))
            return nil
        }
        if declared.contains(path[0]) { return nil }
        let candidates = scenario.inputs.map(\.name) + scenario.commitments.map(\.id) + scenario.sources.map(\.name) + ["year", "total"]
            + declared.sorted()
        diagnostics.append(.error("unknown name `\(joined)`", at: loc,
                                  hint: Suggest.didYouMean(joined, in: candidates) ?? "define it under `inputs:`, or refer to a commitment id or a funding source"))
        return nil
    }

    private mutating func resolve(_ e: Expr, in spec: Spec) -> Formula? {
        switch e.kind {
        case .literal(let v, _):
            return .constant(v)
        case .name(let path):
            if path == ["year"] { return .year }
            guard let i = resolveName(path, at: e.location ?? spec.location, in: spec) else { return nil }
            return .row(i)
        case .negate(let a):
            return resolve(a, in: spec).map { .negate($0) }
        case .binary(let op, let a, let b):
            // Both sides, even when the first fails: every unknown name in the expression is reported.
            let fa = resolve(a, in: spec), fb = resolve(b, in: spec)
            guard let fa, let fb else { return nil }
            return .binary(op, fa, fb)
        case .call(.prev, let args):
            guard case .name(let path) = args[0].kind, path != ["year"] else {
                diagnostics.append(.error("`prev` takes the name of a series, e.g. prev(村主職報酬)", at: e.location ?? spec.location))
                return nil
            }
            guard let i = resolveName(path, at: args[0].location ?? spec.location, in: spec) else { return nil }
            let initial = args.count > 1 ? resolve(args[1], in: spec) : .constant(0)
            return initial.map { .previous(i, initial: $0) }
        case .call(let f, let args):
            var out: [Formula] = []
            var failed = false
            for a in args {
                if let fa = resolve(a, in: spec) { out.append(fa) } else { failed = true }
            }
            return failed ? nil : .call(f, out)
        }
    }

    private mutating func topologicalOrder(_ rows: [Row]) -> [Int]? {
        var deps: [[Int]] = rows.map { _ in [] }
        for (i, r) in rows.enumerated() {
            if case .formula(let f) = r.definition { f.sameYearDependencies(into: &deps[i]) }
        }
        var state = [UInt8](repeating: 0, count: rows.count) // 0 new, 1 visiting, 2 done
        var order: [Int] = []
        order.reserveCapacity(rows.count)
        var reported = false
        for start in rows.indices where state[start] == 0 {
            // Iterative DFS keeps deep chains from exhausting the stack.
            var stack: [(Int, Int)] = [(start, 0)]
            state[start] = 1
            while let (node, next) = stack.last {
                if next < deps[node].count {
                    stack[stack.count - 1].1 += 1
                    let d = deps[node][next]
                    if state[d] == 1 {
                        if !reported {
                            let cycleStart = stack.firstIndex { $0.0 == d } ?? 0
                            let names = stack[cycleStart...].map { rows[$0.0].id } + [rows[d].id]
                            let userRow = stack[cycleStart...].map { rows[$0.0] }.first { $0.location != nil }
                            diagnostics.append(.error("circular definition: " + names.joined(separator: " → "),
                                                      at: userRow?.location,
                                                      hint: "a value cannot depend on itself in the same year; use prev(x) for last year's value"))
                            reported = true
                        }
                    } else if state[d] == 0 {
                        state[d] = 1
                        stack.append((d, 0))
                    }
                } else {
                    state[node] = 2
                    order.append(node)
                    stack.removeLast()
                }
            }
        }
        return reported ? nil : order
    }
}

@inline(__always) func pow1(_ b: Double, _ e: Int) -> Double { pow1(b, Double(e)) }
@inline(__always) func pow1(_ b: Double, _ e: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.pow(b, e)
    #else
    return Foundation.pow(b, e)
    #endif
}

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
