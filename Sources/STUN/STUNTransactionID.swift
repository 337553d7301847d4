/// The 96-bit transaction id of a STUN message (RFC 8489 §5), held as two integers so it is
/// hashable and free to copy. The caller supplies randomness: this module reads no entropy.
public struct STUNTransactionID: Hashable, Sendable, CustomStringConvertible {
    /// The first 32 bits on the wire.
    public var high: UInt32
    /// The last 64 bits on the wire.
    public var low: UInt64

    @inlinable public init(high: UInt32, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// From 12 bytes in wire order; nil for any other count.
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count == 12 else { return nil }
        var h: UInt32 = 0, l: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 4 { h = h << 8 | UInt32(b) } else { l = l << 8 | UInt64(b) }
        }
        self.init(high: h, low: l)
    }

    /// The 12 bytes in wire order.
    public var bytes: [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: high >> (24 - 8 * UInt32($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
    }

    public var description: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
