/// One entry of `rate_limits.updated`: the state of the `requests` or `tokens` limit.
public struct RateLimit: Equatable, Sendable, RealtimeJSONCodable {
    public enum Name: String, CaseIterable, Sendable { case requests, tokens }
    public var name: Name
    public var limit: Int
    public var remaining: Int
    /// Seconds until the limit is fully replenished.
    public var resetSeconds: Double

    public init(name: Name, limit: Int, remaining: Int, resetSeconds: Double) {
        self.name = name
        self.limit = limit
        self.remaining = remaining
        self.resetSeconds = resetSeconds
    }

    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        name = try r.requiredEnumeration("name", Name.self)
        limit = try r.requiredInt("limit")
        remaining = try r.requiredInt("remaining")
        resetSeconds = try r.requiredDouble("reset_seconds")
        try r.finish()
    }

    public var json: JSONValue {
        .object(["name": .string(name.rawValue), "limit": .int(limit), "remaining": .int(remaining), "reset_seconds": .decimal(resetSeconds)])
    }
}
