/// The RFC 7983 (§7) first-byte demultiplexer for everything sharing one ICE 5-tuple. This is
/// the one place the table lives:
///
///                  +----------------+
///                  |        [0..3] -+--> forward to STUN
///                  |                |
///                  |      [16..19] -+--> forward to ZRTP
///                  |                |
///      packet -->  |      [20..63] -+--> forward to DTLS
///                  |                |
///                  |      [64..79] -+--> forward to TURN Channel
///                  |                |
///                  |    [128..191] -+--> forward to RTP/RTCP
///                  +----------------+
public enum PacketClass: Sendable, Equatable {
    case stun, zrtp, dtls, turnChannel, rtpOrRTCP
    /// Any other first byte (or an empty datagram): drop and count it.
    case unknown

    @inlinable public init(firstByte b: UInt8) {
        switch b {
        case 0...3: self = .stun
        case 16...19: self = .zrtp
        case 20...63: self = .dtls
        case 64...79: self = .turnChannel
        case 128...191: self = .rtpOrRTCP
        default: self = .unknown
        }
    }

    @inlinable public init<C: Collection>(datagram: C) where C.Element == UInt8 {
        guard let b = datagram.first else { self = .unknown; return }
        self.init(firstByte: b)
    }

    /// Within the RTP/RTCP range, RFC 5761 §4: payload types 64–95 (second byte with the
    /// marker bit masked, i.e. 192–223 as a whole byte) are RTCP when muxed.
    @inlinable public static func isRTCP<C: Collection>(_ datagram: C) -> Bool where C.Element == UInt8 {
        guard datagram.count >= 2 else { return false }
        let pt = datagram[datagram.index(after: datagram.startIndex)]
        return pt >= 192 && pt <= 223
    }
}
