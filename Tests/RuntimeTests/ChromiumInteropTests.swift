import Foundation
import Testing
import Audio
import HTTP
import MediaCore
import TestSupport
@testable import Runtime

/// Headless Chromium calls a Swift answerer the way OpenAI's WebRTC examples do: its offer, POSTed
/// over HTTP before gathering, carries no candidates, so we learn the browser's address from its
/// connectivity checks. Chromium's fake microphone plays a chirp WAV; a page records what it hears
/// from us and posts the samples back. Both directions must match their chirp.
@Suite(.serialized) struct ChromiumInteropTests {
    /// State shared between the HTTP handler (server thread) and the test.
    final class CallBox: @unchecked Sendable {
        let lock = NSLock()
        var peer: PeerConnection?
        var heardByBrowser: [Int16]?
        var logs: [String] = []
        func with<T>(_ body: (CallBox) -> T) -> T { lock.lock(); defer { lock.unlock() }; return body(self) }
    }

    static let recordSeconds = 4

    static let page = """
    <!doctype html><html><body><script>
    (async () => {
      const log = m => fetch('/log', {method: 'POST', body: String(m)});
      try {
        const pc = new RTCPeerConnection();
        const mic = await navigator.mediaDevices.getUserMedia({audio: {echoCancellation: false, noiseSuppression: false, autoGainControl: false}});
        mic.getTracks().forEach(t => pc.addTrack(t, mic));
        pc.createDataChannel('oai-events');
        const ctx = new AudioContext({sampleRate: 48000});
        const chunks = []; let total = 0; const want = 48000 * \(recordSeconds);
        pc.ontrack = (e) => {
          const stream = e.streams[0] || new MediaStream([e.track]);
          const el = new Audio(); el.srcObject = stream; el.muted = true; el.play().catch(() => {});
          const src = ctx.createMediaStreamSource(stream);
          const proc = ctx.createScriptProcessor(4096, 1, 1);
          proc.onaudioprocess = (ev) => {
            if (total >= want) return;
            const d = ev.inputBuffer.getChannelData(0); chunks.push(new Float32Array(d)); total += d.length;
            if (total >= want) {
              const all = new Float32Array(total); let o = 0;
              for (const c of chunks) { all.set(c, o); o += c.length; }
              fetch('/result', {method: 'POST', body: all.buffer});
            }
          };
          src.connect(proc); proc.connect(ctx.destination);
        };
        pc.onconnectionstatechange = () => log('state ' + pc.connectionState);
        await pc.setLocalDescription(await pc.createOffer());
        const r = await fetch('/v1/realtime/calls', {method: 'POST', body: pc.localDescription.sdp,
                                                     headers: {'Content-Type': 'application/sdp'}});
        if (r.status !== 201) { log('answer status ' + r.status + ' ' + await r.text()); return; }
        await pc.setRemoteDescription({type: 'answer', sdp: await r.text()});
        await ctx.resume();
      } catch (e) { log('error ' + e); }
    })();
    </script></body></html>
    """

    @Test func chromiumCallsSwiftAnswererWithACandidateLessOffer() throws {
        let chromium = "/usr/bin/chromium"
        guard FileManager.default.isExecutableFile(atPath: chromium) else {
            Issue.record("no \(chromium): run scripts/setup.sh interop"); return
        }
        let glib = GLibLoop()
        let box = CallBox()
        let server = HTTPServer(host: "127.0.0.1", port: 0) { request in
            switch (request.method, request.path) {
            case ("GET", "/"):
                return .response(HTTPResponse(status: 200, contentType: "text/html", body: ChromiumInteropTests.page))
            case ("POST", "/v1/realtime/calls"):
                let offer = String(decoding: request.body, as: UTF8.self)
                let pc = PeerConnection(configuration: loopbackConfiguration(), glib: glib)
                do {
                    let answer = try pc.createAnswer(offer: offer)
                    box.with { $0.peer = pc; $0.logs.append("offer has candidates: \(offer.contains("a=candidate"))") }
                    return .response(HTTPResponse(status: 201, contentType: "application/sdp", body: answer))
                } catch {
                    box.with { $0.logs.append("answer failed: \(error)") }
                    return .response(HTTPResponse(status: 400, contentType: "text/plain", body: "\(error)"))
                }
            case ("POST", "/result"):
                let floats = request.body.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
                box.with { $0.heardByBrowser = floats.map { Int16(max(-1, min(1, $0)) * 32_767) } }
                return .response(HTTPResponse(status: 204))
            case ("POST", "/log"):
                box.with { $0.logs.append(String(decoding: request.body, as: UTF8.self)) }
                return .response(HTTPResponse(status: 204))
            default:
                return .response(HTTPResponse(status: 404))
            }
        }
        let port = try server.start()
        defer { server.stop() }

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let signal = chirp(count: 48_000 * 2)
        let mic = dir.appendingPathComponent("mic.wav").path
        try WAVAudio(sampleRate: 48_000, channels: 1, samples: .pcm16(signal + [Int16](repeating: 0, count: 24_000))).write(to: mic)

        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: chromium)
        browser.arguments = [
            "--headless=new", "--no-sandbox", "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--use-file-for-fake-audio-capture=\(mic)",
            "--autoplay-policy=no-user-gesture-required", "--allow-loopback-in-peer-connection",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-default-apps", "--disable-domain-reliability", "--disable-gpu",
            "http://127.0.0.1:\(port)/",
        ]
        browser.standardOutput = FileHandle.nullDevice
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        defer { browser.terminate(); browser.waitUntilExit() }

        #expect(eventually(seconds: 20) { box.with { $0.peer?.stats()?.timeline.dtlsConnected != nil } },
                "no DTLS with Chromium; page said: \(box.with { $0.logs })")
        guard let peer = box.with({ $0.peer }), let ports = peer.takeAudioPorts() else { return }
        defer { peer.close() }
        let device = SimulatedAudioDevice(capture: ports.capture, playout: ports.playout, source: signal + signal,
                                          recordSeconds: Double(Self.recordSeconds))
        device.start()
        #expect(eventually(seconds: 15) { box.with { $0.heardByBrowser != nil } }, "page said: \(box.with { $0.logs })")
        let heardByUs = device.stop()
        #expect(box.with { $0.logs.contains("offer has candidates: false") })

        // Our side hears Chromium's fake microphone (the chirp, looping). Chromium's Opus encoder
        // does not keep the waveform's phase, so this direction compares the chirp's frequency track.
        let ours = frequencyTrackMatch(sent: signal, received: heardByUs, maxLagFrames: 100)
        #expect(ours.correlation > 0.9, "we heard Chromium: \(ours)")
        // Chromium hears our chirp.
        if let theirs = box.with({ $0.heardByBrowser }) {
            let match = segmentedMatch(sent: signal, received: theirs, maxLag: 96_000, window: 9_600..<86_400, segment: 4_800)
            #expect(match.medianCorrelation > 0.7, "Chromium heard us: \(match)")
        }
        let stats = try #require(peer.stats())
        #expect(stats.inboundRTP.packetsReceived > 50)
    }
}
