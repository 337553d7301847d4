import MediaCore

/// A STUN message (RFC 8489 §5, §14): header and attributes, parsed and built without I/O.
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |0 0|     STUN Message Type     |         Message Length        |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                         Magic Cookie                          |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                                                               |
///     |                     Transaction ID (96 bits)                  |
///     |                                                               |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |         Type                  |            Length             |   each attribute,
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   padded to 4 bytes
///     |                         Value (variable)                ....
///
/// Parsing keeps the message's bytes (`raw`, a view of the input) so that MESSAGE-INTEGRITY and
/// FINGERPRINT can be checked later against exactly what was received: checks are explicit
/// (`verifyIntegrity(key:)`, `verifyFingerprint()`), because only the caller knows the key.
/// Two messages are equal when type, transaction id and attributes are; `raw` is not compared.
public struct STUNMessage: Sendable, Equatable {
    public static let magicCookie: UInt32 = 0x2112_A442
    public static let headerLength = 20

    public var type: STUNMessageType
    public var transactionID: STUNTransactionID
    /// In wire order. Attributes that follow MESSAGE-INTEGRITY (other than MESSAGE-INTEGRITY-SHA256
    /// and FINGERPRINT) or follow FINGERPRINT are ignored on parse, as RFC 8489 §14.5/§14.7 say.
    public var attributes: [STUNAttribute]
    /// The bytes the message was parsed from (empty when built in code).
    public private(set) var raw: ArraySlice<UInt8> = []
    /// Offsets in `raw` of the attribute headers that the checks need.
    var integrityOffset: Int?
    var integritySHA256Offset: Int?
    var fingerprintOffset: Int?

    public init(type: STUNMessageType, transactionID: STUNTransactionID, attributes: [STUNAttribute] = []) {
        self.type = type
        self.transactionID = transactionID
        self.attributes = attributes
    }

    public static func == (a: STUNMessage, b: STUNMessage) -> Bool {
        a.type == b.type && a.transactionID == b.transactionID && a.attributes == b.attributes
    }

    /// A cheap check for the RFC 7983 STUN range plus the magic cookie, before a full parse.
    public static func looksLikeSTUN<C: Collection>(_ datagram: C) -> Bool where C.Element == UInt8 {
        guard datagram.count >= headerLength else { return false }
        var i = datagram.startIndex
        guard datagram[i] & 0xC0 == 0 else { return false }
        i = datagram.index(i, offsetBy: 4)
        var cookie: UInt32 = 0
        for _ in 0..<4 { cookie = cookie << 8 | UInt32(datagram[i]); i = datagram.index(after: i) }
        return cookie == magicCookie
    }

    public init(parsing r: inout ByteReader) throws(ParseError) {
        let start = r.position
        let rawType = try r.readUInt16()
        guard rawType & 0xC000 == 0 else { throw .invalidValue(field: "STUN message type", reason: "top bits not zero") }
        let length = Int(try r.readUInt16())
        guard length % 4 == 0 else { throw .invalidValue(field: "STUN message length", reason: "\(length) is not a multiple of 4") }
        guard try r.readUInt32() == Self.magicCookie else { throw .invalidValue(field: "STUN magic cookie", reason: "mismatch") }
        let high = try r.readUInt32(), low = try r.readUInt64()
        let body = try r.readBytes(length)
        type = STUNMessageType(rawValue: rawType)
        transactionID = STUNTransactionID(high: high, low: low)
        raw = r.bytes[start ..< body.endIndex]
        attributes = []

        var a = ByteReader(body)
        var afterIntegrity = false, afterIntegritySHA256 = false, afterFingerprint = false
        while !a.isAtEnd {
            let offset = Self.headerLength + a.offset
            let attributeType = STUNAttributeType(try a.readUInt16())
            let valueLength = Int(try a.readUInt16())
            let value = try a.readBytes(valueLength)
            try a.skip((4 - valueLength % 4) % 4)
            if afterFingerprint { continue }
            if afterIntegritySHA256, attributeType != .fingerprint { continue }
            if afterIntegrity, attributeType != .fingerprint, attributeType != .messageIntegritySHA256 { continue }
            let attribute = try STUNAttribute(type: attributeType, value: value, transactionID: transactionID)
            switch attributeType {
            case .messageIntegrity: integrityOffset = offset; afterIntegrity = true
            case .messageIntegritySHA256: integritySHA256Offset = offset; afterIntegritySHA256 = true
            case .fingerprint: fingerprintOffset = offset; afterFingerprint = true
            default: break
            }
            attributes.append(attribute)
        }
    }

    public init(parsing bytes: [UInt8]) throws(ParseError) {
        var r = ByteReader(bytes)
        try self.init(parsing: &r)
    }

    /// Writes the message with its attributes as they are (integrity and fingerprint values
    /// included verbatim). Padding bytes are `padding` (RFC 8489 lets them be any value; RFC 5769's
    /// vectors use 0x20). To compute integrity and fingerprint use `serialize(into:integrityKey:…)`.
    public func serialize(into w: inout ByteWriter, padding: UInt8 = 0) {
        let start = writeHeader(into: &w)
        for attribute in attributes { Self.write(attribute, into: &w, transactionID: transactionID, padding: padding) }
        w.patch(UInt16(w.count - start - Self.headerLength), at: start + 2)
    }

    /// The attributes that have a comprehension-required type this module does not know: a
    /// server answers such a request with 420 and these in UNKNOWN-ATTRIBUTES.
    public var unknownComprehensionRequired: [STUNAttributeType] {
        attributes.compactMap {
            if case .other(let t, _) = $0, t.isComprehensionRequired { return t }
            return nil
        }
    }

    func writeHeader(into w: inout ByteWriter) -> Int {
        let start = w.count
        w.write(type.rawValue)
        w.write(UInt16(0)) // length, patched when known
        w.write(Self.magicCookie)
        w.write(transactionID.high)
        w.write(transactionID.low)
        return start
    }

    static func write(_ attribute: STUNAttribute, into w: inout ByteWriter, transactionID: STUNTransactionID, padding: UInt8) {
        w.write(attribute.type.rawValue)
        let lengthIndex = w.count
        w.write(UInt16(0))
        let valueStart = w.count
        attribute.serializeValue(into: &w, transactionID: transactionID)
        let n = w.count - valueStart
        w.patch(UInt16(truncatingIfNeeded: n), at: lengthIndex)
        for _ in 0..<((4 - n % 4) % 4) { w.write(padding) }
    }
}

extension STUNMessage {
    /// The first attribute of a type, if any.
    public func attribute(_ type: STUNAttributeType) -> STUNAttribute? { attributes.first { $0.type == type } }

    public var username: [UInt8]? {
        if case .username(let b)? = attribute(.username) { return b }
        return nil
    }
    public var priority: UInt32? {
        if case .priority(let v)? = attribute(.priority) { return v }
        return nil
    }
    public var useCandidate: Bool { attribute(.useCandidate) != nil }
    public var iceControlling: UInt64? {
        if case .iceControlling(let v)? = attribute(.iceControlling) { return v }
        return nil
    }
    public var iceControlled: UInt64? {
        if case .iceControlled(let v)? = attribute(.iceControlled) { return v }
        return nil
    }
    public var xorMappedAddress: STUNAddress? {
        if case .xorMappedAddress(let a)? = attribute(.xorMappedAddress) { return a }
        return nil
    }
    public var mappedAddress: STUNAddress? {
        if case .mappedAddress(let a)? = attribute(.mappedAddress) { return a }
        return nil
    }
    public var errorCode: STUNErrorCode? {
        if case .errorCode(let e)? = attribute(.errorCode) { return e }
        return nil
    }
    public var fingerprint: UInt32? {
        if case .fingerprint(let v)? = attribute(.fingerprint) { return v }
        return nil
    }
}
