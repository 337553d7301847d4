import MediaCore

/// A `multipart/form-data` body (RFC 7578 over RFC 2046 §5.1), as `POST /v1/realtime/calls`
/// sends it with parts `sdp` and `session`.
///
///     preamble CRLF? "--" boundary *LWSP CRLF
///       part-headers CRLF  part-body
///     CRLF "--" boundary *LWSP CRLF … (next part)
///     CRLF "--" boundary "--" epilogue
///
/// A part body ends only at CRLF + "--" + boundary, so bare boundaries or lone CR/LF inside a
/// body are data.
public struct MultipartFormData: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        public var headers: HTTPHeaders
        /// The `name` parameter of `Content-Disposition: form-data`.
        public var name: String
        public var filename: String?
        public var contentType: String? { headers["Content-Type"] }
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public var parts: [Part]

    /// Parts beyond this are rejected (a form here has two).
    public static let maxParts = 64

    /// The first part with this form name.
    public subscript(name: String) -> Part? { parts.first { $0.name == name } }

    public init(parsing body: [UInt8], boundary: String) throws(ParseError) {
        let b = Array(boundary.utf8)
        guard (1...70).contains(b.count) else { throw .invalidValue(field: "boundary", reason: "length must be 1...70") }
        let dash = Array("--".utf8) + b
        let delimiter = Array("\r\n".utf8) + dash
        // The first delimiter may open the body without a preceding CRLF.
        var cursor: Int
        if body.starts(with: dash) {
            cursor = dash.count
        } else if let i = Self.findDelimiter(delimiter, in: body, from: 0) {
            cursor = i + delimiter.count
        } else {
            throw .malformed(line: 0, reason: "no boundary delimiter")
        }
        parts = []
        while true {
            // After a delimiter: "--" closes; otherwise transport padding then CRLF.
            if cursor + 1 < body.count, body[cursor] == UInt8(ascii: "-"), body[cursor + 1] == UInt8(ascii: "-") { break }
            while cursor < body.count, body[cursor] == 0x20 || body[cursor] == 0x09 { cursor += 1 }
            guard cursor + 1 < body.count, body[cursor] == 0x0D, body[cursor + 1] == 0x0A else {
                throw .malformed(line: parts.count, reason: "boundary not followed by CRLF")
            }
            cursor += 2
            guard parts.count < Self.maxParts else { throw .invalidValue(field: "parts", reason: "more than \(Self.maxParts)") }
            guard let next = Self.findDelimiter(delimiter, in: body, from: cursor) else {
                throw .malformed(line: parts.count, reason: "part not closed by a boundary")
            }
            parts.append(try Self.parsePart(body[cursor..<next], index: parts.count))
            cursor = next + delimiter.count
        }
    }

    /// `Content-Type: multipart/form-data; boundary=…` → the boundary (quoted or not), or nil when
    /// the type is not multipart/form-data or has no boundary.
    public static func boundary(fromContentType value: String) -> String? {
        let params = parameters(value)
        guard params.type == "multipart/form-data", let b = params.values["boundary"], !b.isEmpty else { return nil }
        return b
    }

    static func parsePart(_ raw: ArraySlice<UInt8>, index: Int) throws(ParseError) -> Part {
        var headers = HTTPHeaders()
        let body: ArraySlice<UInt8>
        if raw.starts(with: [0x0D, 0x0A]) {
            body = raw.dropFirst(2) // no part headers
        } else {
            guard let end = find(Array("\r\n\r\n".utf8), in: raw, from: raw.startIndex) else {
                throw .malformed(line: index, reason: "part headers not ended by a blank line")
            }
            for line in HTTPFieldSyntax.lines(raw[raw.startIndex..<end]) {
                do {
                    let (n, v) = try HTTPFieldSyntax.parseFieldLine(line)
                    headers.add(n, v)
                } catch {
                    throw .malformed(line: index, reason: "part header: \(error)")
                }
            }
            body = raw[(end + 4)...]
        }
        guard let disposition = headers["Content-Disposition"] else {
            throw .invalidValue(field: "Content-Disposition", reason: "missing in part \(index)")
        }
        let params = parameters(disposition)
        guard params.type == "form-data", let name = params.values["name"] else {
            throw .invalidValue(field: "Content-Disposition", reason: "not form-data with a name")
        }
        return Part(headers: headers, name: name, filename: params.values["filename"], body: Array(body))
    }

    /// `type; a=b; c="d;e"` with quoted-strings (backslash escapes) honoured.
    static func parameters(_ value: String) -> (type: String, values: [String: String]) {
        let u = Array(value.utf8)
        var items: [String] = []
        var current: [UInt8] = []
        var quoted = false, escaped = false
        for c in u {
            if escaped { current.append(c); escaped = false; continue }
            if quoted, c == UInt8(ascii: "\\") { escaped = true; continue }
            if c == UInt8(ascii: "\"") { quoted.toggle(); continue }
            if c == UInt8(ascii: ";"), !quoted {
                items.append(String(decoding: current, as: UTF8.self))
                current = []
                continue
            }
            current.append(c)
        }
        items.append(String(decoding: current, as: UTF8.self))
        var values: [String: String] = [:]
        for item in items.dropFirst() {
            guard let eq = item.firstIndex(of: "=") else { continue }
            let key = item[..<eq].trimmingOWS().lowercased()
            if values[key] == nil { values[key] = String(item[item.index(after: eq)...]).trimmingOWS() }
        }
        return (items[0].trimmingOWS().lowercased(), values)
    }

    /// The next CRLF "--" boundary that really is a delimiter: followed by "--", or by optional
    /// spaces/tabs and CRLF.
    static func findDelimiter(_ delimiter: [UInt8], in body: [UInt8], from: Int) -> Int? {
        var from = from
        while let i = find(delimiter, in: body, from: from) {
            var j = i + delimiter.count
            if j + 1 < body.count, body[j] == UInt8(ascii: "-"), body[j + 1] == UInt8(ascii: "-") { return i }
            while j < body.count, body[j] == 0x20 || body[j] == 0x09 { j += 1 }
            if j + 1 < body.count, body[j] == 0x0D, body[j + 1] == 0x0A { return i }
            from = i + 1
        }
        return nil
    }

    static func find<C: RandomAccessCollection>(_ needle: [UInt8], in hay: C, from: C.Index) -> C.Index?
    where C.Element == UInt8, C.Index == Int {
        guard let first = needle.first, hay.endIndex - from >= needle.count else { return nil }
        var i = from
        let last = hay.endIndex - needle.count
        while i <= last {
            if hay[i] == first {
                var j = 1
                while j < needle.count, hay[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
