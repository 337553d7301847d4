import HTTP
import MediaCore
import Testing

/// Frames as a client sends them (masked) to a server core.
func clientFrame(_ op: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0) -> [UInt8] {
    WebSocketFrame(fin: fin, opcode: op, payload: payload, maskingKey: 0x1234_5678, rsv: rsv).serialized()
}

extension WebSocketConnection {
    mutating func drainEvents() -> [Event] {
        var out: [Event] = []
        while let e = pollEvent() { out.append(e) }
        return out
    }

    mutating func drainFrames() -> [WebSocketFrame] {
        var bytes: [UInt8] = []
        while let b = pollTransmit() { bytes += b }
        var r = ByteReader(bytes)
        var frames: [WebSocketFrame] = []
        while !r.isAtEnd, let f = try? WebSocketFrame(parsing: &r) { frames.append(f) }
        return frames
    }
}

func closeCode(of frame: WebSocketFrame?) -> UInt16? {
    guard let f = frame, f.opcode == .close, f.payload.count >= 2 else { return nil }
    return UInt16(f.payload[0]) << 8 | UInt16(f.payload[1])
}

@Suite struct WebSocketConnectionTests {
    let t0 = Instant.zero

    func server(_ config: WebSocketConnection.Configuration = .init()) -> WebSocketConnection {
        WebSocketConnection(role: .server, configuration: config, now: t0)
    }

    @Test func fragmentedTextWithInterleavedControlFramesReassembles() {
        var ws = server()
        ws.handle(bytes: clientFrame(.text, Array("Hel".utf8), fin: false) + clientFrame(.ping, [1, 2])
                  + clientFrame(.continuation, Array("l".utf8), fin: false) + clientFrame(.pong, [3])
                  + clientFrame(.continuation, Array("o ✓".utf8)), at: t0)
        #expect(ws.drainEvents() == [.ping([1, 2]), .pong([3]), .text("Hello ✓")])
        let out = ws.drainFrames()
        #expect(out.count == 1)
        #expect(out.first?.opcode == .pong && out.first?.payload == [1, 2] && out.first?.header.maskingKey == nil)
    }

    @Test func utf8SplitAcrossFragmentsIsValid() {
        var ws = server()
        let bytes = Array("€uro".utf8) // € is E2 82 AC
        ws.handle(bytes: clientFrame(.text, [bytes[0]], fin: false) + clientFrame(.continuation, [bytes[1]], fin: false)
                  + clientFrame(.continuation, Array(bytes[2...])), at: t0)
        #expect(ws.drainEvents() == [.text("€uro")])
    }

    @Test func invalidUTF8FailsWith1007() {
        var ws = server()
        ws.handle(bytes: clientFrame(.text, [0x48, 0xC3, 0x28]), at: t0)
        #expect(ws.drainEvents() == [.failed(.invalidUTF8)])
        #expect(closeCode(of: ws.drainFrames().first) == 1007)
        #expect(ws.isClosed)
    }

    @Test func everyByteBoundarySplitGivesTheSameMessages() {
        let wire = clientFrame(.binary, [UInt8](repeating: 9, count: 300)) + clientFrame(.text, Array("hi".utf8), fin: false)
            + clientFrame(.continuation, Array("!".utf8))
        for cut in 0...wire.count {
            var ws = server()
            ws.handle(bytes: wire[..<cut], at: t0)
            ws.handle(bytes: wire[cut...], at: t0)
            #expect(ws.drainEvents() == [.binary([UInt8](repeating: 9, count: 300)), .text("hi!")])
        }
    }

    @Test func protocolViolationsFailWith1002() {
        let cases: [(String, [UInt8])] = [
            ("unmasked", WebSocketFrame(opcode: .text, payload: [0x41]).serialized()),
            ("rsv", clientFrame(.text, [0x41], rsv: 0b100)),
            ("reserved opcode", [0x83, 0x80, 0, 0, 0, 0]),
            ("fragmented ping", clientFrame(.ping, [], fin: false)),
            ("long ping", clientFrame(.ping, [UInt8](repeating: 0, count: 126))),
            ("lone continuation", clientFrame(.continuation, [0x41])),
            ("text inside fragment", clientFrame(.text, [0x41], fin: false) + clientFrame(.text, [0x42])),
            ("close of one byte", clientFrame(.close, [0x03])),
            ("close code 1005", clientFrame(.close, [0x03, 0xED])),
            ("close code 999", clientFrame(.close, [0x03, 0xE7])),
            ("close code 2000", clientFrame(.close, [0x07, 0xD0])),
        ]
        for (name, bytes) in cases {
            var ws = server()
            ws.handle(bytes: bytes, at: t0)
            let events = ws.drainEvents()
            guard case .failed(.protocolError)? = events.last else { Issue.record("\(name): \(events)"); continue }
            #expect(closeCode(of: ws.drainFrames().last) == 1002, "\(name)")
            #expect(ws.isClosed)
        }
    }

    @Test func clientRejectsMaskedFramesFromServer() {
        var ws = WebSocketConnection(role: .client, now: t0)
        ws.handle(bytes: clientFrame(.text, [0x41]), at: t0)
        #expect(ws.drainEvents() == [.failed(.protocolError("masked frame from a server"))])
        let close = ws.drainFrames().first
        #expect(close?.header.maskingKey != nil) // a client masks even its close
        #expect(closeCode(of: close) == 1002)
    }

    @Test func oversizeMessagesFailWith1009EvenAcrossFragments() {
        var single = server(.init(maxMessageBytes: 100))
        single.handle(bytes: Array(clientFrame(.binary, [UInt8](repeating: 0, count: 101)).prefix(8)), at: t0)
        #expect(single.drainEvents() == [.failed(.messageTooBig(limit: 100))]) // refused from the header alone
        #expect(closeCode(of: single.drainFrames().first) == 1009)

        var fragmented = server(.init(maxMessageBytes: 100))
        fragmented.handle(bytes: clientFrame(.binary, [UInt8](repeating: 0, count: 60), fin: false)
                          + clientFrame(.continuation, [UInt8](repeating: 0, count: 41)), at: t0)
        #expect(fragmented.drainEvents() == [.failed(.messageTooBig(limit: 100))])

        var exact = server(.init(maxMessageBytes: 100))
        exact.handle(bytes: clientFrame(.binary, [UInt8](repeating: 0, count: 60), fin: false)
                     + clientFrame(.continuation, [UInt8](repeating: 0, count: 40)), at: t0)
        #expect(exact.drainEvents() == [.binary([UInt8](repeating: 0, count: 100))])
    }

    @Test func peerCloseIsEchoedWithItsCode() {
        for code: UInt16 in [1000, 1001, 1003, 1007, 1008, 1009, 1011, 3000, 4999] {
            var ws = server()
            ws.handle(bytes: clientFrame(.close, [UInt8(code >> 8), UInt8(code & 0xFF)] + Array("bye ✓".utf8)), at: t0)
            #expect(ws.drainEvents() == [.closed(code: WebSocketCloseCode(code), reason: "bye ✓")])
            #expect(closeCode(of: ws.drainFrames().first) == code)
            #expect(ws.isClosed)
            #expect(throws: WebSocketError.notOpen) { try ws.send(text: "late") }
        }
        var empty = server()
        empty.handle(bytes: clientFrame(.close, []), at: t0)
        #expect(empty.drainEvents() == [.closed(code: .noStatusReceived, reason: "")])
        #expect(empty.drainFrames().first?.payload == [])
    }

    @Test func closeReasonMustBeUTF8() {
        var ws = server()
        ws.handle(bytes: clientFrame(.close, [0x03, 0xE8, 0xFF]), at: t0)
        #expect(ws.drainEvents() == [.failed(.invalidUTF8)])
    }

    @Test func ourCloseWaitsForThePeerThenTimesOut() {
        var ws = server()
        ws.close(code: .goingAway, reason: String(repeating: "é", count: 100), at: t0)
        let frame = ws.drainFrames().first
        #expect(closeCode(of: frame) == 1001)
        #expect((frame?.payload.count ?? 0) <= 125)
        #expect(String(validating: frame?.payload.dropFirst(2) ?? [], as: UTF8.self) != nil)
        #expect(ws.state == .closing)
        #expect(throws: WebSocketError.notOpen) { try ws.send(binary: [1]) }
        // Data still arrives until the peer's close.
        ws.handle(bytes: clientFrame(.text, Array("in flight".utf8)), at: t0)
        #expect(ws.drainEvents() == [.text("in flight")])
        #expect(ws.pollTimeout() == t0 + .seconds(5))
        ws.handleTimeout(at: t0 + .seconds(5))
        #expect(ws.drainEvents() == [.closed(code: .abnormalClosure, reason: "close handshake timed out")])

        var answered = server()
        answered.close(at: t0)
        _ = answered.drainFrames()
        answered.handle(bytes: clientFrame(.close, [0x03, 0xE8]), at: t0)
        #expect(answered.drainEvents() == [.closed(code: .normalClosure, reason: "")])
        #expect(answered.drainFrames().isEmpty) // no second close
    }

    @Test func idlePeerIsPingedThenFailed() {
        var ws = server(.init(pingInterval: .seconds(20), pongTimeout: .seconds(5)))
        #expect(ws.pollTimeout() == t0 + .seconds(20))
        ws.handleTimeout(at: t0 + .seconds(20))
        #expect(ws.drainFrames().map(\.opcode) == [.ping])
        #expect(ws.pollTimeout() == t0 + .seconds(25))
        ws.handle(bytes: clientFrame(.pong, []), at: t0 + .seconds(21))
        #expect(ws.pollTimeout() == t0 + .seconds(41))
        ws.handleTimeout(at: t0 + .seconds(41))
        _ = ws.drainFrames()
        ws.handleTimeout(at: t0 + .seconds(46))
        #expect(ws.drainEvents().last == .failed(.timeout))
        #expect(closeCode(of: ws.drainFrames().first) == 1001)
    }

    @Test func endOfInputWithoutCloseIsAbnormal() {
        var ws = server()
        ws.handleEndOfInput(at: t0)
        #expect(ws.drainEvents() == [.closed(code: .abnormalClosure, reason: "connection closed without a close frame")])
    }

    @Test func clientAndServerCoresTalkFragmentedBothWays() throws {
        var client = WebSocketConnection(role: .client, now: t0)
        var server = server()
        try client.send(text: "héllo wörld", fragmentSize: 3)
        try client.send(binary: Array(0..<200), fragmentSize: 64)
        try client.ping([7])
        while let b = client.pollTransmit() { server.handle(bytes: b, at: t0) }
        #expect(server.drainEvents() == [.text("héllo wörld"), .binary(Array(0..<200)), .ping([7])])
        try server.send(text: "back", fragmentSize: 1)
        while let b = server.pollTransmit() { client.handle(bytes: b, at: t0) }
        #expect(client.drainEvents() == [.pong([7]), .text("back")]) // the pong was queued before "back"
        client.close(code: .normalClosure, reason: "done", at: t0)
        while let b = client.pollTransmit() { server.handle(bytes: b, at: t0) }
        #expect(server.drainEvents() == [.closed(code: .normalClosure, reason: "done")])
        while let b = server.pollTransmit() { client.handle(bytes: b, at: t0) }
        #expect(client.drainEvents() == [.closed(code: .normalClosure, reason: "")])
        #expect(client.isClosed && server.isClosed)
    }
}
