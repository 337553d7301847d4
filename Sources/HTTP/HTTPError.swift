/// Why a request could not be read, each case tied to the status the server answers with before it
/// closes the connection (RFC 9110 §15, RFC 6585 §5 for 431).
public enum HTTPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Malformed syntax, conflicting framing headers, bad chunk sizes: 400.
    case badRequest(String)
    /// The request (head or body) did not arrive within its time limit: 408.
    case requestTimeout
    /// `Content-Length` or the decoded chunked body exceeds the body limit: 413.
    case contentTooLarge
    /// The request line exceeds its limit: 414.
    case uriTooLong
    /// Too many header fields or too many header bytes: 431.
    case headerFieldsTooLarge
    /// A transfer coding (or feature) this server does not implement: 501.
    case notImplemented(String)
    /// An HTTP version other than 1.0 or 1.1: 505.
    case versionNotSupported

    /// The response status this error is answered with.
    public var status: Int {
        switch self {
        case .badRequest: return 400
        case .requestTimeout: return 408
        case .contentTooLarge: return 413
        case .uriTooLong: return 414
        case .headerFieldsTooLarge: return 431
        case .notImplemented: return 501
        case .versionNotSupported: return 505
        }
    }

    public var description: String {
        switch self {
        case let .badRequest(why): return "bad request: \(why)"
        case .requestTimeout: return "request timeout"
        case .contentTooLarge: return "content too large"
        case .uriTooLong: return "request line too long"
        case .headerFieldsTooLarge: return "header fields too large"
        case let .notImplemented(what): return "not implemented: \(what)"
        case .versionNotSupported: return "HTTP version not supported"
        }
    }
}
