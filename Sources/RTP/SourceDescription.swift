import MediaCore

/// RTCP source description, PT=202 (RFC 3550 §6.5): SC chunks, each an SSRC/CSRC and a list of
/// items ended by a null octet and padded to a 32-bit boundary.
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |V=2|P|    SC   |  PT=SDES=202  |             length            |
///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///     |                          SSRC/CSRC_1                          |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |    CNAME=1    |     length    | user and domain name        ...
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |  ... items    |  0 (end)      |   padding to a 32-bit boundary |
///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///     |                          SSRC/CSRC_2  ...                     |
public struct SourceDescription: Equatable, Sendable {
    /// The packet: the header (its SC field counts the chunks), then whole chunks (anything the
    /// parser found after them left out).
    @usableFromInline var wire: ArraySlice<UInt8>

    /// At most 31 (the SC field); a view of the wire bytes when parsed.
    public var chunks: SDESChunkList {
        @inlinable get { SDESChunkList(wire: wire.dropFirst(4), count: Int(count)) }
        set { self = SourceDescription(chunks: newValue) }
    }

    /// Chunks past the 31st are dropped.
    public init(chunks: [Chunk]) { self.init(chunks: SDESChunkList(chunks)) }
    public init(chunks: SDESChunkList) {
        wire = RTCPPacket.storage(count: UInt8(chunks.count), type: RTCPPacket.sourceDescriptionType, body: chunks.wire)
    }

    /// One source and its items.
    public struct Chunk: Equatable, Sendable {
        public var source: UInt32
        /// A view of the wire bytes when parsed.
        public var items: SDESItemList
        /// Items of type 0 (the end marker) are dropped; values are cut to 255 bytes.
        public init(source: UInt32, items: [SDESItem]) {
            self.source = source
            self.items = SDESItemList(items)
        }
        public init(source: UInt32, items: SDESItemList) {
            self.source = source
            self.items = items
        }
        /// The CNAME of this source, if carried.
        @inlinable public var cname: ArraySlice<UInt8>? { items.value(of: SDESItem.cname) }
    }

    /// Checks that the body holds SC whole chunks, and keeps the header and those chunks.
    @inlinable @inline(__always) init(packet: ArraySlice<UInt8>) throws(ParseError) {
        let s = packet.startIndex
        let end = try SDESChunkList.end(ofChunks: packet[s] & 0x1F, in: packet[(s &+ 4)...])
        wire = packet[..<end]
    }

    /// The SC field.
    @inlinable var count: UInt8 { wire[wire.startIndex] & 0x1F }
    /// Everything after the header, as serialized.
    @inlinable var body: ArraySlice<UInt8> { wire.dropFirst(4) }

    /// Equal when the chunks are (padding bytes are not compared).
    @inlinable public static func == (a: SourceDescription, b: SourceDescription) -> Bool { a.chunks == b.chunks }
}

/// One SDES item. `value` is text (UTF-8) for the standard types; at most 255 bytes are sent.
public struct SDESItem: Equatable, Sendable {
    public var type: UInt8
    public var value: ArraySlice<UInt8>

    public init(type: UInt8, value: ArraySlice<UInt8>) {
        self.type = type
        self.value = value
    }
    public init(type: UInt8, text: String) { self.init(type: type, value: Array(text.utf8)[...]) }

    public static let cname: UInt8 = 1
    public static let name: UInt8 = 2
    public static let email: UInt8 = 3
    public static let phone: UInt8 = 4
    public static let location: UInt8 = 5
    public static let tool: UInt8 = 6
    public static let note: UInt8 = 7
    public static let privateExtension: UInt8 = 8

    public var text: String { String(decoding: value, as: UTF8.self) }
}
