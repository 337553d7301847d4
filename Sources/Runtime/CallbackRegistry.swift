import Synchronization

/// Maps the integer we hand a C library as `user_data` to the Swift object behind it.
///
/// GLib and usrsctp may call back after we think we closed (a queued signal, a timer). Passing an
/// id instead of a raw object pointer makes such a late callback harmless: once the object is
/// unregistered (or gone), `lookup` answers nil and the callback does nothing.
final class CallbackRegistry<Object: AnyObject & Sendable>: Sendable {
    private struct Table: ~Copyable {
        var next: UInt = 1
        var objects: [UInt: Object] = [:]
    }
    private let table = Mutex(Table())

    init() {}

    /// Registers `object` and returns its id, as a pointer-sized value for `user_data`.
    func register(_ object: Object) -> UInt {
        table.withLock { t in
            let id = t.next
            t.next += 1
            t.objects[id] = object
            return id
        }
    }

    func lookup(_ id: UInt) -> Object? { table.withLock { $0.objects[id] } }

    func unregister(_ id: UInt) { _ = table.withLock { $0.objects.removeValue(forKey: id) } }

    /// The id as a C `void *` (never dereferenced).
    static func pointer(_ id: UInt) -> UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: id) }
    static func id(_ pointer: UnsafeMutableRawPointer?) -> UInt { UInt(bitPattern: pointer) }
}
