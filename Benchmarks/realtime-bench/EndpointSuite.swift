import Audio
import Foundation
import Glibc
import HTTP
import MediaCore
import Realtime
import RealtimeServer
import Runtime
import TestSupport

/// The local endpoint (issue 6): end of turn → first output audio (echo backend, so backend time
/// is nil), over WebSocket (commit + response.create → first `response.output_audio.delta`)
/// and WebRTC (server VAD's stop → first voice frame given to the call's encoder); then capacity:
/// concurrent echo calls over WebRTC with audio both ways, stepped up until the endpoint's
/// 10 ms media ticks run late, with the server's CPU per call from its threads' CPU time.
func endpointSuite() -> BenchSuite {
    BenchSuite(name: "endpoint", summary: "end of turn to first output audio; concurrent WebRTC sessions") { ctx in
        let before = threadIDs()
        guard let endpoint = try? RealtimeEndpoint(.init(tier: .tier5, log: { _ in })), let port = try? endpoint.start() else {
            print("  endpoint: could not start")
            return
        }
        defer { endpoint.stop() }
        webSocketTurnLatency(ctx, endpoint: endpoint, port: port)
        // The endpoint's threads (endpoint loop, HTTP server, its GLib loop) are the server's.
        webRTCCapacity(ctx, endpoint: endpoint, port: port, serverBase: threadIDs().subtracting(before))
    }
}

private func latencyRows(_ ctx: BenchContext, _ samples: [MediaCore.Duration], name: String, note: String) {
    guard !samples.isEmpty else {
        print("  \(name): no samples")
        return
    }
    let s = Summary(samples.map { Double($0.nanoseconds) / 1e6 })
    ctx.add(BenchRow(suite: "endpoint", name: name, unit: "ms", value: s.p50, summary: s,
                     target: "≤ 5", meetsTarget: s.p50 <= 5, note: "n=\(s.count); \(note)"))
}

// MARK: - WebSocket turns

private func webSocketTurnLatency(_ ctx: BenchContext, endpoint: RealtimeEndpoint, port: UInt16) {
    let turns = ctx.iterations(200, quick: 30)
    guard let socket = try? WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/v1/realtime?model=gpt-realtime-mini") else {
        print("  websocket: could not connect")
        return
    }
    defer { socket.close() }
    func waitFor(_ type: String) -> Bool {
        let needle = "\"type\":\"\(type)\""
        for _ in 0..<2_000 {
            guard case .text(let t)? = try? socket.receive(timeout: .seconds(5)) else { return false }
            if t.contains(needle) { return true }
        }
        return false
    }
    _ = try? socket.send(text: #"{"type":"session.update","session":{"type":"realtime","audio":{"input":{"turn_detection":null}}}}"#)
    guard waitFor("session.updated") else { print("  websocket: no session.updated"); return }
    // 20 ms of a 440 Hz tone at 24 kHz: one output chunk, so each turn takes ~20 ms of pacing.
    var pcm: [UInt8] = []
    for i in 0..<480 {
        let v = Int16(8000 * sin(2 * Double.pi * 440 * Double(i) / 24_000))
        pcm += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)]
    }
    let append = #"{"type":"input_audio_buffer.append","audio":""# + Data(pcm).base64EncodedString() + #""}"#
    _ = endpoint.takeTurnLatencies()
    for _ in 0..<turns {
        _ = try? socket.send(text: append)
        _ = try? socket.send(text: #"{"type":"input_audio_buffer.commit"}"#)
        _ = try? socket.send(text: #"{"type":"response.create"}"#)
        guard waitFor("response.done") else { print("  websocket: a turn did not finish"); break }
    }
    latencyRows(ctx, endpoint.takeTurnLatencies(), name: "websocket: response.create → first audio delta",
                note: "echo backend; server side, from the event's arrival to the delta handed to the socket")
}

// MARK: - WebRTC capacity

/// A bench client's call: its PeerConnection and its ends of the audio rings (driven by one
/// shared audio thread, not one thread per call).
private final class BenchCall: @unchecked Sendable {
    let peer: PeerConnection
    var capture: RingProducer?
    var playout: RingConsumer?
    var heardVoiceFrames = 0
    var underflows = 0
    init(peer: PeerConnection) { self.peer = peer }
}

/// Every 10 ms, for every call: push the next 10 ms of a speech pattern (1 s chirp, 3 s silence,
/// phase-shifted per call) and pop what was heard.
private final class BenchAudioThread: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [BenchCall] = []
    private var running = true
    private var thread: Thread?
    private let pattern: [Int16]

    init() {
        pattern = chirp(count: 48_000, amplitude: 8_000) + [Int16](repeating: 0, count: 48_000 * 3)
        let t = Thread { [self] in run() }
        t.name = "bench-client-audio"
        thread = t
        t.start()
    }

    func add(_ call: BenchCall) { lock.lock(); calls.append(call); lock.unlock() }
    func stop() { lock.lock(); running = false; lock.unlock() }

    private func run() {
        var next = RuntimeClock.now()
        var tick = 0
        var heard = [Int16](repeating: 0, count: 480)
        while true {
            lock.lock()
            let list = calls
            let go = running
            lock.unlock()
            guard go else { return }
            for (i, call) in list.enumerated() {
                let start = ((tick + i * 37) * 480) % pattern.count
                pattern[start..<start + 480].withUnsafeBufferPointer { _ = call.capture!.push($0) }
                if heard.withUnsafeMutableBufferPointer({ call.playout!.pop(into: $0) }) {
                    if heard.contains(where: { abs(Int32($0)) > 1_000 }) { call.heardVoiceFrames += 1 }
                } else {
                    call.underflows += 1
                }
            }
            tick += 1
            next = next + .milliseconds(10)
            RuntimeClock.sleep(until: next)
        }
    }
}

/// Thread ids of this process (`/proc/self/task`).
private func threadIDs() -> Set<Int> {
    Set(((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []).compactMap { Int($0) })
}

/// On-CPU time of one thread in ns (`/proc/self/task/TID/schedstat`, first field); 0 once gone.
private func threadCPU(_ tid: Int) -> Int64 {
    guard let text = try? String(contentsOfFile: "/proc/self/task/\(tid)/schedstat", encoding: .utf8) else { return 0 }
    return Int64(text.split(separator: " ").first ?? "") ?? 0
}

/// A thread's name (`/proc/self/task/TID/comm`).
private func threadName(_ tid: Int) -> String {
    ((try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
}

/// POSTs an SDP offer over a plain socket (no URLSession: its threads would blur the per-thread
/// CPU split); returns the answer body on 201.
private func postOffer(port: UInt16, sdp: String) -> String? {
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

private func scrapeCounter(_ name: String, port: UInt16) -> Int? {
    guard let url = URL(string: "http://127.0.0.1:\(port)/metrics"), let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
        return Int(line.split(separator: " ").last ?? "")
    }
    return nil
}

private func webRTCCapacity(_ ctx: BenchContext, endpoint: RealtimeEndpoint, port: UInt16, serverBase: Set<Int>) {
    let steps = ctx.quick ? [4, 8] : [10, 25, 50, 75, 100, 150, 200, 250, 300]
    let window = ctx.quick ? 2.0 : 8.0
    let clientGLib = GLibLoop()
    let audio = BenchAudioThread()
    usleep(20_000)
    // Server: the endpoint's threads, then each call's PeerConnection thread (born during its
    // POST) and dispatch workers sending its events. Client: everything else.
    var serverThreads = serverBase
    var clientThreads = threadIDs().subtracting(serverThreads)
    var calls: [BenchCall] = []
    var lastGood: (n: Int, cpuPerCall: Double)?
    var limit = "not reached"
    defer {
        audio.stop()
        for c in calls { c.peer.close() }
        clientGLib.stop()
    }
    for target in steps {
        while calls.count < target {
            var config = PeerConnection.Configuration()
            config.localAddresses = ["127.0.0.1"]
            let peer = PeerConnection(configuration: config, glib: clientGLib)
            peer.createDataChannel(label: "oai-events")
            guard let offer = try? peer.createOffer() else { limit = "client offer failed at \(calls.count)"; break }
            clientThreads.formUnion(threadIDs().subtracting(serverThreads))
            let before = threadIDs()
            guard let answer = postOffer(port: port, sdp: offer) else { limit = "POST failed at \(calls.count)"; break }
            serverThreads.formUnion(threadIDs().subtracting(before).subtracting(clientThreads))
            guard (try? peer.setRemoteAnswer(answer)) != nil else { limit = "answer rejected at \(calls.count)"; break }
            let call = BenchCall(peer: peer)
            guard let ports = peer.takeAudioPorts() else { break }
            call.capture = Optional(ports.capture)
            call.playout = Optional(ports.playout)
            calls.append(call)
            audio.add(call)
        }
        guard calls.count == target else { break }
        usleep(1_500_000)   // connect, open channels, settle
        // Threads born since (dispatch workers sending server events) are the server's.
        serverThreads.formUnion(threadIDs().subtracting(clientThreads))
        let late0 = scrapeCounter("realtime_call_media_ticks_late_total", port: port) ?? 0
        let dropped0 = scrapeCounter("realtime_call_frames_dropped_total", port: port) ?? 0
        let under0 = calls.reduce(0) { $0 + $1.underflows }
        let server0 = serverThreads.reduce(Int64(0)) { $0 + threadCPU($1) }
        let loopThreads = serverThreads.filter { threadName($0) == "realtime-endpt" }
        let loop0 = loopThreads.reduce(Int64(0)) { $0 + threadCPU($1) }
        let process0 = processCPUNanoseconds()
        let t0 = nowNanoseconds()
        usleep(UInt32(window * 1_000_000))
        let wall = Double(nowNanoseconds() - t0)
        serverThreads.formUnion(threadIDs().subtracting(clientThreads))
        let serverCPU = Double(serverThreads.reduce(Int64(0)) { $0 + threadCPU($1) } - server0)
        let processCPU = Double(processCPUNanoseconds() - process0)
        let loopCPU = Double(loopThreads.reduce(Int64(0)) { $0 + threadCPU($1) } - loop0)
        let late = (scrapeCounter("realtime_call_media_ticks_late_total", port: port) ?? 0) - late0
        let dropped = (scrapeCounter("realtime_call_frames_dropped_total", port: port) ?? 0) - dropped0
        let underflows = calls.reduce(0) { $0 + $1.underflows } - under0
        let perCall = serverCPU / wall / Double(target) * 100
        print("  \(target) calls: server CPU \(format(serverCPU / wall * 100)) % of a core (\(format(perCall)) %/call; "
              + "endpoint loop \(format(loopCPU / wall / Double(target) * 100)) %/call, the rest is the calls' PeerConnection threads), "
              + "whole process \(format(processCPU / wall * 100)) %, late ticks \(late), dropped \(dropped), client underflows \(underflows)")
        if late > 0 || dropped > 0 {
            limit = "late output at \(target) calls (\(late) late ticks, \(dropped) dropped frames)"
            break
        }
        lastGood = (target, perCall)
    }
    let heard = calls.filter { $0.heardVoiceFrames > 0 }.count
    latencyRows(ctx, endpoint.takeTurnLatencies(), name: "webrtc: VAD stop → first voice frame to encoder",
                note: "echo backend; the call's encoder takes it on its next 10 ms tick")
    guard let good = lastGood else {
        print("  capacity: no step ran clean (\(limit))")
        return
    }
    let perCore = 100 / good.cpuPerCall
    ctx.add(BenchRow(suite: "endpoint", name: "webrtc: server CPU per call", unit: "% core", value: good.cpuPerCall,
                     note: "at \(good.n) calls; server threads only (endpoint loop, HTTP, GLib, call threads)"))
    ctx.add(BenchRow(suite: "endpoint", name: "webrtc: calls per core (from CPU/call)", unit: "calls", value: perCore,
                     target: "≥ 150", meetsTarget: perCore >= 150, note: "1 / CPU per call"))
    ctx.add(BenchRow(suite: "endpoint", name: "webrtc: calls held with no late frames", unit: "calls", value: Double(good.n),
                     target: "≥ 300 (2 cores)", meetsTarget: good.n >= 300,
                     note: "limit: \(limit); clients share the 2 cores; \(heard)/\(calls.count) callers heard their echo"))
}
