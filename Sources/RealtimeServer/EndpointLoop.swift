import Foundation
import HTTP
import MediaCore
import Realtime
import Runtime

/// The endpoint thread: owns every `RealtimeSession` and drives them. WebSocket callbacks (on
/// the HTTP server thread) only `post` here; this thread feeds the sessions, drains `pollEvent`
/// into `send(text:)`, and sleeps on a `Waker` until the earliest `pollTimeout`.
///
/// Sessions are touched only on this thread, which is why the class is `@unchecked Sendable`:
/// the lock guards only the command queue.
final class EndpointLoop: @unchecked Sendable {
    enum Command {
        case open(HTTPServerWebSocketSession, SessionConfig)
        case message(id: Int, WebSocketMessage)
        case closed(id: Int, code: WebSocketCloseCode)
    }

    /// One connection's session and what its log line reports.
    struct Driver {
        let socket: HTTPServerWebSocketSession
        let session: RealtimeSession
        let openedAt: Instant
        var responses = 0
        var usage = Usage()
    }

    private let lock = NSLock()
    private var commands: [Command] = []
    private var stopping = false
    private let waker = Waker()

    private let tier: RateLimitTier
    private let backends: BackendFactory
    let metrics: EndpointMetrics
    private let unixTime: @Sendable () -> Int
    private let log: @Sendable (String) -> Void
    private var drivers: [Int: Driver] = [:]
    private var thread: Thread?
    private let finished = NSCondition()
    private var isFinished = false

    init(tier: RateLimitTier, backends: BackendFactory, metrics: EndpointMetrics,
         unixTime: @escaping @Sendable () -> Int, log: @escaping @Sendable (String) -> Void) {
        self.tier = tier
        self.backends = backends
        self.metrics = metrics
        self.unixTime = unixTime
        self.log = log
    }

    /// Any thread: queues a command and wakes the loop.
    func post(_ command: Command) {
        lock.lock(); commands.append(command); lock.unlock()
        waker.wake()
    }

    func start() {
        let t = Thread { [self] in run() }
        t.name = "realtime-endpoint"
        thread = t
        t.start()
    }

    /// Ends every remaining session (logging each) and waits for the thread to exit.
    func stop() {
        lock.lock(); stopping = true; lock.unlock()
        waker.wake()
        finished.lock()
        while !isFinished && thread != nil { finished.wait() }
        finished.unlock()
    }

    private func run() {
        while true {
            lock.lock()
            let batch = commands
            commands.removeAll(keepingCapacity: true)
            let stop = stopping
            lock.unlock()

            let now = RuntimeClock.now()
            for command in batch { apply(command, at: now) }
            var earliest: Instant?
            for id in Array(drivers.keys) {
                guard let driver = drivers[id] else { continue }
                if let due = driver.session.pollTimeout(), due <= now { driver.session.handleTimeout(at: now) }
                drain(id)
                if let due = drivers[id]?.session.pollTimeout(), earliest.map({ due < $0 }) ?? true { earliest = due }
            }
            if stop {
                for id in Array(drivers.keys) { finish(id, reason: "server stopping", closeCode: .goingAway) }
                break
            }
            waker.wait(until: earliest)
        }
        finished.lock(); isFinished = true; finished.broadcast(); finished.unlock()
    }

    private func apply(_ command: Command, at now: Instant) {
        switch command {
        case let .open(socket, config):
            var configuration = RealtimeSession.Configuration(transport: .webSocket, pacing: .realtime, tier: tier,
                                                              session: config, backend: backends.make())
            configuration.unixTimeAtStart = unixTime()
            drivers[socket.id] = Driver(socket: socket, session: RealtimeSession(configuration, at: now), openedAt: now)
            metrics.sessionOpened()
        case let .message(id, message):
            guard let driver = drivers[id] else { return }
            switch message {
            case .text(let text): driver.session.handle(clientEventJSON: text, at: now)
            // The service speaks JSON text frames only; a binary frame is read as UTF-8 JSON too.
            case .binary(let bytes): driver.session.handle(clientEventJSON: bytes, at: now)
            }
        case let .closed(id, code):
            finish(id, reason: "client closed (\(code.rawValue))", closeCode: nil)
        }
    }

    /// Sends every pending event; a closed (expired) session's socket is closed after them.
    private func drain(_ id: Int) {
        guard var driver = drivers[id] else { return }
        while let event = driver.session.pollEvent() {
            driver.socket.send(text: event.jsonText)
            if case .responseDone(let response) = event.body {
                driver.responses += 1
                if let usage = response.usage { driver.usage = driver.usage + usage }
                metrics.responseDone(status: response.status?.rawValue ?? "unknown", usage: response.usage)
            }
        }
        while driver.session.pollOutputAudio() != nil {} // WebSocket audio travels in events
        drivers[id] = driver
        if driver.session.isClosed { finish(id, reason: "session expired", closeCode: .normalClosure) }
    }

    /// Forgets a session, logs its line, and closes its socket when `closeCode` is given.
    private func finish(_ id: Int, reason: String, closeCode: WebSocketCloseCode?) {
        guard let driver = drivers.removeValue(forKey: id) else { return }
        if let closeCode { driver.socket.close(code: closeCode, reason: reason) }
        metrics.sessionClosed()
        let seconds = Double((RuntimeClock.now() - driver.openedAt).nanoseconds) / 1e9
        let line: JSONValue = .object([
            "event": "session.closed",
            "session_id": .string(driver.session.config.id ?? ""),
            "model": .string(driver.session.config.model.rawValue),
            "duration_s": .decimal((seconds * 1000).rounded() / 1000),
            "responses": .int(driver.responses),
            "reason": .string(reason),
            "usage": driver.usage.json,
            "cost_usd": .decimal(Cost(driver.usage).usd),
        ])
        log(JSONWriter.string(line))
    }
}
