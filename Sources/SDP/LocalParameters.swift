/// An audio codec we can send and receive, with the payload type we offer it on.
public struct AudioCodec: Sendable, Hashable {
    public enum Name: Sendable, Hashable {
        /// RFC 7587: always `opus/48000/2` in SDP, whatever is actually sent.
        case opus
        /// G.711 µ-law, static payload type 0.
        case pcmu
        /// G.711 A-law, static payload type 8.
        case pcma
        /// RFC 4733 DTMF events.
        case telephoneEvent
    }

    public var name: Name
    public var payloadType: UInt8
    public var clockRate: UInt32
    public var channels: UInt8?
    /// The fmtp we send for this codec (Opus parameters, or `0-15` for telephone-event).
    public var formatParameters: String?

    public init(name: Name, payloadType: UInt8, clockRate: UInt32, channels: UInt8? = nil, formatParameters: String? = nil) {
        self.name = name
        self.payloadType = payloadType
        self.clockRate = clockRate
        self.channels = channels
        self.formatParameters = formatParameters
    }

    public static func opus(payloadType: UInt8 = 111,
                            parameters: OpusParameters = OpusParameters(minptime: 10, useInbandFEC: true)) -> AudioCodec {
        AudioCodec(name: .opus, payloadType: payloadType, clockRate: 48000, channels: 2,
                   formatParameters: parameters.parameterText.isEmpty ? nil : parameters.parameterText)
    }
    public static let pcmu = AudioCodec(name: .pcmu, payloadType: 0, clockRate: 8000)
    public static let pcma = AudioCodec(name: .pcma, payloadType: 8, clockRate: 8000)
    public static func telephoneEvent(payloadType: UInt8, clockRate: UInt32) -> AudioCodec {
        AudioCodec(name: .telephoneEvent, payloadType: payloadType, clockRate: clockRate, formatParameters: "0-15")
    }

    var encodingName: String {
        switch name {
        case .opus: "opus"
        case .pcmu: "PCMU"
        case .pcma: "PCMA"
        case .telephoneEvent: "telephone-event"
        }
    }

    public var rtpMap: RTPMap { RTPMap(payloadType: payloadType, encodingName: encodingName, clockRate: clockRate, channels: channels) }

    /// Whether a remote rtpmap is this codec (name case-insensitive, same clock; Opus must be /2).
    func matches(_ m: RTPMap) -> Bool {
        guard equalsIgnoringCase(m.encodingName, encodingName), m.clockRate == clockRate else { return false }
        switch name {
        case .opus: return m.channels == 2
        case .pcmu, .pcma: return m.channels == nil || m.channels == 1
        case .telephoneEvent: return true
        }
    }

    /// The static payload type RFC 3551 assigns, for offers that list 0/8 without an rtpmap.
    var staticPayloadType: UInt8? {
        switch name {
        case .pcmu: 0
        case .pcma: 8
        default: nil
        }
    }
}

/// Everything about our side that goes into an offer or answer. Pure data: the runtime fills it
/// from the ICE agent (credentials, candidates), the DTLS certificate (fingerprints) and config.
public struct LocalParameters: Sendable, Hashable {
    public var iceUfrag: String
    public var icePwd: String
    /// One line per hash; SHA-256 at least (RFC 8827 §6.5).
    public var fingerprints: [Fingerprint]
    /// Candidates to put in the SDP; the first component-1 candidate also gives the m-line's
    /// port and `c=` address (RFC 8839 §4.2.1.3), else `9` and `0.0.0.0` (JSEP §5.2.1).
    public var candidates: [ICECandidate]
    /// Write `a=end-of-candidates` (gathering is complete).
    public var endOfCandidates: Bool
    /// Write `a=ice-lite` (RFC 8445 §2.5): set for a server that only answers checks.
    public var iceLite: Bool
    /// Write `a=ice-options:trickle` (RFC 8840).
    public var trickle: Bool

    public var ssrc: UInt32
    public var cname: String
    public var msid: MSID
    /// Packet time we want to receive, in ms (`a=ptime`).
    public var ptime: UInt32
    public var maxptime: UInt32?
    /// Codecs in preference order; payload types are the ones we offer.
    public var codecs: [AudioCodec]
    /// What we want to do with audio: mirrored against the remote direction in answers.
    public var audioDirection: MediaDirection
    /// Id for the ssrc-audio-level header extension we offer (RFC 6464); nil to leave it out.
    public var audioLevelExtensionID: UInt16?

    public var sctpPort: UInt16
    /// What we accept in one data-channel message (RFC 8841 §6).
    public var maxMessageSize: UInt64

    /// Our `a=setup` when answering an `actpass` offer: `.active` (JSEP's default) or `.passive`.
    public var answererSetup: SetupRole

    public var sessionID: UInt64
    public var sessionVersion: UInt64
    public var audioMid: String
    public var dataMid: String
    public var offerAudio: Bool
    public var offerData: Bool
    /// Fail a negotiation whose audio m-line is missing or rejected (a voice engine needs it).
    public var requireAudio: Bool
    public var lineEnding: LineEnding

    /// Opus first (the voice codec), G.711 for telephony peers, DTMF at both clock rates.
    /// `askingForDTX` adds `usedtx=1` to Opus: we prefer the peer to send discontinuously.
    public static func defaultCodecs(askingForDTX: Bool = false) -> [AudioCodec] {
        let opus = AudioCodec.opus(parameters: OpusParameters(minptime: 10, useInbandFEC: true, useDTX: askingForDTX ? true : nil))
        return [opus, .pcmu, .pcma, .telephoneEvent(payloadType: 110, clockRate: 48000), .telephoneEvent(payloadType: 126, clockRate: 8000)]
    }

    public init(iceUfrag: String, icePwd: String, fingerprints: [Fingerprint], candidates: [ICECandidate] = [],
                endOfCandidates: Bool = true, iceLite: Bool = false, trickle: Bool = true,
                ssrc: UInt32, cname: String, msid: MSID, ptime: UInt32 = 20, maxptime: UInt32? = nil,
                codecs: [AudioCodec] = LocalParameters.defaultCodecs(),
                audioDirection: MediaDirection = .sendrecv, audioLevelExtensionID: UInt16? = 1,
                sctpPort: UInt16 = 5000, maxMessageSize: UInt64 = 262_144, answererSetup: SetupRole = .active,
                sessionID: UInt64, sessionVersion: UInt64 = 2, audioMid: String = "0", dataMid: String = "1",
                offerAudio: Bool = true, offerData: Bool = true, requireAudio: Bool = true, lineEnding: LineEnding = .crlf) {
        self.iceUfrag = iceUfrag
        self.icePwd = icePwd
        self.fingerprints = fingerprints
        self.candidates = candidates
        self.endOfCandidates = endOfCandidates
        self.iceLite = iceLite
        self.trickle = trickle
        self.ssrc = ssrc
        self.cname = cname
        self.msid = msid
        self.ptime = ptime
        self.maxptime = maxptime
        self.codecs = codecs
        self.audioDirection = audioDirection
        self.audioLevelExtensionID = audioLevelExtensionID
        self.sctpPort = sctpPort
        self.maxMessageSize = maxMessageSize
        self.answererSetup = answererSetup
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.audioMid = audioMid
        self.dataMid = dataMid
        self.offerAudio = offerAudio
        self.offerData = offerData
        self.requireAudio = requireAudio
        self.lineEnding = lineEnding
    }
}
