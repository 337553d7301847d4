import Runtime

/// Why a Realtime client call failed, sorted by what the user can do about it; `realtime-call`
/// maps each kind to its exit code (usage 2, connect 3, protocol 4, timeout 5).
public enum RealtimeClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The configuration itself is wrong (bad URL, missing key for a remote endpoint).
    case usage(String)
    /// No connection: unreachable or refusing host, DNS, TLS verification.
    case connect(String)
    /// The peer answered but not as the protocol says: an HTTP error status (401 included), a
    /// body that is not SDP, an `error` event before the session started, an unreadable event.
    case protocolError(String)
    /// The peer stayed silent past a deadline.
    case timeout(String)
    /// The client was closed.
    case closed

    public var description: String {
        switch self {
        case .usage(let m), .connect(let m), .protocolError(let m), .timeout(let m): return m
        case .closed: return "the client is closed"
        }
    }

    /// `realtime-call`'s exit code for this failure.
    public var exitCode: Int32 {
        switch self {
        case .usage: return 2
        case .connect: return 3
        case .protocolError: return 4
        case .timeout: return 5
        case .closed: return 4
        }
    }

    /// Sorts a transport failure: a timeout is `.timeout`, a peer closing mid-exchange a protocol
    /// error, everything before a connection a connect error; `what` names the step.
    static func transport(_ e: TransportError, _ what: String) -> RealtimeClientError {
        switch e {
        case .timedOut: return .timeout("\(what): no answer (\(e))")
        case .closed, .io: return .protocolError("\(what): \(e)")
        case .unresolvableHost, .connectFailed, .tls: return .connect("\(what): \(e)")
        }
    }

    /// An HTTP error status from `path`, with the OpenAI error message when the body has one.
    static func http(_ r: HTTPClientResponse, _ path: String) -> RealtimeClientError {
        let message = r.openAIErrorMessage ?? String(r.bodyText.prefix(200)).split(whereSeparator: \.isNewline).joined(separator: " ")
        return .protocolError("HTTP \(r.status) from \(path)\(message.isEmpty ? "" : ": \(message)")")
    }
}
