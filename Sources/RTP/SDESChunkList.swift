import MediaCore

/// The chunks of an SDES packet: a view of their wire bytes (each an SSRC/CSRC, items, a null
/// octet, padding to a 32-bit boundary counted from the list's start), checked whole when
/// parsed and decoded one chunk at a time when read, so parsing allocates nothing.
public struct SDESChunkList: Collection, Equatable, Sendable {
    /// Whole chunks, starting word-aligned.
    public let wire: ArraySlice<UInt8>
    /// The number of chunks in `wire` (the SC field).
    public let count: Int

    @inlinable public init() {
        wire = []
        count = 0
    }

    /// Encodes the chunks; past the 31st (the SC field's limit) they are dropped.
    public init(_ chunks: [SourceDescription.Chunk]) {
        var w = ByteWriter(capacity: 32 * Swift.min(chunks.count, 31))
        for chunk in chunks.prefix(31) {
            w.write(chunk.source)
            w.write(bytes: chunk.items.wire)
            w.write(UInt8(0))
            w.pad(toMultipleOf: 4)
        }
        wire = w.bytes[...]
        count = Swift.min(chunks.count, 31)
    }

    /// `count` chunks, already checked whole, at the start of `wire`.
    @inlinable init(wire: ArraySlice<UInt8>, count: Int) {
        self.wire = wire
        self.count = count
    }

    /// The end of the first `count` whole chunks of `all` (the body of an SDES packet, which
    /// starts word-aligned); throws unless every one of them, padding included, is there.
    @inlinable @inline(__always) static func end(ofChunks count: UInt8, in all: ArraySlice<UInt8>) throws(ParseError) -> Int {
        var next = all.startIndex
        for k in 0 ..< Int(count) {
            guard let bounds = bounds(ofChunkAt: next, in: all) else { throw overrunError(chunk: k, of: count) }
            next = bounds.next
        }
        return next
    }

    @usableFromInline @inline(never) static func overrunError(chunk k: Int, of count: UInt8) -> ParseError {
        .invalidValue(field: "SDES chunk", reason: "chunk \(k + 1) of \(count) overruns the packet")
    }

    /// Where the items of the chunk starting at `start` end (at its null octet) and where the
    /// next chunk starts; nil unless `wire` holds the whole chunk, padding included.
    @inlinable static func bounds(ofChunkAt start: Int, in wire: ArraySlice<UInt8>) -> (itemsEnd: Int, next: Int)? {
        // Indices are array indices, far from overflow: wrapping arithmetic drops the checks.
        let end = wire.endIndex
        var i = start &+ 4
        while i < end {
            let type = wire[i]
            if type == 0 {
                let afterNull = i &+ 1
                let next = afterNull &+ (4 &- ((afterNull &- wire.startIndex) & 3)) & 3
                return next <= end ? (i, next) : nil
            }
            guard i &+ 1 < end else { return nil }
            i &+= 2 &+ Int(wire[i &+ 1])
        }
        return nil
    }

    public struct Index: Comparable, Sendable {
        @usableFromInline let offset: Int
        @inlinable init(offset: Int) { self.offset = offset }
        @inlinable public static func < (a: Index, b: Index) -> Bool { a.offset < b.offset }
    }

    @inlinable public var startIndex: Index { Index(offset: count == 0 ? wire.endIndex : wire.startIndex) }
    @inlinable public var endIndex: Index { Index(offset: wire.endIndex) }
    @inlinable public var isEmpty: Bool { count == 0 }

    @inlinable public func index(after i: Index) -> Index {
        Index(offset: Self.bounds(ofChunkAt: i.offset, in: wire)?.next ?? wire.endIndex)
    }

    @inlinable public subscript(i: Index) -> SourceDescription.Chunk {
        let s = i.offset
        let source = UInt32(wire[s]) << 24 | UInt32(wire[s + 1]) << 16 | UInt32(wire[s + 2]) << 8 | UInt32(wire[s + 3])
        let itemsEnd = Self.bounds(ofChunkAt: s, in: wire)?.itemsEnd ?? s + 4
        return SourceDescription.Chunk(source: source, items: SDESItemList(wire: wire[(s + 4) ..< itemsEnd]))
    }

    /// Walks the chunks once each (the default iterator would find every chunk's end twice).
    @inlinable public func makeIterator() -> Iterator { Iterator(wire: wire, offset: wire.startIndex, left: count) }

    public struct Iterator: IteratorProtocol, Sendable {
        @usableFromInline let wire: ArraySlice<UInt8>
        @usableFromInline var offset: Int
        @usableFromInline var left: Int
        @inlinable init(wire: ArraySlice<UInt8>, offset: Int, left: Int) {
            self.wire = wire
            self.offset = offset
            self.left = left
        }
        @inlinable public mutating func next() -> SourceDescription.Chunk? {
            guard left > 0, let bounds = SDESChunkList.bounds(ofChunkAt: offset, in: wire) else { return nil }
            let s = offset
            let source = UInt32(wire[s]) << 24 | UInt32(wire[s + 1]) << 16 | UInt32(wire[s + 2]) << 8 | UInt32(wire[s + 3])
            left -= 1
            offset = bounds.next
            return SourceDescription.Chunk(source: source, items: SDESItemList(wire: wire[(s + 4) ..< bounds.itemsEnd]))
        }
    }

    /// Equal when the chunks are (padding bytes are not compared).
    @inlinable public static func == (a: SDESChunkList, b: SDESChunkList) -> Bool {
        a.count == b.count && a.elementsEqual(b)
    }
}

/// The items of one SDES chunk: a view of their wire bytes (type, length, value; no null
/// octet), decoded one item at a time when read.
public struct SDESItemList: Collection, Equatable, Sendable {
    /// Whole items, back to back.
    public let wire: ArraySlice<UInt8>

    @inlinable init(wire: ArraySlice<UInt8>) { self.wire = wire }

    /// Encodes the items; type 0 (the end marker) is dropped and values are cut to 255 bytes.
    public init(_ items: [SDESItem]) {
        var w = ByteWriter(capacity: items.reduce(0) { $0 + 2 + Swift.min($1.value.count, 255) })
        for item in items where item.type != 0 {
            let value = item.value.prefix(255)
            w.write(item.type)
            w.write(UInt8(value.count))
            w.write(bytes: value)
        }
        wire = w.bytes[...]
    }

    public struct Index: Comparable, Sendable {
        @usableFromInline let offset: Int
        @inlinable init(offset: Int) { self.offset = offset }
        @inlinable public static func < (a: Index, b: Index) -> Bool { a.offset < b.offset }
    }

    @inlinable public var startIndex: Index { Index(offset: wire.startIndex) }
    @inlinable public var endIndex: Index { Index(offset: wire.endIndex) }

    /// The end of the item at `i`; past a truncated item (which the parser never lets in) the
    /// walk ends rather than traps.
    @inlinable func valueEnd(at i: Int) -> Int {
        guard i + 1 < wire.endIndex else { return wire.endIndex }
        return Swift.min(i + 2 + Int(wire[i + 1]), wire.endIndex)
    }

    @inlinable public func index(after i: Index) -> Index { Index(offset: valueEnd(at: i.offset)) }

    /// The value of the first item of `type`, found without decoding the others.
    @inlinable public func value(of type: UInt8) -> ArraySlice<UInt8>? {
        var i = wire.startIndex
        while i + 1 < wire.endIndex {
            let end = valueEnd(at: i)
            if wire[i] == type { return wire[(i + 2) ..< end] }
            i = end
        }
        return nil
    }

    @inlinable public subscript(i: Index) -> SDESItem {
        let s = i.offset
        return SDESItem(type: wire[s], value: wire[Swift.min(s + 2, wire.endIndex) ..< valueEnd(at: s)])
    }
}
