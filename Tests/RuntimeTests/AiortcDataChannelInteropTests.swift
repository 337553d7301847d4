import Foundation
import Testing
import DCEP
import SCTP
import TestSupport
@testable import Runtime

/// `oai-events` between our PeerConnection and aiortc, in both offer/answer (and so both DTLS)
/// roles: aiortc opens the channel and sends JSON; we echo each message and send our own.
@Suite(.serialized) struct AiortcDataChannelInteropTests {
    let glib = GLibLoop()

    func peer(role: String, messages: Int) throws -> LineProcess {
        guard let python = interopPython() else {
            Issue.record("no interop Python: run scripts/setup.sh interop")
            throw CancellationError()
        }
        let script = packageRoot().appendingPathComponent("Tests/Interop/aiortc_peer.py").path
        // A recorder gives aiortc's offer an audio m-line: a voice peer answers only offers with audio.
        let record = FileManager.default.temporaryDirectory.appendingPathComponent("dc-\(UInt32.random(in: 0...UInt32.max)).wav").path
        var args = [script, "--role", role, "--seconds", "3", "--messages", String(messages), "--record", record]
        if role == "offer" { args += ["--channel", "oai-events"] }
        return try LineProcess(executable: python, arguments: args)
    }

    func runChannel(weOffer: Bool) throws {
        let log = ChannelLog()
        let aiortc = try peer(role: weOffer ? "answer" : "offer", messages: 5)
        defer { aiortc.terminate() }
        let pcBox = PCBox()
        let pc = PeerConnection(configuration: loopbackConfiguration(), glib: glib) { event in
            log.record(event)
            // Echo what aiortc sends, as aiortc echoes what we send.
            if case .dataChannelMessage(let id, .text(let t)) = event, !t.hasPrefix("echo:") {
                pcBox.echo(.text("echo:" + t), on: id)
            }
        }
        pcBox.pc = pc
        defer { pc.close() }
        if weOffer {
            pc.createDataChannel(label: "oai-events")
            try aiortc.send(["type": "offer", "sdp": try pc.createOffer()])
            let answer = try #require(aiortc.receive(seconds: 10)?["sdp"] as? String)
            try pc.setRemoteAnswer(answer)
        } else {
            let offer = try #require(aiortc.receive(seconds: 10)?["sdp"] as? String)
            try aiortc.send(["type": "answer", "sdp": try pc.createAnswer(offer: offer)])
        }
        #expect(eventually(seconds: 8) { log.channel(labelled: "oai-events") != nil }, "oai-events never opened")
        guard let id = log.channel(labelled: "oai-events") else { return }
        try pc.send(.text(#"{"type":"session.created","from":"swift"}"#), on: id)
        let done = aiortc.receive(seconds: 12)
        let received = done?["received"] as? [String] ?? []
        #expect(received.contains(#"{"type":"session.created","from":"swift"}"#), "aiortc got \(received)")
        if !weOffer {
            #expect(log.texts.filter { $0.contains("test.message") }.count == 5, "we got \(log.texts)")
            #expect(received.filter { $0.hasPrefix("echo:") }.count == 5, "aiortc got \(received)")
        }
    }

    @Test func aiortcOffersChannelSwiftAnswers() throws { try runChannel(weOffer: false) }
    @Test func swiftOffersChannelAiortcAnswers() throws { try runChannel(weOffer: true) }
}

/// Lets an event handler reach the connection it belongs to (set right after creation).
final class PCBox: @unchecked Sendable {
    weak var pc: PeerConnection?
    /// `send` waits for the call thread, which is the thread delivering events: hop off it.
    func echo(_ m: DataChannelMessage, on id: UInt16) {
        let pc = self.pc
        DispatchQueue.global().async { try? pc?.send(m, on: id) }
    }
}
