import Audio
import DTLS
import MediaCore
import RTP
import SDP
import SRTP

/// One call's media plane without I/O: offer/answer, DTLS-SRTP, the RTP audio session, Opus and
/// the adaptive jitter buffer. The runtime owns the ICE agent, sockets, clocks and audio devices.
///
/// Driving contract: after `handle(datagram:at:)`, `handleTimeout(at:)`, `startTransport(at:)`,
/// `sendAudio(_:capturedAt:)` or `close(at:)`, drain `pollTransmit()` (datagrams for the selected
/// ICE pair) and `pollEvent()` until both return nil, then arm a timer for `pollTimeout()`.
/// `pullAudio(into:at:)` is called once per jitter-buffer tick (10 ms by default) by the playout side. One thread drives it all.
///
/// Audio at the engine's edges is mono PCM16 at `Configuration.sampleRate` (48 kHz unless set);
/// `sendAudio` takes one ptime of it.
public final class PeerSession {
    public enum Event: Sendable, Equatable {
        case dtlsConnected(SRTPProfile)
        case failed(PeerSessionError)
        /// The first RTP packet from the remote arrived (its SSRC).
        case remoteTrackStarted(UInt32)
        /// A DTLS application record: an SCTP packet for the data channels.
        case applicationData([UInt8])
        case closed
    }

    public struct Configuration: Sendable {
        public var bitrate = 32_000
        /// 3: on this machine CELT encodes 20 ms in ~34 µs at 3 against ~50 µs at 5.
        public var complexity = 3
        /// Sets in-band FEC's strength (`.voip` only: CELT has no LBRR).
        public var expectedLossPercent = 10
        /// `.restrictedLowDelay` (the default: CELT only, 2.5 ms look-ahead, ~4× cheaper to encode
        /// than `.voip` with FEC, but losses are concealed rather than rebuilt) or `.voip` (SILK
        /// and CELT, in-band FEC for lossy links, 6.5 ms look-ahead).
        public var application = OpusApplication.restrictedLowDelay
        /// Used for Opus; a G.711 call takes a copy with the 8 kHz RTP clock.
        public var jitterBuffer = JitterBufferConfiguration()
        /// Opus discontinuous transmission (RFC 7587 §3.1.3): see `DTXPolicy`.
        public var dtx = DTXPolicy.whenPeerPrefers
        /// The PCM rate of `sendAudio` and `pullAudio`: 48 kHz, or 24 or 16 kHz for a peer whose
        /// audio lives at that rate (a Realtime endpoint's is 24 kHz). Opus encodes and decodes
        /// it natively, so no resampler sits beside the codec; the RTP clock stays 48 kHz
        /// (RFC 7587 §4.1) and the wire format is the same.
        public var sampleRate = 48_000
        public init() {}
    }

    /// Whether our Opus sender stops sending during silence. A DTX sender sends a small
    /// comfort-noise packet every 400 ms instead of a packet per ptime; the timestamp keeps the
    /// media clock, sequence numbers stay contiguous (no loss is reported) and the first packet
    /// after the gap carries the marker. Every Opus decoder copes; a voice session that is mostly
    /// one side talking at a time sends and decodes a fraction of the packets.
    public enum DTXPolicy: Sendable, Hashable {
        /// Always send continuously.
        case off
        /// Use DTX when the remote's fmtp says `usedtx=1`, as browsers do.
        case whenPeerPrefers
        /// Always use DTX. Pair it with `usedtx=1` in our description to ask the peer to as well
        /// (`LocalParameters.defaultCodecs(askingForDTX:)`; `PeerConnection` does).
        case on
    }

    public struct Stats: Sendable {
        public var rtp: RTPAudioSession.Stats
        public var jitterBuffer: JitterBufferStatistics
        public var srtp: SRTPContext.Stats?
        public var dtlsDroppedDatagrams: Int
        /// Datagrams that were neither DTLS nor RTP/RTCP, or failed to parse.
        public var droppedDatagrams: Int
        public var srtpProfile: SRTPProfile?
    }

    /// Our parameters; an ICE restart replaces the credentials and candidates (PeerSession+ICERestart.swift).
    public internal(set) var local: LocalParameters
    public let configuration: Configuration
    public internal(set) var negotiated: NegotiatedSession?
    private let certificate: DTLSCertificate
    private let wallClock: WallClock
    private let seed: UInt64
    private var pendingOffer: SessionDescription?
    /// Our ICE restart offer awaiting its answer (PeerSession+ICERestart.swift).
    var restartOffer: SessionDescription?
    private var dtls: DTLSEndpoint?
    private var srtp: SRTPContext?
    private var rtp: RTPAudioSession?
    /// The encoder of the negotiated codec: Opus until a G.711 negotiation replaces it.
    private enum Encoder {
        case opus(OpusEncoder)
        case g711(G711Encoder)
    }
    private var encoder: Encoder
    private var jitter: any JitterBuffering
    private var transmits: [[UInt8]] = []
    private var events: [Event] = []
    private var encoded = [UInt8](repeating: 0, count: OpusEncoder.maxPacketBytes)
    private var remoteTrackSeen = false
    private var talkspurt = true
    /// Set when we send with DTX (negotiated in `apply`): which frames to leave out.
    private var dtxGate: DTXGate?
    private var dropped = 0
    private var closed = false

    public init(local: LocalParameters, configuration: Configuration = .init(), certificate: DTLSCertificate = .shared,
                wallClock: WallClock, seed: UInt64) throws(PeerSessionError) {
        self.local = local
        self.configuration = configuration
        self.certificate = certificate
        self.wallClock = wallClock
        self.seed = seed
        guard G711Decoder.supportedSampleRates.contains(configuration.sampleRate) else {
            throw .codec("engine sample rate \(configuration.sampleRate) Hz (16, 24 or 48 kHz)")
        }
        do {
            let fec = configuration.application != .restrictedLowDelay
            encoder = .opus(try OpusEncoder(sampleRate: configuration.sampleRate, channels: 1, application: configuration.application,
                                            configuration: OpusEncoderConfiguration(
                                                bitrate: configuration.bitrate, complexity: configuration.complexity, inbandFEC: fec,
                                                expectedPacketLossPercent: fec ? configuration.expectedLossPercent : 0)))
            jitter = JitterBuffer(decoder: try OpusDecoder(sampleRate: configuration.sampleRate, channels: 1),
                                  configuration: configuration.jitterBuffer)
        } catch {
            throw .codec("\(error)")
        }
    }

    // MARK: - Signaling

    /// Our offer (the local parameters must already hold the gathered candidates).
    public func createOffer() -> String {
        let offer = OfferAnswerNegotiator(local: local).makeOffer()
        pendingOffer = offer
        return offer.text
    }

    /// Applies the remote answer to our offer.
    public func acceptAnswer(_ sdp: String, at now: Instant) throws(PeerSessionError) {
        if let offer = restartOffer { return try acceptRestartAnswer(sdp, toOffer: offer) }
        guard let offer = pendingOffer, negotiated == nil else { throw .wrongSignalingState("no offer awaiting an answer") }
        let answer: SessionDescription
        do { answer = try SessionDescription(parsing: sdp) } catch { throw .malformedDescription("\(error)") }
        do { try apply(OfferAnswerNegotiator(local: local).acceptAnswer(answer, toOffer: offer), at: now) }
        catch let e as NegotiationError { throw .negotiation(e) }
        catch let e as PeerSessionError { throw e }
        catch { throw .malformedDescription("\(error)") }
    }

    /// Answers a remote offer.
    public func answer(offer sdp: String, at now: Instant) throws(PeerSessionError) -> String {
        guard negotiated == nil else { throw .wrongSignalingState("already negotiated") }
        let offer: SessionDescription
        do { offer = try SessionDescription(parsing: sdp) } catch { throw .malformedDescription("\(error)") }
        let result: (answer: SessionDescription, session: NegotiatedSession)
        do { result = try OfferAnswerNegotiator(local: local).makeAnswer(to: offer) } catch { throw .negotiation(error) }
        try apply(result.session, at: now)
        return result.answer.text
    }

    private func apply(_ session: NegotiatedSession, at now: Instant) throws(PeerSessionError) {
        guard let audio = session.audio else { throw .negotiation(.noUsableMedia) }
        switch audio.codec {
        case .opus:
            if configuration.dtx == .on || (configuration.dtx == .whenPeerPrefers && audio.useDTX) {
                dtxGate = DTXGate(sampleRate: configuration.sampleRate)
                // In SILK and hybrid modes libopus also leaves out frames its own VAD finds inactive.
                if configuration.application == .voip, case .opus(let opus) = encoder {
                    do { try opus.setDTX(true) } catch { throw .codec("\(error)") }
                }
            }
        case .pcmu, .pcma:
            // RFC 3551: 8 kHz RTP clock; the engine stays at its own rate around the codec.
            let law: G711Law = audio.codec == .pcmu ? .muLaw : .aLaw
            var jb = configuration.jitterBuffer
            jb.clockRate = 8_000
            do {
                encoder = .g711(try G711Encoder(law: law, sampleRate: configuration.sampleRate))
                jitter = JitterBuffer(decoder: try G711Decoder(law: law, sampleRate: configuration.sampleRate), configuration: jb)
            } catch {
                throw .codec("\(error)")   // not reached: init checked the rate
            }
        case .telephoneEvent:
            throw .unsupportedCodec("\(audio.codec)")
        }
        negotiated = session
        do {
            dtls = try DTLSEndpoint(role: session.dtlsRole == .client ? .client : .server,
                                    remoteFingerprints: session.remoteFingerprints, certificate: certificate)
        } catch {
            throw .dtls(error)
        }
        var mix = seed
        func next() -> UInt64 { mix = mix &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return mix >> 16 }
        let stream = RTPSendStream(ssrc: local.ssrc, payloadType: audio.payloadType, clockRate: Int32(audio.clockRate),
                                   initialSequence: UInt16(truncatingIfNeeded: next()),
                                   initialTimestamp: UInt32(truncatingIfNeeded: next()))
        rtp = RTPAudioSession(send: stream, cname: local.cname, wallClock: wallClock, start: now, seed: next())
    }

    /// The ICE pair is up: the DTLS client sends its ClientHello; the server waits for it.
    public func startTransport(at now: Instant) {
        guard let dtls else { return }
        dtls.start(at: now)
        drainDTLS(at: now)
    }

    // MARK: - Transport

    /// One datagram from the selected ICE pair, demultiplexed per RFC 7983.
    public func handle(datagram: [UInt8], at now: Instant) {
        guard !closed else { return }
        switch PacketClass(datagram: datagram) {
        case .dtls:
            dtls?.handle(datagram: datagram, at: now)
            drainDTLS(at: now)
        case .rtpOrRTCP:
            guard let srtp else { dropped += 1; return }
            var packet = datagram
            if PacketClass.isRTCP(datagram) {
                do throws(SRTPError) { try srtp.unprotectRTCP(&packet) } catch { return }
                guard let compound = try? RTCPCompoundPacket(parsing: packet) else { dropped += 1; return }
                rtp?.received(compound, at: now)
            } else {
                do throws(SRTPError) { try srtp.unprotectRTP(&packet) } catch { return }
                receiveRTP(packet, at: now)
            }
        case .stun, .zrtp, .turnChannel, .unknown:
            dropped += 1
        }
    }

    private func receiveRTP(_ bytes: [UInt8], at now: Instant) {
        guard let packet = try? RTPPacket(parsing: bytes), let audio = negotiated?.audio else { dropped += 1; return }
        guard packet.payloadType == audio.payloadType else { dropped += 1; return }
        guard rtp?.received(packet, at: now) == true else { dropped += 1; return }
        if !remoteTrackSeen {
            remoteTrackSeen = true
            events.append(.remoteTrackStarted(packet.ssrc))
        }
        jitter.insert(sequenceNumber: SequenceNumber(packet.sequenceNumber), timestamp: RTPTimestamp(packet.timestamp),
                      payload: Array(packet.payload), at: now)
    }

    public func handleTimeout(at now: Instant) {
        guard !closed else { return }
        if let dtls, dtls.state == .connecting {
            dtls.handleTimeout(at: now)
            drainDTLS(at: now)
        }
        if srtp != nil, let report = rtp?.handleTimeout(at: now) { protectAndQueue(rtcp: report) }
    }

    public func pollTimeout() -> Instant? {
        guard !closed else { return nil }
        // No array: this runs on every wake-up of the call thread.
        let d = dtls?.pollTimeout()
        guard srtp != nil, let r = rtp?.pollTimeout() else { return d }
        return d.map { min($0, r) } ?? r
    }

    public func pollTransmit() -> [UInt8]? { transmits.isEmpty ? nil : transmits.removeFirst() }
    public func pollEvent() -> Event? { events.isEmpty ? nil : events.removeFirst() }

    /// Sends one DTLS application record (an SCTP packet).
    public func sendApplicationData(_ data: [UInt8], at now: Instant) throws(PeerSessionError) {
        guard let dtls else { throw .dtls(.notConnected) }
        do { try dtls.send(data) } catch { throw .dtls(error) }
        drainDTLS(at: now)
    }

    private func drainDTLS(at now: Instant) {
        guard let dtls else { return }
        while let d = dtls.pollTransmit() { transmits.append(d) }
        while let e = dtls.pollEvent() {
            switch e {
            case .connected(let keys):
                do {
                    srtp = try SRTPContext(keys: keys)
                    events.append(.dtlsConnected(keys.profile))
                } catch {
                    events.append(.failed(.srtp(error)))
                }
            case .applicationData(let d): events.append(.applicationData(d))
            case .closed: events.append(.closed)
            case .failed(let error): events.append(.failed(.dtls(error)))
            }
        }
    }

    // MARK: - Audio

    /// Encodes one ptime frame of captured mono PCM at `sampleRate` with the negotiated codec
    /// (Opus, or G.711 after resampling to 8 kHz) and sends it (once SRTP is up).
    public func sendAudio(_ frame: UnsafeBufferPointer<Int16>, capturedAt: Instant) {
        guard let srtp, let rtp, !closed, negotiated?.audio?.direction.sends ?? false else { return }
        if case .opus = encoder, dtxGate?.admits(frame) == false {
            leaveOut(ticks: frame.count * opusTicksPerSample)
            return
        }
        let n: Int, ticks: Int
        do throws(AudioCodecError) {
            switch encoder {
            case .opus(let opus):
                n = try encoded.withUnsafeMutableBufferPointer { (out) throws(AudioCodecError) -> Int in try opus.encode(frame, into: out) }
                ticks = frame.count * opusTicksPerSample
            case .g711(let g711):
                n = try encoded.withUnsafeMutableBufferPointer { (out) throws(AudioCodecError) -> Int in try g711.encode(frame, into: out) }
                ticks = frame.count / g711.ratio
            }
        } catch { return }
        if dtxGate != nil && n <= 2 {
            // libopus's DTX marks a frame it wants left out by a 1–2 byte packet.
            leaveOut(ticks: ticks)
            return
        }
        var packet = rtp.packetize(payload: encoded[0..<n], samples: ticks, capturedAt: capturedAt, talkspurtStart: talkspurt)
        talkspurt = false
        do throws(SRTPError) { try srtp.protectRTP(&packet) } catch { return }
        transmits.append(packet)
    }

    /// Opus RTP timestamp ticks (48 kHz) per PCM sample at `sampleRate`.
    private var opusTicksPerSample: Int { 48_000 / configuration.sampleRate }

    /// DTX: the media clock moves over the frame not sent; the next packet starts a talk-spurt.
    private func leaveOut(ticks: Int) {
        rtp?.skip(samples: ticks)
        talkspurt = true
    }

    /// Produces the next jitter-buffer tick of playout (`Configuration.jitterBuffer.tick`, 10 ms
    /// unless set otherwise: 480 samples at 48 kHz) from the jitter buffer.
    public func pullAudio(into output: UnsafeMutableBufferPointer<Int16>, at now: Instant) {
        jitter.pull(at: now, into: output)
    }

    private func protectAndQueue(rtcp: [UInt8]) {
        guard let srtp else { return }
        var packet = rtcp
        do throws(SRTPError) { try srtp.protectRTCP(&packet) } catch { return }
        transmits.append(packet)
    }

    /// Sends a final RTCP report and close_notify.
    public func close(at now: Instant) {
        guard !closed else { return }
        if let rtp, srtp != nil { protectAndQueue(rtcp: rtp.makeReport(at: now)) }
        dtls?.close()
        drainDTLS(at: now)
        closed = true
    }

    public var stats: Stats {
        Stats(rtp: rtp?.stats ?? RTPAudioSession.Stats(), jitterBuffer: jitter.statistics, srtp: srtp?.stats,
              dtlsDroppedDatagrams: dtls?.droppedDatagrams ?? 0, droppedDatagrams: dropped, srtpProfile: srtp?.profile)
    }
}

extension MediaDirection {
    var sends: Bool { self == .sendrecv || self == .sendonly }
}
