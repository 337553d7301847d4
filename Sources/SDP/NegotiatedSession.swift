/// The outcome of an offer/answer exchange: what the ICE agent, DTLS endpoint, RTP session and
/// SCTP association need to start, all from our point of view.
public struct NegotiatedSession: Sendable, Equatable {
    /// DTLS role from `a=setup` (RFC 8842 §5): `active` is the DTLS client.
    public enum DTLSRole: Sendable, Hashable {
        case client, server
    }

    public var remoteICEUfrag: String
    public var remoteICEPwd: String
    public var remoteICELite: Bool
    public var remoteICEOptions: [String]
    /// Candidates from every accepted m-line, duplicates removed; may be empty (trickle, or a peer
    /// that will only be learned as peer-reflexive).
    public var remoteCandidates: [ICECandidate]
    public var remoteEndOfCandidates: Bool
    public var remoteFingerprints: [Fingerprint]
    /// Our `a=setup` (active or passive) and the DTLS role it implies.
    public var localSetup: SetupRole
    public var dtlsRole: DTLSRole
    /// The BUNDLE group in force (accepted mids, in order); empty without BUNDLE.
    public var bundleMids: [String]
    public var audio: NegotiatedAudio?
    public var data: NegotiatedData?
    /// m-lines we (answering) or they (answer to our offer) rejected, with why.
    public var rejected: [RejectedSection]
}

/// The audio stream as agreed.
public struct NegotiatedAudio: Sendable, Hashable {
    public var mid: String?
    /// Payload type both sides use for the main codec (the offerer's number).
    public var payloadType: UInt8
    public var codec: AudioCodec.Name
    public var clockRate: UInt32
    public var channels: UInt8
    /// Packet time to send, in ms: the remote `a=ptime` if given, else ours; never above its maxptime.
    public var ptime: UInt32
    public var remoteMaxptime: UInt32?
    /// The remote decoder takes in-band FEC (`useinbandfec=1`): our encoder should produce it.
    public var useInbandFEC: Bool
    /// The remote prefers DTX (`usedtx=1`).
    public var useDTX: Bool
    /// Remote Opus fmtp as read (nil for G.711 or when the remote sent none, as aiortc does).
    public var remoteOpus: OpusParameters?
    public var telephoneEventPayloadType: UInt8?
    public var telephoneEventClockRate: UInt32?
    /// What we do: send, receive, both or neither.
    public var direction: MediaDirection
    /// First SSRC the remote declared (`a=ssrc`), nil when it declares none.
    public var remoteSSRC: UInt32?
    public var remoteCNAME: String?
    public var remoteMSID: MSID?
    /// The ssrc-audio-level extension id both sides use, when negotiated.
    public var audioLevelExtensionID: UInt16?
}

/// The data channel transport as agreed.
public struct NegotiatedData: Sendable, Hashable {
    public var mid: String?
    public var localSCTPPort: UInt16
    /// `a=sctp-port`, 5000 when absent (RFC 8841 §5.2).
    public var remoteSCTPPort: UInt16
    /// `a=max-message-size`, 65536 when absent, 0 = any size (RFC 8841 §6.1).
    public var remoteMaxMessageSize: UInt64
    public var localMaxMessageSize: UInt64
}

/// An m-line left out of the session.
public struct RejectedSection: Sendable, Equatable {
    public var index: Int
    public var mid: String?
    public var media: String
    public var reason: NegotiationError
}
