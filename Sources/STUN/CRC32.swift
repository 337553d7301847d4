/// CRC-32 as in ISO 3309 / IEEE 802.3 (reflected polynomial 0xEDB88320, initial and final value
/// all ones), table-driven one byte at a time: what STUN's FINGERPRINT uses (RFC 8489 §14.7).
public struct CRC32: Sendable {
    /// The 256-entry table for the reflected polynomial, built once.
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    private var state: UInt32 = 0xFFFF_FFFF
    public init() {}

    public mutating func update<C: Sequence>(_ bytes: C) where C.Element == UInt8 {
        Self.table.withUnsafeBufferPointer { t in
            var c = state
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
            state = c
        }
    }

    public var value: UInt32 { state ^ 0xFFFF_FFFF }

    public static func checksum<C: Sequence>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
