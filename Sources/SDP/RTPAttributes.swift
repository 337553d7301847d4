import MediaCore

/// `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]` (RFC 8866 §6.6).
public struct RTPMap: Sendable, Hashable {
    public var payloadType: UInt8
    public var encodingName: String
    public var clockRate: UInt32
    public var channels: UInt8?

    public init(payloadType: UInt8, encodingName: String, clockRate: UInt32, channels: UInt8? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }

    public init(parsing value: Substring) throws(ParseError) {
        guard let space = firstIndex(of: UInt8(ascii: " "), in: value), let pt = parseDecimal(value[..<space], as: UInt8.self), pt < 128 else {
            throw .attribute("rtpmap", "bad payload type")
        }
        let parts = splitBytes(value[value.index(after: space)...], UInt8(ascii: "/"))
        guard parts.count == 2 || parts.count == 3, isToken(parts[0]),
              let rate = parseDecimal(parts[1], as: UInt32.self), rate > 0 else {
            throw .attribute("rtpmap", "expected <name>/<clock rate>[/<channels>]")
        }
        payloadType = pt
        encodingName = String(parts[0])
        clockRate = rate
        if parts.count == 3 {
            guard let ch = parseDecimal(parts[2], as: UInt8.self), ch > 0 else { throw .attribute("rtpmap", "bad channel count") }
            channels = ch
        } else {
            channels = nil
        }
    }

    public var sdpValue: String {
        "\(payloadType) \(encodingName)/\(clockRate)" + (channels.map { "/\($0)" } ?? "")
    }
}

/// `a=fmtp:<payload type> <parameters>` (RFC 8866 §6.15): the parameter text kept as written,
/// with a `key=value;…` view for the codecs that use that form (Opus, RFC 7587).
public struct FormatParameters: Sendable, Hashable {
    public var payloadType: UInt8
    /// Everything after the payload type and its space.
    public var parameters: String

    public init(payloadType: UInt8, parameters: String) {
        self.payloadType = payloadType
        self.parameters = parameters
    }

    public init(parsing value: Substring) throws(ParseError) {
        guard let space = firstIndex(of: UInt8(ascii: " "), in: value), let pt = parseDecimal(value[..<space], as: UInt8.self), pt < 128 else {
            throw .attribute("fmtp", "bad payload type")
        }
        payloadType = pt
        parameters = String(value[value.index(after: space)...])
    }

    /// `key=value` pairs split on `;` (spaces around them trimmed); a bare item has an empty value.
    public var pairs: [(name: Substring, value: Substring)] {
        splitBytes(parameters[...], UInt8(ascii: ";"), omittingEmpty: true).map { item in
            let trimmed = Substring(item.utf8.drop { $0 == UInt8(ascii: " ") })
            if let eq = firstIndex(of: UInt8(ascii: "="), in: trimmed) {
                let rest = trimmed[trimmed.index(after: eq)...]
                return (trimmed[..<eq], Substring(rest.utf8.prefix { $0 != UInt8(ascii: " ") }))
            }
            return (Substring(trimmed.utf8.prefix { $0 != UInt8(ascii: " ") }), "")
        }
    }

    /// The value of `name` (case-insensitive, RFC 7587 §6), nil when absent.
    public func value(_ name: String) -> Substring? {
        pairs.first { equalsIgnoringCase($0.name, name) }?.value
    }

    public var sdpValue: String { "\(payloadType) \(parameters)" }
}

/// Opus format parameters (RFC 7587 §6.1) that the audio path uses. Each is what the sender of the
/// SDP wants to *receive* (`stereo`, `useinbandfec`, `usedtx`, `maxaveragebitrate`) or will send
/// (`sprop-stereo`).
public struct OpusParameters: Sendable, Hashable {
    public var minptime: UInt32?
    public var useInbandFEC: Bool?
    public var useDTX: Bool?
    public var stereo: Bool?
    public var spropStereo: Bool?
    public var maxAverageBitrate: UInt32?
    public var maxPlaybackRate: UInt32?

    public init(minptime: UInt32? = nil, useInbandFEC: Bool? = nil, useDTX: Bool? = nil, stereo: Bool? = nil,
                spropStereo: Bool? = nil, maxAverageBitrate: UInt32? = nil, maxPlaybackRate: UInt32? = nil) {
        self.minptime = minptime
        self.useInbandFEC = useInbandFEC
        self.useDTX = useDTX
        self.stereo = stereo
        self.spropStereo = spropStereo
        self.maxAverageBitrate = maxAverageBitrate
        self.maxPlaybackRate = maxPlaybackRate
    }

    /// Reads the known keys; unknown keys are ignored, a known key with a bad value throws.
    public init(_ fmtp: FormatParameters) throws(ParseError) {
        func flag(_ key: String) throws(ParseError) -> Bool? {
            guard let v = fmtp.value(key) else { return nil }
            switch v {
            case "1": return true
            case "0": return false
            default: throw .attribute("fmtp", "\(key) must be 0 or 1")
            }
        }
        func number(_ key: String) throws(ParseError) -> UInt32? {
            guard let v = fmtp.value(key) else { return nil }
            guard let n = parseDecimal(v, as: UInt32.self) else { throw .attribute("fmtp", "\(key) must be a number") }
            return n
        }
        self.init(minptime: try number("minptime"), useInbandFEC: try flag("useinbandfec"), useDTX: try flag("usedtx"),
                  stereo: try flag("stereo"), spropStereo: try flag("sprop-stereo"),
                  maxAverageBitrate: try number("maxaveragebitrate"), maxPlaybackRate: try number("maxplaybackrate"))
    }

    /// The `key=value;…` text, in RFC 7587's order; empty when nothing is set.
    public var parameterText: String {
        var items: [String] = []
        if let v = minptime { items.append("minptime=\(v)") }
        if let v = useInbandFEC { items.append("useinbandfec=\(v ? 1 : 0)") }
        if let v = useDTX { items.append("usedtx=\(v ? 1 : 0)") }
        if let v = stereo { items.append("stereo=\(v ? 1 : 0)") }
        if let v = spropStereo { items.append("sprop-stereo=\(v ? 1 : 0)") }
        if let v = maxAverageBitrate { items.append("maxaveragebitrate=\(v)") }
        if let v = maxPlaybackRate { items.append("maxplaybackrate=\(v)") }
        return items.joined(separator: ";")
    }
}

/// `a=rtcp-fb:<payload type or *> <type> [<parameter>]` (RFC 4585 §4.2).
public struct RTCPFeedback: Sendable, Hashable {
    /// nil for `*` (every payload type).
    public var payloadType: UInt8?
    public var type: String
    public var parameter: String?

    public init(parsing value: Substring) throws(ParseError) {
        let f = splitBytes(value, UInt8(ascii: " "), maxSplits: 2)
        guard f.count >= 2, isToken(f[1]) else { throw .attribute("rtcp-fb", "expected <pt> <type>") }
        if f[0] == "*" {
            payloadType = nil
        } else {
            guard let pt = parseDecimal(f[0], as: UInt8.self), pt < 128 else { throw .attribute("rtcp-fb", "bad payload type") }
            payloadType = pt
        }
        type = String(f[1])
        parameter = f.count == 3 ? String(f[2]) : nil
    }
}

/// `a=extmap:<id>[/<direction>] <uri> [<attributes>]` (RFC 8285 §7).
public struct ExtMap: Sendable, Hashable {
    /// RFC 6464 client-to-mixer audio level.
    public static let ssrcAudioLevelURI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"

    public var id: UInt16
    public var direction: MediaDirection?
    public var uri: String
    public var extensionAttributes: String?

    public init(id: UInt16, direction: MediaDirection? = nil, uri: String, extensionAttributes: String? = nil) {
        self.id = id
        self.direction = direction
        self.uri = uri
        self.extensionAttributes = extensionAttributes
    }

    public init(parsing value: Substring) throws(ParseError) {
        let f = splitBytes(value, UInt8(ascii: " "), maxSplits: 2)
        guard f.count >= 2, isVisible(f[1]) else { throw .attribute("extmap", "expected <id> <uri>") }
        let idField = f[0]
        if let slash = firstIndex(of: UInt8(ascii: "/"), in: idField) {
            guard let d = MediaDirection(rawValue: String(idField[idField.index(after: slash)...])) else {
                throw .attribute("extmap", "bad direction")
            }
            direction = d
            guard let i = parseDecimal(idField[..<slash], as: UInt16.self) else { throw .attribute("extmap", "bad id") }
            id = i
        } else {
            guard let i = parseDecimal(idField, as: UInt16.self) else { throw .attribute("extmap", "bad id") }
            id = i
            direction = nil
        }
        // RFC 8285: 1-14 one-byte, 1-255 two-byte, 4096-4351 for SDP-only negotiation.
        guard (1...255).contains(id) || (4096...4351).contains(id) else { throw .attribute("extmap", "id out of range") }
        uri = String(f[1])
        extensionAttributes = f.count == 3 ? String(f[2]) : nil
    }

    public var sdpValue: String {
        "\(id)" + (direction.map { "/\($0.rawValue)" } ?? "") + " \(uri)" + (extensionAttributes.map { " \($0)" } ?? "")
    }
}

/// `a=ssrc:<ssrc> <attribute>[:<value>]` (RFC 5576 §4.1), e.g. `cname`, `msid`.
public struct SSRCAttribute: Sendable, Hashable {
    public var ssrc: UInt32
    public var name: String
    public var value: String?

    public init(ssrc: UInt32, name: String, value: String?) {
        self.ssrc = ssrc
        self.name = name
        self.value = value
    }

    public init(parsing value: Substring) throws(ParseError) {
        guard let space = firstIndex(of: UInt8(ascii: " "), in: value), let s = parseDecimal(value[..<space], as: UInt32.self) else {
            throw .attribute("ssrc", "bad ssrc")
        }
        let rest = value[value.index(after: space)...]
        ssrc = s
        if let colon = firstIndex(of: UInt8(ascii: ":"), in: rest) {
            name = String(rest[..<colon])
            self.value = String(rest[rest.index(after: colon)...])
        } else {
            name = String(rest)
            self.value = nil
        }
        guard isToken(name) else { throw .attribute("ssrc", "bad attribute name") }
    }

    public var sdpValue: String { "\(ssrc) \(name)" + (value.map { ":\($0)" } ?? "") }
}

/// `a=msid:<stream id> [<track id>]` (RFC 8830 §2).
public struct MSID: Sendable, Hashable {
    public var streamID: String
    public var trackID: String?

    public init(streamID: String, trackID: String? = nil) {
        self.streamID = streamID
        self.trackID = trackID
    }

    public init(parsing value: Substring) throws(ParseError) {
        let f = fields(value)
        guard f.count == 1 || f.count == 2, f.allSatisfy({ isVisible($0) }) else { throw .attribute("msid", "expected <stream id> [<track id>]") }
        streamID = String(f[0])
        trackID = f.count == 2 ? String(f[1]) : nil
    }

    public var sdpValue: String { streamID + (trackID.map { " \($0)" } ?? "") }
}

/// Media direction attributes (RFC 8866 §6.7), always from the point of view of the SDP's author.
public enum MediaDirection: String, Sendable, Hashable, CaseIterable {
    case sendrecv, sendonly, recvonly, inactive

    public init(sends: Bool, receives: Bool) {
        switch (sends, receives) {
        case (true, true): self = .sendrecv
        case (true, false): self = .sendonly
        case (false, true): self = .recvonly
        case (false, false): self = .inactive
        }
    }

    public var sends: Bool { self == .sendrecv || self == .sendonly }
    public var receives: Bool { self == .sendrecv || self == .recvonly }
    /// The direction the other side sees (sendonly ↔ recvonly).
    public var reversed: MediaDirection { MediaDirection(sends: receives, receives: sends) }
}
