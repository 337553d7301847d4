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
    }

    private let counters = Mutex(Counters())

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
        metric("realtime_sessions_open", "gauge", "WebSocket sessions open now.", [("", "\(c.sessionsOpen)")])
        metric("realtime_sessions_total", "counter", "WebSocket sessions opened.", [("", "\(c.sessionsTotal)")])
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
        return out
    }
}
