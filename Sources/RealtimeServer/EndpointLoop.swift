import Foundation
import HTTP
import MediaCore
import Realtime
import Runtime

/// The endpoint thread: owns every `RealtimeSession` and drives them. WebSocket and
/// PeerConnection callbacks (on their own threads) only `post` here; this thread feeds the
/// sessions, drains `pollEvent` to the session's WebSocket or data channel (and any side
/// WebSockets), runs each WebRTC call's 10 ms media tick, and sleeps on a `Waker` until the
/// earliest `pollTimeout` or tick.
///
/// Sessions are touched only on this thread, which is why the class is `@unchecked Sendable`:
/// the lock guards only the command queue.
final class EndpointLoop: @unchecked Sendable {
    enum Command {
        case open(HTTPServerWebSocketSession, SessionConfig)
        case message(id: Int, WebSocketMessage, at: Instant)
        case closed(id: Int, code: WebSocketCloseCode)
        /// A WebRTC call was answered (its PeerConnection exists, the answer is on its way).
        case openCall(CallMedia, SessionConfig)
        case callEvent(callID: String, PeerConnection.Event, at: Instant)
        case hangup(callID: String, reason: String)
        /// `GET /v1/realtime?call_id=…`: a side WebSocket joins a running call.
        case attachSide(HTTPServerWebSocketSession, callID: String)
    }

    /// One session, where its events go, and what its log line reports.
    final class SessionDriver {
        let session: any EndpointSessionCore
        let openedAt: Instant
        var responses = 0
        var usage = Usage()
        /// The WebSocket carrying the session (nil for a WebRTC call).
        var socket: HTTPServerWebSocketSession?
        /// The WebRTC call carrying the session (nil for a WebSocket session).
        var call: CallMedia?
        /// Side WebSockets attached to a call: events mirrored, client events accepted.
        var sideSockets: [HTTPServerWebSocketSession] = []
        /// When the last input (client event, or caller audio frame) reached the session, and
        /// the end of the turn (the input that started a response) still waiting for its first
        /// output audio.
        var lastInputAt: Instant?
        var turnEndedAt: Instant?

        init(session: any EndpointSessionCore, openedAt: Instant) {
            self.session = session
            self.openedAt = openedAt
        }
    }

    private let lock = NSLock()
    private var commands: [Command] = []
    private var stopping = false
    let waker = Waker()

    let tier: RateLimitTier
    let backends: BackendFactory
    let metrics: EndpointMetrics
    let calls: CallRegistry
    let unixTime: @Sendable () -> Int
    let log: @Sendable (String) -> Void
    /// WebSocket sessions by socket id; WebRTC calls by call id; side sockets' call by socket id.
    var socketDrivers: [Int: SessionDriver] = [:]
    var callDrivers: [String: SessionDriver] = [:]
    var sideSocketCalls: [Int: String] = [:]
    private var thread: Thread?
    private let finished = NSCondition()
    private var isFinished = false

    init(tier: RateLimitTier, backends: BackendFactory, metrics: EndpointMetrics, calls: CallRegistry,
         unixTime: @escaping @Sendable () -> Int, log: @escaping @Sendable (String) -> Void) {
        self.tier = tier
        self.backends = backends
        self.metrics = metrics
        self.calls = calls
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
        // Named for top(1) and per-thread CPU figures (Foundation's `Thread.name` does not reach the OS here).
        try? "realtime-endpt".write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
        while true {
            lock.lock()
            let batch = commands
            commands.removeAll(keepingCapacity: true)
            let stop = stopping
            lock.unlock()

            var now = RuntimeClock.now()
            for command in batch { apply(command, at: now) }
            var earliest: Instant?
            func consider(_ due: Instant?) {
                if let due, earliest.map({ due < $0 }) ?? true { earliest = due }
            }
            for (id, driver) in socketDrivers {
                if let due = driver.session.pollTimeout(), due <= now { driver.session.handleTimeout(at: now) }
                drain(driver)
                if driver.session.isClosed { finish(socketID: id, reason: "session ended", closeCode: .normalClosure); continue }
                consider(driver.session.pollTimeout())
            }
            now = RuntimeClock.now()
            for (callID, driver) in callDrivers {
                runCall(driver, at: now)
                if driver.session.isClosed { finish(callID: callID, reason: "session ended"); continue }
                consider(driver.session.pollTimeout())
                consider(driver.call?.nextTick)
            }
            if stop {
                for id in Array(socketDrivers.keys) { finish(socketID: id, reason: "server stopping", closeCode: .goingAway) }
                let media = callDrivers.values.compactMap(\.call)
                for id in Array(callDrivers.keys) { finish(callID: id, reason: "server stopping") }
                for m in media { m.waitUntilClosed(seconds: 5) }   // their PeerConnections are closed
                break
            }
            waker.wait(until: earliest)
        }
        finished.lock(); isFinished = true; finished.broadcast(); finished.unlock()
    }

    private func apply(_ command: Command, at now: Instant) {
        switch command {
        case let .open(socket, config):
            let waker = self.waker
            let core = backends.makeSession(transport: .webSocket, tier: tier, config: config, unixTime: unixTime(), at: now) { waker.wake() }
            let driver = SessionDriver(session: core, openedAt: now)
            driver.socket = socket
            socketDrivers[socket.id] = driver
            metrics.sessionOpened()
        case let .message(id, message, at):
            let driver: SessionDriver
            if let d = socketDrivers[id] {
                driver = d
            } else if let callID = sideSocketCalls[id], let d = callDrivers[callID] {
                driver = d
            } else {
                return
            }
            switch message {
            case .text(let text): driver.session.handle(clientEventJSON: text, at: now)
            // The service speaks JSON text frames only; a binary frame is read as UTF-8 JSON too.
            case .binary(let bytes): driver.session.handle(clientEventJSON: bytes, at: now)
            }
            driver.lastInputAt = at
        case let .closed(id, code):
            if let callID = sideSocketCalls.removeValue(forKey: id) {
                callDrivers[callID]?.sideSockets.removeAll { $0.id == id }
            } else {
                finish(socketID: id, reason: "client closed (\(code.rawValue))", closeCode: nil)
            }
        case let .openCall(media, config):
            openCall(media, config: config, at: now)
        case let .callEvent(callID, event, at):
            handleCallEvent(callID: callID, event, at: at, now: now)
        case let .hangup(callID, reason):
            finish(callID: callID, reason: reason)
        case let .attachSide(socket, callID):
            guard let driver = callDrivers[callID] else {
                socket.close(code: .policyViolation, reason: "call \(callID) has ended")
                return
            }
            driver.sideSockets.append(socket)
            sideSocketCalls[socket.id] = callID
        }
    }

    /// Sends every pending event to the session's socket, or its call's channel and side sockets.
    /// A call's events wait in the session until its channel is open.
    func drain(_ driver: SessionDriver) {
        if let call = driver.call, call.channel == nil { return }
        while let event = driver.session.pollEndpointEvent() {
            if let socket = driver.socket { socket.send(text: event.text) }
            driver.call?.send(event.text)
            for side in driver.sideSockets { side.send(text: event.text) }
            switch event.kind {
            case let .responseDone(status, usage):
                driver.responses += 1
                if let usage { driver.usage = driver.usage + usage }
                metrics.responseDone(status: status, usage: usage)
            case .outputAudioBufferCleared:
                driver.call?.clearOutput()
            case .responseCreated:
                // The input that started the response ended the turn (VAD stop, commit or response.create).
                driver.turnEndedAt = driver.lastInputAt
            case .outputAudioDelta:
                firstOutputAudio(driver)
            case .other:
                break
            }
        }
        // WebSocket audio travels in events; a call's audio is taken by its media tick.
        if driver.call == nil { while driver.session.pollOutputAudio() != nil {} }
    }

    /// Output audio left (an audio delta was sent, or a voice frame pushed to the call's capture
    /// ring): times the turn it answers, from the input that ended it (server VAD's stop or a
    /// commit) — backend time included only as far as the backend takes it.
    func firstOutputAudio(_ driver: SessionDriver) {
        guard let ended = driver.turnEndedAt else { return }
        driver.turnEndedAt = nil
        metrics.turnLatency(RuntimeClock.now() - ended, transport: driver.call == nil ? "websocket" : "webrtc")
    }

    /// Forgets a WebSocket session, logs its line, and closes its socket when `closeCode` is given.
    func finish(socketID id: Int, reason: String, closeCode: WebSocketCloseCode?) {
        guard let driver = socketDrivers.removeValue(forKey: id) else { return }
        driver.session.shutDown()
        if let closeCode { driver.socket?.close(code: closeCode, reason: reason) }
        metrics.sessionClosed()
        logSessionLine(driver, reason: reason, extra: [:])
    }

    func logSessionLine(_ driver: SessionDriver, reason: String, extra: [String: JSONValue]) {
        log(JSONWriter.string(.object(sessionLine(driver, reason: reason, extra: extra))))
    }

    /// The fields of a session's closing log line.
    func sessionLine(_ driver: SessionDriver, reason: String, extra: [String: JSONValue]) -> JSONObject {
        let seconds = Double((RuntimeClock.now() - driver.openedAt).nanoseconds) / 1e9
        var fields: JSONObject = [
            "event": "session.closed",
            "session_id": .string(driver.session.sessionID),
            "model": .string(driver.session.modelName),
            "duration_s": .decimal((seconds * 1000).rounded() / 1000),
            "responses": .int(driver.responses),
            "reason": .string(reason),
            "usage": driver.usage.json,
            "cost_usd": .decimal(Cost(driver.usage).usd),
        ]
        for (k, v) in extra { fields[k] = v }
        return fields
    }
}
