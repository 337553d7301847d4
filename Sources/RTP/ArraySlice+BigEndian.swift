/// In-place reads and writes for parsers that have already checked a length once, and for the
/// wire-backed RTCP packets, whose fields live at fixed offsets of their bytes.
extension ArraySlice<UInt8> {
    /// The big-endian word at `i`; the caller has checked that `i ..< i + 4` is in bounds. One
    /// check (kept, so a broken caller traps rather than reads out of bounds) and one load, where
    /// four subscripts would check four times.
    @inlinable func bigEndianUInt32(at i: Int) -> UInt32 {
        precondition(i >= startIndex && i <= endIndex &- 4, "word read outside the slice") // the caller's invariant
        return withUnsafeBytes { UInt32(bigEndian: $0.loadUnaligned(fromByteOffset: i &- startIndex, as: UInt32.self)) }
    }

    /// The big-endian word `offset` bytes from the start.
    @inlinable func word(at offset: Int) -> UInt32 { bigEndianUInt32(at: startIndex &+ offset) }

    /// Overwrites the big-endian word `offset` bytes from the start (copying the bytes first if
    /// they are shared); the word must lie inside the slice.
    mutating func setWord(_ v: UInt32, at offset: Int) {
        let i = startIndex + offset
        self[i] = UInt8(truncatingIfNeeded: v >> 24)
        self[i + 1] = UInt8(truncatingIfNeeded: v >> 16)
        self[i + 2] = UInt8(truncatingIfNeeded: v >> 8)
        self[i + 3] = UInt8(truncatingIfNeeded: v)
    }
}
