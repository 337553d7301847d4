import MediaCore

/// How one SDP line ended in the input. RFC 8866 says CRLF but allows LF alone; both are kept so
/// a parsed description serializes back to the same bytes.
public enum LineEnding: Sendable, Hashable {
    case crlf
    case lf
    /// The last line of an input that did not end with a line break.
    case none

    var bytes: [UInt8] {
        switch self {
        case .crlf: [0x0D, 0x0A]
        case .lf: [0x0A]
        case .none: []
        }
    }
}

/// One `<type>=<value>` line (RFC 8866 §5), stored verbatim so unknown lines survive a round trip.
public struct SDPLine: Sendable, Hashable {
    /// The type letter as an ASCII byte (`a`, `m`, `c`, …).
    public var type: UInt8
    /// Everything after `=`, without the line ending.
    public var value: String
    public var ending: LineEnding

    public init(type: Character, value: String, ending: LineEnding = .crlf) {
        self.type = type.asciiValue ?? UInt8(ascii: "x")
        self.value = value
        self.ending = ending
    }

    init(typeByte: UInt8, value: String, ending: LineEnding) {
        self.type = typeByte
        self.value = value
        self.ending = ending
    }

    /// An attribute line `a=<name>[:<value>]`.
    public static func attribute(_ name: String, _ value: String? = nil, ending: LineEnding = .crlf) -> SDPLine {
        SDPLine(typeByte: UInt8(ascii: "a"), value: value.map { "\(name):\($0)" } ?? name, ending: ending)
    }

    public var isAttribute: Bool { type == UInt8(ascii: "a") }

    /// For `a=` lines: the attribute name (before the first `:`).
    public var attributeName: Substring? {
        guard isAttribute else { return nil }
        if let colon = value.utf8.firstIndex(of: UInt8(ascii: ":")) { return value[..<colon] }
        return value[...]
    }

    /// For `a=` lines: the attribute value (after the first `:`), nil for a property attribute.
    public var attributeValue: Substring? {
        guard isAttribute, let colon = value.utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        return value[value.utf8.index(after: colon)...]
    }

    /// Whether this is an `a=` line named `name` (compared on bytes: hot in every lookup).
    @inlinable public func isAttribute(named name: StaticString) -> Bool {
        guard type == UInt8(ascii: "a") else { return false }
        return name.withUTF8Buffer { n in
            var it = value.utf8.makeIterator()
            for b in n { guard it.next() == b else { return false } }
            let next = it.next()
            return next == nil || next == UInt8(ascii: ":")
        }
    }

    func serialize(into w: inout ByteWriter) {
        w.write(type)
        w.write(UInt8(ascii: "="))
        w.write(bytes: value.utf8)
        w.write(bytes: ending.bytes)
    }
}
