import Glibc
import HTTP
import MediaCore

extension HTTPServerLoop {
    /// Drains the connection's core (requests to the handler, WebSocket events to its handler,
    /// bytes to the socket) and closes the socket once the core is done and everything is sent.
    func drive(_ id: Int, _ c: Connection, at now: Instant) {
        if let linger = c.lingerDeadline {
            if linger <= now { drop(id, c) }
            return
        }
        switch c.kind {
        case var .http(core):
            while let request = core.pollEvent() {
                switch handler(request) {
                case let .response(response):
                    core.respond(response, date: TCP.httpDate(), at: now)
                case let .webSocket(wsHandler, subprotocol):
                    do throws(WebSocketHandshake.Rejection) {
                        let accepted = try WebSocketHandshake.validate(request)
                        let chosen = subprotocol.flatMap { accepted.protocols.contains($0) ? $0 : nil }
                        let leftover = core.upgrade(WebSocketHandshake.response(accepting: accepted, subprotocol: chosen), at: now)
                        while let bytes = core.pollTransmit() { c.outbound += bytes }
                        var ws = WebSocketConnection(role: .server, configuration: configuration.webSocket, now: now)
                        let session = HTTPServerWebSocketSession(id: id, request: request, subprotocol: chosen, inbox: inbox)
                        wsHandler.webSocketDidOpen(session)
                        ws.handle(bytes: leftover, at: now)
                        c.kind = .webSocket(ws, session, wsHandler)
                        flush(c)
                        drive(id, c, at: now)
                        return
                    } catch {
                        var response = error.response
                        response.headers.set("Connection", "close")
                        core.respond(response, date: TCP.httpDate(), at: now)
                    }
                }
            }
            while let bytes = core.pollTransmit() { c.outbound += bytes }
            c.kind = .http(core)
            flush(c)
            if core.wantsClose, !c.hasOutbound { beginLinger(id, c, at: now) }
        case .webSocket(var core, let session, let handler):
            var closed: (WebSocketCloseCode, String)?
            while let event = core.pollEvent() {
                switch event {
                case let .text(t): handler.webSocket(session, didReceive: .text(t))
                case let .binary(b): handler.webSocket(session, didReceive: .binary(b))
                case .ping, .pong: break
                case let .closed(code, reason): closed = (code, reason)
                case let .failed(error): closed = (error.closeCode, error.description)
                }
                // A handler may have sent meanwhile through the session: that arrives via the inbox.
            }
            while let bytes = core.pollTransmit() { c.outbound += bytes }
            c.kind = .webSocket(core, session, handler)
            if let (code, reason) = closed, !c.closeReported {
                c.closeReported = true
                handler.webSocketDidClose(session, code: code, reason: reason)
            }
            flush(c)
            if core.isClosed, !c.hasOutbound { beginLinger(id, c, at: now) }
        }
    }

    /// Writes what the socket takes now; the rest waits for POLLOUT. A write error drops the peer.
    func flush(_ c: Connection) {
        while c.hasOutbound {
            guard let n = TCP.write(c.fd, c.outbound[c.outboundStart...]) else {
                c.outbound = []
                c.outboundStart = 0
                endOfInput(c, at: TCP.now())
                return
            }
            if n == 0 { return }
            c.outboundStart += n
        }
        c.outbound.removeAll(keepingCapacity: true)
        c.outboundStart = 0
    }

    /// Half-closes (`shutdown(SHUT_WR)`) and keeps reading until the peer closes or the linger
    /// timeout passes, so unread request bytes do not turn the final response into a reset.
    func beginLinger(_ id: Int, _ c: Connection, at now: Instant) {
        guard c.lingerDeadline == nil else { return }
        shutdown(c.fd, Int32(SHUT_WR))
        c.lingerDeadline = now + configuration.lingerTimeout
    }

    func drop(_ id: Int, _ c: Connection) {
        if case let .webSocket(_, session, handler) = c.kind, !c.closeReported {
            c.closeReported = true
            handler.webSocketDidClose(session, code: .abnormalClosure, reason: "server closed the connection")
        }
        close(c.fd)
        connections[id] = nil
    }
}
