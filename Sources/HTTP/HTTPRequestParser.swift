/// An incremental, bounded HTTP/1.1 request parser (RFC 9112): bytes go in as they arrive, in any
/// pieces; complete requests come out in order, so pipelined requests in one buffer are fine.
///
/// Strict: CRLF line ends only, no obsolete line folding, one `Host` in 1.1, `Content-Length` with
/// `Transfer-Encoding` rejected (request smuggling), every limit in `HTTPLimits` enforced before
/// the bytes are buffered past it. After an error the parser stays failed: the connection must
/// answer `error.status` and close.
public struct HTTPRequestParser: Sendable {
    /// What `next()` produces.
    public enum Output: Sendable, Equatable {
        /// The head of a request that sent `Expect: 100-continue` and has a body still to come:
        /// answer `100 Continue` (the body is empty here).
        case continueExpected(HTTPRequest)
        /// A complete request.
        case request(HTTPRequest)
    }

    /// Where the parser is in the current request, for the connection's timeouts.
    public enum Phase: Sendable, Equatable {
        /// Between requests: nothing of the next one buffered.
        case idle
        /// Reading a request line and fields.
        case head
        /// Reading a body (the head was complete).
        case body
    }

    enum State: Sendable {
        case head
        case fixedBody(length: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case trailers
    }

    public let limits: HTTPLimits
    var buffer: [UInt8] = []
    /// First unconsumed byte of `buffer`.
    var start = 0
    /// Offset from `start` up to which the head was searched for its blank line.
    var scanned = 0
    var state: State = .head
    var pending: HTTPRequest?
    var trailerFieldCount = 0
    var failure: HTTPError?

    public init(limits: HTTPLimits = HTTPLimits()) { self.limits = limits }

    /// Bytes received and not yet part of an emitted request.
    public var bufferedCount: Int { buffer.count - start }

    public var phase: Phase {
        switch state {
        case .head: return pending == nil && bufferedCount == 0 ? .idle : .head
        default: return .body
        }
    }

    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Hands over whatever is buffered past the last request (the first WebSocket frames after an
    /// upgrade) and empties the parser.
    public mutating func takeRemaining() -> [UInt8] {
        defer {
            buffer = []
            start = 0
            scanned = 0
        }
        return Array(buffer[start...])
    }

    /// The next complete request (or 100-continue notice), nil when more bytes are needed.
    public mutating func next() throws(HTTPError) -> Output? {
        if let failure { throw failure }
        do {
            return try step()
        } catch {
            failure = error
            throw error
        }
    }

    mutating func step() throws(HTTPError) -> Output? {
        while true {
            switch state {
            case .head:
                guard let (request, expectsContinue) = try parseHead() else { return nil }
                if case .fixedBody(0) = state {
                    state = .head
                    return .request(request)
                }
                pending = request
                if expectsContinue { return .continueExpected(request) }
            case let .fixedBody(length):
                guard bufferedCount >= length else { return nil }
                pending!.body.append(contentsOf: buffer[start..<start + length]) // set with the head
                start += length
                return finish()
            case .chunkSize:
                guard try parseChunkSize() else { return nil }
            case let .chunkData(remaining):
                guard bufferedCount >= remaining + 2 else { return nil }
                guard buffer[start + remaining] == 0x0D, buffer[start + remaining + 1] == 0x0A else {
                    throw .badRequest("chunk data not followed by CRLF")
                }
                pending!.body.append(contentsOf: buffer[start..<start + remaining]) // set with the head
                start += remaining + 2
                state = .chunkSize
            case .trailers:
                guard try parseTrailerLine() else { return nil }
                if case .head = state { return finish() }
            }
        }
    }

    mutating func finish() -> Output {
        // Invariant: only called once a head has set `pending`.
        let request = pending!
        pending = nil
        state = .head
        scanned = 0
        return .request(request)
    }
}
