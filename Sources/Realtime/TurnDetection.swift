/// How the server decides that the user's turn ended (`audio.input.turn_detection`). `nil` in a
/// session means manual turns: the client commits the buffer and sends `response.create`.
public enum TurnDetection: Equatable, Sendable, RealtimeJSONCodable {
    case serverVAD(ServerVAD)
    case semanticVAD(SemanticVAD)

    /// Energy-based voice activity detection with the service's defaults.
    public struct ServerVAD: Equatable, Sendable {
        /// Activation threshold, 0...1 (default 0.5): higher needs louder speech.
        public var threshold: Double = 0.5
        /// Audio kept from before detected speech, ms (default 300).
        public var prefixPaddingMs: Int = 300
        /// Silence that ends a turn, ms (default 500).
        public var silenceDurationMs: Int = 500
        public var createResponse: Bool = true
        public var interruptResponse: Bool = true
        /// When set, a response is triggered after this much silence following the model's reply.
        public var idleTimeoutMs: Int? = nil

        public init() {}
    }

    /// Model-based end-of-turn detection.
    public struct SemanticVAD: Equatable, Sendable {
        public enum Eagerness: String, CaseIterable, Sendable { case low, medium, high, auto }
        public var eagerness: Eagerness = .auto
        public var createResponse: Bool = true
        public var interruptResponse: Bool = true

        public init() {}
    }

    public static let defaultServerVAD = TurnDetection.serverVAD(ServerVAD())

    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        let type = try r.requiredString("type")
        switch type {
        case "server_vad":
            var v = ServerVAD()
            if let t = try r.double("threshold") { v.threshold = t }
            if let p = try r.int("prefix_padding_ms") { v.prefixPaddingMs = p }
            if let s = try r.int("silence_duration_ms") { v.silenceDurationMs = s }
            if let c = try r.bool("create_response") { v.createResponse = c }
            if let i = try r.bool("interrupt_response") { v.interruptResponse = i }
            v.idleTimeoutMs = try r.int("idle_timeout_ms")
            self = .serverVAD(v)
        case "semantic_vad":
            var v = SemanticVAD()
            if let e = try r.enumeration("eagerness", SemanticVAD.Eagerness.self) { v.eagerness = e }
            if let c = try r.bool("create_response") { v.createResponse = c }
            if let i = try r.bool("interrupt_response") { v.interruptResponse = i }
            self = .semanticVAD(v)
        default:
            throw .invalidValue(r.param("type"), type, supported: ["server_vad", "semantic_vad"])
        }
        try r.finish()
        try validate(path: path)
    }

    /// Range checks: threshold 0...1, paddings and durations ≥ 0, idle timeout 5...30 s.
    public func validate(path: String) throws(RealtimeProtocolError) {
        guard case .serverVAD(let v) = self else { return }
        let p = { (k: String) in path.isEmpty ? k : "\(path).\(k)" }
        try RangeCheck.decimal(v.threshold, 0...1, p("threshold"))
        try RangeCheck.integer(v.prefixPaddingMs, 0...10_000, p("prefix_padding_ms"))
        try RangeCheck.integer(v.silenceDurationMs, 0...10_000, p("silence_duration_ms"))
        if let idle = v.idleTimeoutMs { try RangeCheck.integer(idle, 5_000...30_000, p("idle_timeout_ms")) }
    }

    public var json: JSONValue {
        switch self {
        case .serverVAD(let v):
            var o: JSONObject = [
                "type": "server_vad", "threshold": .decimal(v.threshold), "prefix_padding_ms": .int(v.prefixPaddingMs),
                "silence_duration_ms": .int(v.silenceDurationMs), "create_response": .bool(v.createResponse),
                "interrupt_response": .bool(v.interruptResponse),
            ]
            o.setIfPresent("idle_timeout_ms", v.idleTimeoutMs.map(JSONValue.int))
            return .object(o)
        case .semanticVAD(let v):
            return .object([
                "type": "semantic_vad", "eagerness": .string(v.eagerness.rawValue),
                "create_response": .bool(v.createResponse), "interrupt_response": .bool(v.interruptResponse),
            ])
        }
    }
}
