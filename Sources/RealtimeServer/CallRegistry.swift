import MediaCore
import Realtime
import Synchronization

/// The WebRTC calls alive now, as the HTTP thread sees them (hangup and side sockets need a
/// known id; `--max-sessions` counts calls), and the account's request budget for new calls.
/// Thread-safe: the HTTP thread registers calls, the endpoint thread removes them.
final class CallRegistry: Sendable {
    private let live = Mutex<Set<String>>([])
    private let limiter: Mutex<RateLimiter>

    init(tier: RateLimitTier) {
        limiter = Mutex(RateLimiter(tier: tier))
    }

    var count: Int { live.withLock { $0.count } }
    func contains(_ callID: String) -> Bool { live.withLock { $0.contains(callID) } }
    func register(_ callID: String) { _ = live.withLock { $0.insert(callID) } }
    func remove(_ callID: String) { _ = live.withLock { $0.remove(callID) } }

    /// Counts one call set-up against the tier's requests per minute and per day; nil when
    /// admitted, else how long until one would be.
    func admitSetup(at now: Instant) -> Duration? {
        limiter.withLock { l in
            let decision = l.admit(estimatedTokens: 0, at: now)
            return decision.allowed ? nil : decision.retryAfter
        }
    }
}
