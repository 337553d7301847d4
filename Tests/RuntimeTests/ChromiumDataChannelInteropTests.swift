import Foundation
import Testing
import HTTP
import SCTP
import TestSupport
@testable import Runtime

/// Headless Chromium and a Swift peer exchange JSON on `oai-events` in both roles: Chromium offers
/// and opens the channel (the OpenAI browser flow), or we offer and open it and Chromium answers.
/// Each side sends a greeting when the channel opens and echoes every message it did not originate.
@Suite(.serialized) struct ChromiumDataChannelInteropTests {
    final class Box: @unchecked Sendable {
        let lock = NSLock()
        var peer: PeerConnection?
        var offer: String?
        var answer: String?
        var browserLog: [String] = []
        var swiftReceived: [String] = []
        func with<T>(_ body: (Box) -> T) -> T { lock.lock(); defer { lock.unlock() }; return body(self) }
    }

    static func page(browserOffers: Bool) -> String {
        """
        <!doctype html><html><body><script>
        (async () => {
          const log = m => fetch('/log', {method: 'POST', body: String(m)});
          try {
            const pc = new RTCPeerConnection();
            const mic = await navigator.mediaDevices.getUserMedia({audio: true});
            mic.getTracks().forEach(t => pc.addTrack(t, mic));
            const wire = (dc) => {
              dc.onopen = () => { log('open ' + dc.label + ' ' + dc.id); dc.send(JSON.stringify({type: 'browser.hello'})); };
              dc.onmessage = (e) => {
                log('dc ' + e.data);
                if (!String(e.data).startsWith('echo:')) dc.send('echo:' + e.data);
              };
            };
            pc.ondatachannel = (e) => wire(e.channel);
            pc.onconnectionstatechange = () => log('state ' + pc.connectionState);
            if (\(browserOffers)) {
              wire(pc.createDataChannel('oai-events'));
              await pc.setLocalDescription(await pc.createOffer());
              const r = await fetch('/v1/realtime/calls', {method: 'POST', body: pc.localDescription.sdp,
                                                           headers: {'Content-Type': 'application/sdp'}});
              if (r.status !== 201) { log('answer status ' + r.status + ' ' + await r.text()); return; }
              await pc.setRemoteDescription({type: 'answer', sdp: await r.text()});
            } else {
              const offer = await (await fetch('/offer')).text();
              await pc.setRemoteDescription({type: 'offer', sdp: offer});
              await pc.setLocalDescription(await pc.createAnswer());
              await fetch('/answer', {method: 'POST', body: pc.localDescription.sdp});
            }
          } catch (e) { log('error ' + e); }
        })();
        </script></body></html>
        """
    }

    func swiftPeer(_ glib: GLibLoop, _ box: Box) -> PeerConnection {
        let pcBox = PCBox()
        let pc = PeerConnection(configuration: loopbackConfiguration(), glib: glib) { event in
            switch event {
            case .dataChannelOpened(let id, _, _):
                pcBox.echo(.text(#"{"type":"session.created"}"#), on: id)
            case .dataChannelMessage(let id, .text(let t)):
                box.with { $0.swiftReceived.append(t) }
                if !t.hasPrefix("echo:") { pcBox.echo(.text("echo:" + t), on: id) }
            default: break
            }
        }
        pcBox.pc = pc
        return pc
    }

    func run(browserOffers: Bool) throws {
        let chromium = "/usr/bin/chromium"
        guard FileManager.default.isExecutableFile(atPath: chromium) else {
            Issue.record("no \(chromium): run scripts/setup.sh interop"); return
        }
        let glib = GLibLoop()
        let box = Box()
        let page = Self.page(browserOffers: browserOffers)
        if !browserOffers {
            let pc = swiftPeer(glib, box)
            pc.createDataChannel(label: "oai-events")
            let offer = try pc.createOffer()
            box.with { $0.peer = pc; $0.offer = offer }
        }
        let server = HTTPServer(host: "127.0.0.1", port: 0) { request in
            switch (request.method, request.path) {
            case ("GET", "/"):
                return .response(HTTPResponse(status: 200, contentType: "text/html", body: page))
            case ("GET", "/offer"):
                return .response(HTTPResponse(status: 200, contentType: "application/sdp", body: box.with { $0.offer } ?? ""))
            case ("POST", "/answer"):
                let answer = String(decoding: request.body, as: UTF8.self)
                do {
                    try box.with { $0.peer }?.setRemoteAnswer(answer)
                } catch {
                    box.with { $0.browserLog.append("our side: answer refused: \(error)") }
                }
                return .response(HTTPResponse(status: 204))
            case ("POST", "/v1/realtime/calls"):
                let pc = self.swiftPeer(glib, box)
                do {
                    let answer = try pc.createAnswer(offer: String(decoding: request.body, as: UTF8.self))
                    box.with { $0.peer = pc }
                    return .response(HTTPResponse(status: 201, contentType: "application/sdp", body: answer))
                } catch {
                    pc.close()
                    return .response(HTTPResponse(status: 400, contentType: "text/plain", body: "\(error)"))
                }
            case ("POST", "/log"):
                box.with { $0.browserLog.append(String(decoding: request.body, as: UTF8.self)) }
                return .response(HTTPResponse(status: 204))
            default:
                return .response(HTTPResponse(status: 404))
            }
        }
        let port = try server.start()
        defer { server.stop() }
        let browser = try HeadlessChromium(url: "http://127.0.0.1:\(port)/")
        defer { browser.stop() }
        defer { box.with { $0.peer }?.close() }

        let expectedInBrowser = [#"dc {"type":"session.created"}"#, #"dc echo:{"type":"browser.hello"}"#]
        let expectedInSwift = [#"{"type":"browser.hello"}"#, #"echo:{"type":"session.created"}"#]
        let done = eventually(seconds: 20) {
            box.with { b in expectedInBrowser.allSatisfy(b.browserLog.contains) && expectedInSwift.allSatisfy(b.swiftReceived.contains) }
        }
        #expect(done, "browser: \(box.with { $0.browserLog }); swift: \(box.with { $0.swiftReceived })")
        // The channel id follows the DTLS role (RFC 8832 §6): the opener here is the DTLS server
        // either way (our answer says a=setup:active; Chromium's answer does too), so it is odd.
        let opened = box.with { $0.browserLog.first { $0.hasPrefix("open oai-events") } }
        let id = opened.flatMap { Int($0.split(separator: " ").last ?? "") }
        #expect(id.map { $0 % 2 == 1 } == true, "opened: \(String(describing: opened))")
    }

    @Test func chromiumOpensChannelToSwiftAnswerer() throws { try run(browserOffers: true) }
    @Test func swiftOpensChannelToChromiumAnswerer() throws { try run(browserOffers: false) }
}

/// A headless Chromium with a fake microphone on a page; stopped with SIGKILL as a last resort.
final class HeadlessChromium {
    let process = Process()
    let profile: URL

    init(url: String, fakeMicrophone: String? = nil) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chromium")
        process.arguments = [
            "--headless=new", "--no-sandbox", "--user-data-dir=\(profile.path)",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            "--autoplay-policy=no-user-gesture-required", "--allow-loopback-in-peer-connection",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-default-apps", "--disable-domain-reliability", "--disable-gpu",
        ] + (fakeMicrophone.map { ["--use-file-for-fake-audio-capture=\($0)"] } ?? []) + [url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func stop() {
        if process.isRunning { process.terminate() }
        for _ in 0..<200 where process.isRunning { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: profile)
    }
}
