import Glibc
import HTTP
import MediaCore

/// The server thread's state: the listener, the connections and their cores. Touched only by
/// that thread (other threads reach it through `HTTPServerInbox`).
final class HTTPServerLoop {
    final class Connection {
        enum Kind {
            case http(HTTPServerConnection)
            case webSocket(WebSocketConnection, HTTPServerWebSocketSession, any HTTPServerWebSocketHandler)
        }

        let fd: Int32
        var kind: Kind
        var outbound: [UInt8] = []
        var outboundStart = 0
        /// Set once the write side is shut down; reads are discarded until EOF or the deadline.
        var lingerDeadline: Instant?
        var closeReported = false

        init(fd: Int32, kind: Kind) {
            self.fd = fd
            self.kind = kind
        }

        var hasOutbound: Bool { outboundStart < outbound.count }
    }

    let listener: Int32
    let configuration: HTTPServer.Configuration
    let handler: HTTPServer.Handler
    let inbox: HTTPServerInbox
    var connections: [Int: Connection] = [:]
    var nextID = 1
    var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(listener: Int32, configuration: HTTPServer.Configuration, handler: @escaping HTTPServer.Handler, inbox: HTTPServerInbox) {
        self.listener = listener
        self.configuration = configuration
        self.handler = handler
        self.inbox = inbox
    }

    func run() {
        var stopping = false
        while !stopping {
            var fds = [pollfd(fd: inbox.wakeReadFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            let ids = Array(connections.keys)
            for id in ids {
                let c = connections[id]! // keys were just read
                var events = Int16(POLLIN)
                if c.hasOutbound { events |= Int16(POLLOUT) }
                fds.append(pollfd(fd: c.fd, events: events, revents: 0))
            }
            let now = TCP.now()
            var timeoutMs: Int32 = 1000
            if let next = ids.compactMap({ deadline(connections[$0]!) }).min() {
                timeoutMs = Int32(clamping: max(0, min(1000, ((next - now).nanoseconds + 999_999) / 1_000_000)))
            }
            let ready = poll(&fds, nfds_t(fds.count), timeoutMs)
            if ready < 0, errno != EINTR { break }
            let at = TCP.now()

            if fds[0].revents != 0 {
                let (commands, stop) = inbox.take()
                stopping = stop
                for (id, command) in commands { apply(command, to: id, at: at) }
            }
            if fds[1].revents != 0 { acceptAll(at: at) }
            for (index, id) in ids.enumerated() {
                guard let c = connections[id] else { continue }
                let revents = fds[index + 2].revents
                if revents & Int16(POLLOUT) != 0 { flush(c) }
                if revents & (Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR)) != 0 { readAll(c, at: at) }
            }
            for id in ids {
                guard let c = connections[id] else { continue }
                if let d = deadline(c), d <= at { timeout(c, at: at) }
                drive(id, c, at: at)
            }
        }
        let at = TCP.now()
        for (id, c) in connections {
            if case .webSocket(var core, _, _) = c.kind { // tell WebSocket peers why, best effort
                core.close(code: .goingAway, reason: "server stopping", at: at)
                while let bytes = core.pollTransmit() { c.outbound += bytes }
                flush(c)
            }
            drop(id, c)
        }
        close(listener)
        inbox.closePipe()
    }

    func deadline(_ c: Connection) -> Instant? {
        if let linger = c.lingerDeadline { return linger }
        switch c.kind {
        case let .http(core): return core.pollTimeout()
        case let .webSocket(core, _, _): return core.pollTimeout()
        }
    }

    func acceptAll(at now: Instant) {
        while let fd = TCP.accept(listener) {
            if connections.count >= configuration.maxConnections {
                // Best effort on a fresh socket (its send buffer is empty), then close.
                let busy = HTTPResponse.openAIError(status: 503, message: "too many connections", type: "server_error",
                                                    headers: ["Connection": "close", "Retry-After": "1"])
                _ = TCP.write(fd, busy.serialized(date: TCP.httpDate())[...])
                shutdown(fd, Int32(SHUT_WR))
                close(fd)
                continue
            }
            let id = nextID
            nextID += 1
            connections[id] = Connection(fd: fd, kind: .http(HTTPServerConnection(limits: configuration.limits, now: now)))
        }
    }

    func readAll(_ c: Connection, at now: Instant) {
        while true {
            switch TCP.read(c.fd, into: &readBuffer) {
            case let .bytes(n):
                if c.lingerDeadline != nil { continue } // draining: discard
                switch c.kind {
                case var .http(core):
                    core.handle(bytes: readBuffer[..<n], at: now)
                    c.kind = .http(core)
                case .webSocket(var core, let session, let handler):
                    core.handle(bytes: readBuffer[..<n], at: now)
                    c.kind = .webSocket(core, session, handler)
                }
                if n < readBuffer.count { return }
            case .wouldBlock:
                return
            case .endOfInput, .failed:
                endOfInput(c, at: now)
                return
            }
        }
    }

    func endOfInput(_ c: Connection, at now: Instant) {
        if c.lingerDeadline != nil {
            c.lingerDeadline = now // drained: close on this pass
            return
        }
        switch c.kind {
        case var .http(core):
            core.handleEndOfInput(at: now)
            c.kind = .http(core)
        case .webSocket(var core, let session, let handler):
            core.handleEndOfInput(at: now)
            c.kind = .webSocket(core, session, handler)
        }
    }

    func timeout(_ c: Connection, at now: Instant) {
        if c.lingerDeadline != nil {
            c.lingerDeadline = now
            return
        }
        switch c.kind {
        case var .http(core):
            core.handleTimeout(at: now)
            c.kind = .http(core)
        case .webSocket(var core, let session, let handler):
            core.handleTimeout(at: now)
            c.kind = .webSocket(core, session, handler)
        }
    }

    func apply(_ command: HTTPServerInbox.Command, to id: Int, at now: Instant) {
        guard let c = connections[id], case .webSocket(var core, let session, let handler) = c.kind else { return }
        switch command {
        case let .text(t): try? core.send(text: t) // after a close: dropped, as the peer could not read it
        case let .binary(b): try? core.send(binary: b)
        case let .close(code, reason): core.close(code: code, reason: reason, at: now)
        }
        c.kind = .webSocket(core, session, handler)
        drive(id, c, at: now)
    }
}
