/// Appends big-endian (network order) fields to a growable buffer.
///
/// Reuse one writer per packet path and call `reset()` between packets: the capacity stays, so a
/// steady-state serializer does not allocate.
public struct ByteWriter: Sendable {
    @usableFromInline var storage: [UInt8]
    /// What has been written so far.
    public var bytes: [UInt8] { storage }

    @inlinable public init(capacity: Int = 256) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    @inlinable public var count: Int { storage.count }
    /// Empties the buffer and keeps its capacity.
    @inlinable public mutating func reset() { storage.removeAll(keepingCapacity: true) }

    @inlinable public mutating func write(_ v: UInt8) { storage.append(v) }
    @inlinable public mutating func write(_ v: UInt16) {
        storage.append(UInt8(truncatingIfNeeded: v >> 8))
        storage.append(UInt8(truncatingIfNeeded: v))
    }
    /// The low 24 bits of `v`, big-endian.
    @inlinable public mutating func writeUInt24(_ v: UInt32) {
        storage.append(UInt8(truncatingIfNeeded: v >> 16))
        storage.append(UInt8(truncatingIfNeeded: v >> 8))
        storage.append(UInt8(truncatingIfNeeded: v))
    }
    @inlinable public mutating func write(_ v: UInt32) {
        storage.append(UInt8(truncatingIfNeeded: v >> 24))
        storage.append(UInt8(truncatingIfNeeded: v >> 16))
        storage.append(UInt8(truncatingIfNeeded: v >> 8))
        storage.append(UInt8(truncatingIfNeeded: v))
    }
    @inlinable public mutating func write(_ v: UInt64) {
        write(UInt32(truncatingIfNeeded: v >> 32))
        write(UInt32(truncatingIfNeeded: v))
    }
    @inlinable public mutating func write<C: Collection>(bytes c: C) where C.Element == UInt8 { storage.append(contentsOf: c) }
    @inlinable public mutating func write(zeros n: Int) {
        for _ in 0..<n { storage.append(0) }
    }
    /// Overwrites a 16-bit field written earlier (lengths known only after the body).
    @inlinable public mutating func patch(_ v: UInt16, at index: Int) {
        storage[index] = UInt8(truncatingIfNeeded: v >> 8)
        storage[index + 1] = UInt8(truncatingIfNeeded: v)
    }
    /// Overwrites a 32-bit field written earlier.
    @inlinable public mutating func patch(_ v: UInt32, at index: Int) {
        storage[index] = UInt8(truncatingIfNeeded: v >> 24)
        storage[index + 1] = UInt8(truncatingIfNeeded: v >> 16)
        storage[index + 2] = UInt8(truncatingIfNeeded: v >> 8)
        storage[index + 3] = UInt8(truncatingIfNeeded: v)
    }
    /// Pads with zeros to a multiple of `alignment` bytes (RTCP and STUN use 4).
    @inlinable public mutating func pad(toMultipleOf alignment: Int) {
        while storage.count % alignment != 0 { storage.append(0) }
    }
}
