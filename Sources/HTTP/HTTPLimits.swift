import MediaCore

/// Bounds on what one connection may send and how long it may take (slow-loris and memory
/// exhaustion defences). Every limit breach maps to a status via `HTTPError`.
public struct HTTPLimits: Sendable, Equatable {
    /// Bytes in the request line, CRLF excluded (beyond: 414).
    public var maxRequestLineBytes: Int
    /// Header (and trailer) fields per request (beyond: 431).
    public var maxHeaderCount: Int
    /// Bytes of the whole head: request line, fields and the blank line (beyond: 431).
    public var maxHeaderBytes: Int
    /// Bytes of the decoded body (beyond: 413).
    public var maxBodyBytes: Int
    /// From the first byte of a request to the end of its head (beyond: 408).
    public var headerReadTimeout: Duration
    /// From the end of the head to the end of the body (beyond: 408).
    public var bodyReadTimeout: Duration
    /// A kept-alive connection with no request in progress is closed after this.
    public var idleTimeout: Duration

    public init(maxRequestLineBytes: Int = 8 * 1024, maxHeaderCount: Int = 100, maxHeaderBytes: Int = 32 * 1024,
                maxBodyBytes: Int = 4 * 1024 * 1024, headerReadTimeout: Duration = .seconds(10),
                bodyReadTimeout: Duration = .seconds(30), idleTimeout: Duration = .seconds(60)) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
        self.headerReadTimeout = headerReadTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.idleTimeout = idleTimeout
    }
}
