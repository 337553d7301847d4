/// The protocol versions this server speaks (RFC 9112 §2.3).
public enum HTTPVersion: String, Sendable, Equatable {
    case http1_0 = "HTTP/1.0"
    case http1_1 = "HTTP/1.1"
}

/// One complete request: head, decoded body and any chunked trailers.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// The request-target as sent (origin-form `/path?query` in practice).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Trailer fields after a chunked body (empty otherwise).
    public var trailers: HTTPHeaders

    public init(method: String, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(),
                body: [UInt8] = [], trailers: HTTPHeaders = HTTPHeaders()) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        self.trailers = trailers
    }

    /// The target up to `?`, as sent (not percent-decoded: `/` encoded as `%2F` stays distinct).
    public var path: String {
        guard let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return target }
        return String(target[..<q])
    }

    /// The query part after `?`, decoded (`model=…&call_id=…`); empty without one.
    public var query: QueryString {
        guard let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return QueryString() }
        return QueryString(parsing: String(target[target.utf8.index(after: q)...]))
    }

    /// Whether the connection stays open after the response (RFC 9112 §9.3): 1.1 unless
    /// `Connection: close`; 1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool {
        let tokens = headers.tokens("Connection")
        switch version {
        case .http1_1: return !tokens.contains("close")
        case .http1_0: return tokens.contains("keep-alive") && !tokens.contains("close")
        }
    }
}
