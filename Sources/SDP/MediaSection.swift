import MediaCore

/// One `m=` line and the lines after it up to the next `m=` (RFC 8866 §5.14), kept verbatim.
public struct MediaSection: Sendable, Hashable {
    /// The `m=` line as read (or as built from `media`).
    public private(set) var mediaLine: SDPLine
    /// The parsed `m=` line.
    public let media: MediaDescription
    /// `i=`, `c=`, `b=`, `k=` and `a=` lines in their original order.
    public var lines: [SDPLine]

    init(mediaLine: SDPLine, media: MediaDescription) {
        self.mediaLine = mediaLine
        self.media = media
        self.lines = []
        lines.reserveCapacity(32)
    }

    /// A new section whose `m=` line is written from `media`.
    public init(media: MediaDescription, lines: [SDPLine], ending: LineEnding = .crlf) {
        self.mediaLine = SDPLine(typeByte: UInt8(ascii: "m"), value: media.sdpValue, ending: ending)
        self.media = media
        self.lines = lines
    }

    func serialize(into w: inout ByteWriter) {
        mediaLine.serialize(into: &w)
        for line in lines { line.serialize(into: &w) }
    }

    /// Values of every `a=<name>` line here, in order ("" for a property attribute).
    public func attributeValues(_ name: StaticString) -> [Substring] {
        lines.compactMap { $0.isAttribute(named: name) ? ($0.attributeValue ?? "") : nil }
    }

    /// The first `a=<name>` value here ("" for a property attribute), nil when absent.
    public func attribute(_ name: StaticString) -> Substring? {
        for line in lines where line.isAttribute(named: name) { return line.attributeValue ?? "" }
        return nil
    }

    public func hasAttribute(_ name: StaticString) -> Bool { attribute(name) != nil }

    /// Port 0 without `a=bundle-only`: the section is rejected or disabled (RFC 8829 §5.3.1, RFC 8843 §6).
    public var isRejected: Bool { media.port == 0 && !hasAttribute("bundle-only") }
}
