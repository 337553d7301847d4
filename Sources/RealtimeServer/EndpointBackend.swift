import MediaCore
import Realtime

/// Which backend answers each session: `echo` (default), a JSON script (`scripted=FILE`), or an
/// upstream GA Realtime WebSocket endpoint (`relay=ws://HOST:PORT/v1/realtime?model=…`).
public enum EndpointBackend: Sendable, Equatable {
    case echo
    /// A `ScriptedBackend` script, loaded once at start so a bad file fails before listening.
    case scripted(path: String)
    /// Every session is forwarded to this upstream (`ws://` only), with the relay's own key.
    case relay(url: String)

    /// Parses `echo`, `scripted=FILE` or `relay=ws://…` (the `--backend` argument).
    public init?(argument: String) {
        if argument == "echo" {
            self = .echo
        } else if argument.hasPrefix("scripted="), argument.count > "scripted=".count {
            self = .scripted(path: String(argument.dropFirst("scripted=".count)))
        } else if argument.hasPrefix("relay=ws://"), argument.count > "relay=ws://".count {
            self = .relay(url: String(argument.dropFirst("relay=".count)))
        } else {
            return nil
        }
    }
}

/// Makes a fresh session core per session from a choice validated once (`ScriptedBackend(file:)`).
struct BackendFactory: Sendable {
    private let script: [ScriptedBackend.Reply]?
    private let relay: (url: String, apiKey: String?)?

    init(_ choice: EndpointBackend, relayAPIKey: String? = nil) throws(ScriptError) {
        switch choice {
        case .echo:
            script = nil
            relay = nil
        case .scripted(let path):
            script = try ScriptedBackend(file: path).replies
            relay = nil
        case .relay(let url):
            script = nil
            relay = (url, relayAPIKey)
        }
    }

    func make() -> any RealtimeBackend {
        guard let script else { return EchoBackend() }
        return ScriptedBackend(replies: script)
    }

    /// A local `RealtimeSession`, or a `RelaySession` when relaying; `wake` wakes the endpoint
    /// thread when a relay's upstream has news.
    func makeSession(transport: RealtimeSession.Transport, tier: RateLimitTier, config: SessionConfig, unixTime: Int,
                     at now: Instant, wake: @escaping @Sendable () -> Void) -> any EndpointSessionCore {
        if let relay {
            return RelaySession(url: relay.url, apiKey: relay.apiKey, transport: transport, model: config.model.rawValue, at: now, wake: wake)
        }
        var configuration = RealtimeSession.Configuration(transport: transport, pacing: .realtime, tier: tier,
                                                          session: config, backend: make())
        configuration.unixTimeAtStart = unixTime
        return RealtimeSession(configuration, at: now)
    }
}
