import MediaCore

/// RTCP BYE, PT=203 (RFC 3550 §6.6): the sources leaving, and an optional reason.
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |V=2|P|    SC   |   PT=BYE=203  |             length            |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                           SSRC/CSRC                           |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     :                              ...                              :
///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///     |     length    |               reason for leaving            ...
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
public struct Goodbye: Equatable, Sendable {
    /// At most 31 (the SC field).
    public var sources: [UInt32]
    /// UTF-8 text, at most 255 bytes; nil when absent.
    public var reason: ArraySlice<UInt8>?

    public init(sources: [UInt32], reason: ArraySlice<UInt8>? = nil) {
        self.sources = Array(sources.prefix(31))
        self.reason = reason
    }
    public init(sources: [UInt32], reason: String) { self.init(sources: sources, reason: Array(reason.utf8)[...]) }

    @usableFromInline init(count: UInt8, body r: inout ByteReader) throws(ParseError) {
        sources = []
        sources.reserveCapacity(Int(count))
        for _ in 0..<count { sources.append(try r.readUInt32()) }
        if r.isAtEnd {
            reason = nil
        } else {
            let length = Int(try r.readUInt8())
            reason = try r.readBytes(length)
        }
    }

    func serializeBody(into w: inout ByteWriter) {
        for s in sources.prefix(31) { w.write(s) }
        if let reason {
            let text = reason.prefix(255)
            w.write(UInt8(text.count))
            w.write(bytes: text)
            w.pad(toMultipleOf: 4)
        }
    }
}
