/// The RFC 9110 §5 field grammar shared by request heads, response heads, chunked trailers and
/// multipart part headers.
enum HTTPFieldSyntax {
    /// `tchar` (RFC 9110 §5.6.2): the characters of a method, field name or token.
    static func isTokenChar(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    static func isToken<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        !bytes.isEmpty && bytes.allSatisfy(isTokenChar)
    }

    /// `field-vchar`, SP or HTAB: what a field value may hold (no CR, LF, NUL or other controls).
    static func isFieldValueChar(_ c: UInt8) -> Bool { c == 0x09 || c == 0x20 || (c >= 0x21 && c != 0x7F) }

    /// One `field-line` without its CRLF: `name ":" OWS value OWS`. Rejects obsolete line folding
    /// (a line starting with whitespace), whitespace before the colon and control characters.
    static func parseFieldLine(_ line: ArraySlice<UInt8>) throws(HTTPError) -> (name: String, value: String) {
        guard let first = line.first else { throw .badRequest("empty field line") }
        if first == 0x20 || first == 0x09 { throw .badRequest("obsolete line folding") }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .badRequest("field line without colon") }
        let name = line[line.startIndex..<colon]
        guard isToken(name) else { throw .badRequest("invalid field name") }
        var s = line.index(after: colon), e = line.endIndex
        while s < e, line[s] == 0x20 || line[s] == 0x09 { s += 1 }
        while e > s, line[e - 1] == 0x20 || line[e - 1] == 0x09 { e -= 1 }
        let value = line[s..<e]
        guard value.allSatisfy(isFieldValueChar) else { throw .badRequest("invalid character in field value") }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// Index of the first CRLF at or after `from` in `bytes`, if any.
    static func findCRLF(_ bytes: [UInt8], from: Int, to end: Int? = nil) -> Int? {
        let end = end ?? bytes.count
        var i = from
        while i + 1 < end {
            if bytes[i] == 0x0D, bytes[i + 1] == 0x0A { return i }
            i += 1
        }
        return nil
    }

    /// Index of the first CRLF CRLF at or after `from`, if any.
    static func findBlankLine(_ bytes: [UInt8], from: Int) -> Int? {
        var i = from
        while i + 3 < bytes.count {
            if bytes[i + 3] == 0x0A, bytes[i + 2] == 0x0D, bytes[i + 1] == 0x0A, bytes[i] == 0x0D { return i }
            i += 1
        }
        return nil
    }

    /// Splits a head (without its final blank line) into lines at CRLF. A lone CR or LF stays in
    /// its line, where the grammar then rejects it.
    static func lines(_ head: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var s = head.startIndex, i = head.startIndex
        while i < head.endIndex {
            if head[i] == 0x0D, i + 1 < head.endIndex, head[i + 1] == 0x0A {
                out.append(head[s..<i])
                i += 2
                s = i
            } else {
                i += 1
            }
        }
        out.append(head[s..<head.endIndex])
        return out
    }
}
