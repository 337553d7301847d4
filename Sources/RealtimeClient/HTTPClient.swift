import HTTP
import MediaCore
import Realtime
import Runtime

/// A response as `HTTPClient` read it.
public struct HTTPClientResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The OpenAI error body's `error.message`, when there is one.
    public var openAIErrorMessage: String? {
        guard case .object(let root)? = try? JSONParser.parse(body), case .object(let error)? = root["error"],
              case .string(let message)? = error["message"] else { return nil }
        return message
    }
}

/// A small HTTP/1.1 client for the Realtime REST calls (SDP offers, client secrets): one request
/// per connection (`Connection: close`), over TCP or TLS, within one deadline. The body is read by
/// `Content-Length`, chunked, or up to the close; responses are capped at 4 MiB.
public enum HTTPClient {
    public static let maxResponseBytes = 4 * 1024 * 1024

    public static func request(_ method: String, _ endpoint: EndpointURL, path: String, headers: HTTPHeaders = HTTPHeaders(),
                               body: [UInt8] = [], caFile: String? = nil, timeout: Duration = .seconds(10)) throws(TransportError) -> HTTPClientResponse {
        let deadline = RuntimeClock.now() + timeout
        let stream: any ByteStream = endpoint.secure
            ? try TLSConnection(host: endpoint.host, port: endpoint.port, caFile: caFile, timeout: timeout)
            : try TCPStream(host: endpoint.host, port: endpoint.port, timeout: timeout)
        defer { stream.close() }
        var head = "\(method) \(endpoint.prefix)\(path) HTTP/1.1\r\nHost: \(endpoint.hostField)\r\nConnection: close\r\n"
        head += "Content-Length: \(body.count)\r\nUser-Agent: swiftrealtime-client\r\n"
        for field in headers { head += "\(field.name): \(field.value)\r\n" }
        head += "\r\n"
        try stream.write(Array(head.utf8) + body, deadline: deadline)

        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var eof = false
        func fill() throws(TransportError) {
            let n = try stream.read(into: &chunk, deadline: deadline)
            if n == 0 { eof = true } else { buffer += chunk[..<n] }
            guard buffer.count <= maxResponseBytes else { throw .io("response larger than \(maxResponseBytes) bytes") }
        }
        var headEnd: Int?
        while headEnd == nil {
            headEnd = blankLine(buffer)
            if headEnd == nil {
                guard !eof else { throw buffer.isEmpty ? .closed : .io("response head cut short") }
                try fill()
            }
        }
        let end = headEnd!
        let parsed: HTTPResponseHead
        do { parsed = try HTTPResponseHead(parsing: buffer[..<end]) } catch { throw .io("unreadable HTTP response: \(error)") }
        var rest = Array(buffer[(end + 4)...])
        buffer = rest
        if method == "HEAD" || parsed.status == 204 || parsed.status == 304 || (100..<200).contains(parsed.status) {
            return HTTPClientResponse(status: parsed.status, headers: parsed.headers, body: [])
        }
        if let lengthText = parsed.headers["Content-Length"] {
            guard let length = Int(lengthText.trimmingSpaces), length >= 0, length <= maxResponseBytes else {
                throw .io("bad Content-Length \(lengthText)")
            }
            while buffer.count < length {
                guard !eof else { throw .io("response body cut short (\(buffer.count) of \(length) bytes)") }
                try fill()
            }
            rest = Array(buffer.prefix(length))
        } else if parsed.headers.tokens("Transfer-Encoding").contains("chunked") {
            let more = { () throws(TransportError) -> [UInt8]? in
                if eof { return nil }
                let before = buffer.count
                try fill()
                return Array(buffer[before...])
            }
            rest = try dechunk(more, initial: buffer)
        } else {
            while !eof { try fill() }
            rest = buffer
        }
        return HTTPClientResponse(status: parsed.status, headers: parsed.headers, body: rest)
    }

    /// Decodes a chunked body; `more` supplies further bytes (nil at end of stream).
    static func dechunk(_ more: () throws(TransportError) -> [UInt8]?, initial: [UInt8]) throws(TransportError) -> [UInt8] {
        var data = initial, pos = 0, out: [UInt8] = []
        func line() throws(TransportError) -> String {
            while true {
                if let i = data[pos...].firstIndex(of: 0x0A) {
                    let text = String(decoding: data[pos..<i], as: UTF8.self)
                    pos = i + 1
                    return text.hasSuffix("\r") ? String(text.dropLast()) : text
                }
                guard let m = try more() else { throw .io("chunked body cut short") }
                data += m
            }
        }
        while true {
            let sizeText = try line().prefix { $0 != ";" }
            guard let size = Int(sizeText.trimmingSpaces, radix: 16), size >= 0, size <= maxResponseBytes - out.count else {
                throw .io("bad chunk size")
            }
            if size == 0 { return out }
            while data.count - pos < size + 2 {
                guard let m = try more() else { throw .io("chunked body cut short") }
                data += m
            }
            out += data[pos..<pos + size]
            pos += size + 2
        }
    }

    static func blankLine(_ b: [UInt8]) -> Int? {
        guard b.count >= 4 else { return nil }
        for i in 0...(b.count - 4) where b[i] == 0x0D && b[i + 1] == 0x0A && b[i + 2] == 0x0D && b[i + 3] == 0x0A { return i }
        return nil
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
