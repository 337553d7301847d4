import Engine
import MediaCore
import SCTP
import SRTP

/// The call's statistics, grouped and named as W3C getStats reports them.
public struct PeerConnectionStats: Sendable {
    /// `inbound-rtp`
    public struct InboundRTP: Sendable {
        public var packetsReceived: UInt64, bytesReceived: UInt64, packetsLost: Int64, jitter: Double
        public var jitterBufferDelay: Double, jitterBufferTargetDelay: Double, jitterBufferMinimumDelay: Double
        public var jitterBufferEmittedCount: Int
        public var concealedSamples: Int, silentConcealedSamples: Int, concealmentEvents: Int, totalSamplesReceived: Int
        public var insertedSamplesForDeceleration: Int, removedSamplesForAcceleration: Int
    }
    /// `media-playout`: how long decoded audio waited in the playout ring before the device took
    /// it (summed over samples, in seconds, as the W3C report does), for a device-clocked call.
    public struct MediaPlayout: Sendable { public var totalPlayoutDelay: Double, totalSamplesCount: Int }
    /// `outbound-rtp`
    public struct OutboundRTP: Sendable { public var packetsSent: UInt32, bytesSent: UInt32 }
    /// `candidate-pair` (the selected one)
    public struct CandidatePair: Sendable { public var currentRoundTripTime: Double?; public var state: String }
    /// `transport`
    public struct Transport: Sendable {
        public var dtlsState: String, srtpCipher: String?
        public var srtpAuthenticationFailures: Int, srtpReplaysDropped: Int, droppedDatagrams: Int
    }

    public var inboundRTP: InboundRTP
    public var mediaPlayout: MediaPlayout
    public var outboundRTP: OutboundRTP
    public var candidatePair: CandidatePair
    public var transport: Transport
    /// `data-channel`: one per channel not yet closed (label, state, bufferedAmount, messages
    /// and bytes each way).
    public var dataChannels: [DataChannelInfo]
    public var timeline: PeerConnection.Timeline

    init(session s: PeerSession.Stats, state: PeerConnection.State, dataChannels: [DataChannelInfo], timeline: PeerConnection.Timeline,
         playout: MediaPlayout) {
        let jb = s.jitterBuffer
        inboundRTP = InboundRTP(packetsReceived: s.rtp.packetsReceived, bytesReceived: s.rtp.bytesReceived,
                                packetsLost: s.rtp.packetsLost, jitter: s.rtp.jitterSeconds,
                                jitterBufferDelay: jb.jitterBufferDelay, jitterBufferTargetDelay: jb.jitterBufferTargetDelay,
                                jitterBufferMinimumDelay: jb.jitterBufferMinimumDelay,
                                jitterBufferEmittedCount: jb.jitterBufferEmittedCount, concealedSamples: jb.concealedSamples,
                                silentConcealedSamples: jb.silentConcealedSamples,
                                concealmentEvents: jb.concealmentEvents, totalSamplesReceived: jb.totalSamplesReceived,
                                insertedSamplesForDeceleration: jb.insertedSamplesForDeceleration,
                                removedSamplesForAcceleration: jb.removedSamplesForAcceleration)
        mediaPlayout = playout
        outboundRTP = OutboundRTP(packetsSent: s.rtp.packetsSent, bytesSent: s.rtp.bytesSent)
        candidatePair = CandidatePair(currentRoundTripTime: s.rtp.roundTripTime?.seconds,
                                      state: state == .connected ? "succeeded" : "in-progress")
        transport = Transport(dtlsState: s.srtpProfile == nil ? "connecting" : "connected", srtpCipher: s.srtpProfile?.openSSLName,
                              srtpAuthenticationFailures: s.srtp?.authenticationFailures ?? 0,
                              srtpReplaysDropped: s.srtp?.replaysDropped ?? 0,
                              droppedDatagrams: s.droppedDatagrams + s.dtlsDroppedDatagrams)
        self.dataChannels = dataChannels
        self.timeline = timeline
    }
}
