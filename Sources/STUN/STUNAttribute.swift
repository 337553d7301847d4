import MediaCore

/// One STUN attribute, decoded where this module knows the type (RFC 8489 §14, RFC 8445 §16.1).
///
/// Text attributes (USERNAME, REALM, NONCE, SOFTWARE) keep their bytes: they are UTF-8 on the
/// wire, but a parser must not lose or repair what a peer sent (integrity covers the bytes).
public enum STUNAttribute: Hashable, Sendable {
    case mappedAddress(STUNAddress)
    case xorMappedAddress(STUNAddress)
    case username([UInt8])
    /// The 20-byte HMAC-SHA1 as received (or as computed when a message is built with a key).
    case messageIntegrity([UInt8])
    /// The truncated HMAC-SHA256 (16 to 32 bytes, a multiple of 4).
    case messageIntegritySHA256([UInt8])
    /// CRC-32 of the message up to this attribute, XOR 0x5354554E.
    case fingerprint(UInt32)
    case errorCode(STUNErrorCode)
    case unknownAttributes([STUNAttributeType])
    case realm([UInt8])
    case nonce([UInt8])
    case software([UInt8])
    /// ICE candidate priority (RFC 8445 §7.1.1).
    case priority(UInt32)
    /// ICE nomination flag (empty value).
    case useCandidate
    /// The 64-bit tie-breaker of an agent in the controlling role.
    case iceControlling(UInt64)
    /// The 64-bit tie-breaker of an agent in the controlled role.
    case iceControlled(UInt64)
    /// Any other attribute, kept as received. If its type is comprehension-required the message
    /// lists it in `unknownComprehensionRequired`.
    case other(type: STUNAttributeType, value: [UInt8])

    /// The attribute's type number.
    public var type: STUNAttributeType {
        switch self {
        case .mappedAddress: return .mappedAddress
        case .xorMappedAddress: return .xorMappedAddress
        case .username: return .username
        case .messageIntegrity: return .messageIntegrity
        case .messageIntegritySHA256: return .messageIntegritySHA256
        case .fingerprint: return .fingerprint
        case .errorCode: return .errorCode
        case .unknownAttributes: return .unknownAttributes
        case .realm: return .realm
        case .nonce: return .nonce
        case .software: return .software
        case .priority: return .priority
        case .useCandidate: return .useCandidate
        case .iceControlling: return .iceControlling
        case .iceControlled: return .iceControlled
        case .other(let t, _): return t
        }
    }

    /// USERNAME, REALM, NONCE or SOFTWARE as text (invalid UTF-8 repaired with U+FFFD).
    public var text: String? {
        switch self {
        case .username(let b), .realm(let b), .nonce(let b), .software(let b): return String(decoding: b, as: UTF8.self)
        default: return nil
        }
    }
}

/// ERROR-CODE (RFC 8489 §14.8): a code in 300–699 and a UTF-8 reason phrase.
public struct STUNErrorCode: Hashable, Sendable {
    /// Class × 100 + number, e.g. 420 (Unknown Attribute), 487 (Role Conflict).
    public var code: Int
    public var reason: [UInt8]

    public init(code: Int, reason: [UInt8]) {
        self.code = code
        self.reason = reason
    }
    public init(code: Int, reason: String) { self.init(code: code, reason: Array(reason.utf8)) }

    public static let badRequest = 400
    public static let unauthenticated = 401
    public static let unknownAttribute = 420
    public static let roleConflict = 487
    public static let serverError = 500
}

extension STUNAttribute {
    /// Decodes the value of an attribute of type `type`. Unknown types become `.other`.
    init(type: STUNAttributeType, value: ArraySlice<UInt8>, transactionID: STUNTransactionID) throws(ParseError) {
        func fixed(_ n: Int) throws(ParseError) {
            guard value.count == n else { throw .invalidValue(field: type.description, reason: "length \(value.count), expected \(n)") }
        }
        var r = ByteReader(value)
        switch type {
        case .mappedAddress: self = .mappedAddress(try STUNAddress(parsingValue: value, xor: nil))
        case .xorMappedAddress: self = .xorMappedAddress(try STUNAddress(parsingValue: value, xor: transactionID))
        case .username: self = .username(Array(value))
        case .messageIntegrity:
            try fixed(20)
            self = .messageIntegrity(Array(value))
        case .messageIntegritySHA256:
            guard value.count >= 16, value.count <= 32, value.count % 4 == 0 else {
                throw .invalidValue(field: type.description, reason: "length \(value.count)")
            }
            self = .messageIntegritySHA256(Array(value))
        case .fingerprint:
            try fixed(4)
            self = .fingerprint(try r.readUInt32())
        case .errorCode:
            //  0                   1                   2                   3
            //  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
            // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
            // |           Reserved, should be 0         |Class|     Number    |
            // +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
            // |      Reason Phrase (variable)                                ..
            let word = try r.readUInt32()
            let cls = Int((word >> 8) & 0x7), number = Int(word & 0xFF)
            guard (3...6).contains(cls), number < 100 else {
                throw .invalidValue(field: "ERROR-CODE", reason: "class \(cls) number \(number)")
            }
            self = .errorCode(STUNErrorCode(code: cls * 100 + number, reason: Array(r.readRemaining())))
        case .unknownAttributes:
            guard value.count % 2 == 0 else { throw .invalidValue(field: "UNKNOWN-ATTRIBUTES", reason: "odd length \(value.count)") }
            var types: [STUNAttributeType] = []
            while !r.isAtEnd { types.append(STUNAttributeType(try r.readUInt16())) }
            self = .unknownAttributes(types)
        case .realm: self = .realm(Array(value))
        case .nonce: self = .nonce(Array(value))
        case .software: self = .software(Array(value))
        case .priority:
            try fixed(4)
            self = .priority(try r.readUInt32())
        case .useCandidate:
            try fixed(0)
            self = .useCandidate
        case .iceControlling:
            try fixed(8)
            self = .iceControlling(try r.readUInt64())
        case .iceControlled:
            try fixed(8)
            self = .iceControlled(try r.readUInt64())
        default:
            self = .other(type: type, value: Array(value))
        }
    }

    /// Writes the value (no type/length header, no padding).
    func serializeValue(into w: inout ByteWriter, transactionID: STUNTransactionID) {
        switch self {
        case .mappedAddress(let a): a.serializeValue(into: &w, xor: nil)
        case .xorMappedAddress(let a): a.serializeValue(into: &w, xor: transactionID)
        case .username(let b), .realm(let b), .nonce(let b), .software(let b),
             .messageIntegrity(let b), .messageIntegritySHA256(let b), .other(_, let b):
            w.write(bytes: b)
        case .fingerprint(let v), .priority(let v): w.write(v)
        case .errorCode(let e):
            let code = max(0, e.code)
            w.write(UInt32((code / 100) & 0x7) << 8 | UInt32(code % 100))
            w.write(bytes: e.reason)
        case .unknownAttributes(let types):
            for t in types { w.write(t.rawValue) }
        case .useCandidate: break
        case .iceControlling(let v), .iceControlled(let v): w.write(v)
        }
    }
}
