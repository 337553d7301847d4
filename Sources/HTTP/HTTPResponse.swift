import MediaCore

/// A response to serialize: status line, fields, body (RFC 9112 §4, §6).
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var reason: String
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, reason: String? = nil, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.reason = reason ?? Self.reasonPhrase(status)
        self.headers = headers
        self.body = body
    }

    /// A text body with its `Content-Type`.
    public init(status: Int, contentType: String, body: String, headers: HTTPHeaders = HTTPHeaders()) {
        var h = headers
        h.set("Content-Type", contentType)
        self.init(status: status, headers: h, body: Array(body.utf8))
    }

    /// 1xx, 204 and 304 carry no body and no `Content-Length` (RFC 9110 §8.6).
    public var forbidsBody: Bool { (100..<200).contains(status) || status == 204 || status == 304 }

    /// Whether this response itself asks to close (`Connection: close`).
    public var closesConnection: Bool { headers.tokens("Connection").contains("close") }

    /// Writes the status line, the fields, `Content-Length` (computed, replacing any given one,
    /// unless the status forbids a body), an optional `Date`, the blank line and the body.
    /// `date` is an IMF-fixdate (`HTTPDate.format`); the caller owns the clock.
    public func serialize(into w: inout ByteWriter, date: String? = nil) {
        w.write(bytes: "HTTP/1.1 \(status) \(reason)\r\n".utf8)
        if let date { w.write(bytes: "Date: \(date)\r\n".utf8) }
        for field in headers.fields where !HTTPHeaders.sameName(field.name, "Content-Length") {
            // Field values are ours; CR/LF would split the head, so they are dropped, not sent.
            let value = field.value.utf8.filter { $0 != 0x0D && $0 != 0x0A }
            w.write(bytes: field.name.utf8)
            w.write(bytes: ": ".utf8)
            w.write(bytes: value)
            w.write(bytes: "\r\n".utf8)
        }
        if !forbidsBody { w.write(bytes: "Content-Length: \(body.count)\r\n".utf8) }
        w.write(bytes: "\r\n".utf8)
        if !forbidsBody { w.write(bytes: body) }
    }

    public func serialized(date: String? = nil) -> [UInt8] {
        var w = ByteWriter(capacity: 128 + body.count)
        serialize(into: &w, date: date)
        return w.bytes
    }

    /// The RFC 9110 §15 reason phrase for the statuses this server uses.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Content"
        case 426: return "Upgrade Required"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Status \(status)"
        }
    }
}
