import MediaCore
import Realtime
import Synchronization

/// The ephemeral keys (`ek_…`) minted by `POST /v1/realtime/client_secrets`: each is a bearer
/// for WebSocket sessions until it expires, and carries the starting session config.
/// Thread-safe: the HTTP thread mints and checks keys.
final class EphemeralKeyStore: Sendable {
    struct Entry: Sendable {
        var expiresAt: Instant
        var session: SessionConfig
    }

    /// `expires_after.seconds` bounds (the service's: 10 s to 2 h, default 10 min).
    static let lifetimeRange: ClosedRange<Int> = 10...7200
    static let defaultLifetimeSeconds = 600
    /// Random characters after `ek_`.
    static let suffixLength = 32

    private let entries = Mutex<[String: Entry]>([:])

    /// Mints a key valid for `lifetime` from `now`; drops keys already expired.
    func mint(session: SessionConfig, lifetime: Duration, at now: Instant) -> String {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let key = "ek_" + String((0..<Self.suffixLength).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
        entries.withLock { e in
            e = e.filter { $0.value.expiresAt > now }
            e[key] = Entry(expiresAt: now + lifetime, session: session)
        }
        return key
    }

    /// The key's starting session config while it is valid; nil when unknown or expired.
    func session(forKey key: String, at now: Instant) -> SessionConfig? {
        entries.withLock { e in
            guard let entry = e[key] else { return nil }
            guard entry.expiresAt > now else {
                e[key] = nil
                return nil
            }
            return entry.session
        }
    }
}
