/// A STUN method: the 12-bit M field of the message type (RFC 8489 §5). Only Binding is used by
/// ICE; other values (TURN's, say) parse and round-trip unchanged.
public struct STUNMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 12-bit method number (M11..M0).
    public let rawValue: UInt16
    /// Keeps only the low 12 bits: the message type has no room for more.
    public init(rawValue: UInt16) { self.rawValue = rawValue & 0x0FFF }

    public static let binding = STUNMethod(rawValue: 0x001)

    public var description: String { self == .binding ? "Binding" : "method 0x\(String(rawValue, radix: 16))" }
}

/// The class of a STUN message: the C1 C0 bits of the message type (RFC 8489 §5).
public enum STUNClass: UInt8, Sendable, CaseIterable {
    case request = 0b00
    case indication = 0b01
    case successResponse = 0b10
    case errorResponse = 0b11
}

/// Method and class, interleaved on the wire as
///
///      0                 1
///      2  3  4 5 6 7 8 9 0 1 2 3 4 5
///     +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
///     |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
///     |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
///     +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// (the two most significant bits of the 16-bit field are always zero).
public struct STUNMessageType: Hashable, Sendable {
    public var method: STUNMethod
    public var messageClass: STUNClass

    @inlinable public init(method: STUNMethod, messageClass: STUNClass) {
        self.method = method
        self.messageClass = messageClass
    }

    /// Splits a 14-bit message type into method and class (the top two bits are ignored here;
    /// the message parser rejects them).
    public init(rawValue t: UInt16) {
        let m = (t & 0x000F) | ((t & 0x00E0) >> 1) | ((t & 0x3E00) >> 2)
        let c = ((t >> 4) & 0x1) | ((t >> 7) & 0x2)
        method = STUNMethod(rawValue: m)
        // c is two bits, and every two-bit value is a class.
        messageClass = STUNClass(rawValue: UInt8(c))!
    }

    /// The interleaved 16-bit field.
    public var rawValue: UInt16 {
        let m = method.rawValue, c = UInt16(messageClass.rawValue)
        return (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 0x1) << 4) | ((c & 0x2) << 7)
    }

    public static let bindingRequest = STUNMessageType(method: .binding, messageClass: .request)
    public static let bindingSuccess = STUNMessageType(method: .binding, messageClass: .successResponse)
    public static let bindingError = STUNMessageType(method: .binding, messageClass: .errorResponse)
    public static let bindingIndication = STUNMessageType(method: .binding, messageClass: .indication)
}
