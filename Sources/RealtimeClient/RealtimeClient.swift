import Audio
import MediaCore
import Realtime
import Runtime
import Synchronization

/// A client for any endpoint speaking the OpenAI Realtime GA protocol (the local
/// `RealtimeEndpoint` or the real service), over WebRTC or a WebSocket.
///
/// The appliance pushes 10 ms capture frames (48 kHz mono PCM16) into `ClientAudioPorts.capture`
/// and pops frames to play from `ClientAudioPorts.playout`; its audio thread never blocks. One
/// client thread does everything else: it moves audio between those rings and the transport
/// (resampling to and from 24 kHz for a WebSocket), reads server events, handles barge-in and
/// function calls, reconnects after a drop and rolls the session over before its 60-minute cap.
/// `onEvent` runs on that thread: keep it short.
public final class RealtimeClient: @unchecked Sendable {
    // @unchecked: after `connect` returns, every `var` below is touched only by the client
    // thread; other threads reach the client through `outbox`, `published` and the atomics.

    public struct ReconnectPolicy: Sendable {
        /// Attempts after a drop before giving up (0: never reconnect).
        public var maxAttempts = 5
        public var initialBackoff: Duration = .milliseconds(250)
        public var maxBackoff: Duration = .seconds(8)
        public init() {}
    }

    public struct Configuration: Sendable {
        /// Base URL of the endpoint: `https://api.openai.com`, `http://127.0.0.1:8080`, `wss://…`.
        public var url = "https://api.openai.com"
        /// The bearer. Nil only for an open local endpoint.
        public var apiKey: String?
        public var model = RealtimeModel.gpt4oMiniRealtimePreview.rawValue
        public var transport = TransportKind.webrtc
        /// Sent as `session.update` once the session exists (and again after a reconnect).
        public var session: SessionUpdate?
        /// PEM file of the CA(s) to trust for `https`/`wss` instead of the system store.
        public var caFile: String?
        /// Mint an ephemeral key (`/v1/realtime/client_secrets`) with `apiKey` and use only that
        /// on the media path.
        public var mintEphemeralKey = false
        /// RTP packet duration for WebRTC (10 or 20 ms).
        public var ptime: UInt32 = 20
        /// WebRTC playout frames queued by the call thread (see `PeerConnection.Configuration`).
        public var playoutTarget = 2
        /// Frames the client keeps queued in the application's playout ring.
        public var playoutQueueFrames = 2
        /// ICE addresses; nil: loopback only when the endpoint is on loopback, else every interface.
        public var localAddresses: [String]?
        public var connectTimeout: Duration = .seconds(10)
        public var reconnect = ReconnectPolicy()
        /// Open a fresh session (carrying the conversation) after this long: sessions end at 60 min.
        public var rolloverAfter: Duration = .seconds(55 * 60)
        /// The GLib loop for WebRTC (one per process is enough); nil: the client makes its own.
        public var glib: GLibLoop?
        public init() {}
    }

    /// What the client reports on its thread.
    public enum Event: Sendable {
        /// A server event, decoded.
        case server(ServerEvent)
        /// A server event the model could not decode (kept going: newer servers add fields).
        case unreadableEvent(text: String, reason: String)
        /// The user spoke over playback: playout stopped and `conversation.item.truncate` went out.
        case bargeIn(itemID: String, audioEndMs: Int)
        /// A tool ran; `output` is nil when no handler was registered for `name`.
        case functionCall(name: String, callID: String, arguments: String, output: String?)
        case reconnecting(attempt: Int, reason: String)
        /// A new session replaced a dropped or expiring one; the conversation was carried over.
        case sessionReplaced(sessionID: String?, rollover: Bool)
        /// The transport dropped and could not be re-established.
        case disconnected(String)
    }

    public typealias ToolHandler = @Sendable (_ arguments: String) -> String

    public let configuration: Configuration
    let endpoint: EndpointURL
    let onEvent: @Sendable (Event) -> Void
    let glib: GLibLoop
    let ownsGLib: Bool
    let running = Atomic<Bool>(false)
    let outbox = Mutex<[ClientEvent]>([])
    let published = Mutex<ClientMetrics>(ClientMetrics())
    let gate = PlayoutGate()
    var thread: RuntimeThread?
    var tools: [String: ToolHandler] = [:]

    // Client-thread state.
    var transport: (any RealtimeTransport)?
    var captureConsumer: RingConsumer?
    let captureRing: FrameRing
    let playoutRing: FrameRing
    var playoutProducer: RingProducer?
    var ports: ClientAudioPorts?
    var state = SessionState()
    var audio: AudioState
    var metrics = ClientMetrics()
    var conversation: [ConversationItem] = []
    var sessionStartedAt = Instant.zero
    var bearer = ""

    /// Checks the configuration (URL, key) and builds the audio rings; nothing connects yet.
    public init(configuration: Configuration, onEvent: @escaping @Sendable (Event) -> Void = { _ in }) throws(RealtimeClientError) {
        guard let endpoint = EndpointURL(configuration.url) else { throw .usage("invalid URL \(configuration.url)") }
        guard configuration.ptime == 10 || configuration.ptime == 20 else { throw .usage("ptime must be 10 or 20, got \(configuration.ptime)") }
        if configuration.mintEphemeralKey, configuration.apiKey == nil { throw .usage("minting an ephemeral key needs an API key") }
        self.configuration = configuration
        self.endpoint = endpoint
        self.onEvent = onEvent
        ownsGLib = configuration.glib == nil && configuration.transport == .webrtc
        glib = configuration.glib ?? GLibLoop()
        let capture = FrameRing.make(frames: 64, samplesPerFrame: 480)
        let playout = FrameRing.make(frames: 64, samplesPerFrame: 480)
        captureRing = capture.producer.ring
        playoutRing = playout.producer.ring
        captureConsumer = Optional(capture.consumer)
        playoutProducer = Optional(playout.producer)
        ports = Optional(ClientAudioPorts(capture: capture.producer, playout: PlayoutPort(consumer: playout.consumer, gate: gate)))
        metrics.transport = configuration.transport
        audio = AudioState(websocket: configuration.transport == .websocket)
    }

    deinit {
        close()
        if ownsGLib { glib.stop() }
    }

    /// The application's ends of the audio rings; available once.
    public func takeAudioPorts() -> ClientAudioPorts? {
        let p = ports.take()
        return p
    }

    /// Registers the handler for function tool `name` (before `connect`). When the model calls
    /// it, the client sends the handler's result as `function_call_output`, then `response.create`.
    public func registerTool(_ name: String, handler: @escaping ToolHandler) {
        tools[name] = handler
    }

    /// Connects (minting an ephemeral key first if asked), waits for `session.created`, sends the
    /// configured `session.update`, then starts the client thread. Blocking.
    public func connect() throws(RealtimeClientError) {
        guard !running.load(ordering: .acquiring), thread == nil else { throw .usage("already connected") }
        let started = RuntimeClock.now()
        try establish(started: started)
        running.store(true, ordering: .releasing)
        // The thread keeps the client alive until `close` stops it, as a connected call should.
        thread = RuntimeThread { [self] _ in run() }
    }

    /// Queues a client event for the client thread to send (any thread).
    public func send(_ event: ClientEvent) {
        outbox.withLock { $0.append(event) }
    }

    /// A snapshot of the call's metrics (any thread).
    public func metricsSnapshot() -> ClientMetrics {
        published.withLock { $0 }
    }

    /// The current session's id (`sess_…`), once created.
    public var sessionID: String? { published.withLock { $0.sessionID } }

    /// Stops the client thread and closes the transport. Idempotent.
    public func close() {
        if running.exchange(false, ordering: .acquiringAndReleasing) {
            thread?.stop()
            thread = nil
        }
        transport?.close()
        transport = nil
    }

    /// The client thread: events, audio, tool answers, reconnects and rollovers, every 5 ms.
    func run() {
        while running.load(ordering: .acquiring) {
            let tickEnd = RuntimeClock.now() + .milliseconds(5)
            if let transport {
                var input = transport.receive(timeout: max(.zero, tickEnd - RuntimeClock.now()))
                while let i = input {
                    switch i {
                    case .message(let text): handleServerText(text)
                    case .dropped(let why): transportDropped(why)
                    }
                    guard self.transport != nil else { break }
                    input = self.transport?.receive(timeout: .zero)
                }
            } else {
                RuntimeClock.sleep(until: tickEnd)
            }
            let now = RuntimeClock.now()
            pumpAudio(now: now)
            sendQueued()
            checkRollover(now: now)
            publishMetrics()
        }
    }

    /// Sends the application's queued events and whatever the client itself deferred.
    func sendQueued() {
        let queued = outbox.withLock { q -> [ClientEvent] in defer { q.removeAll() }; return q }
        for event in queued {
            switch event.body {
            case .inputAudioBufferCommit, .responseCreate: audio.turnEndedAt = audio.turnEndedAt ?? RuntimeClock.now()
            default: break
            }
            sendEvent(event)
        }
    }

    func sendEvent(_ event: ClientEvent) {
        guard let transport else { return }
        do { try transport.send(text: event.jsonText) } catch { metrics.errors.append("send \(event.type): \(error)") }
    }
}
