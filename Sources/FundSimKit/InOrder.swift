import Foundation
import Dispatch

/// Independent jobs on several threads, their results handed on in job order.
public enum InOrder {
    /// Runs `work(i)` for every i in `0..<count` on up to `threads` threads, and calls `deliver(i, result)`
    /// in index order, each as soon as its job and every earlier one are done. `deliver` is never called
    /// twice at once, so it may print and update state as a one-thread loop would; with one thread this is
    /// that loop.
    ///
    /// `startOrder`, a permutation of `0..<count`, is the order in which threads take the jobs (the longest
    /// first, so that no thread is left with a long job while the others wait); it changes nothing but timing.
    public static func forEach<T>(count: Int, threads: Int, startOrder: [Int]? = nil, work: @escaping @Sendable (Int) -> T,
                                  deliver: @escaping (Int, T) -> Void) {
        let threads = max(1, min(threads, count))
        if threads == 1 {
            for i in 0..<count { deliver(i, work(i)) }
            return
        }
        let order = startOrder.flatMap { $0.count == count && Set($0) == Set(0..<count) ? $0 : nil } ?? Array(0..<count)
        let state = InOrderState<T>(deliver)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while true {
                state.lock.lock()
                let taken = state.nextJob
                state.nextJob += 1
                state.lock.unlock()
                guard taken < count else { return }
                let i = order[taken]
                let result = work(i)
                state.lock.lock()
                state.results[i] = result
                // One thread at a time hands on every finished result that is next in order.
                guard !state.delivering else { state.lock.unlock(); continue }
                state.delivering = true
                while let r = state.results.removeValue(forKey: state.nextDelivery) {
                    let k = state.nextDelivery
                    state.nextDelivery += 1
                    state.lock.unlock()
                    state.deliver(k, r)
                    state.lock.lock()
                }
                state.delivering = false
                state.lock.unlock()
            }
        }
    }
}

/// The jobs taken and the results waiting to be handed on, under one lock.
private final class InOrderState<T>: @unchecked Sendable {
    let lock = NSLock()
    var nextJob = 0
    var results: [Int: T] = [:]
    var nextDelivery = 0
    var delivering = false
    let deliver: (Int, T) -> Void
    init(_ deliver: @escaping (Int, T) -> Void) { self.deliver = deliver }
}
