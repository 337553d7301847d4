import Realtime

/// What a call measured: set-up phases, turn latency, media quality, usage and cost, rate limits
/// and the client's own events. `jsonObject` is the shape `realtime-call --report` writes.
public struct ClientMetrics: Sendable {
    public struct Phase: Sendable, Equatable {
        public var name: String
        /// Since the connect began.
        public var milliseconds: Double
    }

    public var transport = TransportKind.webrtc
    public var sessionID: String?
    /// The latest connect's phases: `key` (ephemeral key minted), `gather`, `http`, `ice`, `dtls`,
    /// `channel` (WebRTC) or `websocket`, then `session.created`.
    public var setupPhases: [Phase] = []
    /// End of each user turn (`speech_stopped`, or the application's commit / `response.create`)
    /// to the first audible reply frame queued for playout.
    public var turnLatenciesMs: [Double] = []
    public var responses = 0
    public var bargeIns: [(itemID: String, audioEndMs: Int)] = []
    public var functionCalls = 0
    public var reconnects = 0
    public var rollovers = 0
    public var usage = Usage()
    public var rateLimits: [RateLimit] = []
    public var errors: [String] = []
    /// WebRTC media (W3C getStats names), from the latest call.
    public var jitterBufferDelayMs: Double?
    public var packetsReceived: UInt64?
    public var packetsLost: Int64?
    public var concealedSamples: Int?
    /// The part of `concealedSamples` that was silence (gaps while the endpoint sent nothing).
    public var silentConcealedSamples: Int?
    public var concealmentEvents: Int?
    public var roundTripTimeMs: Double?
    /// Frames played and pushes the application's rings refused.
    public var framesPlayed = 0
    public var playoutOverflows = 0
    public var captureOverflows = 0

    public init() {}

    /// Cost of `usage` at the gpt-4o-mini-realtime prices.
    public var cost: Cost { Cost(usage) }

    public var sessionCreatedMs: Double? { setupPhases.first { $0.name == "session.created" }?.milliseconds }

    public var jsonObject: JSONValue {
        var o = JSONObject()
        o["transport"] = .string(transport.rawValue)
        o.setIfPresent("session_id", sessionID.map(JSONValue.string))
        var phases = JSONObject()
        for p in setupPhases { phases[p.name] = .decimal(Self.round(p.milliseconds)) }
        o["setup_ms"] = .object(phases)
        o["turn_latency_ms"] = .array(turnLatenciesMs.map { .decimal(Self.round($0)) })
        o["responses"] = .int(responses)
        o["barge_ins"] = .array(bargeIns.map { .object(["item_id": .string($0.itemID), "audio_end_ms": .int($0.audioEndMs)]) })
        o["function_calls"] = .int(functionCalls)
        o["reconnects"] = .int(reconnects)
        o["rollovers"] = .int(rollovers)
        o["usage"] = usage.json
        o["cost_usd"] = .decimal(cost.usd)
        o["rate_limits"] = .array(rateLimits.map(\.json))
        var media = JSONObject()
        media.setIfPresent("jitter_buffer_delay_ms", jitterBufferDelayMs.map { .decimal(Self.round($0)) })
        media.setIfPresent("packets_received", packetsReceived.map { .int(Int($0)) })
        media.setIfPresent("packets_lost", packetsLost.map { .int(Int($0)) })
        media.setIfPresent("concealed_samples", concealedSamples.map { .int($0) })
        media.setIfPresent("silent_concealed_samples", silentConcealedSamples.map { .int($0) })
        media.setIfPresent("concealment_events", concealmentEvents.map { .int($0) })
        media.setIfPresent("round_trip_time_ms", roundTripTimeMs.map { .decimal(Self.round($0)) })
        media["frames_played"] = .int(framesPlayed)
        media["playout_overflows"] = .int(playoutOverflows)
        media["capture_overflows"] = .int(captureOverflows)
        o["media"] = .object(media)
        o["errors"] = .array(errors.map(JSONValue.string))
        return .object(o)
    }

    public var jsonText: String { JSONWriter.string(jsonObject) }

    static func round(_ v: Double) -> Double { (v * 100).rounded() / 100 }
}
