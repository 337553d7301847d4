/// The status line and fields of a response, as a WebSocket client reads the server's handshake
/// answer (RFC 9112 §4).
public struct HTTPResponseHead: Sendable, Equatable {
    public var version: HTTPVersion
    public var status: Int
    public var reason: String
    public var headers: HTTPHeaders

    /// Parses a head given without its final blank line (`status-line CRLF *(field-line CRLF)`).
    public init(parsing head: ArraySlice<UInt8>) throws(HTTPError) {
        let lines = HTTPFieldSyntax.lines(head)
        let statusLine = lines[0] // `lines` always returns at least one line
        let sp = statusLine.firstIndex(of: 0x20) ?? statusLine.endIndex
        guard let version = HTTPVersion(rawValue: String(decoding: statusLine[statusLine.startIndex..<sp], as: UTF8.self)) else {
            throw .versionNotSupported
        }
        let rest = statusLine[sp...].dropFirst()
        let code = rest.prefix(3)
        guard code.count == 3, code.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), rest.count == 3 || rest.dropFirst(3).first == 0x20 else {
            throw .badRequest("invalid status line")
        }
        self.version = version
        status = code.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        reason = String(decoding: rest.dropFirst(4), as: UTF8.self)
        headers = HTTPHeaders()
        for line in lines.dropFirst() {
            let (n, v) = try HTTPFieldSyntax.parseFieldLine(line)
            headers.add(n, v)
        }
    }
}
