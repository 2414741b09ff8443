import FundSimModel

/// Figures that compute but make no sense — a negative count or cost, shares that do not add up to 100%, an
/// absurd magnitude — checked the same way for a run, each Monte Carlo draw, each sensitivity bound and each
/// value `solve` tries.
///
/// The plan is built once per model in one pass over its rows; checking a set of values is then linear in
/// rows × years.
public struct Hazards: Sendable {
    let model: Model
    /// Each commitment's funding-share rows (`ID.share.SOURCE`), in model order.
    private let shareRows: [(commitment: String, rows: [Int])]
    /// Rows of commitments by what is checked on them.
    private let countRows: [Int]
    private let costRows: [Int]
    private let growthRows: [Int]
    private let moneyRows: [Int]
    private let totalRows: [Int]

    public init(_ model: Model) {
        self.model = model
        var shares: [String: [Int]] = [:]
        var counts: [Int] = [], costs: [Int] = [], growth: [Int] = [], money: [Int] = [], totals: [Int] = []
        for (i, row) in model.rows.enumerated() {
            switch row.section {
            case .funding(let c) where row.field?.hasPrefix("share.") == true:
                shares[c, default: []].append(i)
            case .commitment(let c):
                if row.dimension == .count { counts.append(i) }
                if row.id == "\(c).cost" { costs.append(i) }
                if row.id == "\(c).growth" { growth.append(i) }
                if row.dimension == .money { money.append(i) }
            case .total:
                totals.append(i)
            default:
                break
            }
        }
        shareRows = model.commitments.compactMap { c in shares[c.id].map { (c.id, $0) } }
        countRows = counts
        costRows = costs
        growthRows = growth
        moneyRows = money
        totalRows = totals
    }

    /// Every hazard in `values` (rows by year, as `Projection.values`), one diagnostic per row and kind.
    ///
    /// A value that is not a number is skipped: the evaluator has reported it, or the row it comes from.
    public func check(_ values: [[Double]]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let years = model.years
        for (c, rows) in shareRows {
            for y in years.indices {
                let shares = rows.map { values[$0][y] }
                if let k = shares.firstIndex(where: { !ShareRule.isShare($0) }) {
                    let row = model.rows[rows[k]]
                    out.append(.error("the share `\(row.id)` is \(ShareRule.percent(shares[k])) in \(years[y]), outside 0–100%", at: row.location,
                                      hint: "shares of one commitment must each lie between 0% and 100% and add up to 100%"))
                    break
                }
                let total = shares.reduce(0, +)
                if !ShareRule.isWhole(total) {
                    out.append(.error("the funding shares of `\(c)` add up to \(ShareRule.percent(total)) in \(years[y]), not 100%",
                                      at: model.rows[rows[0]].location, hint: "let one source take the `rest`, or make the shares add up to 100%"))
                    break
                }
            }
        }
        // The rest in row order, as a reader meets them in the file.
        var byRow: [(row: Int, kind: Int, diagnostic: Diagnostic)] = []
        for i in totalRows {
            if let y = values[i].firstIndex(where: { abs($0) > Limits.absurdMagnitude }) {
                byRow.append((i, 4, .error("the total of `\(model.rows[i].id)` reaches \(model.unit.show(values[i][y])) in \(years[y]), over 10^15 yuan", at: nil,
                                  hint: "a figure is absurdly large: is 億 written for 萬?")))
            }
        }
        for i in countRows {
            let row = model.rows[i], v = values[i]
            if let y = v.firstIndex(where: { $0 < -1e-9 }) {
                byRow.append((i, 0, .error("`\(row.id)` is negative (\(Expr.format(v[y]))) in \(years[y]): a count cannot be", at: row.location,
                                  hint: "check the inputs and expressions of commitment `\(owner(row))`")))
            }
        }
        for i in costRows {
            let row = model.rows[i], v = values[i]
            if let y = v.firstIndex(where: { $0 < -0.005 }) {
                byRow.append((i, 1, .error("the cost of `\(owner(row))` is negative (\(model.unit.show(v[y]))) in \(years[y])", at: row.location,
                                  hint: "a pay below the existing pay (base_pay), or a negative rate or amount, gives a negative cost")))
            }
        }
        for i in growthRows {
            let row = model.rows[i], v = values[i]
            if let y = v.firstIndex(where: { $0 < 0 }) {
                byRow.append((i, 2, .error("the income growth of `\(owner(row))` is negative (\(Expr.format(v[y] * 100))%) in \(years[y])", at: row.location,
                                  hint: "the band model moves villages up only; use 0% for no growth")))
            }
        }
        for i in moneyRows {
            let row = model.rows[i], v = values[i]
            if let y = v.firstIndex(where: { abs($0) > Limits.absurdMagnitude }) {
                byRow.append((i, 3, .error("`\(row.id)` reaches \(model.unit.show(v[y])) in \(years[y]), over 10^15 yuan", at: row.location,
                                  hint: "a figure is absurdly large: is 億 written for 萬, or a growth rate written without %?")))
            }
        }
        out += byRow.sorted { ($0.row, $0.kind) < ($1.row, $1.kind) }.map(\.diagnostic)
        return out
    }

    /// What is wrong with values an analysis sets for input row `i` (a draw, a bound, a value tried): a count
    /// below 0, a figure beyond ±10^15 or not finite — what the decoder refuses when the file states it.
    public func input(_ i: Int, _ values: [Double]) -> Diagnostic? {
        let row = model.rows[i]
        if let v = values.first(where: { !(abs($0) <= Limits.absurdMagnitude) }) {
            return .error("`\(row.id)` would be \(model.unit.show(v, row.dimension)), beyond ±10^15\(row.dimension == .money ? " yuan" : "")", at: row.location, hint: "keep drawn and varied values within a realistic range")
        }
        if row.dimension == .count, let v = values.first(where: { $0 < 0 }) {
            return .error("`\(row.id)` would be \(model.unit.show(v, row.dimension)): a count cannot be negative", at: row.location,
                          hint: "keep a count's range or distribution at 0 or above")
        }
        return nil
    }

    private func owner(_ row: Row) -> String {
        if case .commitment(let c) = row.section { return c }
        return row.id
    }
}
