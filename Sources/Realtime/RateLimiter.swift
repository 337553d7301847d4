import MediaCore

/// Usage tiers of gpt-4o-mini-realtime (requests per minute / per day / tokens per minute).
/// There is no free tier.
public enum RateLimitTier: Int, CaseIterable, Sendable {
    case tier1 = 1, tier2, tier3, tier4, tier5

    public var requestsPerMinute: Int {
        switch self {
        case .tier1: 200
        case .tier2: 400
        case .tier3: 5_000
        case .tier4: 10_000
        case .tier5: 20_000
        }
    }

    /// Only Tier 1 has a daily request cap.
    public var requestsPerDay: Int? { self == .tier1 ? 1_000 : nil }

    public var tokensPerMinute: Int {
        switch self {
        case .tier1: 40_000
        case .tier2: 200_000
        case .tier3: 800_000
        case .tier4: 4_000_000
        case .tier5: 15_000_000
        }
    }
}

/// A limit of `limit` units per `window` that replenishes continuously, kept as a GCRA
/// "theoretical arrival time": full when `tat <= now`, one unit returns every `window / limit`.
/// Integer nanoseconds throughout (every tier's interval is a whole number of ns).
struct ReplenishingLimit: Sendable {
    let limit: Int
    /// Nanoseconds for one unit to return.
    let interval: Int64
    private var tat: Instant?

    init(limit: Int, window: Duration) {
        // A limit is configuration, never network input: a non-positive one is a programming error.
        precondition(limit > 0, "rate limit must be positive")
        self.limit = limit
        interval = max(1, window.nanoseconds / Int64(limit))
    }

    private var capacity: Int64 { interval * Int64(limit) }

    private func used(at now: Instant) -> Int64 {
        guard let tat, tat > now else { return 0 }
        return (tat - now).nanoseconds
    }

    func remaining(at now: Instant) -> Int { Int(max(0, capacity - used(at: now)) / interval) }

    /// Time until the limit is whole again.
    func reset(at now: Instant) -> Duration { Duration(nanoseconds: used(at: now)) }

    /// `units` as nanoseconds of the limit, clamped to just over its capacity (anything more is
    /// refused the same way) so the arithmetic cannot overflow.
    private func span(_ units: Int) -> Int64 { Int64(min(max(units, 0), limit + 1)) * interval }

    /// nil when `cost` units fit now, else how long until they will.
    func wait(for cost: Int, at now: Instant) -> Duration? {
        let after = used(at: now) + span(cost)
        return after <= capacity ? nil : Duration(nanoseconds: after - capacity)
    }

    mutating func consume(_ cost: Int, at now: Instant) {
        tat = now + Duration(nanoseconds: min(used(at: now) + span(cost), 2 * capacity))
    }

    /// Gives back `units` (when a response used fewer tokens than reserved). A charge beyond
    /// capacity (`consume` after the fact) is debt of at most one window plus one unit.
    mutating func refund(_ units: Int, at now: Instant) {
        tat = now + Duration(nanoseconds: max(0, used(at: now) - span(units)))
    }
}

/// The answer to one response trigger.
public struct RateLimitDecision: Equatable, Sendable {
    public var allowed: Bool
    /// Which limit refused, when one did.
    public var limitedBy: RateLimit.Name?
    /// How long until the same request would be allowed (zero when allowed).
    public var retryAfter: Duration
    /// The state after the decision, for `rate_limits.updated`.
    public var rateLimits: [RateLimit]
}

/// A pure rate limiter for one API key: a "request" is a response trigger (VAD end of turn or
/// `response.create`) and costs one request plus its estimated tokens (input + max output, as
/// the service reserves). Time is passed in; nothing here reads a clock. A denied request
/// consumes nothing.
public struct RateLimiter: Sendable {
    public let tier: RateLimitTier
    private var requestsPerMinute: ReplenishingLimit
    private var requestsPerDay: ReplenishingLimit?
    private var tokensPerMinute: ReplenishingLimit

    public init(tier: RateLimitTier) {
        self.tier = tier
        requestsPerMinute = ReplenishingLimit(limit: tier.requestsPerMinute, window: .seconds(60))
        requestsPerDay = tier.requestsPerDay.map { ReplenishingLimit(limit: $0, window: .seconds(86_400)) }
        tokensPerMinute = ReplenishingLimit(limit: tier.tokensPerMinute, window: .seconds(60))
    }

    /// Admits or refuses one response trigger reserving `estimatedTokens`.
    public mutating func admit(estimatedTokens: Int, at now: Instant) -> RateLimitDecision {
        let tokens = max(0, estimatedTokens)
        var waits: [(RateLimit.Name, Duration)] = []
        if let w = requestsPerMinute.wait(for: 1, at: now) { waits.append((.requests, w)) }
        if let w = requestsPerDay?.wait(for: 1, at: now) { waits.append((.requests, w)) }
        if let w = tokensPerMinute.wait(for: tokens, at: now) { waits.append((.tokens, w)) }
        if let longest = waits.max(by: { $0.1 < $1.1 }) {
            return RateLimitDecision(allowed: false, limitedBy: longest.0, retryAfter: longest.1, rateLimits: rateLimits(at: now))
        }
        requestsPerMinute.consume(1, at: now)
        requestsPerDay?.consume(1, at: now)
        tokensPerMinute.consume(tokens, at: now)
        return RateLimitDecision(allowed: true, limitedBy: nil, retryAfter: .zero, rateLimits: rateLimits(at: now))
    }

    /// Settles a finished response: charges or refunds the difference between the tokens it
    /// reserved and the tokens it used (`usage.total_tokens`).
    public mutating func settle(estimatedTokens: Int, actualTokens: Int, at now: Instant) {
        let delta = actualTokens - estimatedTokens
        if delta > 0 { tokensPerMinute.consume(delta, at: now) } else if delta < 0 { tokensPerMinute.refund(-delta, at: now) }
    }

    /// The `rate_limits.updated` entries: requests (the per-day cap when it is the tighter one)
    /// and tokens.
    public func rateLimits(at now: Instant) -> [RateLimit] {
        var requests = requestsPerMinute
        if let day = requestsPerDay, day.remaining(at: now) < requestsPerMinute.remaining(at: now) { requests = day }
        return [
            RateLimit(name: .requests, limit: requests.limit, remaining: requests.remaining(at: now), resetSeconds: requests.reset(at: now).seconds),
            RateLimit(
                name: .tokens, limit: tokensPerMinute.limit, remaining: tokensPerMinute.remaining(at: now),
                resetSeconds: tokensPerMinute.reset(at: now).seconds),
        ]
    }
}
