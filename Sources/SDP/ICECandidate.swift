import MediaCore

/// An ICE candidate (RFC 8839 §5.1, TCP per RFC 6544 §4.5), parsed from the value of
/// `a=candidate:` or from a trickled `candidate:` string:
///
///     candidate:<foundation> <component-id> <transport> <priority> <connection-address> <port>
///               typ <cand-type> [raddr <rel-addr>] [rport <rel-port>] *(<extension-name> <extension-value>)
///
/// Extensions (`generation`, `network-id`, `ufrag`, `tcptype`, …) are kept in order.
public struct ICECandidate: Sendable, Hashable {
    public enum CandidateType: Sendable, Hashable {
        case host, srflx, prflx, relay
        case other(String)

        init(_ s: Substring) {
            switch s {
            case "host": self = .host
            case "srflx": self = .srflx
            case "prflx": self = .prflx
            case "relay": self = .relay
            default: self = .other(String(s))
            }
        }

        public var name: String {
            switch self {
            case .host: "host"
            case .srflx: "srflx"
            case .prflx: "prflx"
            case .relay: "relay"
            case .other(let s): s
            }
        }
    }

    /// RFC 6544 TCP candidate roles.
    public enum TCPType: String, Sendable, Hashable {
        case active, passive, so
    }

    public var foundation: String
    /// 1 = RTP, 2 = RTCP.
    public var component: UInt16
    /// As written (`udp`, `UDP`, `tcp`); compare with `isUDP` / `isTCP`.
    public var transport: String
    public var priority: UInt32
    /// IPv4, IPv6 or an FQDN (mDNS `.local` names included).
    public var address: String
    public var port: UInt16
    public var type: CandidateType
    public var relatedAddress: String?
    public var relatedPort: UInt16?
    /// Every name/value pair after the fixed fields and `raddr`/`rport`, in order (including `tcptype`).
    public var extensions: [Extension]

    public struct Extension: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(foundation: String, component: UInt16 = 1, transport: String = "udp", priority: UInt32,
                address: String, port: UInt16, type: CandidateType, relatedAddress: String? = nil,
                relatedPort: UInt16? = nil, tcpType: TCPType? = nil, extensions: [Extension] = []) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.port = port
        self.type = type
        self.relatedAddress = relatedAddress
        self.relatedPort = relatedPort
        self.extensions = extensions
        if let tcpType { self.tcpType = tcpType }
    }

    /// Parses `candidate:…`, `a=candidate:…` or the bare attribute value.
    public init(parsing text: Substring) throws(ParseError) {
        var value = text
        if value.hasPrefix("a=") { value = value.dropFirst(2) }
        if value.hasPrefix("candidate:") { value = value.dropFirst(10) }
        let f = fields(value)
        func fail(_ reason: String) -> ParseError { .attribute("candidate", reason) }
        guard f.count >= 8 else { throw fail("expected at least 8 fields") }
        guard f[0].utf8.count <= 32, isVisible(f[0]) else { throw fail("bad foundation") }
        guard let component = parseDecimal(f[1], as: UInt16.self), component >= 1, f[1].utf8.count <= 5 else { throw fail("bad component id") }
        guard isToken(f[2]) else { throw fail("bad transport") }
        guard let priority = parseDecimal(f[3], as: UInt32.self) else { throw fail("bad priority") }
        guard isVisible(f[4]) else { throw fail("bad connection address") }
        guard let port = parseDecimal(f[5], as: UInt16.self) else { throw fail("bad port") }
        guard f[6] == "typ", isToken(f[7]) else { throw fail("expected 'typ <type>'") }
        self.foundation = String(f[0])
        self.component = component
        self.transport = String(f[2])
        self.priority = priority
        self.address = String(f[4])
        self.port = port
        self.type = CandidateType(f[7])
        relatedAddress = nil
        relatedPort = nil
        extensions = []
        var i = 8
        if i + 1 < f.count, f[i] == "raddr" {
            guard isVisible(f[i + 1]) else { throw fail("bad raddr") }
            relatedAddress = String(f[i + 1])
            i += 2
        }
        if i + 1 < f.count, f[i] == "rport" {
            guard let rp = parseDecimal(f[i + 1], as: UInt16.self) else { throw fail("bad rport") }
            relatedPort = rp
            i += 2
        }
        guard (f.count - i) % 2 == 0 else { throw fail("extension without a value") }
        while i < f.count {
            guard isToken(f[i]), isVisible(f[i + 1]) else { throw fail("bad extension") }
            extensions.append(Extension(name: String(f[i]), value: String(f[i + 1])))
            i += 2
        }
        if let t = extensionValue("tcptype"), TCPType(rawValue: t) == nil { throw fail("bad tcptype") }
    }

    public var isUDP: Bool { equalsIgnoringCase(transport, "udp") }
    public var isTCP: Bool { equalsIgnoringCase(transport, "tcp") }

    public func extensionValue(_ name: String) -> String? { extensions.first { $0.name == name }?.value }

    /// The RFC 6544 role of a TCP candidate; setting it replaces (or appends) the `tcptype` extension.
    public var tcpType: TCPType? {
        get { extensionValue("tcptype").flatMap(TCPType.init(rawValue:)) }
        set {
            if let i = extensions.firstIndex(where: { $0.name == "tcptype" }) {
                if let newValue { extensions[i].value = newValue.rawValue } else { extensions.remove(at: i) }
            } else if let newValue {
                extensions.append(Extension(name: "tcptype", value: newValue.rawValue))
            }
        }
    }

    /// The attribute value (no `candidate:` prefix).
    public var sdpValue: String {
        var s = "\(foundation) \(component) \(transport) \(priority) \(address) \(port) typ \(type.name)"
        if let relatedAddress { s += " raddr \(relatedAddress)" }
        if let relatedPort { s += " rport \(relatedPort)" }
        for e in extensions { s += " \(e.name) \(e.value)" }
        return s
    }

    /// The trickle form: `candidate:<value>` (what `RTCIceCandidate.candidate` carries).
    public var candidateString: String { "candidate:" + sdpValue }

    /// RFC 8445 §5.1.2.1 priority: (2^24)·type preference + (2^8)·local preference + (256 − component).
    public static func priority(typePreference: UInt32, localPreference: UInt32, component: UInt16) -> UInt32 {
        (typePreference & 0x7F) << 24 | (localPreference & 0xFFFF) << 8 | (256 - UInt32(min(max(component, 1), 256))) & 0xFF
    }
}
