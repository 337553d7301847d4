/// A STUN attribute type number (RFC 8489 §18.3, ICE's from RFC 8445 §16.1).
///
/// Types 0x0000–0x7FFF are comprehension-required: an agent that does not understand one must
/// reject the message (a server answers 420 with UNKNOWN-ATTRIBUTES). 0x8000–0xFFFF are
/// comprehension-optional and may be ignored.
public struct STUNAttributeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }
    @inlinable public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    @inlinable public var isComprehensionRequired: Bool { rawValue < 0x8000 }

    public static let mappedAddress = STUNAttributeType(0x0001)
    public static let username = STUNAttributeType(0x0006)
    public static let messageIntegrity = STUNAttributeType(0x0008)
    public static let errorCode = STUNAttributeType(0x0009)
    public static let unknownAttributes = STUNAttributeType(0x000A)
    public static let realm = STUNAttributeType(0x0014)
    public static let nonce = STUNAttributeType(0x0015)
    public static let messageIntegritySHA256 = STUNAttributeType(0x001C)
    public static let xorMappedAddress = STUNAttributeType(0x0020)
    public static let priority = STUNAttributeType(0x0024)
    public static let useCandidate = STUNAttributeType(0x0025)
    public static let software = STUNAttributeType(0x8022)
    public static let fingerprint = STUNAttributeType(0x8028)
    public static let iceControlled = STUNAttributeType(0x8029)
    public static let iceControlling = STUNAttributeType(0x802A)

    public var description: String {
        switch self {
        case .mappedAddress: return "MAPPED-ADDRESS"
        case .username: return "USERNAME"
        case .messageIntegrity: return "MESSAGE-INTEGRITY"
        case .errorCode: return "ERROR-CODE"
        case .unknownAttributes: return "UNKNOWN-ATTRIBUTES"
        case .realm: return "REALM"
        case .nonce: return "NONCE"
        case .messageIntegritySHA256: return "MESSAGE-INTEGRITY-SHA256"
        case .xorMappedAddress: return "XOR-MAPPED-ADDRESS"
        case .priority: return "PRIORITY"
        case .useCandidate: return "USE-CANDIDATE"
        case .software: return "SOFTWARE"
        case .fingerprint: return "FINGERPRINT"
        case .iceControlled: return "ICE-CONTROLLED"
        case .iceControlling: return "ICE-CONTROLLING"
        default: return "0x" + String(rawValue, radix: 16)
        }
    }
}
