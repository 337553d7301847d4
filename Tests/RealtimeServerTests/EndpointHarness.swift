import Foundation
import HTTP
import MediaCore
import Realtime
import RealtimeServer
import Runtime
import Synchronization

/// A monotonic clock tests move by hand (ephemeral-key expiry), starting at the real one.
final class ManualClock: Sendable {
    private let offset = Mutex<Int64>(0)
    func advance(_ d: MediaCore.Duration) { offset.withLock { $0 += d.nanoseconds } }
    func now() -> Instant { RuntimeClock.now() + MediaCore.Duration(nanoseconds: offset.withLock { $0 }) }
}

/// Log lines the endpoint wrote, kept for assertions.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// A running endpoint on 127.0.0.1 with a free port; `stop()` it at the end of each test.
struct RunningEndpoint {
    let endpoint: RealtimeEndpoint
    let port: UInt16
    let log = LogLines()

    init(apiKey: String? = nil, backend: EndpointBackend = .echo, relayAPIKey: String? = nil, maxSessions: Int? = nil,
         clock: ManualClock? = nil) throws {
        let log = self.log
        var c = RealtimeEndpoint.Configuration(apiKey: apiKey, backend: backend, maxSessions: maxSessions, log: { log.append($0) })
        c.relayAPIKey = relayAPIKey
        if let clock { c.clock = { clock.now() } }
        endpoint = try RealtimeEndpoint(c)
        port = try endpoint.start()
    }

    var base: String { "http://127.0.0.1:\(port)" }
    func wsURL(model: String? = "gpt-realtime-mini") -> String {
        "ws://127.0.0.1:\(port)/v1/realtime" + (model.map { "?model=\($0)" } ?? "")
    }
    func stop() { endpoint.stop() }
}

/// An HTTP answer: status and the JSON body (when it is JSON).
struct HTTPAnswer {
    var status: Int
    var body: String
    var headers: String
    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] }
    var errorCode: String? { (json?["error"] as? [String: Any])?["code"] as? String }
    var errorParam: String? { (json?["error"] as? [String: Any])?["param"] as? String }
}

/// One request with curl (bounded by `--max-time`).
func curl(_ method: String, _ url: String, bearer: String? = nil, body: String? = nil) throws -> HTTPAnswer {
    var args = ["-s", "-S", "--max-time", "5", "-X", method, "-D", "-", url]
    if let bearer { args += ["-H", "Authorization: Bearer \(bearer)"] }
    if let body { args += ["-H", "Content-Type: application/json", "--data-binary", body] }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    p.arguments = args
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    let parts = text.components(separatedBy: "\r\n\r\n")
    let head = parts.first ?? ""
    let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
    return HTTPAnswer(status: status, body: parts.dropFirst().joined(separator: "\r\n\r\n"), headers: head)
}

/// A WebSocket client speaking JSON events.
final class EventSocket {
    let client: WebSocketClient

    init(_ url: String, bearer: String? = nil) throws {
        var headers = HTTPHeaders()
        if let bearer { headers.add("Authorization", "Bearer \(bearer)") }
        client = try WebSocketClient.connect(url: url, headers: headers)
    }

    func send(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object)
        try client.send(text: String(decoding: data, as: UTF8.self))
    }

    func sendRaw(_ text: String) throws { try client.send(text: text) }

    /// The next event, or nil after `seconds` with none.
    func next(seconds: Double = 5) throws -> [String: Any]? {
        guard case .text(let text)? = try client.receive(timeout: .milliseconds(Int(seconds * 1000))) else { return nil }
        return (try JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    /// Events up to and including the first of `type` (empty when it never came).
    func collect(until type: String, seconds: Double = 10) throws -> [[String: Any]] {
        var events: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard let e = try next(seconds: max(0.05, deadline.timeIntervalSinceNow)) else { continue }
            events.append(e)
            if e["type"] as? String == type { return events }
        }
        return []
    }
}

/// A 440 Hz tone at 24 kHz, as PCM16 LE base64 (`audio/pcm`).
func toneBase64(milliseconds: Int) -> (base64: String, samples: Int) {
    let count = 24 * milliseconds
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count * 2)
    for i in 0..<count {
        let v = Int16(8000 * sin(2 * Double.pi * 440 * Double(i) / 24_000))
        bytes.append(UInt8(truncatingIfNeeded: v))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
    }
    return (Data(bytes).base64EncodedString(), count)
}

func types(_ events: [[String: Any]]) -> [String] { events.compactMap { $0["type"] as? String } }

/// A scripted backend that asks for `get_weather(city: Paris)` and then says the scripted text
/// (the function-calling round trip of the WebRTC tests); delete `directory` afterwards.
func weatherScript() throws -> (directory: URL, path: String, reply: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rtc-script-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let script = dir.appendingPathComponent("script.json")
    let reply = "It is sunny in Paris."
    try #"[{"function_call":{"name":"get_weather","arguments":{"city":"Paris"}}},{"text":"\#(reply)"}]"#
        .write(to: script, atomically: true, encoding: .utf8)
    return (dir, script.path, reply)
}
