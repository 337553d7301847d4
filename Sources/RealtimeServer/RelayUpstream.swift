import Foundation
import HTTP
import MediaCore
import Runtime
import Synchronization

/// The upstream WebSocket of a relayed session, owned by its own thread (`WebSocketClient` is
/// blocking and single-threaded): it connects, then alternately sends what the endpoint thread
/// queued and waits briefly for upstream messages, which it queues and signals with `wake`.
final class RelayUpstream: Sendable {
    private let outbound = Mutex<[String]>([])
    private let inbound = Mutex<[String]>([])
    private let running = Atomic<Bool>(true)
    private let closedFlag = Atomic<Bool>(false)
    /// How long the thread waits for upstream input before looking at its outbound queue again:
    /// the added latency of a client event going up, at most.
    static let pollInterval = Duration.milliseconds(2)

    /// Starts the thread; a failed connection is reported as an `error` event, then closed.
    init(url: String, apiKey: String?, wake: @escaping @Sendable () -> Void) {
        let t = Thread { [self] in run(url: url, apiKey: apiKey, wake: wake) }
        t.name = "realtime-relay"
        t.start()
    }

    /// The upstream connection ended (or never opened) and every message it sent was taken.
    var isClosed: Bool { closedFlag.load(ordering: .acquiring) && inbound.withLock { $0.isEmpty } }

    func send(_ text: String) { outbound.withLock { $0.append(text) } }

    /// Upstream messages received since the last call, in order.
    func take() -> [String] { inbound.withLock { q in defer { q.removeAll() }; return q } }

    /// Asks the thread to close the upstream socket and exit.
    func stop() { running.store(false, ordering: .releasing) }

    private func run(url: String, apiKey: String?, wake: @Sendable () -> Void) {
        try? "realtime-relay".write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
        var headers = HTTPHeaders()
        if let apiKey { headers.add("Authorization", "Bearer \(apiKey)") }
        let client: WebSocketClient
        do {
            client = try WebSocketClient.connect(url: url, headers: headers)
        } catch {
            let message = JSONText.string("The relay could not reach its upstream endpoint: \(error)")
            inbound.withLock {
                $0.append(#"{"type":"error","event_id":"event_relay","error":{"type":"server_error","code":"upstream_unavailable","message":"# + message + "}}")
            }
            closedFlag.store(true, ordering: .releasing)
            wake()
            return
        }
        while running.load(ordering: .acquiring) {
            let pending = outbound.withLock { q in defer { q.removeAll() }; return q }
            do {
                for text in pending { try client.send(text: text) }
                switch try client.receive(timeout: Self.pollInterval) {
                case .text(let t)?:
                    inbound.withLock { $0.append(t) }
                    wake()
                case .binary(let b)?:
                    inbound.withLock { $0.append(String(decoding: b, as: UTF8.self)) }
                    wake()
                case nil:
                    break
                }
            } catch {
                break
            }
        }
        client.close(timeout: .milliseconds(500))
        closedFlag.store(true, ordering: .releasing)
        wake()
    }
}
