import MediaCore
import Realtime
import Synchronization

/// Counters for `GET /metrics` (Prometheus text exposition format 0.0.4). Thread-safe: the
/// HTTP thread counts set-ups and rejections, the endpoint thread counts sessions and responses.
final class EndpointMetrics: Sendable {
    struct Counters: Sendable {
        var sessionsOpen = 0
        var sessionsTotal = 0
        /// WebSocket set-ups refused before upgrading, by reason (`unauthorized`, `bad_model`, `capacity`).
        var setupsRejected: [String: Int] = [:]
        var clientSecretsCreated = 0
        /// `response.done` by status.
        var responses: [String: Int] = [:]
        var usage = Usage()
        var cost = Cost(Usage())
        /// WebRTC call set-up: from the offer's arrival to each phase (`dtls_connected`, `channel_open`).
        var setup: [String: LatencyHistogram] = [:]
        /// End of turn (commit or server VAD's stop) to the first output audio, by transport.
        var turn: [String: LatencyHistogram] = [:]
    }

    static let setupBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    static let turnBounds = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25]
    /// How many recent turn latencies `recentTurnLatencies` keeps (for the bench).
    static let recentTurnLimit = 10_000

    private let counters = Mutex(Counters())
    /// Media ticks of every call (endpoint thread), and those that ran over a period late.
    let mediaTicks = Atomic<Int>(0)
    let lateMediaTicks = Atomic<Int>(0)
    /// Capture frames pushed by every call, and those the full ring refused.
    let framesOut = Atomic<Int>(0)
    let framesDropped = Atomic<Int>(0)
    private let recentTurns = Mutex<[Duration]>([])

    func setupPhase(_ phase: String, _ start: Instant, _ end: Instant) {
        counters.withLock { $0.setup[phase, default: LatencyHistogram(bounds: Self.setupBounds)].observe(end - start) }
    }

    func turnLatency(_ d: Duration, transport: String) {
        counters.withLock { $0.turn[transport, default: LatencyHistogram(bounds: Self.turnBounds)].observe(d) }
        recentTurns.withLock { r in
            if r.count >= Self.recentTurnLimit { r.removeFirst(r.count / 2) }
            r.append(d)
        }
    }

    /// Takes the turn latencies recorded since the last call (oldest dropped past the limit).
    func takeTurnLatencies() -> [Duration] { recentTurns.withLock { r in defer { r.removeAll() }; return r } }

    /// Upgraded connections not yet closed (HTTP thread), for the `--max-sessions` check.
    private let connected = Mutex(0)
    var socketsConnected: Int { connected.withLock { $0 } }
    func socketConnected(_ delta: Int) { connected.withLock { $0 += delta } }

    func sessionOpened() { counters.withLock { $0.sessionsOpen += 1; $0.sessionsTotal += 1 } }
    func sessionClosed() { counters.withLock { $0.sessionsOpen -= 1 } }
    func setupRejected(_ reason: String) { counters.withLock { $0.setupsRejected[reason, default: 0] += 1 } }
    func clientSecretCreated() { counters.withLock { $0.clientSecretsCreated += 1 } }

    func responseDone(status: String, usage: Usage?) {
        counters.withLock { c in
            c.responses[status, default: 0] += 1
            if let usage {
                c.usage = c.usage + usage
                c.cost = Cost(c.usage)
            }
        }
    }

    /// The exposition text; label values are fixed words, so no escaping is needed.
    func render() -> String {
        let c = counters.withLock { $0 }
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for s in samples { out += "\(name)\(s.labels.isEmpty ? "" : "{\(s.labels)}") \(s.value)\n" }
        }
        metric("realtime_sessions_open", "gauge", "Sessions (WebSocket and WebRTC) open now.", [("", "\(c.sessionsOpen)")])
        metric("realtime_sessions_total", "counter", "Sessions (WebSocket and WebRTC) opened.", [("", "\(c.sessionsTotal)")])
        metric("realtime_session_setups_rejected_total", "counter", "Session set-ups refused before upgrading.",
               c.setupsRejected.sorted { $0.key < $1.key }.map { ("reason=\"\($0.key)\"", "\($0.value)") })
        metric("realtime_client_secrets_created_total", "counter", "Ephemeral keys minted.", [("", "\(c.clientSecretsCreated)")])
        metric("realtime_responses_total", "counter", "response.done events by status.",
               c.responses.sorted { $0.key < $1.key }.map { ("status=\"\($0.key)\"", "\($0.value)") })
        let u = c.usage
        metric("realtime_tokens_total", "counter", "Tokens from response.done usage, by direction and modality.", [
            ("direction=\"input\",modality=\"text\"", "\(u.input.textTokens)"),
            ("direction=\"input\",modality=\"audio\"", "\(u.input.audioTokens)"),
            ("direction=\"input_cached\",modality=\"text\"", "\(u.input.cachedTextTokens)"),
            ("direction=\"input_cached\",modality=\"audio\"", "\(u.input.cachedAudioTokens)"),
            ("direction=\"output\",modality=\"text\"", "\(u.output.textTokens)"),
            ("direction=\"output\",modality=\"audio\"", "\(u.output.audioTokens)"),
        ])
        let k = c.cost
        func usd(_ microCents: Int64) -> String { "\(Double(microCents) / 1e8)" }
        metric("realtime_cost_usd_total", "counter", "Cost of that usage at gpt-4o-mini-realtime prices, in USD.", [
            ("direction=\"input\",modality=\"text\"", usd(k.textInput)),
            ("direction=\"input\",modality=\"audio\"", usd(k.audioInput)),
            ("direction=\"input_cached\",modality=\"text\"", usd(k.textCachedInput)),
            ("direction=\"input_cached\",modality=\"audio\"", usd(k.audioCachedInput)),
            ("direction=\"output\",modality=\"text\"", usd(k.textOutput)),
            ("direction=\"output\",modality=\"audio\"", usd(k.audioOutput)),
        ])
        metric("realtime_call_media_ticks_total", "counter", "10 ms media ticks of WebRTC calls.",
               [("", "\(mediaTicks.load(ordering: .relaxed))")])
        metric("realtime_call_media_ticks_late_total", "counter", "Media ticks that ran more than 10 ms late.",
               [("", "\(lateMediaTicks.load(ordering: .relaxed))")])
        metric("realtime_call_frames_sent_total", "counter", "10 ms output frames given to calls' encoders.",
               [("", "\(framesOut.load(ordering: .relaxed))")])
        metric("realtime_call_frames_dropped_total", "counter", "Output frames dropped because the call's ring was full.",
               [("", "\(framesDropped.load(ordering: .relaxed))")])
        out += "# HELP realtime_call_setup_seconds WebRTC call set-up, from the offer's arrival to a phase.\n"
        out += "# TYPE realtime_call_setup_seconds histogram\n"
        for (phase, h) in c.setup.sorted(by: { $0.key < $1.key }) {
            out += h.render(name: "realtime_call_setup_seconds", labels: "phase=\"\(phase)\"")
        }
        out += "# HELP realtime_turn_latency_seconds End of turn (commit or VAD stop) to the first output audio.\n"
        out += "# TYPE realtime_turn_latency_seconds histogram\n"
        for (transport, h) in c.turn.sorted(by: { $0.key < $1.key }) {
            out += h.render(name: "realtime_turn_latency_seconds", labels: "transport=\"\(transport)\"")
        }
        return out
    }
}
