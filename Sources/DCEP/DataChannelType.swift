/// Channel type and reliability parameter of DATA_CHANNEL_OPEN (RFC 8832 §5.1): ordering in
/// the top bit, the reliability policy in the low bits.
///
///     0x00 DATA_CHANNEL_RELIABLE                      0x80 …_RELIABLE_UNORDERED
///     0x01 DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT       0x81 …_PARTIAL_RELIABLE_REXMIT_UNORDERED
///     0x02 DATA_CHANNEL_PARTIAL_RELIABLE_TIMED        0x82 …_PARTIAL_RELIABLE_TIMED_UNORDERED
public struct DataChannelType: Hashable, Sendable {
    public enum Reliability: Hashable, Sendable {
        /// Every message is delivered (the reliability parameter is ignored, sent as 0).
        case reliable
        /// A message is retransmitted at most this many times (`maxRetransmits`).
        case partialRetransmit(maxRetransmits: UInt32)
        /// A message is retransmitted for at most this many milliseconds (`maxPacketLifeTime`).
        case partialTimed(lifetimeMilliseconds: UInt32)
    }

    public var ordered: Bool
    public var reliability: Reliability

    public init(ordered: Bool, reliability: Reliability) {
        self.ordered = ordered
        self.reliability = reliability
    }

    public static let reliable = DataChannelType(ordered: true, reliability: .reliable)
    public static let reliableUnordered = DataChannelType(ordered: false, reliability: .reliable)

    /// The channel type byte.
    public var rawType: UInt8 {
        let low: UInt8
        switch reliability {
        case .reliable: low = 0x00
        case .partialRetransmit: low = 0x01
        case .partialTimed: low = 0x02
        }
        return (ordered ? 0x00 : 0x80) | low
    }

    /// The reliability parameter field.
    public var reliabilityParameter: UInt32 {
        switch reliability {
        case .reliable: return 0
        case .partialRetransmit(let n), .partialTimed(let n): return n
        }
    }

    /// From the wire fields; nil for an unknown channel type.
    public init?(rawType: UInt8, reliabilityParameter: UInt32) {
        let reliability: Reliability
        switch rawType & 0x7F {
        case 0x00: reliability = .reliable
        case 0x01: reliability = .partialRetransmit(maxRetransmits: reliabilityParameter)
        case 0x02: reliability = .partialTimed(lifetimeMilliseconds: reliabilityParameter)
        default: return nil
        }
        self.init(ordered: rawType & 0x80 == 0, reliability: reliability)
    }
}
