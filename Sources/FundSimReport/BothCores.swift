import Foundation

/// Two pieces of work done at once, on this thread and one more, for parts of a workbook that do not depend
/// on each other: each part builds only its own result, so what is built is the same as one after the other.
enum BothCores {
    /// Runs `first` here and `second` on another thread; returns both results once both are done.
    static func run<A, B>(_ first: () -> A, _ second: @escaping () -> B) -> (A, B) {
        let other = Work(second)
        let thread = Thread { other.run() }
        // As deep as the main thread's stack: a formula is written by recursion over its expression.
        thread.stackSize = 8 << 20
        thread.start()
        let a = first()
        other.done.wait()
        return (a, other.result!)
    }

    /// The other thread's work and its result, handed over once `done` is signalled.
    private final class Work<B>: @unchecked Sendable {
        let work: () -> B
        var result: B?
        let done = DispatchSemaphore(value: 0)
        init(_ work: @escaping () -> B) { self.work = work }
        func run() { result = work(); done.signal() }
    }
}
