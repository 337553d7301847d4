/// The output voice (`audio.output.voice`). A string on the wire; only the GA built-in voices
/// are accepted (`validate`), since this endpoint has no custom voices.
public struct Voice: RawRepresentable, Hashable, Sendable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let alloy = Voice(rawValue: "alloy")
    public static let ash = Voice(rawValue: "ash")
    public static let ballad = Voice(rawValue: "ballad")
    public static let coral = Voice(rawValue: "coral")
    public static let echo = Voice(rawValue: "echo")
    public static let sage = Voice(rawValue: "sage")
    public static let shimmer = Voice(rawValue: "shimmer")
    public static let verse = Voice(rawValue: "verse")
    public static let marin = Voice(rawValue: "marin")
    public static let cedar = Voice(rawValue: "cedar")

    /// The GA voice list, in the service's order.
    public static let all: [Voice] = [.alloy, .ash, .ballad, .coral, .echo, .sage, .shimmer, .verse, .marin, .cedar]

    public func validate(param: String) throws(RealtimeProtocolError) {
        guard Self.all.contains(self) else { throw .invalidValue(param, rawValue, supported: Self.all.map(\.rawValue)) }
    }
}

/// The models this endpoint serves: gpt-4o-mini-realtime and its GA alias (same prices and shape).
public enum RealtimeModel: String, CaseIterable, Sendable {
    case gpt4oMiniRealtimePreview = "gpt-4o-mini-realtime-preview"
    case gpt4oMiniRealtimePreview20241217 = "gpt-4o-mini-realtime-preview-2024-12-17"
    case gptRealtimeMini = "gpt-realtime-mini"
}
