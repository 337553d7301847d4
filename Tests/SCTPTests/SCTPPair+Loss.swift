/// Helpers to pick SCTP packets by content, for loss simulation.
enum SCTPPacketInspection {
    /// Whether the packet carries at least one DATA chunk (type 0, RFC 9260 §3.3.1); the common
    /// header is 12 bytes, then chunks of type, flags, 16-bit length, padded to 4 bytes.
    static func carriesData(_ p: [UInt8]) -> Bool {
        var at = 12
        while at + 4 <= p.count {
            if p[at] == 0 { return true }
            let length = Int(p[at + 2]) << 8 | Int(p[at + 3])
            guard length >= 4 else { return false }
            at += (length + 3) & ~3
        }
        return false
    }
}

/// A seeded pseudo-random sequence (an LCG) so a loss pattern is the same on every run.
struct SeededRandom {
    var state: UInt64
    mutating func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
}
