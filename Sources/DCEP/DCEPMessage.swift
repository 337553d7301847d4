import MediaCore

/// A Data Channel Establishment Protocol message (RFC 8832 §5), sent on the channel's own SCTP
/// stream with PPID 50.
public enum DCEPMessage: Equatable, Sendable {
    case open(DataChannelOpen)
    /// DATA_CHANNEL_ACK: the single byte 0x02.
    case ack

    public static let openType: UInt8 = 0x03
    public static let ackType: UInt8 = 0x02

    /// Parses one DCEP message. Bytes after a complete message are ignored.
    public init(parsing r: inout ByteReader) throws(ParseError) {
        let type = try r.peekUInt8()
        switch type {
        case Self.openType: self = .open(try DataChannelOpen(parsing: &r))
        case Self.ackType:
            _ = try r.readUInt8()
            self = .ack
        default: throw .invalidValue(field: "DCEP message type", reason: "0x\(String(type, radix: 16))")
        }
    }
    public init(parsing bytes: [UInt8]) throws(ParseError) {
        var r = ByteReader(bytes)
        try self.init(parsing: &r)
    }

    public func serialize(into w: inout ByteWriter) {
        switch self {
        case .open(let o): o.serialize(into: &w)
        case .ack: w.write(Self.ackType)
        }
    }
}

/// DATA_CHANNEL_OPEN (RFC 8832 §5.1):
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |  Message Type |  Channel Type |            Priority           |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                    Reliability Parameter                      |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |         Label Length          |       Protocol Length         |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     \                             Label                             /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     \                            Protocol                           /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Label and protocol must be valid UTF-8 (they become JavaScript strings at the peer);
/// anything else is rejected with a typed error rather than repaired.
public struct DataChannelOpen: Equatable, Sendable {
    public var channelType: DataChannelType
    /// RFC 8831 §6.4 / W3C `RTCPriorityType`: below normal 128, normal 256, high 512, extra high 1024.
    public var priority: UInt16
    public var label: String
    public var `protocol`: String

    public static let priorityBelowNormal: UInt16 = 128
    public static let priorityNormal: UInt16 = 256
    public static let priorityHigh: UInt16 = 512
    public static let priorityExtraHigh: UInt16 = 1024

    public init(channelType: DataChannelType, priority: UInt16 = priorityNormal, label: String, protocol: String = "") {
        self.channelType = channelType
        self.priority = priority
        self.label = label
        self.protocol = `protocol`
    }

    public init(parsing r: inout ByteReader) throws(ParseError) {
        let type = try r.readUInt8()
        guard type == DCEPMessage.openType else { throw .invalidValue(field: "DCEP message type", reason: "0x\(String(type, radix: 16)) is not OPEN") }
        let rawChannelType = try r.readUInt8()
        priority = try r.readUInt16()
        let parameter = try r.readUInt32()
        guard let channelType = DataChannelType(rawType: rawChannelType, reliabilityParameter: parameter) else {
            throw .invalidValue(field: "DCEP channel type", reason: "0x\(String(rawChannelType, radix: 16))")
        }
        self.channelType = channelType
        let labelLength = Int(try r.readUInt16()), protocolLength = Int(try r.readUInt16())
        label = try Self.utf8(try r.readBytes(labelLength), field: "DCEP label")
        `protocol` = try Self.utf8(try r.readBytes(protocolLength), field: "DCEP protocol")
    }

    static func utf8(_ bytes: ArraySlice<UInt8>, field: String) throws(ParseError) -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else { throw .invalidValue(field: field, reason: "not UTF-8") }
        return s
    }

    /// Writes the message. Label or protocol over 65535 bytes is cut to fit the length field
    /// (at a byte, so the peer would reject it: keep them short).
    public func serialize(into w: inout ByteWriter) {
        let label = Array(label.utf8.prefix(0xFFFF)), proto = Array(`protocol`.utf8.prefix(0xFFFF))
        w.write(DCEPMessage.openType)
        w.write(channelType.rawType)
        w.write(priority)
        w.write(channelType.reliabilityParameter)
        w.write(UInt16(label.count))
        w.write(UInt16(proto.count))
        w.write(bytes: label)
        w.write(bytes: proto)
    }
}
