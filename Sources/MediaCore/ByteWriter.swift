/// Appends big-endian (network order) fields to a growable buffer.
///
/// Reuse one writer per packet path and call `reset()` between packets: the capacity stays, so a
/// steady-state serializer does not allocate.
///
/// Every write reserves its bytes once and stores them in place (`Array.append(addingCapacity:
/// initializingWith:)`): appending byte by byte checks uniqueness and capacity for each byte,
/// and `Array.append(contentsOf:)` goes through the generic sequence-copy path, which cost more
/// than the copy itself for packet-sized writes.
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

    /// Appends `n` bytes that `body` stores through the pointer it is given; `body` must store
    /// all `n` of them (the buffer is not zeroed first). One capacity check covers the lot, so a
    /// serializer can lay out a whole header, or a header and its body, in one write.
    @inlinable public mutating func write(count n: Int, storing body: (UnsafeMutableRawPointer) -> Void) {
        guard n > 0 else { return }
        storage.append(addingCapacity: n) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                // n > 0 bytes were reserved, so the buffer has an address.
                body(UnsafeMutableRawPointer(buffer.baseAddress!))
                initialized = n
            }
        }
    }

    @inlinable public mutating func write(_ v: UInt8) { storage.append(v) }
    @inlinable public mutating func write(_ v: UInt16) {
        write(count: 2) { $0.storeBytes(of: v.bigEndian, as: UInt16.self) }
    }
    /// The low 24 bits of `v`, big-endian.
    @inlinable public mutating func writeUInt24(_ v: UInt32) {
        write(count: 3) { p in
            p.storeBytes(of: UInt8(truncatingIfNeeded: v >> 16), as: UInt8.self)
            p.storeBytes(of: UInt16(truncatingIfNeeded: v).bigEndian, toByteOffset: 1, as: UInt16.self)
        }
    }
    @inlinable public mutating func write(_ v: UInt32) {
        write(count: 4) { $0.storeBytes(of: v.bigEndian, as: UInt32.self) }
    }
    @inlinable public mutating func write(_ v: UInt64) {
        write(count: 8) { $0.storeBytes(of: v.bigEndian, as: UInt64.self) }
    }
    /// Contiguous collections (arrays, slices, buffer pointers) are copied with one `memcpy`;
    /// any other collection goes element by element.
    @inlinable public mutating func write<C: Collection>(bytes c: C) where C.Element == UInt8 {
        let copied: Void? = c.withContiguousStorageIfAvailable { source in
            guard let base = source.baseAddress else { return }
            write(count: source.count) { $0.copyMemory(from: base, byteCount: source.count) }
        }
        if copied == nil { storage.append(contentsOf: c) }
    }
    @inlinable public mutating func write(zeros n: Int) {
        write(count: n) { $0.initializeMemory(as: UInt8.self, repeating: 0, count: n) }
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
        write(zeros: (alignment - storage.count % alignment) % alignment)
    }
}
