import Foundation

/// Two pieces of work done at once, on this thread and one more, for parts of a workbook that do not depend
/// on each other: each part builds only its own result, so what is built is the same as one after the other.
public enum BothCores {
    /// Set while this thread is one of several that already keep every core busy (`run --jobs` over a folder):
    /// a second thread would only compete with the other jobs for the cores, so both pieces run here.
    @TaskLocal static var coresBusy = false

    /// Runs `body` with `run` keeping its work on the calling thread, when `busy` says the other cores have
    /// work of their own.
    public static func sharingCores<T>(_ busy: Bool, _ body: () throws -> T) rethrows -> T {
        try $coresBusy.withValue(busy || coresBusy, operation: body)
    }

    /// Runs `first` here and `second` on another thread (or after `first`, when the cores are busy); returns
    /// both results once both are done.
    public static func run<A, B>(_ first: () -> A, _ second: @escaping () -> B) -> (A, B) {
        if coresBusy {
            let a = first()
            return (a, second())
        }
        let other = Work(second)
        let thread = Thread { other.run() }
        // As deep as the main thread's stack: a formula is written by recursion over its expression.
        thread.stackSize = 8 << 20
        thread.start()
        let a = first()
        other.done.wait()
        return (a, other.result!)
    }

    /// Runs `first` here and `second` on another thread (or after `first`, when the cores are busy), and returns as
    /// soon as `second` hands its result to the function it is given, without waiting for the rest of `second`: for
    /// work whose tail (freeing what it built) need not hold the caller up. `second` hands over exactly one result.
    public static func run<B>(_ first: () -> Void, until second: @escaping (_ handOver: @escaping (B) -> Void) -> Void) -> B {
        let other = Handed<B>(second)
        if coresBusy {
            first()
            other.run()
        } else {
            let thread = Thread { other.run() }
            thread.stackSize = 8 << 20
            thread.start()
            first()
        }
        other.done.wait()
        return other.result!
    }

    /// The other thread's work and its result, handed over once `done` is signalled.
    private final class Work<B>: @unchecked Sendable {
        let work: () -> B
        var result: B?
        let done = DispatchSemaphore(value: 0)
        init(_ work: @escaping () -> B) { self.work = work }
        func run() { result = work(); done.signal() }
    }

    /// A result handed from another thread, once `done` is signalled.
    private final class Handed<B>: @unchecked Sendable {
        let work: (_ handOver: @escaping (B) -> Void) -> Void
        var result: B?
        let done = DispatchSemaphore(value: 0)
        init(_ work: @escaping (_ handOver: @escaping (B) -> Void) -> Void) { self.work = work }
        func run() { work { self.result = $0; self.done.signal() } }
    }
}
