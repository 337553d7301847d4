/// Reads big-endian (network order) fields from a byte slice without copying.
///
/// It holds an `ArraySlice`, so sub-slices it returns share the caller's storage: parsing an RTP
/// packet this way allocates nothing. Every read checks bounds and throws `ParseError.truncated`.
public struct ByteReader: Sendable {
    public let bytes: ArraySlice<UInt8>
    /// Index of the next byte to read, in `bytes`' own index space.
    @usableFromInline var cursor: Int
    public var position: Int { cursor }

    @inlinable public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        cursor = bytes.startIndex
    }
    @inlinable public init(_ bytes: [UInt8]) { self.init(bytes[...]) }

    /// Bytes read so far.
    @inlinable public var offset: Int { position - bytes.startIndex }
    @inlinable public var remaining: Int { bytes.endIndex - position }
    @inlinable public var isAtEnd: Bool { position >= bytes.endIndex }

    @inlinable func require(_ n: Int) throws(ParseError) {
        guard n >= 0, remaining >= n else { throw .truncated(offset: offset, needed: n - remaining) }
    }

    @inlinable public mutating func readUInt8() throws(ParseError) -> UInt8 {
        try require(1)
        defer { cursor += 1 }
        return bytes[position]
    }
    @inlinable public mutating func readUInt16() throws(ParseError) -> UInt16 {
        try require(2)
        defer { cursor += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }
    /// A 24-bit big-endian field (RTCP cumulative loss, RTP one-byte extension payloads).
    @inlinable public mutating func readUInt24() throws(ParseError) -> UInt32 {
        try require(3)
        defer { cursor += 3 }
        return UInt32(bytes[position]) << 16 | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2])
    }
    @inlinable public mutating func readUInt32() throws(ParseError) -> UInt32 {
        try require(4)
        defer { cursor += 4 }
        var v: UInt32 = 0
        for i in 0..<4 { v = v << 8 | UInt32(bytes[position + i]) }
        return v
    }
    @inlinable public mutating func readUInt64() throws(ParseError) -> UInt64 {
        try require(8)
        defer { cursor += 8 }
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(bytes[position + i]) }
        return v
    }
    /// The next `n` bytes as a slice sharing the input's storage.
    @inlinable public mutating func readBytes(_ n: Int) throws(ParseError) -> ArraySlice<UInt8> {
        try require(n)
        defer { cursor += n }
        return bytes[position ..< position + n]
    }
    /// Everything not read yet.
    @inlinable public mutating func readRemaining() -> ArraySlice<UInt8> {
        defer { cursor = bytes.endIndex }
        return bytes[position...]
    }
    @inlinable public mutating func skip(_ n: Int) throws(ParseError) {
        try require(n)
        cursor += n
    }
    /// The byte at `offset` bytes ahead, without consuming it.
    @inlinable public func peekUInt8(at ahead: Int = 0) throws(ParseError) -> UInt8 {
        guard ahead >= 0, remaining > ahead else { throw .truncated(offset: offset + ahead, needed: 1) }
        return bytes[position + ahead]
    }
}
