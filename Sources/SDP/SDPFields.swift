import MediaCore

/// `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>` (RFC 8866 §5.2).
public struct Origin: Sendable, Hashable {
    public var username: String
    /// Decimal digits; kept as text because browsers use ids up to 2^63 and others go beyond.
    public var sessionID: String
    public var sessionVersion: String
    public var networkType: String
    public var addressType: String
    public var address: String

    public init(username: String = "-", sessionID: String, sessionVersion: String, networkType: String = "IN",
                addressType: String = "IP4", address: String = "127.0.0.1") {
        self.username = username
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    public init(parsing value: Substring) throws(ParseError) {
        let f = fields(value)
        guard f.count == 6 else { throw .invalidValue(field: "o=", reason: "expected 6 fields, got \(f.count)") }
        guard f.allSatisfy({ isVisible($0) }) else { throw .invalidValue(field: "o=", reason: "empty or invalid field") }
        guard f[1].utf8.allSatisfy(isDigit), f[2].utf8.allSatisfy(isDigit) else {
            throw .invalidValue(field: "o=", reason: "session id and version must be decimal")
        }
        (username, sessionID, sessionVersion) = (String(f[0]), String(f[1]), String(f[2]))
        (networkType, addressType, address) = (String(f[3]), String(f[4]), String(f[5]))
    }

    public var sdpValue: String { "\(username) \(sessionID) \(sessionVersion) \(networkType) \(addressType) \(address)" }
}

/// `m=<media> <port>[/<number of ports>] <proto> <fmt> ...` (RFC 8866 §5.14).
public struct MediaDescription: Sendable, Hashable {
    /// `audio`, `video`, `application`, …
    public var media: String
    /// 0 rejects the section (unless it is `a=bundle-only`, RFC 8843 §6).
    public var port: UInt16
    public var numberOfPorts: UInt16?
    /// `UDP/TLS/RTP/SAVPF`, `UDP/DTLS/SCTP`, …
    public var proto: String
    /// RTP payload types as text, or `webrtc-datachannel` for SCTP.
    public var formats: [String]

    public init(media: String, port: UInt16, numberOfPorts: UInt16? = nil, proto: String, formats: [String]) {
        self.media = media
        self.port = port
        self.numberOfPorts = numberOfPorts
        self.proto = proto
        self.formats = formats
    }

    public init(parsing value: Substring) throws(ParseError) {
        let f = fields(value)
        guard f.count >= 4 else { throw .invalidValue(field: "m=", reason: "expected media, port, proto and a format") }
        // proto = token *("/" token)
        guard isToken(f[0]), splitBytes(f[2], UInt8(ascii: "/")).allSatisfy(isToken) else {
            throw .invalidValue(field: "m=", reason: "bad media or proto token")
        }
        let portField = f[1]
        if let slash = firstIndex(of: UInt8(ascii: "/"), in: portField) {
            guard let p = parseDecimal(portField[..<slash], as: UInt16.self),
                  let count = parseDecimal(portField[portField.index(after: slash)...], as: UInt16.self) else {
                throw .invalidValue(field: "m=", reason: "bad port/number of ports")
            }
            port = p
            numberOfPorts = count
        } else {
            guard let p = parseDecimal(portField, as: UInt16.self) else { throw .invalidValue(field: "m=", reason: "bad port") }
            port = p
            numberOfPorts = nil
        }
        media = String(f[0])
        proto = String(f[2])
        var formats: [String] = []
        formats.reserveCapacity(f.count - 3)
        for fmt in f[3...] {
            guard isToken(fmt) else { throw .invalidValue(field: "m=", reason: "bad format token") }
            formats.append(String(fmt))
        }
        self.formats = formats
    }

    public var sdpValue: String {
        let ports = numberOfPorts.map { "\(port)/\($0)" } ?? "\(port)"
        return "\(media) \(ports) \(proto) \(formats.joined(separator: " "))"
    }

    /// RTP payload types of the format list (formats that are not 0-127 are skipped).
    public var payloadTypes: [UInt8] { formats.compactMap { parseDecimal($0[...], as: UInt8.self) }.filter { $0 < 128 } }

    /// DTLS-SRTP RTP profiles JSEP uses (RFC 8829 §5.1.2 / RFC 5764).
    public var isSecureRTP: Bool { proto == "UDP/TLS/RTP/SAVPF" || proto == "TCP/DTLS/RTP/SAVPF" || proto == "UDP/TLS/RTP/SAVP" }
    /// SCTP over DTLS as RFC 8841 spells it (not the legacy `DTLS/SCTP <port>` form).
    public var isDTLSSCTP: Bool { proto == "UDP/DTLS/SCTP" || proto == "TCP/DTLS/SCTP" }
}

/// `a=group:<semantics> <mid> ...` (RFC 5888).
public struct Group: Sendable, Hashable {
    public var semantics: String
    public var mids: [String]

    public init(semantics: String, mids: [String]) {
        self.semantics = semantics
        self.mids = mids
    }

    public init(parsing value: Substring) throws(ParseError) {
        let f = splitBytes(value, UInt8(ascii: " "), omittingEmpty: true)
        guard let first = f.first, isToken(first) else { throw .attribute("group", "missing semantics") }
        semantics = String(first)
        mids = f.dropFirst().map(String.init)
    }

    public var sdpValue: String { ([semantics] + mids).joined(separator: " ") }
}
