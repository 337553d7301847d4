/// The client-to-mixer audio level of RFC 6464 (`urn:ietf:params:rtp-hdrext:ssrc-audio-level`):
/// one byte, voice activity in the top bit and the level in -dBov (0 loudest, 127 silence).
///
///      0                   1
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |  ID   | len=0 |V| level       |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
public struct AudioLevel: Equatable, Sendable {
    public var voiceActivity: Bool
    /// 0...127, in -dBov.
    public var level: UInt8

    public init(voiceActivity: Bool, level: UInt8) {
        self.voiceActivity = voiceActivity
        self.level = min(level, 127)
    }

    /// From an extension element's data; nil unless it holds at least one byte (the two-byte
    /// form may pad it).
    @inlinable public init?(extensionData d: ArraySlice<UInt8>) {
        guard let b = d.first else { return nil }
        self.init(wire: b)
    }

    /// From the element's first data byte.
    @inlinable init(wire b: UInt8) {
        voiceActivity = b & 0x80 != 0
        level = b & 0x7F
    }

    public var extensionData: [UInt8] { [(voiceActivity ? 0x80 : 0) | (level & 0x7F)] }

    /// The element to put in a header extension under the negotiated `id`.
    public func element(id: UInt8) -> RTPExtensionElement { RTPExtensionElement(id: id, data: extensionData[...]) }
}

extension RTPPacket {
    /// The RFC 6464 audio level carried under extension `id`, if present. Read from the body in
    /// place: a per-packet lookup cuts no slice.
    @inlinable public func audioLevel(id: UInt8) -> AudioLevel? {
        guard let data = extensionElementBounds(id: id), !data.isEmpty else { return nil }
        return AudioLevel(wire: body[data.lowerBound])
    }
}
