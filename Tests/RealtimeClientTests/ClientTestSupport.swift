import Audio
import Foundation
import Glibc
import MediaCore
import Realtime
import RealtimeClient
import RealtimeServer
import Synchronization
import TestSupport

/// Collects a client's events (they arrive on the client thread) for the test to wait on.
final class EventLog: Sendable {
    let events = Mutex<[RealtimeClient.Event]>([])

    var handler: @Sendable (RealtimeClient.Event) -> Void { { [self] e in events.withLock { $0.append(e) } } }

    var all: [RealtimeClient.Event] { events.withLock { $0 } }

    var serverEvents: [ServerEvent] {
        all.compactMap { if case .server(let e) = $0 { return e } else { return nil } }
    }

    /// Polls until `predicate` holds over the events so far, or `seconds` pass.
    @discardableResult
    func wait(seconds: Double, _ predicate: ([RealtimeClient.Event]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if predicate(all) { return true }
            usleep(10_000)
        }
        return predicate(all)
    }

    func count(_ type: String) -> Int { serverEvents.filter { $0.type == type }.count }
}

/// A local endpoint on 127.0.0.1 with `backend` (and a key, when given).
func startEndpoint(backend: EndpointBackend = .echo, apiKey: String? = nil) throws -> (RealtimeEndpoint, String) {
    let endpoint = try RealtimeEndpoint(.init(host: "127.0.0.1", port: 0, apiKey: apiKey, backend: backend, log: { _ in }))
    let port = try endpoint.start()
    return (endpoint, "http://127.0.0.1:\(port)")
}

/// Writes a scripted-backend script (and a 24 kHz tone WAV beside it when `toneMs` is set).
func writeScript(_ json: String, toneMs: Int? = nil) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("client-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    if let ms = toneMs {
        let tone = (0..<(ms * 24)).map { Int16(8_000 * sin(2 * Double.pi * 440 * Double($0) / 24_000)) }
        try WAVAudio(sampleRate: 24_000, channels: 1, samples: .pcm16(tone)).write(to: dir.appendingPathComponent("tone.wav").path)
    }
    let path = dir.appendingPathComponent("script.json").path
    try json.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Frames (480 samples) in `samples` whose peak is above the audible threshold.
func audibleFrames(_ samples: [Int16]) -> Int {
    stride(from: 0, to: samples.count - 479, by: 480).filter { i in samples[i..<i + 480].contains { $0 > 64 || $0 < -64 } }.count
}

/// A Python peer from Tests/Interop that prints {"type":"ready","port":N}; nil without the venv.
func startPythonPeer(_ script: String, _ arguments: [String]) throws -> (LineProcess, Int)? {
    guard let python = interopPython() else { return nil }
    let path = packageRoot().appendingPathComponent("Tests/Interop/\(script)").path
    let peer = try LineProcess(executable: python, arguments: ["-u", path] + arguments)
    guard let ready = peer.receive(seconds: 20), let port = ready["port"] as? Int else {
        peer.terminate()
        return nil
    }
    return (peer, port)
}

/// Runs the built `realtime-call` with `arguments`, killed after `timeout` seconds.
func runRealtimeCall(_ arguments: [String], timeout: Double = 60) throws -> (status: Int32, stdout: String, stderr: String)? {
    let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var path = dir.appendingPathComponent("realtime-call").path
    if !FileManager.default.isExecutableFile(atPath: path) {
        // Under `swift test` argv[0] may be the xctest helper: try the products directory.
        path = packageRoot().appendingPathComponent(".build-client/debug/realtime-call").path
    }
    guard FileManager.default.isExecutableFile(atPath: path) else { return nil }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("call-\(UUID().uuidString)")
    let outURL = tmp.appendingPathExtension("out"), errURL = tmp.appendingPathExtension("err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    p.standardOutput = try FileHandle(forWritingTo: outURL)
    p.standardError = try FileHandle(forWritingTo: errURL)
    try p.run()
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning, Date() < deadline { usleep(20_000) }
    if p.isRunning { kill(p.processIdentifier, SIGKILL) }
    p.waitUntilExit()
    let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    return (p.terminationStatus, stdout, stderr)
}

struct PortsTaken: Error {}

/// The client's audio ports (noncopyable, so not through #require).
func takePorts(_ client: RealtimeClient) throws -> ClientAudioPorts {
    guard let ports = client.takeAudioPorts() else { throw PortsTaken() }
    return ports
}
