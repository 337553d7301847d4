/// SCTP payload protocol identifiers of WebRTC data channels (RFC 8831 §8, RFC 8832 §8.1).
/// On the wire (and in usrsctp) they are 32-bit, network byte order.
public struct PayloadProtocolIdentifier: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// DCEP control messages.
    public static let dcep = PayloadProtocolIdentifier(rawValue: 50)
    public static let string = PayloadProtocolIdentifier(rawValue: 51)
    /// Deprecated partial binary (RFC 8831 §6.6): understood on receipt, never sent.
    public static let binaryPartial = PayloadProtocolIdentifier(rawValue: 52)
    public static let binary = PayloadProtocolIdentifier(rawValue: 53)
    /// Deprecated partial string: understood on receipt, never sent.
    public static let stringPartial = PayloadProtocolIdentifier(rawValue: 54)
    /// An empty string, sent as one 0x00 byte because SCTP cannot carry empty user messages.
    public static let stringEmpty = PayloadProtocolIdentifier(rawValue: 56)
    /// An empty binary message, likewise one 0x00 byte.
    public static let binaryEmpty = PayloadProtocolIdentifier(rawValue: 57)

    /// Whether a message with this PPID is text (51, 54, 56).
    public var isString: Bool { self == .string || self == .stringPartial || self == .stringEmpty }
    /// Whether it is binary data (52, 53, 57).
    public var isBinary: Bool { self == .binary || self == .binaryPartial || self == .binaryEmpty }
    /// Whether the payload is the placeholder byte of an empty message.
    public var isEmptyMessage: Bool { self == .stringEmpty || self == .binaryEmpty }
    /// Whether this is one of the deprecated fragment PPIDs (the sender used them to split a
    /// message itself; the receiver concatenates until a non-partial PPID).
    public var isDeprecatedPartial: Bool { self == .binaryPartial || self == .stringPartial }

    /// The PPID to send user data with: 56/57 when empty, else 51/53.
    public static func forSending(isString: Bool, isEmpty: Bool) -> PayloadProtocolIdentifier {
        switch (isString, isEmpty) {
        case (true, true): return .stringEmpty
        case (true, false): return .string
        case (false, true): return .binaryEmpty
        case (false, false): return .binary
        }
    }

    public var description: String {
        switch self {
        case .dcep: return "WebRTC DCEP"
        case .string: return "WebRTC String"
        case .binaryPartial: return "WebRTC Binary Partial (deprecated)"
        case .binary: return "WebRTC Binary"
        case .stringPartial: return "WebRTC String Partial (deprecated)"
        case .stringEmpty: return "WebRTC String Empty"
        case .binaryEmpty: return "WebRTC Binary Empty"
        default: return "PPID \(rawValue)"
        }
    }
}
