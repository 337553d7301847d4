import MediaCore

/// An SDP session description (RFC 8866), kept line for line so it serializes back to the exact
/// bytes it was parsed from (line order, unknown lines and attributes, and each line's CRLF or LF).
///
/// Typed views (`origin`, `bundleGroups`, `MediaSection.rtpMaps`, …) read the stored lines on
/// demand; they throw `ParseError` when the line they need is malformed. Parsing itself checks the
/// structure every consumer relies on: `v=0` first, then `o=` and `s=`, a `t=` line, known type
/// letters, well-formed `o=` and `m=` lines, and valid UTF-8 without NUL or stray CR.
public struct SessionDescription: Sendable, Hashable {
    /// Lines before the first `m=`, starting with `v=0`.
    public var sessionLines: [SDPLine]
    public var mediaSections: [MediaSection]

    /// Builds a description from lines (the negotiator's output). No validation: it is ours.
    public init(sessionLines: [SDPLine], mediaSections: [MediaSection]) {
        self.sessionLines = sessionLines
        self.mediaSections = mediaSections
    }

    /// Parses SDP text.
    public init(parsing text: String) throws(ParseError) {
        var text = text
        let parsed: Result<SessionDescription, ParseError> = text.withUTF8 { buffer in
            do throws(ParseError) { return .success(try SessionDescription(utf8: buffer, validate: false)) } catch { return .failure(error) }
        }
        self = try parsed.get()
    }

    /// Parses SDP bytes; they must be valid UTF-8 (bytes are never replaced: that would break the round trip).
    public init(parsing bytes: ArraySlice<UInt8>) throws(ParseError) {
        let parsed: Result<SessionDescription, ParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            do throws(ParseError) { return .success(try SessionDescription(utf8: buffer, validate: true)) } catch { return .failure(error) }
        }
        if let parsed { self = try parsed.get() } else { try self.init(parsing: Array(bytes)[...]) }
    }

    /// Parses everything left in `reader` as one description.
    public init(parsing reader: inout ByteReader) throws(ParseError) {
        try self.init(parsing: reader.readRemaining())
    }

    /// The exact bytes of the description (the parsed input, when unmodified).
    public func serialize(into w: inout ByteWriter) {
        for line in sessionLines { line.serialize(into: &w) }
        for section in mediaSections { section.serialize(into: &w) }
    }

    /// The description as text.
    public var text: String {
        var w = ByteWriter(capacity: 4096)
        serialize(into: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// The line ending new lines should use: the first line's (CRLF for an empty description).
    public var lineEnding: LineEnding {
        let e = sessionLines.first?.ending ?? .crlf
        return e == .none ? .crlf : e
    }
}

// MARK: - Parsing

extension SessionDescription {
    /// Type letters RFC 8866 defines; any other letter makes the description invalid (§5).
    static func isKnownType(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "v"), UInt8(ascii: "o"), UInt8(ascii: "s"), UInt8(ascii: "i"), UInt8(ascii: "u"),
             UInt8(ascii: "e"), UInt8(ascii: "p"), UInt8(ascii: "c"), UInt8(ascii: "b"), UInt8(ascii: "t"),
             UInt8(ascii: "r"), UInt8(ascii: "z"), UInt8(ascii: "k"), UInt8(ascii: "a"), UInt8(ascii: "m"): true
        default: false
        }
    }

    /// Types allowed after `m=` (RFC 8866 §5: media-level i, c, b, k, a).
    static func isMediaLevelType(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "i"), UInt8(ascii: "c"), UInt8(ascii: "b"), UInt8(ascii: "k"), UInt8(ascii: "a"): true
        default: false
        }
    }

    init(utf8 buffer: UnsafeBufferPointer<UInt8>, validate: Bool) throws(ParseError) {
        if validate {
            // Swift's own validator; an invalid sequence is an error, never a replacement.
            guard String(validating: buffer, as: UTF8.self) != nil else {
                throw .invalidValue(field: "sdp", reason: "not valid UTF-8")
            }
        }
        var session: [SDPLine] = []
        session.reserveCapacity(12)
        var sections: [MediaSection] = []
        var current: MediaSection?
        var lineNumber = 0
        var sawTiming = false
        var start = 0
        let n = buffer.count
        while start < n {
            lineNumber += 1
            var end = start
            while end < n, buffer[end] != 0x0A { end += 1 }
            let ending: LineEnding
            var contentEnd = end
            if end < n {
                if end > start, buffer[end - 1] == 0x0D { ending = .crlf; contentEnd = end - 1 } else { ending = .lf }
            } else {
                ending = .none
            }
            guard contentEnd - start >= 2, buffer[start + 1] == UInt8(ascii: "=") else {
                throw .malformed(line: lineNumber, reason: "expected <type>=<value>")
            }
            let type = buffer[start]
            guard Self.isKnownType(type) else { throw .malformed(line: lineNumber, reason: "unknown line type") }
            for i in (start + 2)..<contentEnd where buffer[i] == 0 || buffer[i] == 0x0D {
                throw .malformed(line: lineNumber, reason: "NUL or CR inside a line")
            }
            let value = String(decoding: UnsafeBufferPointer(rebasing: buffer[(start + 2)..<contentEnd]), as: UTF8.self)
            let line = SDPLine(typeByte: type, value: value, ending: ending)
            switch lineNumber {
            case 1: guard type == UInt8(ascii: "v"), value == "0" else { throw .malformed(line: 1, reason: "first line must be v=0") }
            case 2:
                guard type == UInt8(ascii: "o") else { throw .malformed(line: 2, reason: "second line must be o=") }
                do { _ = try Origin(parsing: value[...]) } catch { throw .malformed(line: 2, reason: "bad o= line: \(error)") }
            case 3: guard type == UInt8(ascii: "s") else { throw .malformed(line: 3, reason: "third line must be s=") }
            default: break
            }
            if type == UInt8(ascii: "m") {
                let media: MediaDescription
                do { media = try MediaDescription(parsing: value[...]) } catch { throw .malformed(line: lineNumber, reason: "bad m= line: \(error)") }
                if let c = current { sections.append(c) }
                current = MediaSection(mediaLine: line, media: media)
            } else if current != nil {
                guard Self.isMediaLevelType(type) else { throw .malformed(line: lineNumber, reason: "line type not allowed in a media section") }
                current!.lines.append(line)
            } else {
                if type == UInt8(ascii: "t") { sawTiming = true }
                session.append(line)
            }
            start = end + 1
        }
        guard lineNumber >= 3 else { throw .truncated(offset: n, needed: 1) }
        guard sawTiming else { throw .malformed(line: lineNumber, reason: "no t= line in the session section") }
        if let c = current { sections.append(c) }
        sessionLines = session
        mediaSections = sections
    }
}

// MARK: - Session-level typed view

extension SessionDescription {
    /// The `o=` line.
    public var origin: Origin {
        get throws(ParseError) {
            guard let line = sessionLines.first(where: { $0.type == UInt8(ascii: "o") }) else { throw .malformed(line: 2, reason: "no o= line") }
            return try Origin(parsing: line.value[...])
        }
    }

    /// Values of every session-level `a=<name>` line, in order.
    public func sessionAttributeValues(_ name: StaticString) -> [Substring] {
        sessionLines.compactMap { $0.isAttribute(named: name) ? ($0.attributeValue ?? "") : nil }
    }

    /// The first session-level `a=<name>` value ("" for a property attribute), nil when absent.
    public func sessionAttribute(_ name: StaticString) -> Substring? {
        for line in sessionLines where line.isAttribute(named: name) { return line.attributeValue ?? "" }
        return nil
    }

    /// `a=group` lines (RFC 5888), e.g. BUNDLE.
    public var groups: [Group] {
        get throws(ParseError) {
            var out: [Group] = []
            for v in sessionAttributeValues("group") { out.append(try Group(parsing: v)) }
            return out
        }
    }

    /// The mids of the first `a=group:BUNDLE` (RFC 8843), empty when there is none.
    public var bundleMids: [String] {
        get throws(ParseError) { try groups.first { $0.semantics == "BUNDLE" }?.mids ?? [] }
    }

    /// Session-level `a=ice-lite` (RFC 8839 §5.3).
    public var isICELite: Bool { sessionAttribute("ice-lite") != nil }
}
