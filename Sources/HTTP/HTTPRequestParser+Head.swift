extension HTTPRequestParser {
    /// Parses the request line and fields once the blank line has arrived, and picks the body
    /// framing (RFC 9112 §6.3). Nil while the head is incomplete and within its limits.
    mutating func parseHead() throws(HTTPError) -> (HTTPRequest, Bool)? {
        // RFC 9112 §2.2: ignore empty lines before the request line.
        while bufferedCount >= 2, buffer[start] == 0x0D, buffer[start + 1] == 0x0A { start += 2 }
        guard let end = HTTPFieldSyntax.findBlankLine(buffer, from: start + max(0, scanned - 3)) else {
            scanned = bufferedCount
            let lineEnd = HTTPFieldSyntax.findCRLF(buffer, from: start, to: min(buffer.count, start + limits.maxRequestLineBytes + 2))
            if lineEnd == nil, bufferedCount > limits.maxRequestLineBytes + 1 { throw .uriTooLong }
            if bufferedCount > limits.maxHeaderBytes { throw .headerFieldsTooLarge }
            return nil
        }
        guard end + 4 - start <= limits.maxHeaderBytes else { throw .headerFieldsTooLarge }
        let lines = HTTPFieldSyntax.lines(buffer[start..<end])
        start = end + 4
        scanned = 0

        let requestLine = lines[0] // `lines` always returns at least one line
        guard requestLine.count <= limits.maxRequestLineBytes else { throw .uriTooLong }
        var request = try Self.parseRequestLine(requestLine)
        guard lines.count - 1 <= limits.maxHeaderCount else { throw .headerFieldsTooLarge }
        for line in lines.dropFirst() {
            let (name, value) = try HTTPFieldSyntax.parseFieldLine(line)
            request.headers.add(name, value)
        }
        let headers = request.headers

        if request.version == .http1_1, headers.values("Host").count != 1 {
            throw .badRequest("HTTP/1.1 needs exactly one Host field")
        }
        let hasLength = headers.contains("Content-Length")
        if headers.contains("Transfer-Encoding") {
            guard request.version == .http1_1 else { throw .badRequest("Transfer-Encoding in HTTP/1.0") }
            guard !hasLength else { throw .badRequest("both Transfer-Encoding and Content-Length") }
            let codings = headers.tokens("Transfer-Encoding")
            if codings != ["chunked"] {
                if codings.contains(where: { $0 != "chunked" }) { throw .notImplemented("transfer coding \(codings.joined(separator: ", "))") }
                throw .badRequest("invalid Transfer-Encoding")
            }
            state = .chunkSize
        } else if hasLength {
            let length = try Self.contentLength(headers.values("Content-Length"))
            guard length <= limits.maxBodyBytes else { throw .contentTooLarge }
            state = .fixedBody(length: length)
        } else {
            state = .fixedBody(length: 0)
        }
        let hasBody: Bool
        if case .fixedBody(0) = state { hasBody = false } else { hasBody = true }
        let expectsContinue = hasBody && request.version == .http1_1
            && headers.values("Expect").contains { $0.lowercased() == "100-continue" }
        return (request, expectsContinue)
    }

    /// `method SP request-target SP HTTP-version` (RFC 9112 §3), single spaces only.
    static func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPError) -> HTTPRequest {
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .badRequest("request line is not method, target and version") }
        guard HTTPFieldSyntax.isToken(parts[0]) else { throw .badRequest("invalid method") }
        guard !parts[1].isEmpty, parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .badRequest("invalid request target") }
        let versionText = String(decoding: parts[2], as: UTF8.self)
        guard let version = HTTPVersion(rawValue: versionText) else {
            let v = Array(parts[2])
            let isDigit = { (c: UInt8) in c >= 0x30 && c <= 0x39 }
            if v.count == 8, v.starts(with: Array("HTTP/".utf8)), isDigit(v[5]), v[6] == UInt8(ascii: "."), isDigit(v[7]) {
                throw .versionNotSupported
            }
            throw .badRequest("invalid HTTP version")
        }
        return HTTPRequest(method: String(decoding: parts[0], as: UTF8.self), target: String(decoding: parts[1], as: UTF8.self),
                           version: version)
    }

    /// One decimal length from one or more `Content-Length` fields; repeated identical values are
    /// allowed (RFC 9112 §6.3 item 5), differing ones are not.
    static func contentLength(_ values: [String]) throws(HTTPError) -> Int {
        var result: Int?
        for element in values.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let digits = element.trimmingOWS().utf8
            guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw .badRequest("invalid Content-Length")
            }
            let n = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            if let r = result, r != n { throw .badRequest("conflicting Content-Length values") }
            result = n
        }
        guard let result else { throw .badRequest("empty Content-Length") }
        return result
    }
}
