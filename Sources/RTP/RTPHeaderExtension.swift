import MediaCore

/// The header extension of an RTP packet: a 16-bit profile value and data in 32-bit words.
/// RFC 8285 defines two element formats inside it, picked by the profile value:
///
/// One-byte (profile 0xBEDE): each element is `ID (4 bits) | L (4 bits)` then L+1 bytes; ID 0
/// is a padding byte, ID 15 stops processing.
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |       0xBE    |    0xDE       |           length=3            |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |  ID   | L=0   |     data      |  ID   |  L=1  |   data...
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Two-byte (profile 0x100 in the top 12 bits, 4 "appbits" below): `ID (8) | L (8)` then L
/// bytes; ID 0 is a padding byte.
///
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |       0x10    |    0x00       |           length=3            |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |      ID       |     L=0       |     ID        |     L=1       |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Elements are read lazily from `data` (no allocation); a malformed element ends the walk.
public struct RTPHeaderExtension: Equatable, Sendable {
    public static let oneByteProfile: UInt16 = 0xBEDE
    public static let twoByteProfile: UInt16 = 0x1000

    public var profile: UInt16
    /// The extension body (a multiple of 4 bytes when parsed).
    public var data: ArraySlice<UInt8>

    @inlinable public init(profile: UInt16, data: ArraySlice<UInt8>) {
        self.profile = profile
        self.data = data
    }

    @inlinable public var isOneByte: Bool { profile == Self.oneByteProfile }
    @inlinable public var isTwoByte: Bool { profile & 0xFFF0 == Self.twoByteProfile }

    /// The RFC 8285 elements; empty for any other profile.
    @inlinable public var elements: Elements { Elements(data: data, form: form) }

    /// The form the profile value selects.
    @inlinable public var form: Elements.Form { Elements.Form(profile: profile) }

    /// The data of the first element with `id`.
    @inlinable public func element(id: UInt8) -> ArraySlice<UInt8>? {
        Self.firstElement(id: id, in: data, from: data.startIndex, to: data.endIndex, form: form).map { data[$0] }
    }

    /// Where the data of the first element with `id` lies in `bytes[start ..< end]`, found by
    /// walking indices only (no slice is cut, so nothing is retained on the way).
    @inlinable static func firstElement(id: UInt8, in bytes: ArraySlice<UInt8>, from start: Int, to end: Int,
                                        form: Elements.Form) -> Range<Int>? {
        var index = start
        while let e = nextElement(in: bytes, at: &index, end: end, form: form) {
            if e.id == id { return e.data }
        }
        return nil
    }

    /// The element at or after `index` (padding bytes skipped) in `bytes[..<end]`: its ID and
    /// the bounds of its data; `index` moves past it. Nil at the end, for a profile without
    /// RFC 8285 elements, and at a reserved ID 15 or an element that overruns `end`, which end
    /// the walk. `start ... end` must lie inside `bytes` (the callers' invariant).
    @inlinable static func nextElement(in bytes: ArraySlice<UInt8>, at index: inout Int, end: Int,
                                       form: Elements.Form) -> (id: UInt8, data: Range<Int>)? {
        while index < end {
            let b = bytes[index]
            if b == 0 { index &+= 1; continue } // padding
            let id: UInt8, length: Int, start: Int
            switch form {
            case .none:
                return nil
            case .oneByte:
                guard b >> 4 != 15 else { index = end; return nil } // reserved: stop
                id = b >> 4
                length = Int(b & 0x0F) &+ 1
                start = index &+ 1
            case .twoByte:
                guard index &+ 1 < end else { index = end; return nil }
                id = b
                length = Int(bytes[index &+ 1])
                start = index &+ 2
            }
            guard start &+ length <= end else { index = end; return nil } // overruns: stop
            index = start &+ length
            return (id, start ..< index)
        }
        return nil
    }

    /// Builds an extension from elements, in the one-byte form when every element fits it (IDs
    /// 1–14, 1–16 bytes of data), else the two-byte form. Element data over 255 bytes or ID 0 is
    /// a caller bug.
    public init(elements: [RTPExtensionElement]) {
        let oneByte = elements.allSatisfy { (1...14).contains($0.id) && (1...16).contains($0.data.count) }
        var bytes: [UInt8] = []
        for e in elements {
            precondition(e.id != 0 && e.data.count <= 255, "RTP extension element out of range") // caller's values
            if oneByte {
                bytes.append(e.id << 4 | UInt8(e.data.count - 1))
            } else {
                bytes += [e.id, UInt8(e.data.count)]
            }
            bytes += e.data
        }
        while bytes.count % 4 != 0 { bytes.append(0) }
        self.init(profile: oneByte ? Self.oneByteProfile : Self.twoByteProfile, data: bytes[...])
    }

    /// A lazy walk over the elements of `data`.
    public struct Elements: Sequence, Sendable {
        public enum Form: Sendable {
            case oneByte, twoByte, none

            /// The form a header extension's profile value selects.
            @inlinable public init(profile: UInt16) {
                self = profile == RTPHeaderExtension.oneByteProfile ? .oneByte
                    : profile & 0xFFF0 == RTPHeaderExtension.twoByteProfile ? .twoByte : .none
            }
        }
        @usableFromInline let data: ArraySlice<UInt8>
        @usableFromInline let form: Form
        @inlinable init(data: ArraySlice<UInt8>, form: Form) {
            self.data = data
            self.form = form
        }
        @inlinable public func makeIterator() -> Iterator { Iterator(data: data, form: form, index: data.startIndex) }

        public struct Iterator: IteratorProtocol, Sendable {
            @usableFromInline let data: ArraySlice<UInt8>
            @usableFromInline let form: Form
            @usableFromInline var index: Int
            @inlinable init(data: ArraySlice<UInt8>, form: Form, index: Int) {
                self.data = data
                self.form = form
                self.index = index
            }

            @inlinable public mutating func next() -> RTPExtensionElement? {
                guard let e = RTPHeaderExtension.nextElement(in: data, at: &index, end: data.endIndex, form: form) else { return nil }
                return RTPExtensionElement(id: e.id, data: data[e.data])
            }
        }
    }
}

/// One RFC 8285 header extension element: the local identifier negotiated in SDP (`a=extmap`)
/// and its data.
public struct RTPExtensionElement: Equatable, Sendable {
    public var id: UInt8
    public var data: ArraySlice<UInt8>
    @inlinable public init(id: UInt8, data: ArraySlice<UInt8>) {
        self.id = id
        self.data = data
    }
}
