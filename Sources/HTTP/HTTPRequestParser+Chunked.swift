extension HTTPRequestParser {
    /// Longest chunk-size line accepted (size plus extensions).
    static let maxChunkLineBytes = 4096

    /// `chunk-size [ chunk-ext ] CRLF` (RFC 9112 §7.1). Extensions are checked for syntax and
    /// ignored. False while the line is incomplete.
    mutating func parseChunkSize() throws(HTTPError) -> Bool {
        let limit = min(buffer.count, start + Self.maxChunkLineBytes + 2)
        guard let lineEnd = HTTPFieldSyntax.findCRLF(buffer, from: start, to: limit) else {
            if bufferedCount > Self.maxChunkLineBytes + 1 { throw .badRequest("chunk size line too long") }
            return false
        }
        let line = buffer[start..<lineEnd]
        var i = line.startIndex
        var size = 0
        while i < line.endIndex, let h = hexValue(line[i]) {
            guard i - line.startIndex < 15 else { throw .badRequest("chunk size too large") }
            size = size << 4 | Int(h)
            i += 1
        }
        guard i > line.startIndex else { throw .badRequest("missing chunk size") }
        var rest = line[i...]
        while let c = rest.first, c == 0x20 || c == 0x09 { rest = rest.dropFirst() }
        if let c = rest.first {
            guard c == UInt8(ascii: ";") else { throw .badRequest("invalid chunk size") }
            guard rest.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else { throw .badRequest("invalid chunk extension") }
        }
        // Invariant: a chunked state has a pending head.
        guard pending!.body.count + size <= limits.maxBodyBytes else { throw .contentTooLarge }
        start = lineEnd + 2
        if size == 0 {
            state = .trailers
            trailerFieldCount = 0
        } else {
            state = .chunkData(remaining: size)
        }
        return true
    }

    /// One trailer field line, or the blank line that ends the message (which sets `.head`).
    /// False while the line is incomplete.
    mutating func parseTrailerLine() throws(HTTPError) -> Bool {
        let limit = min(buffer.count, start + limits.maxHeaderBytes + 2)
        guard let lineEnd = HTTPFieldSyntax.findCRLF(buffer, from: start, to: limit) else {
            if bufferedCount > limits.maxHeaderBytes + 1 { throw .headerFieldsTooLarge }
            return false
        }
        defer { start = lineEnd + 2 }
        if lineEnd == start {
            state = .head
            return true
        }
        trailerFieldCount += 1
        guard trailerFieldCount <= limits.maxHeaderCount else { throw .headerFieldsTooLarge }
        let (name, value) = try HTTPFieldSyntax.parseFieldLine(buffer[start..<lineEnd])
        pending!.trailers.add(name, value) // set with the head
        return true
    }
}
