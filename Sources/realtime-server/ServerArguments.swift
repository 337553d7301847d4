import Realtime
import RealtimeServer

/// `realtime-server` command line: `--host 127.0.0.1 --port 0 [--api-key KEY]
/// [--backend echo|scripted=FILE|relay=ws://…] [--relay-api-key KEY] [--tier 1..5] [--max-sessions N]
/// [--dtx on|peer|off] [--call-threads N]`.
struct ServerArguments {
    var configuration = RealtimeEndpoint.Configuration()

    static let usage = "usage: realtime-server [--host 127.0.0.1] [--port 0] [--api-key KEY] [--backend echo|scripted=FILE|relay=ws://HOST:PORT/v1/realtime?model=M] [--relay-api-key KEY] [--tier 1..5] [--max-sessions N] [--dtx on|peer|off] [--call-threads N]"

    /// A usage error: one line for stderr, exit status 2.
    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    init(_ arguments: [String]) throws(UsageError) {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            if flag == "-h" || flag == "--help" { throw UsageError(description: Self.usage) }
            guard let value = rest.popFirst() else { throw UsageError(description: "\(flag) needs a value") }
            switch flag {
            case "--host":
                configuration.host = value
            case "--port":
                guard let port = UInt16(value) else { throw UsageError(description: "--port must be 0...65535, got '\(value)'") }
                configuration.port = port
            case "--api-key":
                guard !value.isEmpty else { throw UsageError(description: "--api-key must not be empty") }
                configuration.apiKey = value
            case "--backend":
                guard let backend = EndpointBackend(argument: value) else {
                    throw UsageError(description: "--backend must be echo, scripted=FILE or relay=ws://…, got '\(value)'")
                }
                configuration.backend = backend
            case "--relay-api-key":
                guard !value.isEmpty else { throw UsageError(description: "--relay-api-key must not be empty") }
                configuration.relayAPIKey = value
            case "--tier":
                guard let n = Int(value), let tier = RateLimitTier(rawValue: n) else {
                    throw UsageError(description: "--tier must be 1...5, got '\(value)'")
                }
                configuration.tier = tier
            case "--max-sessions":
                guard let n = Int(value), n >= 1 else { throw UsageError(description: "--max-sessions must be a positive integer, got '\(value)'") }
                configuration.maxSessions = n
            case "--call-threads":
                guard let n = Int(value), (1...64).contains(n) else { throw UsageError(description: "--call-threads must be 1...64, got '\(value)'") }
                configuration.callThreads = n
            case "--dtx":
                // on (the default): DTX sent and asked for; peer: only when the caller asks; off.
                switch value {
                case "on": configuration.peerConnection.session.dtx = .on
                case "peer": configuration.peerConnection.session.dtx = .whenPeerPrefers
                case "off": configuration.peerConnection.session.dtx = .off
                default: throw UsageError(description: "--dtx must be on, peer or off, got '\(value)'")
                }
            default:
                throw UsageError(description: "unknown option \(flag)")
            }
        }
    }
}

extension RealtimeEndpointError {
    /// Errors that are the command line's fault (exit 2) rather than the environment's (exit 1).
    var isUsage: Bool {
        switch self {
        case .openOnNonLoopback, .invalidMaxSessions: return true
        case .script, .listen: return false
        }
    }
}
