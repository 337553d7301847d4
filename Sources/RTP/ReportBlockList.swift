import MediaCore

/// The report blocks of an SR or RR: a view of their wire bytes, 24 per block, decoded one at a
/// time when read. Parsing a report therefore allocates nothing for its blocks; building one
/// from values encodes them once (clamping cumulative loss to its 24 bits, RFC 3550 §6.4.1).
public struct ReportBlockList: RandomAccessCollection, Equatable, Sendable {
    public static let recordLength = 24
    /// The RC field is 5 bits.
    public static let maxCount = 31

    /// `count * 24` bytes.
    public let wire: ArraySlice<UInt8>

    @inlinable public init() { wire = [] }

    /// At most 31 blocks fit the RC field: the rest are dropped.
    public init(_ blocks: some Sequence<ReportBlock>) {
        var w = ByteWriter(capacity: Self.recordLength * 2)
        for b in blocks.prefix(Self.maxCount) { b.serialize(into: &w) }
        wire = w.bytes[...]
    }

    @inlinable init(wire: ArraySlice<UInt8>) { self.wire = wire }

    /// Throws unless `count` blocks fit in `available` bytes.
    @inlinable @inline(__always) static func check(count: UInt8, in available: Int) throws(ParseError) {
        guard available >= Int(count) &* Self.recordLength else { throw countError(count, bytes: available) }
    }

    @usableFromInline @inline(never) static func countError(_ count: UInt8, bytes: Int) -> ParseError {
        .invalidValue(field: "RTCP report count", reason: "\(count) blocks in \(bytes) bytes")
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { wire.count / Self.recordLength }
    @inlinable public var count: Int { wire.count / Self.recordLength }
    @inlinable public var isEmpty: Bool { wire.isEmpty }

    @inlinable public subscript(i: Int) -> ReportBlock {
        ReportBlock(wire: wire, at: wire.startIndex + i * Self.recordLength)
    }
}

extension ReportBlockList: ExpressibleByArrayLiteral {
    public init(arrayLiteral blocks: ReportBlock...) { self.init(blocks) }
}
