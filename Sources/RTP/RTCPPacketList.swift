import MediaCore

/// The packets of a compound RTCP datagram. Parsed, it is a view of the datagram: the parse
/// checks every packet (header, length, body) once, and each packet is decoded again from its
/// bytes when read, so a receiver that reads only the reports pays for no array of packets and
/// for nothing it skips. Built from values, it holds them.
public struct RTCPPacketList: Collection, Equatable, Sendable {
    @usableFromInline enum Storage: Sendable {
        /// Whole packets back to back, every one checked by `init(parsing:errorBase:)`.
        case wire(ArraySlice<UInt8>)
        case values([RTCPPacket])
    }

    @usableFromInline let storage: Storage
    /// The number of packets (known from the parse; reading it walks nothing).
    public let count: Int

    public init(_ packets: [RTCPPacket]) {
        storage = .values(packets)
        count = packets.count
    }

    /// Checks that the packets tile `wire` exactly and that each body decodes; the decoded
    /// values are dropped (reading decodes them again). At least one packet is required.
    @inlinable init(parsing wire: ArraySlice<UInt8>, errorBase: Int) throws(ParseError) {
        var i = wire.startIndex
        var n = 0
        while i < wire.endIndex {
            let frame = try RTCPPacket.frame(at: i, in: wire, errorBase: errorBase)
            _ = try RTCPPacket(packet: wire[i ..< frame.bodyEnd])
            n &+= 1
            i = frame.end
        }
        guard n > 0 else { throw .truncated(offset: i &- errorBase, needed: 4) }
        storage = .wire(wire)
        count = n
    }

    /// A position: a byte index of the datagram for a parsed list, an array index for a built one.
    public struct Index: Comparable, Sendable {
        @usableFromInline let offset: Int
        @inlinable init(offset: Int) { self.offset = offset }
        @inlinable public static func < (a: Index, b: Index) -> Bool { a.offset < b.offset }
    }

    @inlinable public var startIndex: Index {
        switch storage {
        case .wire(let wire): return Index(offset: wire.startIndex)
        case .values: return Index(offset: 0)
        }
    }
    @inlinable public var endIndex: Index {
        switch storage {
        case .wire(let wire): return Index(offset: wire.endIndex)
        case .values(let values): return Index(offset: values.count)
        }
    }
    @inlinable public var isEmpty: Bool { count == 0 }

    /// The packet at `i` and the index after it; nil at the end. For a parsed list the decode
    /// cannot fail (the parse ran the same decoder over the same bytes); if it did, the walk
    /// would end there rather than trap.
    @inlinable @inline(__always) func element(at i: Index) -> (packet: RTCPPacket, next: Index)? {
        switch storage {
        case .wire(let wire):
            guard i.offset < wire.endIndex,
                  let frame = try? RTCPPacket.frame(at: i.offset, in: wire, errorBase: wire.startIndex),
                  let value = try? RTCPPacket(packet: wire[i.offset ..< frame.bodyEnd]) else { return nil }
            return (value, Index(offset: frame.end))
        case .values(let values):
            guard i.offset >= 0, i.offset < values.count else { return nil }
            return (values[i.offset], Index(offset: i.offset &+ 1))
        }
    }

    @inlinable public func index(after i: Index) -> Index {
        switch storage {
        case .wire(let wire):
            // A valid index starts a whole packet; anything else steps to the end, not a trap.
            guard i.offset >= wire.startIndex, wire.endIndex &- i.offset >= 4 else { return endIndex }
            let length = Int(wire.bigEndianUInt32(at: i.offset) & 0xFFFF) &* 4
            return Index(offset: Swift.min(i.offset &+ 4 &+ length, wire.endIndex))
        case .values:
            return Index(offset: i.offset &+ 1)
        }
    }

    /// An index not from this list is a caller bug, as for any collection.
    @inlinable public subscript(i: Index) -> RTCPPacket {
        guard let element = element(at: i) else { preconditionFailure("RTCPPacketList index out of range") }
        return element.packet
    }

    /// Decodes each packet once (the default iterator would find every packet's end twice).
    @inlinable public func makeIterator() -> Iterator { Iterator(list: self, index: startIndex) }

    public struct Iterator: IteratorProtocol, Sendable {
        @usableFromInline let list: RTCPPacketList
        @usableFromInline var index: Index
        @inlinable init(list: RTCPPacketList, index: Index) {
            self.list = list
            self.index = index
        }
        @inlinable public mutating func next() -> RTCPPacket? {
            guard let element = list.element(at: index) else { return nil }
            index = element.next
            return element.packet
        }
    }

    /// The last packet (a walk over the list: packets are found from the front).
    public var last: RTCPPacket? {
        if case .values(let values) = storage { return values.last }
        var last: RTCPPacket?
        for packet in self { last = packet }
        return last
    }

    /// Equal when the packets are, however each list holds them.
    @inlinable public static func == (a: RTCPPacketList, b: RTCPPacketList) -> Bool {
        a.count == b.count && a.elementsEqual(b)
    }
}
