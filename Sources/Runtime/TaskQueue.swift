import Foundation

/// Closures handed from any thread to one runtime thread, which runs them in order.
///
/// The closures capture non-Sendable cores on purpose: they only ever run on the owning thread,
/// which is the one place those cores are touched. The lock guards only the array.
final class TaskQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [() -> Void] = []

    func append(_ task: @escaping () -> Void) {
        lock.lock(); items.append(task); lock.unlock()
    }

    func drain() -> [() -> Void] {
        lock.lock(); defer { lock.unlock() }
        let out = items
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
