/// In-place reads for parsers that have already checked a length once.
extension ArraySlice<UInt8> {
    /// The big-endian word at `i`; the caller has checked that `i ..< i + 4` is in bounds.
    @inlinable func bigEndianUInt32(at i: Int) -> UInt32 {
        UInt32(self[i]) << 24 | UInt32(self[i + 1]) << 16 | UInt32(self[i + 2]) << 8 | UInt32(self[i + 3])
    }
}
