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
/// and WebRTC (server VAD's stop → first voice frame given to the call's encoder), in process;
/// then capacity against `realtime-server` as its own process (EndpointCapacity.swift).
func endpointSuite() -> BenchSuite {
    BenchSuite(name: "endpoint", summary: "end of turn to first output audio; concurrent WebRTC sessions") { ctx in
        guard let endpoint = try? RealtimeEndpoint(.init(tier: .tier5, log: { _ in })), let port = try? endpoint.start() else {
            print("  endpoint: could not start")
            return
        }
        defer { endpoint.stop() }
        webSocketTurnLatency(ctx, endpoint: endpoint, port: port)
        webRTCTurnLatency(ctx, endpoint: endpoint, port: port)
        endpoint.stop()
        webRTCCapacity(ctx)
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

// MARK: - WebRTC turns

/// A few echo calls to the in-process endpoint for the VAD stop → first voice frame figure (the
/// endpoint records it per turn; each caller speaks a 1 s chirp every 4 s).
private func webRTCTurnLatency(_ ctx: BenchContext, endpoint: RealtimeEndpoint, port: UInt16) {
    let callers = ctx.quick ? 2 : 6, seconds = ctx.quick ? 5.0 : 14.0
    let glib = GLibLoop()
    let audio = BenchAudioThread()
    var calls: [BenchCall] = []
    defer {
        audio.stop()
        for c in calls { c.peer.close() }
        glib.stop()
    }
    for _ in 0..<callers {
        var config = PeerConnection.Configuration()
        config.localAddresses = ["127.0.0.1"]
        let peer = PeerConnection(configuration: config, glib: glib)
        peer.createDataChannel(label: "oai-events")
        guard let offer = try? peer.createOffer(), let answer = postOffer(port: port, sdp: offer),
              (try? peer.setRemoteAnswer(answer)) != nil, let ports = peer.takeAudioPorts() else {
            peer.close()
            print("  webrtc: call set-up failed")
            return
        }
        let call = BenchCall(peer: peer, capture: ports.capture, playout: ports.playout)
        calls.append(call)
        audio.add(call)
    }
    usleep(1_000_000)
    _ = endpoint.takeTurnLatencies()
    usleep(UInt32(seconds * 1_000_000))
    latencyRows(ctx, endpoint.takeTurnLatencies(), name: "webrtc: VAD stop → first voice frame to encoder",
                note: "\(callers) echo calls; the call's encoder takes it on its next 10 ms tick")
}
