import Foundation
import FundSimModel

/// The per-village collective-economy model over a roster: each village's own income, grown and
/// supported year by year. Its outputs are engine values (a sort is not a spreadsheet formula).
public final class RosterKernel: @unchecked Sendable, Hashable {
    /// Incomes at the base year, one per village (communities are left out).
    public let incomes: [Double]
    /// The roster row of each village, and its county index.
    public let rosterRows: [Int]
    public let counties: [Int]
    public let countyNames: [String]
    /// Upper bounds of the earning bands, ascending; the top band has none.
    public let thresholds: [Double]
    public let hasHollow: Bool
    public let supportBelow: Double
    public let lowestFirst: Bool
    /// Growth, investment per village, return and budget, resolved after compilation.
    var growth: Formula?
    var perVillage: Formula?
    var returnRate: Formula?
    var budget: Formula?

    /// Outputs, in this order: villages per band (hollow first when there is one), hollow villages (when
    /// there is a hollow band), share at or above each threshold, villages supported, cost.
    public var bandCount: Int { thresholds.count + 1 + (hasHollow ? 1 : 0) }
    public var outputCount: Int { bandCount + (hasHollow ? 1 : 0) + thresholds.count + 2 }

    init(incomes: [Double], rosterRows: [Int], counties: [Int], countyNames: [String], thresholds: [Double], hasHollow: Bool,
         supportBelow: Double, lowestFirst: Bool) {
        self.incomes = incomes
        self.rosterRows = rosterRows
        self.counties = counties
        self.countyNames = countyNames
        self.thresholds = thresholds
        self.hasHollow = hasHollow
        self.supportBelow = supportBelow
        self.lowestFirst = lowestFirst
        let cuts = Array(Set(thresholds)).sorted()
        self.cuts = cuts
        // An income at a cut is under exactly the thresholds above the cut, as is every income up to the next.
        self.cutBands = cuts.map { c in thresholds.firstIndex { c < $0 } ?? thresholds.count }
    }

    public static func == (a: RosterKernel, b: RosterKernel) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }

    var parameters: [Formula] { [growth, perVillage, returnRate, budget].compactMap { $0 } }

    /// The villages of one evaluation, kept in the order they would be supported in: by income (lowest first, or
    /// highest first for `nearest_first`), then by roster order. `village[j]` is the position in `incomes` of the
    /// village whose income is `income[j]`.
    ///
    /// Keeping the order from year to year is what makes a year cheap: growth multiplies every earning village's
    /// income by one factor, which keeps the order, and the villages supported are the first ones under the
    /// support line, so only they move, merged back into place.
    struct Villages {
        var income: [Double] = []
        var village: [Int32] = []
        var count: Int { income.count }
    }

    /// The villages at the base year, in order; sorted once per kernel and shared by every evaluation.
    var ordered: Villages {
        orderLock.lock()
        defer { orderLock.unlock() }
        if let o = orderedAtBase { return o }
        let sign = lowestFirst ? 1.0 : -1.0
        let n = incomes.count
        // Sorted by a key whose integer order is the order of `sign * income` (−0 as +0), stably, so that equal
        // incomes stay in roster order.
        let keys = [UInt64](unsafeUninitializedCapacity: n) { ks, done in
            incomes.withUnsafeBufferPointer { xs in
                let (x, k) = (Shared(xs), Shared(ks))
                Self.inParts(n) { r in
                    for j in r {
                        let b = (sign * x[j] == 0 ? 0.0 : sign * x[j]).bitPattern
                        k[j] = b & (1 << 63) != 0 ? ~b : b | (1 << 63)
                    }
                }
            }
            done = n
        }
        let order = Self.radixOrder(keys)
        let income = [Double](unsafeUninitializedCapacity: n) { outs, done in
            incomes.withUnsafeBufferPointer { xs in
                order.withUnsafeBufferPointer { os in
                    let (x, order, out) = (Shared(xs), Shared(os), Shared(outs))
                    Self.inParts(n) { r in for j in r { out[j] = x[Int(order[j])] } }
                }
            }
            done = n
        }
        let o = Villages(income: income, village: order)
        orderedAtBase = o
        return o
    }
    private let orderLock = NSLock()
    private var orderedAtBase: Villages?

    /// A buffer handed to the threads of `inParts`, each of which touches its own part.
    struct Shared<T>: @unchecked Sendable {
        let base: UnsafeMutablePointer<T>
        init(_ b: UnsafeMutableBufferPointer<T>) { base = b.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)! }
        init(_ b: UnsafeBufferPointer<T>) { base = UnsafeMutablePointer(mutating: b.baseAddress ?? UnsafePointer(bitPattern: 8)!) }
        subscript(i: Int) -> T {
            get { base[i] }
            nonmutating set { base[i] = newValue }
        }
    }

    /// Runs `body` over `0..<n` in two parts at once when `n` is large (each part a range of its own), else in one.
    static func inParts(_ n: Int, _ body: @Sendable (Range<Int>) -> Void) {
        guard n >= 1 << 16 else { body(0..<n); return }
        DispatchQueue.concurrentPerform(iterations: 2) { part in body(part == 0 ? 0..<(n / 2) : (n / 2)..<n) }
    }

    /// The positions 0..<keys.count in ascending order of `keys`, equal keys in position order (an LSD radix sort,
    /// 11 bits a pass; a pass where every key has the same digit is skipped; a large sort counts and moves the two
    /// halves of each pass on two threads, the first half's keys placed before the second's for each digit, so the
    /// order is the same).
    static func radixOrder(_ keys: [UInt64]) -> [Int32] {
        let n = keys.count
        let digits = 2048, mask: UInt64 = 0x7FF
        // The digits every key shares: where all the keys' bits agree.
        var all: UInt64 = ~0, any: UInt64 = 0
        for key in keys { all &= key; any |= key }
        let passes = (0..<6).filter { p in ((all ^ any) >> UInt64(11 * p)) & mask != 0 }
        guard n > 1, !passes.isEmpty else { return (0..<Int32(n)).map { $0 } }
        let k0 = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n), k1 = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
        let o0 = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n), o1 = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
        defer { k0.deallocate(); k1.deallocate(); o0.deallocate(); o1.deallocate() }
        let parts = n >= 1 << 16 ? 2 : 1
        let bounds = parts == 1 ? [0, n] : [0, n / 2, n]
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: parts * digits)
        defer { counts.deallocate() }
        var (keysIn, keysOut, orderIn, orderOut) = (Shared(k0), Shared(k1), Shared(o0), Shared(o1))
        let countsOf = Shared(counts)
        return keys.withUnsafeBufferPointer { sourceKeys in
        let source = Shared(sourceKeys)
        for (step, p) in passes.enumerated() {
            let shift = UInt64(11 * p)
            let first = step == 0
            let (kIn, oIn, kOut, oOut) = (first ? source : keysIn, orderIn, keysOut, orderOut)
            DispatchQueue.concurrentPerform(iterations: parts) { t in
                let c = countsOf.base + t * digits
                c.update(repeating: 0, count: digits)
                for j in bounds[t]..<bounds[t + 1] { c[Int((kIn[j] >> shift) & mask)] &+= 1 }
            }
            // Where each part's keys of each digit go: after every smaller digit, and after the earlier parts'.
            var total = 0
            for d in 0..<digits {
                for t in 0..<parts {
                    let c = countsOf[t * digits + d]
                    countsOf[t * digits + d] = total
                    total += c
                }
            }
            DispatchQueue.concurrentPerform(iterations: parts) { t in
                let next = countsOf.base + t * digits
                for j in bounds[t]..<bounds[t + 1] {
                    let key = kIn[j]
                    let d = Int((key >> shift) & mask)
                    let to = next[d]
                    next[d] = to &+ 1
                    kOut[to] = key
                    oOut[to] = first ? Int32(truncatingIfNeeded: j) : oIn[j]
                }
            }
            swap(&keysIn, &keysOut)
            swap(&orderIn, &orderOut)
        }
        return Array(UnsafeBufferPointer(start: orderIn.base, count: n))
        }
    }

    /// Starts an evaluation: the villages at the base year, in order (into `v`'s buffers when they fit).
    func start(_ v: inout Villages) {
        let o = ordered
        if v.count == o.count {
            v.income.withUnsafeMutableBufferPointer { p in o.income.withUnsafeBufferPointer { _ = p.update(fromContentsOf: $0) } }
            v.village.withUnsafeMutableBufferPointer { p in o.village.withUnsafeBufferPointer { _ = p.update(fromContentsOf: $0) } }
        } else {
            v = o
        }
    }

    /// The incomes of `v` in roster order (as `incomes` lists them).
    func incomesInRosterOrder(_ v: Villages) -> [Double] {
        let n = v.count
        // `village` is a permutation of 0..<n: every element is written once.
        return [Double](unsafeUninitializedCapacity: n) { outs, done in
            v.income.withUnsafeBufferPointer { incomes in
                v.village.withUnsafeBufferPointer { villages in
                    let (income, village, out) = (Shared(incomes), Shared(villages), Shared(outs))
                    Self.inParts(n) { r in for j in r { out[Int(village[j])] = income[j] } }
                }
            }
            done = n
        }
    }

    /// One year: grow every earning village, support the eligible ones in order within the budget.
    ///
    /// Growth multiplies the incomes above zero, a run of `v` that stays in order; the villages under the support
    /// line are a run too, and the budget supports the first of them, which are then merged back into place.
    /// Where rounding makes two different incomes equal, the villages with that income are put back in roster
    /// order. Band counts are then counts of incomes under each threshold, found by bisection.
    ///
    /// `scratch` is the caller's working space (one per thread), kept between calls.
    func step(_ v: inout Villages, supportedYear: inout [Int32]?, year: Int, growth g: Double, perVillage pv: Double,
              returnRate r: Double, budget b: Double, scratch: inout Villages) -> [Double] {
        let n = v.count
        let capacity = pv > 0 ? Int(((b / pv) + 1e-9).rounded(.down)) : 0
        let gain = pv * r
        // Growth applies to earning villages only; with no growth, x * 1 is x.
        let factor = g != 0 ? 1 + g : 1
        let ascending = lowestFirst
        if scratch.count < n {
            // Working space: only its first `supported` places are written, then read, each year; left unfilled, so
            // that the pages of the rest are never touched.
            scratch.income = [Double](unsafeUninitializedCapacity: n) { _, count in count = n }
            scratch.village = [Int32](unsafeUninitializedCapacity: n) { _, count in count = n }
        }
        var supported = 0
        var below: [Int] = []
        var atMostZero = 0
        v.income.withUnsafeMutableBufferPointer { x in
        v.village.withUnsafeMutableBufferPointer { id in
        scratch.income.withUnsafeMutableBufferPointer { tx in
        scratch.village.withUnsafeMutableBufferPointer { ti in
            /// Whether village `ia` with income `xa` comes before village `ib` with income `xb`.
            @inline(__always) func before(_ xa: Double, _ ia: Int32, _ xb: Double, _ ib: Int32) -> Bool {
                ascending ? (xa < xb || (xa == xb && ia < ib)) : (xa > xb || (xa == xb && ia < ib))
            }
            /// Puts back in roster order the villages of every run of equal incomes in `lo..<hi` that is out of
            /// it, each run taken whole within `bounds`.
            func repair(_ lo: Int, _ hi: Int, within bounds: Range<Int>) {
                var j = max(lo, bounds.lowerBound) + 1
                let end = min(hi, bounds.upperBound)
                while j < end {
                    guard x[j] == x[j - 1] && id[j] < id[j - 1] else { j += 1; continue }
                    var s = j - 1, e = j + 1
                    while s > bounds.lowerBound && x[s - 1] == x[j] { s -= 1 }
                    while e < bounds.upperBound && x[e] == x[j] { e += 1 }
                    var run = (s..<e).map { (x[$0], id[$0]) }
                    run.sort { $0.1 < $1.1 }
                    for (o, p) in run.enumerated() { x[s + o] = p.0; id[s + o] = p.1 }
                    j = e
                }
            }

            // Growth: the earning villages are the last run (lowest first) or the first.
            if factor != 1 {
                let earning = n - Self.count(UnsafeBufferPointer(x), ascending) { $0 <= 0 }
                let lo = ascending ? n - earning : 0, hi = lo + earning
                // Two different incomes that the factor makes equal must be put back in roster order. Backwards, so
                // that each village's neighbour is read before it is grown (one pass, no branch: it vectorizes).
                var collapsed = 0
                var j = hi - 1
                while j > lo {
                    let a = x[j - 1], c = x[j], grown = c * factor
                    collapsed |= one(a * factor == grown) & one(a != c)
                    x[j] = grown
                    j -= 1
                }
                if lo < hi { x[lo] *= factor }
                if lo > 0 && lo < n && x[lo] == x[lo - 1] { collapsed = 1 }
                if hi < n && hi > 0 && x[hi] == x[hi - 1] { collapsed = 1 }
                if collapsed != 0 { repair(lo - 1, hi + 1, within: 0..<n) }
            }

            // Support: the villages under the line are the first run (lowest first) or the last; the budget
            // supports the first `supported` of them.
            guard capacity > 0 else { return }
            let eligible = Self.count(UnsafeBufferPointer(x), ascending) { $0 < supportBelow }
            supported = min(capacity, eligible)
            guard supported > 0 else { return }
            let c0 = ascending ? 0 : n - eligible, c1 = c0 + supported
            // As for growth: backwards, each neighbour read before it is moved.
            var collapsed = 0
            var j = c1 - 1
            while j > c0 {
                let a = x[j - 1], c = x[j], moved = c + gain
                collapsed |= one(a + gain == moved) & one(a != c)
                x[j] = moved
                j -= 1
            }
            x[c0] += gain
            if supportedYear != nil {
                for j in c0..<c1 where supportedYear![Int(id[j])] < 0 { supportedYear![Int(id[j])] = Int32(year) }
            }
            if collapsed != 0 { repair(c0, c1, within: c0..<c1) }
            // Merge the supported villages back: later in the order when their incomes passed others', else earlier.
            if c1 < n && before(x[c1], id[c1], x[c1 - 1], id[c1 - 1]) {
                for j in c0..<c1 { tx[j - c0] = x[j]; ti[j - c0] = id[j] }
                var w = c0, a = c1, t = 0
                // Long runs come from either side, so a branch predicts better than a select.
                while t < supported {
                    if a < n && before(x[a], id[a], tx[t], ti[t]) {
                        x[w] = x[a]; id[w] = id[a]; a += 1
                    } else {
                        x[w] = tx[t]; id[w] = ti[t]; t += 1
                    }
                    w += 1
                }
            } else if c0 > 0 && before(x[c0], id[c0], x[c0 - 1], id[c0 - 1]) {
                for j in c0..<c1 { tx[j - c0] = x[j]; ti[j - c0] = id[j] }
                var w = c1 - 1, a = c0 - 1, t = supported - 1
                while t >= 0 {
                    if a >= 0 && before(tx[t], ti[t], x[a], id[a]) {
                        x[w] = x[a]; id[w] = id[a]; a -= 1
                    } else {
                        x[w] = tx[t]; id[w] = ti[t]; t -= 1
                    }
                    w -= 1
                }
            }
        }
        }
        }
        }
        // Band counts: incomes under each threshold, and at or below zero.
        v.income.withUnsafeBufferPointer { x in
            below = cuts.map { c in Self.count(x, ascending) { $0 < c } }
            atMostZero = Self.count(x, ascending) { $0 <= 0 }
        }
        return outputs(under: below, atMostZero: atMostZero, count: n, supported: supported, perVillage: pv)
    }

    /// How many of the incomes `x` (in order: rising when `ascending`, else falling) are in a set bounded
    /// above (`x < c`, `x <= 0`), found by bisection.
    @inline(__always) static func count(_ x: UnsafeBufferPointer<Double>, _ ascending: Bool, _ isIn: (Double) -> Bool) -> Int {
        var lo = 0, hi = x.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if isIn(x[mid]) == ascending { lo = mid + 1 } else { hi = mid }
        }
        return ascending ? lo : x.count - lo
    }

    /// The thresholds in rising order without repeats, and the band of the incomes from each up to the next.
    let cuts: [Double]
    let cutBands: [Int]

    /// The outputs from the number of incomes under each of `cuts` and at or below zero.
    func outputs(under: [Int], atMostZero hollowTotal: Int, count n: Int, supported: Int, perVillage pv: Double) -> [Double] {
        let bands = thresholds.count
        // counts[k]: villages with raw band k (the first threshold they are under; `bands` when none);
        // hollowCounts[k]: those of them at or below zero, which go to the hollow band when there is one.
        var counts = [Int](repeating: 0, count: bands + 1), hollowCounts = counts
        // Incomes between two cuts are in one band; those under the first cut are under every threshold.
        var previous = 0
        for i in 0...cuts.count {
            let upTo = i < cuts.count ? under[i] : n
            let band = i == 0 ? 0 : cutBands[i - 1]
            counts[band] += upTo - previous
            hollowCounts[band] += max(0, min(hollowTotal, upTo) - min(hollowTotal, previous))
            previous = upTo
        }
        var out = [Double](repeating: 0, count: outputCount)
        var o = 0
        if hasHollow {
            out[0] = Double(hollowCounts.reduce(0, +))
            o = 1
        }
        for k in 0...bands { out[o + k] = Double(hasHollow ? counts[k] - hollowCounts[k] : counts[k]) }
        o = bandCount
        if hasHollow { out[o] = out[0]; o += 1 }
        var above = 0
        for k in stride(from: bands - 1, through: 0, by: -1) {
            above += counts[k + 1]
            out[o + k] = n > 0 ? Double(above) / Double(n) : 0
        }
        o += bands
        out[o] = Double(supported)
        out[o + 1] = Double(supported) * pv
        return out
    }
}

/// 1 for true, 0 for false, as arithmetic (so that a count does not become a branch).
@inline(__always) func one(_ b: Bool) -> Int { Int(unsafeBitCast(b, to: UInt8.self)) }

/// What a projection did with a per-village model, year by year: enough to make its per-village results
/// (`RosterDetail`) again, step for step, when a sheet asks for them.
struct RosterSteps: Sendable {
    struct Step: Sendable {
        /// Whether the step started again from the base year's incomes (the evaluation's first year, or after a year
        /// whose parameters failed).
        var restart: Bool
        var year: Int
        var growth, perVillage, returnRate, budget: Double
    }
    let kernel: RosterKernel
    var steps: [Step] = []

    init(kernel: RosterKernel) { self.kernel = kernel }

    /// Each recorded year's incomes in roster order, and the year each village was first supported: the same steps
    /// on the same numbers as the evaluation's, so the same results.
    func detail() -> RosterDetail {
        var villages = RosterKernel.Villages(), scratch = RosterKernel.Villages()
        var supported: [Int32]? = [Int32](repeating: -1, count: kernel.incomes.count)
        var incomes: [[Double]] = []
        for s in steps {
            if s.restart || villages.count != kernel.incomes.count { kernel.start(&villages) }
            _ = kernel.step(&villages, supportedYear: &supported, year: s.year, growth: s.growth, perVillage: s.perVillage,
                            returnRate: s.returnRate, budget: s.budget, scratch: &scratch)
            incomes.append(kernel.incomesInRosterOrder(villages))
        }
        return RosterDetail(kernel: kernel, incomes: incomes, supportedYear: steps.isEmpty ? [] : supported ?? [])
    }
}

/// Per-village results of a roster programme, for the county and detail sheets.
public struct RosterDetail: Sendable {
    public let kernel: RosterKernel
    /// Income by year, then by village.
    public var incomes: [[Double]]
    /// The year index in which each village was first supported, or -1.
    public var supportedYear: [Int32]
}
