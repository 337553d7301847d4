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
    public var chunks: [Chunk]

    public init(chunks: [Chunk]) { self.chunks = Array(chunks.prefix(31)) }

    /// One source and its items.
    public struct Chunk: Equatable, Sendable {
        public var source: UInt32
        public var items: [SDESItem]
        public init(source: UInt32, items: [SDESItem]) {
            self.source = source
            self.items = items
        }
        /// The CNAME of this source, if carried.
        public var cname: ArraySlice<UInt8>? { items.first { $0.type == SDESItem.cname }?.value }
    }

    init(count: UInt8, body r: inout ByteReader) throws(ParseError) {
        chunks = []
        chunks.reserveCapacity(Int(count))
        for _ in 0..<count {
            let source = try r.readUInt32()
            var items: [SDESItem] = []
            while true {
                let type = try r.readUInt8()
                if type == 0 { break }
                let length = Int(try r.readUInt8())
                items.append(SDESItem(type: type, value: try r.readBytes(length)))
            }
            // The body starts word-aligned, so padding runs to the next multiple of 4 of offset.
            let misalignment = r.offset % 4
            if misalignment != 0 { try r.skip(4 - misalignment) }
            chunks.append(Chunk(source: source, items: items))
        }
    }

    func serializeBody(into w: inout ByteWriter) {
        for chunk in chunks.prefix(31) {
            w.write(chunk.source)
            for item in chunk.items where item.type != 0 {
                let value = item.value.prefix(255)
                w.write(item.type)
                w.write(UInt8(value.count))
                w.write(bytes: value)
            }
            w.write(UInt8(0))
            w.pad(toMultipleOf: 4)
        }
    }
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
