import Audio
import Foundation
import Glibc
import MediaCore
import Runtime
import TestSupport

/// Concurrent echo calls over WebRTC against `realtime-server` running as its own process, so
/// "server CPU" is that process's CPU time and nothing else. The callers are PeerConnections in
/// this process on the same two cores; a step counts only while they keep up (they hear their
/// echo and their playout rings do not run dry), since starved callers send less and would make
/// the server look cheaper than it is.
///
/// Per step: add calls, settle, then over a window read the server's CPU (summed
/// `/proc/PID/task/*/schedstat`), its late media ticks and dropped frames (`/metrics`), and the
/// callers' underflows and echoes. Server-limited: late ticks or dropped frames. Client-limited:
/// under 95 % of callers heard an echo in the window, or > 1 % of their playout pops underflowed.
func webRTCCapacity(_ ctx: BenchContext) {
    let binary = Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("realtime-server").path
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        print("  webrtc capacity: skipped: no \(binary) (build it: swift build -c release --product realtime-server)")
        return
    }
    guard let server = ServerProcess(binary: binary) else {
        print("  webrtc capacity: realtime-server did not start")
        return
    }
    defer { server.stop() }
    let steps = ctx.quick ? [4, 8] : [10, 20, 40, 60, 80, 100, 125, 150]
    let window = ctx.quick ? 3.0 : 8.0
    // The callers' libnice loop gathers ready sockets as the server's do: one loop polling
    // every caller's socket per datagram would cost this process more than the server.
    let clientGLib = GLibLoop(coalescingPerSocket: .milliseconds(1), maximumCoalescing: .milliseconds(1))
    // The callers share two call loops, as a server's calls do: thousands of caller threads
    // would cost this machine more than the server under test.
    let callerLoops = [CallLoop(name: "bench-call"), CallLoop(name: "bench-call")]
    let audio = BenchAudioThread()
    var calls: [BenchCall] = []
    defer {
        audio.stop()
        for c in calls { c.peer.close() }
        for l in callerLoops { l.stop() }
        clientGLib.stop()
    }
    var good: (n: Int, cpuPerCall: Double)?
    var limit = "not reached (largest step \(steps.last!))"
    var points: [(x: Double, y: Double)] = []
    for target in steps {
        while calls.count < target {
            var config = PeerConnection.Configuration()
            config.localAddresses = ["127.0.0.1"]
            let peer = PeerConnection(configuration: config, glib: clientGLib, callLoop: callerLoops[calls.count % 2])
            peer.createDataChannel(label: "oai-events")
            guard let offer = try? peer.createOffer(), let answer = postOffer(port: server.port, sdp: offer),
                  (try? peer.setRemoteAnswer(answer)) != nil, let ports = peer.takeAudioPorts() else {
                peer.close()
                limit = "call set-up failed at \(calls.count) calls"
                break
            }
            let call = BenchCall(peer: peer, capture: ports.capture, playout: ports.playout)
            calls.append(call)
            audio.add(call)
        }
        guard calls.count == target else { break }
        usleep(1_500_000)   // connect, open channels, settle
        let late0 = server.counter("realtime_call_media_ticks_late_total"), dropped0 = server.counter("realtime_call_frames_dropped_total")
        let client0 = audio.snapshot()
        let cpu0 = server.cpuNanoseconds(), t0 = nowNanoseconds()
        usleep(UInt32(window * 1_000_000))
        let cpu = Double(server.cpuNanoseconds() - cpu0), wall = Double(nowNanoseconds() - t0)
        let client = audio.snapshot()
        let late = server.counter("realtime_call_media_ticks_late_total") - late0
        let dropped = server.counter("realtime_call_frames_dropped_total") - dropped0
        let heard = zip(client0.voiceFrames, client.voiceFrames).filter { $1 > $0 }.count
        let underflowPercent = Double(client.underflows - client0.underflows) / Double(max(1, client.pops - client0.pops)) * 100
        let perCall = cpu / wall / Double(target) * 100
        print("  \(target) calls: server process \(format(cpu / wall * 100)) % of a core, \(format(perCall)) %/call; late ticks \(late), "
              + "dropped \(dropped); callers: \(heard)/\(target) heard an echo, \(format(underflowPercent)) % of pops underflowed")
        if late > 0 || dropped > 0 {
            limit = "server: late output at \(target) calls (\(late) late ticks, \(dropped) dropped frames)"
            break
        }
        if Double(heard) < 0.95 * Double(target) || underflowPercent > 1 {
            limit = "callers: at \(target) calls the in-process callers no longer keep up (\(heard)/\(target) heard an echo, "
                + "\(format(underflowPercent)) % underflows) on the same 2 cores"
            break
        }
        points.append((Double(target), perCall))
        good = (target, perCall)
    }
    guard let good else {
        print("  webrtc capacity: no step ran clean (\(limit))")
        return
    }
    let perCore = 100 / good.cpuPerCall
    ctx.add(BenchRow(suite: "endpoint", name: "webrtc: server CPU per call", unit: "% core", value: good.cpuPerCall,
                     note: "realtime-server's own process at \(good.n) echo calls with audio both ways (1 s chirp each 4 s)"))
    ctx.add(BenchRow(suite: "endpoint", name: "webrtc: calls per core (1 / CPU per call)", unit: "calls", value: perCore,
                     target: "≥ 150", meetsTarget: perCore >= 150, note: "from the CPU per call at \(good.n) calls"))
    ctx.add(BenchRow(suite: "endpoint", name: "webrtc: calls held, no late frames", unit: "calls", value: Double(good.n),
                     note: "limit: \(limit)"))
    let chart = ChartSpec(id: "server-cpu-per-call", title: "realtime-server CPU per WebRTC echo call against concurrent calls",
                          xLabel: "concurrent calls", yLabel: "% of one core per call")
    ctx.addSeries(chart, name: "realtime-server (own process)", points: points)
}

/// `realtime-server` as a child process on 127.0.0.1 with a free port; its log goes to a file
/// (a pipe nobody drains would block it).
private final class ServerProcess {
    let process = Process()
    let port: UInt16
    private let log: String

    init?(binary: String) {
        log = NSTemporaryDirectory() + "realtime-bench-server-\(getpid()).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        guard let out = FileHandle(forWritingAtPath: log) else { return nil }
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--host", "127.0.0.1", "--port", "0", "--tier", "5", "--max-sessions", "1000"]
        process.standardOutput = out
        process.standardError = out
        guard (try? process.run()) != nil else { return nil }
        var found: UInt16?
        for _ in 0..<200 where found == nil {
            usleep(20_000)
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let r = text.range(of: "listening on http://127.0.0.1:") {
                found = UInt16(text[r.upperBound...].prefix { $0.isNumber })
            }
        }
        guard let found else { process.terminate(); return nil }
        port = found
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: log)
    }

    /// CPU time of every thread of the server, in ns (`/proc/PID/task/*/schedstat`).
    func cpuNanoseconds() -> Int64 {
        let dir = "/proc/\(process.processIdentifier)/task"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).reduce(0) { sum, tid in
            let text = (try? String(contentsOfFile: "\(dir)/\(tid)/schedstat", encoding: .utf8)) ?? ""
            return sum + (Int64(text.split(separator: " ").first ?? "") ?? 0)
        }
    }

    /// A counter from the server's `/metrics` (0 when absent).
    func counter(_ name: String) -> Int {
        guard let url = URL(string: "http://127.0.0.1:\(port)/metrics"), let text = try? String(contentsOf: url, encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Int(line.split(separator: " ").last ?? "") ?? 0
        }
        return 0
    }
}

/// A caller: its PeerConnection and its ends of the audio rings, driven by the shared audio thread.
final class BenchCall: @unchecked Sendable {
    let peer: PeerConnection
    var capture: RingProducer
    var playout: RingConsumer
    init(peer: PeerConnection, capture: consuming RingProducer, playout: consuming RingConsumer) {
        self.peer = peer
        self.capture = capture
        self.playout = playout
    }
}

/// Every 10 ms, for every call: push the next 10 ms of a speech pattern (1 s chirp, 3 s silence,
/// phase-shifted per call) and pop what was heard. One thread for all callers, like one sound
/// card per caller would be, without a thread each.
final class BenchAudioThread: @unchecked Sendable {
    struct Snapshot { var voiceFrames: [Int]; var underflows: Int; var pops: Int }
    private let lock = NSLock()
    private var calls: [BenchCall] = []
    private var voiceFrames: [Int] = []
    private var underflows = 0, pops = 0
    private var running = true
    private let pattern: [Int16]

    init() {
        pattern = chirp(count: 48_000, amplitude: 8_000) + [Int16](repeating: 0, count: 48_000 * 3)
        let t = Thread { [self] in run() }
        t.name = "bench-callers"
        t.start()
    }

    func add(_ call: BenchCall) { lock.lock(); calls.append(call); voiceFrames.append(0); lock.unlock() }
    func stop() { lock.lock(); running = false; lock.unlock() }
    func snapshot() -> Snapshot {
        lock.lock(); defer { lock.unlock() }
        return Snapshot(voiceFrames: voiceFrames, underflows: underflows, pops: pops)
    }

    private func run() {
        var next = RuntimeClock.now()
        var tick = 0
        var heard = [Int16](repeating: 0, count: 480)
        while true {
            lock.lock()
            guard running else { lock.unlock(); return }
            for (i, call) in calls.enumerated() {
                let start = ((tick + i * 37) * 480) % pattern.count
                pattern[start..<start + 480].withUnsafeBufferPointer { _ = call.capture.push($0) }
                pops += 1
                if heard.withUnsafeMutableBufferPointer({ call.playout.pop(into: $0) }) {
                    if heard.contains(where: { abs(Int32($0)) > 1_000 }) { voiceFrames[i] += 1 }
                } else {
                    underflows += 1
                }
            }
            lock.unlock()
            tick += 1
            next = next + .milliseconds(10)
            RuntimeClock.sleep(until: next)
        }
    }
}

/// POSTs an SDP offer to `/v1/realtime/calls` over a plain socket; the answer body on 201.
func postOffer(port: UInt16, sdp: String) -> String? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = port.bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    guard ok == 0 else { return nil }
    let body = Array(sdp.utf8)
    let head = "POST /v1/realtime/calls HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sdp\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
    let request = Array(head.utf8) + body
    guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else { return nil }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 16_384)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        response += buffer[0..<n]
    }
    let text = String(decoding: response, as: UTF8.self)
    guard text.hasPrefix("HTTP/1.1 201"), let split = text.range(of: "\r\n\r\n") else { return nil }
    return String(text[split.upperBound...])
}
