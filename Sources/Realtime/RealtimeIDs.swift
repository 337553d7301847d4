/// Generates ids in the service's shape: a prefix and 21 random base-62 characters, e.g.
/// `event_BJhGlrmFfvJRnT8w3hTzL`. The generator is a parameter so tests can seed it.
public struct RealtimeIDGenerator<RNG: RandomNumberGenerator> {
    public var rng: RNG
    /// Characters after the prefix.
    public static var suffixLength: Int { 21 }

    public init(rng: RNG) { self.rng = rng }

    private static var alphabet: [Character] { Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") }

    public mutating func make(_ prefix: RealtimeIDPrefix) -> String {
        let a = Self.alphabet
        var s = prefix.rawValue
        for _ in 0..<Self.suffixLength { s.append(a[Int.random(in: 0..<a.count, using: &rng)]) }
        return s
    }

    public mutating func eventID() -> String { make(.event) }
    public mutating func itemID() -> String { make(.item) }
    public mutating func responseID() -> String { make(.response) }
    public mutating func conversationID() -> String { make(.conversation) }
    public mutating func sessionID() -> String { make(.session) }
    public mutating func callID() -> String { make(.call) }
}

extension RealtimeIDGenerator where RNG == SystemRandomNumberGenerator {
    public init() { self.init(rng: SystemRandomNumberGenerator()) }
}

/// The id prefixes the service uses.
public enum RealtimeIDPrefix: String, CaseIterable, Sendable {
    case event = "event_"
    case item = "item_"
    case response = "resp_"
    case conversation = "conv_"
    case session = "sess_"
    /// WebRTC call ids (`Location: /v1/realtime/calls/rtc_…`).
    case call = "rtc_"
    /// Ephemeral client secrets.
    case ephemeralKey = "ek_"
}
