import MediaCore

/// One Realtime session as a sans-IO state machine: client events and input audio go in, server
/// events (and, on WebRTC, paced output PCM) come out. No I/O, no clock: time is passed in.
///
/// Driving contract: after every `handle…`, `appendInputAudio` or `handleTimeout`, drain
/// `pollEvent()` and `pollOutputAudio()` until they return nil, then arm a timer for
/// `pollTimeout()` and call `handleTimeout(at:)` when it fires.
///
/// Limits of this engine (documented choices): one response at a time (a second `response.create`
/// while one runs is an error, out-of-band included); generation and playout are the same paced
/// stream, so `response.done` comes when the last audio chunk has been emitted.
public final class RealtimeSession {
    public enum Transport: Sendable { case webSocket, webRTC }
    public enum Pacing: Sendable {
        /// Output audio leaves in 20 ms chunks as time passes, as a live model would stream it.
        case realtime
        /// Every chunk leaves as soon as the backend produced it.
        case asFastAsPossible
    }

    public struct Configuration {
        public var transport: Transport
        public var pacing: Pacing
        public var tier: RateLimitTier
        /// The session's starting config (defaults from `SessionConfig()`).
        public var session: SessionConfig
        public var backend: any RealtimeBackend
        /// Seed for ids (tests); nil draws one from the system generator.
        public var seed: UInt64?
        /// Unix time (s) at start, for `expires_at`; the caller reads the wall clock, not us.
        public var unixTimeAtStart: Int?

        public init(transport: Transport = .webSocket, pacing: Pacing = .realtime, tier: RateLimitTier = .tier1,
                    session: SessionConfig = SessionConfig(), backend: any RealtimeBackend = EchoBackend(),
                    seed: UInt64? = nil, unixTimeAtStart: Int? = nil) {
            self.transport = transport
            self.pacing = pacing
            self.tier = tier
            self.session = session
            self.backend = backend
            self.seed = seed
            self.unixTimeAtStart = unixTimeAtStart
        }
    }

    /// A conversation item with its audio as 24 kHz PCM (empty when it has none).
    struct StoredItem {
        var item: ConversationItem
        var audio: [Int16]
    }

    public let transport: Transport
    public let pacing: Pacing
    public internal(set) var config: SessionConfig
    /// True once the session ended (expired); every input is then ignored.
    public private(set) var isClosed = false
    public let conversationID: String
    public let startedAt: Instant

    var ids: RealtimeIDGenerator<SplitMix64>
    var backend: any RealtimeBackend
    var rateLimiter: RateLimiter
    var promptCache = PromptCache()

    var items: [StoredItem] = []
    private var events: [ServerEvent] = []
    private var eventHead = 0
    private var audioOut: [[Int16]] = []
    private var audioHead = 0

    /// Uncommitted input audio, and the input-stream sample position of its first sample.
    var inputBuffer: [Int16] = []
    var inputBufferStart = 0
    /// Input samples received since the session started.
    var streamPosition = 0
    var inputCodec: AudioBufferCodec
    var outputCodec: AudioBufferCodec
    var turnDetector: TurnDetector?
    /// The item id announced by `speech_started`, used by the commit that ends the turn.
    var speechItemID: String?
    /// When the last response ended and the input position then (for `idle_timeout_ms`).
    var idleSince: (at: Instant, sample: Int)?

    var active: ActiveResponse?
    var lastResponseID: String?

    public init(_ configuration: Configuration = Configuration(), at now: Instant) {
        var seedRNG = SystemRandomNumberGenerator()
        ids = RealtimeIDGenerator(rng: SplitMix64(seed: configuration.seed ?? seedRNG.next()))
        transport = configuration.transport
        pacing = configuration.pacing
        backend = configuration.backend
        rateLimiter = RateLimiter(tier: configuration.tier)
        startedAt = now
        config = configuration.session
        config.id = ids.sessionID()
        config.expiresAt = configuration.unixTimeAtStart.map { $0 + Int(RealtimeLimits.maximumSessionDuration.nanoseconds / 1_000_000_000) }
        conversationID = ids.conversationID()
        inputCodec = AudioBufferCodec(format: config.audio.input.format)
        outputCodec = AudioBufferCodec(format: config.audio.output.format)
        turnDetector = config.audio.input.turnDetection.map { TurnDetector($0, streamPosition: 0) }
        emit(.sessionCreated(config))
        emit(.conversationCreated(conversationID: conversationID))
    }

    // MARK: Output

    /// The next server event to send, if any.
    public func pollEvent() -> ServerEvent? {
        guard eventHead < events.count else { return nil }
        defer {
            eventHead += 1
            if eventHead == events.count { events.removeAll(keepingCapacity: true); eventHead = 0 }
        }
        return events[eventHead]
    }

    /// The next chunk of 24 kHz PCM16 output for the WebRTC track (always nil on WebSocket).
    public func pollOutputAudio() -> [Int16]? {
        guard audioHead < audioOut.count else { return nil }
        defer {
            audioHead += 1
            if audioHead == audioOut.count { audioOut.removeAll(keepingCapacity: true); audioHead = 0 }
        }
        return audioOut[audioHead]
    }

    /// When `handleTimeout` must next be called: paced audio, backend output, idle timeout, expiry.
    public func pollTimeout() -> Instant? {
        guard !isClosed else { return nil }
        var t = startedAt + RealtimeLimits.maximumSessionDuration
        if let due = active?.nextDue(pacing: pacing), due < t { t = due }
        if let due = idleDeadline, due < t { t = due }
        return t
    }

    public func handleTimeout(at now: Instant) {
        guard !isClosed else { return }
        if now >= startedAt + RealtimeLimits.maximumSessionDuration {
            expire()
            return
        }
        advance(at: now)
        if let due = idleDeadline, now >= due { idleTimeoutTriggered(at: now) }
    }

    func emit(_ body: ServerEvent.Body) {
        events.append(ServerEvent(eventID: ids.eventID(), body))
    }

    func emitAudio(_ chunk: [Int16]) { audioOut.append(chunk) }

    func emitError(_ code: String?, _ message: String, param: String? = nil, eventID: String?, type: String = "invalid_request_error") {
        emit(.error(RealtimeErrorDetails(type: type, code: code, message: message, param: param, eventID: eventID)))
    }

    private func expire() {
        emitError("session_expired", "Your session hit the maximum duration of 60 minutes.", eventID: nil)
        active = nil
        isClosed = true
    }

    // MARK: Input

    /// Decodes and handles one client event (JSON text); a bad event becomes an `error` event.
    public func handle(clientEventJSON text: String, at now: Instant) {
        guard !isClosed else { return }
        do throws(RealtimeProtocolError) {
            handle(try ClientEvent(jsonText: text), at: now)
        } catch {
            emit(.error(error.details))
        }
    }

    public func handle(clientEventJSON bytes: [UInt8], at now: Instant) {
        guard !isClosed else { return }
        do throws(RealtimeProtocolError) {
            handle(try ClientEvent(jsonBytes: bytes), at: now)
        } catch {
            emit(.error(error.details))
        }
    }

    /// Input audio as 24 kHz PCM16 mono (WebRTC: the transport decoded the Opus track), fed to
    /// the input buffer and the turn detector.
    public func appendInputAudio(_ samples: [Int16], at now: Instant) {
        guard !isClosed, !samples.isEmpty else { return }
        if now >= startedAt + RealtimeLimits.maximumSessionDuration { return expire() }
        inputBuffer.append(contentsOf: samples)
        streamPosition += samples.count
        if var detector = turnDetector {
            let turnEvents = detector.process(samples)
            turnDetector = detector
            for e in turnEvents {
                switch e {
                case .speechStarted(let s): speechStarted(atSample: s, at: now)
                case .speechStopped(let s): speechStopped(atSample: s, at: now)
                }
            }
        }
        advance(at: now)
    }
}

