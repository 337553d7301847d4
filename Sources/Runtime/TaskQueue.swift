import Foundation

/// Closures handed from any thread to one runtime thread, which runs them in order.
///
/// The closures capture non-Sendable cores on purpose: they only ever run on the owning thread,
/// which is the one place those cores are touched. The lock guards only the array.
///
/// A task may come with a `dropped` notice: when its owner ends before running it, `drainDropped`
/// hands back those notices, so whoever waits on the task hears that it will never run.
final class TaskQueue: @unchecked Sendable {
    struct Item {
        let run: () -> Void
        let dropped: (() -> Void)?
    }
    private let lock = NSLock()
    private var items: [Item] = []

    func append(_ task: @escaping () -> Void, dropped: (() -> Void)? = nil) {
        lock.lock(); items.append(Item(run: task, dropped: dropped)); lock.unlock()
    }

    func drain() -> [() -> Void] {
        lock.lock(); defer { lock.unlock() }
        let out = items.map(\.run)
        items.removeAll(keepingCapacity: true)
        return out
    }

    /// Forgets every waiting task and returns the notices of those that had one.
    func drainDropped() -> [() -> Void] {
        lock.lock(); defer { lock.unlock() }
        let out = items.compactMap(\.dropped)
        items.removeAll(keepingCapacity: true)
        return out
    }
}

/// A result one thread fills in and another waits for (a condition variable, so the waiter
/// resumes as soon as the value is set instead of at its next poll).
final class ResultSlot<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: T?

    func set(_ v: T) {
        condition.lock(); value = v; condition.signal(); condition.unlock()
    }

    /// The value, waiting at most `seconds` for it.
    func wait(seconds: Double) -> T? {
        condition.lock(); defer { condition.unlock() }
        if value == nil { _ = condition.wait(until: Date(timeIntervalSinceNow: seconds)) }
        return value
    }
}
