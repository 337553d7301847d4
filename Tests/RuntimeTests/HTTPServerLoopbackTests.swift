import Foundation
import Glibc
import HTTP
import MediaCore
import Testing
@testable import Runtime

/// Runs a program to completion (bounded by curl's own --max-time) and returns status, stdout, stderr.
func run(_ path: String, _ args: [String], stdin: String? = nil) throws -> (Int32, String, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    let out = Pipe(), err = Pipe(), input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// A raw TCP client: writes bytes, then reads until the server closes or `seconds` pass.
func rawExchange(port: UInt16, _ bytes: [UInt8], seconds: Double = 5) throws -> String {
    let fd = try TCP.connect(host: "127.0.0.1", port: port, timeout: .seconds(2))
    defer { close(fd) }
    try TCP.writeAll(fd, bytes, timeout: .seconds(2))
    return readUntilClosed(fd, seconds: seconds)
}

func readUntilClosed(_ fd: Int32, seconds: Double) -> String {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    let deadline = TCP.now() + .seconds(seconds)
    while TCP.now() < deadline {
        guard TCP.waitFor(fd, events: Int16(POLLIN), timeout: deadline - TCP.now()) else { break }
        switch TCP.read(fd, into: &buffer) {
        case let .bytes(n): received += buffer[..<n]
        case .wouldBlock: continue
        case .endOfInput, .failed: return String(decoding: received, as: UTF8.self)
        }
    }
    return String(decoding: received, as: UTF8.self) + "<still open>"
}

/// Answers every request with a description of what it received.
let describingHandler: HTTPServer.Handler = { request in
    let text = "\(request.method) \(request.path) model=\(request.query["model"] ?? "-") body=\(String(decoding: request.body, as: UTF8.self))"
    return .response(HTTPResponse(status: 200, contentType: "text/plain", body: text))
}

@Suite(.serialized) struct HTTPServerLoopbackTests {
    let curl = "/usr/bin/curl"

    @Test func curlGetAndPostAreServed() throws {
        let server = HTTPServer(handler: describingHandler)
        let port = try server.start()
        defer { server.stop() }
        #expect(port != 0)
        let (s1, body1, _) = try run(curl, ["-sS", "--max-time", "5", "http://127.0.0.1:\(port)/v1/realtime?model=gpt%2Drealtime"])
        #expect(s1 == 0)
        #expect(body1 == "GET /v1/realtime model=gpt-realtime body=")
        let (s2, body2, _) = try run(curl, ["-sS", "--max-time", "5", "-H", "Content-Type: application/sdp", "--data-binary", "@-",
                                            "http://127.0.0.1:\(port)/v1/realtime/calls"], stdin: "v=0\r\ns=-\r\n")
        #expect(s2 == 0)
        #expect(body2 == "POST /v1/realtime/calls model=- body=v=0\r\ns=-\r\n")
    }

    @Test func curlChunkedUploadIsDecoded() throws {
        let server = HTTPServer(handler: describingHandler)
        let port = try server.start()
        defer { server.stop() }
        let (s, body, _) = try run(curl, ["-sS", "--max-time", "5", "-H", "Transfer-Encoding: chunked", "--data-binary", "@-",
                                          "http://127.0.0.1:\(port)/up"], stdin: String(repeating: "abc", count: 3000))
        #expect(s == 0)
        #expect(body == "POST /up model=- body=" + String(repeating: "abc", count: 3000))
    }

    @Test func curlReusesAKeptAliveConnection() throws {
        let server = HTTPServer(handler: describingHandler)
        let port = try server.start()
        defer { server.stop() }
        let (s, body, log) = try run(curl, ["-sS", "-v", "--max-time", "5", "http://127.0.0.1:\(port)/a", "http://127.0.0.1:\(port)/b"])
        #expect(s == 0)
        #expect(body == "GET /a model=- body=GET /b model=- body=")
        #expect(log.contains("Re-using existing connection"))
    }

    @Test func oversizeBodyGets413() throws {
        let server = HTTPServer(limits: HTTPLimits(maxBodyBytes: 1000), handler: describingHandler)
        let port = try server.start()
        defer { server.stop() }
        let (_, code, _) = try run(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", "--data-binary", "@-",
                                          "http://127.0.0.1:\(port)/big"], stdin: String(repeating: "x", count: 5000))
        #expect(code == "413")
    }

    @Test func malformedRequestGets400JSONAndTheServerKeepsServing() throws {
        let server = HTTPServer(handler: describingHandler)
        let port = try server.start()
        defer { server.stop() }
        let reply = try rawExchange(port: port, Array("GET / HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n".utf8))
        #expect(reply.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(reply.contains("Connection: close\r\n"))
        #expect(reply.contains("{\"error\":{\"message\":"))
        let smuggle = try rawExchange(port: port, Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".utf8))
        #expect(smuggle.hasPrefix("HTTP/1.1 400 "))
        let version = try rawExchange(port: port, Array("GET / HTTP/2.0\r\nHost: a\r\n\r\n".utf8))
        #expect(version.hasPrefix("HTTP/1.1 505 "))
        let (s, body, _) = try run(curl, ["-sS", "--max-time", "5", "http://127.0.0.1:\(port)/still"])
        #expect(s == 0 && body == "GET /still model=- body=")
    }

    @Test func slowClientGets408WhileOthersAreServed() throws {
        let server = HTTPServer(limits: HTTPLimits(headerReadTimeout: .milliseconds(400)), handler: describingHandler)
        let port = try server.start()
        defer { server.stop() }
        let slow = try TCP.connect(host: "127.0.0.1", port: port, timeout: .seconds(2))
        defer { close(slow) }
        try TCP.writeAll(slow, Array("GET / HTTP/1.1\r\nHo".utf8), timeout: .seconds(1))
        let (s, body, _) = try run(curl, ["-sS", "--max-time", "5", "http://127.0.0.1:\(port)/fast"])
        #expect(s == 0 && body == "GET /fast model=- body=")
        let reply = readUntilClosed(slow, seconds: 5)
        #expect(reply.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(!reply.hasSuffix("<still open>"))
    }

    @Test func connectionsBeyondTheLimitGet503() throws {
        let server = HTTPServer(maxConnections: 1, handler: describingHandler)
        let port = try server.start()
        defer { server.stop() }
        let first = try TCP.connect(host: "127.0.0.1", port: port, timeout: .seconds(2))
        defer { close(first) }
        try TCP.writeAll(first, Array("GET /one HTTP/1.1\r\nHost: a\r\n\r\n".utf8), timeout: .seconds(1))
        #expect(TCP.waitFor(first, events: Int16(POLLIN), timeout: .seconds(2))) // first is being served
        let reply = try rawExchange(port: port, Array("GET /two HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(reply.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
    }

    @Test func webSocketEchoWithOurClientAndSendsFromAnotherThread() throws {
        let recorder = EchoHandler()
        let server = HTTPServer { request in
            request.path == "/v1/realtime" ? .webSocket(recorder, subprotocol: "realtime") : .response(HTTPResponse(status: 404))
        }
        let port = try server.start()
        defer { server.stop() }
        let client = try WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/v1/realtime?model=m", headers: ["Authorization": "Bearer k"],
                                                 protocols: ["realtime"])
        #expect(client.subprotocol == "realtime")
        try client.send(text: "hello ✓", fragmentSize: 2)
        #expect(try client.receive(timeout: .seconds(5)) == .text("echo:hello ✓"))
        try client.send(binary: Array(0..<255))
        #expect(try client.receive(timeout: .seconds(5)) == .binary(Array(0..<255)))
        let session = try #require(recorder.sessions.first)
        #expect(session.request.query["model"] == "m")
        #expect(session.request.headers["authorization"] == "Bearer k")
        let sender = Thread { session.send(text: "from another thread") }
        sender.start()
        #expect(try client.receive(timeout: .seconds(5)) == .text("from another thread"))
        client.close(code: .normalClosure, reason: "bye")
        #expect(waitFor(seconds: 5) { recorder.closes.count == 1 })
        #expect(recorder.closes.first?.0 == .normalClosure)
        #expect(recorder.closes.first?.1 == "bye")

        // A plain GET on a WebSocket route is refused with 426, not upgraded.
        let (_, code, _) = try run(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", "http://127.0.0.1:\(port)/v1/realtime"])
        #expect(code == "426")
    }
}

/// Echoes text as "echo:<text>" and binary as is; records sessions and closes.
final class EchoHandler: HTTPServerWebSocketHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var _sessions: [HTTPServerWebSocketSession] = []
    private var _closes: [(WebSocketCloseCode, String)] = []
    var sessions: [HTTPServerWebSocketSession] { lock.withLock { _sessions } }
    var closes: [(WebSocketCloseCode, String)] { lock.withLock { _closes } }

    func webSocketDidOpen(_ session: HTTPServerWebSocketSession) { lock.withLock { _sessions.append(session) } }
    func webSocket(_ session: HTTPServerWebSocketSession, didReceive message: WebSocketMessage) {
        switch message {
        case let .text(t): session.send(text: "echo:" + t)
        case let .binary(b): session.send(binary: b)
        }
    }
    func webSocketDidClose(_ session: HTTPServerWebSocketSession, code: WebSocketCloseCode, reason: String) {
        lock.withLock { _closes.append((code, reason)) }
    }
}

/// Polls `done` every 5 ms for up to `seconds` (bounded: no test can hang).
func waitFor(seconds: Double, _ done: () -> Bool) -> Bool {
    let deadline = TCP.now() + .seconds(seconds)
    while TCP.now() < deadline {
        if done() { return true }
        usleep(5_000)
    }
    return done()
}
