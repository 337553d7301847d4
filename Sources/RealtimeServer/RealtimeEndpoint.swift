import Glibc
import HTTP
import MediaCore
import Realtime
import Runtime
import Synchronization

/// The local OpenAI Realtime GA endpoint: `GET /v1/realtime?model=…` upgrades to a WebSocket
/// carrying one `RealtimeSession`; `POST /v1/realtime/calls` answers a WebRTC offer with one
/// `PeerConnection` carrying one session (events on the `oai-events` data channel, audio as Opus
/// RTP); `POST /v1/realtime/client_secrets` mints ephemeral keys; `GET /healthz` and
/// `GET /metrics` for operators.
///
/// Threads: the `HTTPServer` thread routes requests and forwards WebSocket callbacks; one
/// endpoint thread (`EndpointLoop`) drives every session and every call's media tick; the calls'
/// PeerConnections share `callThreads` call loops (one per core by default, calls dealt out in
/// turn), and all share one `GLibLoop` for libnice.
public final class RealtimeEndpoint: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port; `start()` returns the bound one.
        public var port: UInt16
        /// When set, `Authorization: Bearer <this key or a live ephemeral key>` is required.
        /// When nil the endpoint is open, and then only listens on loopback.
        public var apiKey: String?
        public var backend: EndpointBackend
        /// The bearer a `relay` backend presents upstream (`--relay-api-key`).
        public var relayAPIKey: String?
        public var tier: RateLimitTier
        /// Sessions open at once; further upgrades get 503. Nil: only the HTTP connection limit.
        public var maxSessions: Int?
        /// The monotonic clock that ephemeral-key expiry is measured on (tests pass their own).
        public var clock: @Sendable () -> Instant
        /// Unix time in seconds, for `expires_at` fields.
        public var unixTime: @Sendable () -> Int
        /// Where the structured per-session log lines go (stderr by default).
        public var log: @Sendable (String) -> Void
        /// Each call's PeerConnection (addresses to gather on, playout target, timeouts). By
        /// default a loopback endpoint gathers on 127.0.0.1 only, any other on every interface.
        public var peerConnection: PeerConnection.Configuration
        /// Threads that run the calls' PeerConnections (`CallLoop`). Calls tick on the same 10 ms
        /// grid, so one thread steps all of its calls in one wake-up; more threads than cores
        /// would only add switches.
        public var callThreads: Int
        /// How long libnice's loops gather ready sockets after a wake-up, per socket and at most
        /// (`GLibLoop`): one wake-up and one pass over the sockets for every datagram that arrives
        /// meanwhile, instead of one each. 50 µs a socket: a few calls wait a fraction of a
        /// millisecond, a loop of 40 or more calls the 4 ms maximum; calls read their datagrams
        /// on their 10 ms tick anyway.
        public var iceCoalescingPerSocket: Duration = .microseconds(50)
        public var iceMaximumCoalescing: Duration = .milliseconds(4)

        public init(host: String = "127.0.0.1", port: UInt16 = 0, apiKey: String? = nil, backend: EndpointBackend = .echo,
                    tier: RateLimitTier = .tier1, maxSessions: Int? = nil,
                    clock: @escaping @Sendable () -> Instant = { RuntimeClock.now() },
                    unixTime: @escaping @Sendable () -> Int = { Int(Glibc.time(nil)) },
                    log: @escaping @Sendable (String) -> Void = RealtimeEndpoint.writeStandardError) {
            self.host = host
            self.port = port
            self.apiKey = apiKey
            self.backend = backend
            self.tier = tier
            self.maxSessions = maxSessions
            self.clock = clock
            self.unixTime = unixTime
            self.log = log
            callThreads = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            peerConnection = PeerConnection.Configuration()
            // No sound card here: the endpoint loop reads and writes every call's rings on the
            // 10 ms grid, so the call threads tick on it too (one wake per ptime, not one per
            // ring operation and packet). Three frames queued cover the two pops between 20 ms ticks.
            peerConnection.audioClock = .callThread
            peerConnection.playoutTarget = 3
            // An assistant is silent while the caller speaks and the other way round: DTX both ways
            // (we ask for it with usedtx=1) skips most of the encoding, decoding and packets.
            peerConnection.session.dtx = .on
            // The session's audio is 24 kHz: Opus decodes and encodes that rate natively, so no
            // resampler runs beside the codec (the wire is the same 48 kHz-clocked Opus).
            peerConnection.session.sampleRate = 24_000
            if RealtimeEndpoint.isLoopback(host) { peerConnection.localAddresses = ["127.0.0.1"] }
        }
    }

    public let configuration: Configuration
    let keys = EphemeralKeyStore()
    let metrics = EndpointMetrics()
    let calls: CallRegistry
    let loop: EndpointLoop
    /// The calls' threads; call n runs on `callLoops[n % count]`.
    let callLoops: [CallLoop]
    /// libnice's main loops, one beside each call loop: every wake-up of a GLib loop polls and
    /// checks all of its sockets, and wake-ups come with every packet, so one loop for all calls
    /// cost in proportion to the square of the calls.
    let glibLoops: [GLibLoop]
    private let callsMade = Atomic<Int>(0)
    private let server = Mutex<HTTPServer?>(nil)

    /// Loads the backend script and checks the configuration; nothing listens yet.
    public init(_ configuration: Configuration) throws(RealtimeEndpointError) {
        if configuration.apiKey == nil, !Self.isLoopback(configuration.host) {
            throw .openOnNonLoopback(host: configuration.host)
        }
        if let n = configuration.maxSessions, n < 1 { throw .invalidMaxSessions(n) }
        let factory: BackendFactory
        do { factory = try BackendFactory(configuration.backend, relayAPIKey: configuration.relayAPIKey) } catch { throw .script(error) }
        self.configuration = configuration
        calls = CallRegistry(tier: configuration.tier)
        callLoops = (0..<max(1, configuration.callThreads)).map { _ in CallLoop(name: "rtc-call") }
        glibLoops = callLoops.map { _ in GLibLoop(coalescingPerSocket: configuration.iceCoalescingPerSocket, maximumCoalescing: configuration.iceMaximumCoalescing) }
        loop = EndpointLoop(tier: configuration.tier, backends: factory, metrics: metrics, calls: calls,
                            unixTime: configuration.unixTime, log: configuration.log)
    }

    /// True when no API key is required.
    public var isOpen: Bool { configuration.apiKey == nil }

    /// Starts the endpoint thread and the HTTP server; returns the bound port.
    @discardableResult
    public func start() throws(RealtimeEndpointError) -> UInt16 {
        // Weak: the server lives inside the endpoint; a request racing the endpoint's end gets 503.
        let http = HTTPServer(host: configuration.host, port: configuration.port) { [weak self] request in
            self?.route(request) ?? .response(.openAIError(status: 503, message: "The endpoint is stopping.", type: "server_error"))
        }
        loop.start()
        let port: UInt16
        do { port = try http.start() } catch {
            loop.stop()
            throw .listen(error)
        }
        server.withLock { $0 = http }
        return port
    }

    /// Closes every session with 1001 (going away), logs each, and stops both threads. Idempotent.
    public func stop() {
        let http = server.withLock { s -> HTTPServer? in defer { s = nil }; return s }
        http?.stop()   // closes WebSockets with 1001; their close callbacks reach the loop
        loop.stop()    // ends (and logs) whatever is left, calls included
        for l in callLoops { l.stop() }
    }

    /// The loops for the next call: dealt out in turn, which balances calls of similar weight.
    func nextLoops() -> (call: CallLoop, glib: GLibLoop) {
        let n = callsMade.wrappingAdd(1, ordering: .relaxed).oldValue % callLoops.count
        return (callLoops[n], glibLoops[n])
    }

    /// End-of-turn to first-output-audio latencies recorded since the last call (for benches).
    public func takeTurnLatencies() -> [Duration] { metrics.takeTurnLatencies() }

    deinit { stop() }

    /// Loopback addresses: 127.0.0.0/8, `localhost`, `::1`.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// Why the endpoint could not be set up or started.
public enum RealtimeEndpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Without an API key the endpoint only listens on loopback.
    case openOnNonLoopback(host: String)
    case invalidMaxSessions(Int)
    case script(ScriptError)
    case listen(TCPError)

    public var description: String {
        switch self {
        case .openOnNonLoopback(let host): return "refusing to listen on \(host) without --api-key (an open endpoint listens on loopback only)"
        case .invalidMaxSessions(let n): return "max sessions must be at least 1, got \(n)"
        case .script(let e): return "backend script: \(e)"
        case .listen(let e): return "listen: \(e)"
        }
    }
}

extension RealtimeEndpoint {
    /// Writes one line to stderr with `write(2)` (one call, so lines from threads do not interleave).
    public static func writeStandardError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            offset += n
        }
    }
}
