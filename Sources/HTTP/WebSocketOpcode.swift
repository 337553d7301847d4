/// Frame opcodes (RFC 6455 §5.2, §11.8); the reserved values 3-7 and 0xB-0xF are not cases, so a
/// frame carrying one fails to parse.
public enum WebSocketOpcode: UInt8, Sendable, Equatable {
    case continuation = 0x0
    case text = 0x1
    case binary = 0x2
    case close = 0x8
    case ping = 0x9
    case pong = 0xA

    /// Close, ping and pong: at most 125 payload bytes and never fragmented (§5.5).
    public var isControl: Bool { rawValue & 0x8 != 0 }
}

/// A close status code (RFC 6455 §7.4).
public struct WebSocketCloseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let normalClosure = Self(1000)
    public static let goingAway = Self(1001)
    public static let protocolError = Self(1002)
    public static let unsupportedData = Self(1003)
    /// Reported locally when a close frame had no code; never sent.
    public static let noStatusReceived = Self(1005)
    /// Reported locally when the connection dropped without a close frame; never sent.
    public static let abnormalClosure = Self(1006)
    public static let invalidPayloadData = Self(1007)
    public static let policyViolation = Self(1008)
    public static let messageTooBig = Self(1009)
    public static let mandatoryExtension = Self(1010)
    public static let internalError = Self(1011)

    /// Whether the code may appear in a close frame on the wire (§7.4.1, §7.4.2 and the IANA
    /// registry's 1012-1014); 1005, 1006, 1015 and unassigned codes below 3000 may not.
    public var isValidOnWire: Bool {
        switch rawValue {
        case 1000...1003, 1007...1014, 3000...4999: return true
        default: return false
        }
    }

    public var description: String { "\(rawValue)" }
}
