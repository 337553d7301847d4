import Foundation
import MediaCore
import Testing
@testable import Realtime

@Suite struct RealtimeSessionTests {
    static let responseOrderAudio = [
        "response.created", "response.output_item.added", "conversation.item.added", "response.content_part.added",
    ]

    @Test func sessionStartsWithCreatedEventsCarryingIdsAndDefaults() throws {
        let h = RealtimeSessionHarness(turnDetection: .defaultServerVAD)
        #expect(h.types == ["session.created", "conversation.created"])
        guard case .sessionCreated(let s) = h.events[0].body else { Issue.record("not session.created"); return }
        #expect(s.id?.hasPrefix("sess_") == true)
        #expect(s.outputModalities == [.audio])
        #expect(s.audio.input.turnDetection == .defaultServerVAD)
        guard case .conversationCreated(let c) = h.events[1].body else { Issue.record("not conversation.created"); return }
        #expect(c.hasPrefix("conv_"))
        #expect(h.events.allSatisfy { $0.eventID.hasPrefix("event_") })
    }

    @Test func sessionUpdateAppliesValidChangesAndRejectsInvalidOnesNamingTheParam() throws {
        let h = RealtimeSessionHarness()
        let start = h.events.count
        h.send(#"{"type":"session.update","event_id":"bad1","session":{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","threshold":2}}}}}"#)
        let errors = h.errors(from: start)
        #expect(errors.count == 1)
        #expect(errors.first?.param == "session.audio.input.turn_detection.threshold")
        #expect(errors.first?.eventID == "bad1")
        #expect(h.session.config.audio.input.turnDetection == nil, "a rejected update changes nothing")
        h.send(#"{"type":"session.update","session":{"type":"realtime","instructions":"Be brief.","output_modalities":["text"]}}"#)
        guard case .sessionUpdated(let s)? = h.events.last?.body else { Issue.record("no session.updated"); return }
        #expect(s.instructions == "Be brief.")
        #expect(s.outputModalities == [.text])
        #expect(h.session.config.instructions == "Be brief.")
    }

    @Test func manualAudioTurnIsEchoedInTheExactGAOrderWithConsistentIds() throws {
        let h = RealtimeSessionHarness()
        let input = SyntheticAudio.tone(milliseconds: 500)
        h.appendBase64(input)
        let start = h.events.count
        h.send(#"{"type":"input_audio_buffer.commit"}"#)
        #expect(h.types(from: start) == ["input_audio_buffer.committed", "conversation.item.added", "conversation.item.done"])
        guard case .inputAudioBufferCommitted(let prev, let userItem) = h.events[start].body else { Issue.record("no commit"); return }
        #expect(prev == nil)
        #expect(userItem.hasPrefix("item_"))

        let r0 = h.events.count
        h.send(#"{"type":"response.create"}"#)
        h.run(for: .seconds(2))
        let chunks = (input.count + RealtimeAudio.chunkSamples - 1) / RealtimeAudio.chunkSamples
        let expected = Self.responseOrderAudio + Array(repeating: "response.output_audio.delta", count: chunks) + [
            "response.output_audio.done", "response.output_audio_transcript.done", "response.content_part.done",
            "response.output_item.done", "conversation.item.done", "response.done", "rate_limits.updated",
        ]
        #expect(h.types(from: r0) == expected)
        #expect(h.deltaAudio(from: r0) == input, "the echo is the user's own audio")

        guard case .responseCreated(let created) = h.events[r0].body, let rid = created.id else { Issue.record("no response"); return }
        #expect(rid.hasPrefix("resp_"))
        guard case .responseOutputItemAdded(let rid2, let outIndex, let item) = h.events[r0 + 1].body else { Issue.record("no item"); return }
        #expect(rid2 == rid && outIndex == 0)
        guard case .conversationItemAdded(let previous, let convItem) = h.events[r0 + 2].body else { Issue.record("no added"); return }
        #expect(previous == userItem, "the assistant item follows the user item")
        #expect(convItem.id == item.id)
        for e in h.events[r0...] {
            switch e.body {
            case .responseContentPartAdded(let loc, _), .responseOutputAudioDelta(let loc, _), .responseOutputAudioDone(let loc):
                #expect(loc == ContentLocation(responseID: rid, itemID: item.id!, outputIndex: 0, contentIndex: 0))
            default: break
            }
        }
        let done = try #require(h.lastResponseDone)
        #expect(done.status == .completed)
        #expect(done.output.map(\.id) == [item.id])
        #expect(done.conversationID == h.session.conversationID)
        let usage = try #require(done.usage)
        #expect(usage.input.audioTokens == TokenEstimator.inputAudioTokens(.milliseconds(500)))
        #expect(usage.output.audioTokens == TokenEstimator.outputAudioTokens(.milliseconds(500)))
    }

    @Test func commitOfTooLittleAudioIsAnErrorAndTheBufferStays() {
        let h = RealtimeSessionHarness()
        h.appendBase64(SyntheticAudio.tone(milliseconds: 60))
        let start = h.events.count
        h.send(#"{"type":"input_audio_buffer.commit","event_id":"c1"}"#)
        #expect(h.errors(from: start).map(\.code) == ["input_audio_buffer_commit_empty"])
        h.appendBase64(SyntheticAudio.tone(milliseconds: 60))
        h.send(#"{"type":"input_audio_buffer.commit"}"#)
        #expect(h.types.contains("input_audio_buffer.committed"))
        h.send(#"{"type":"input_audio_buffer.clear"}"#)
        #expect(h.types.last == "input_audio_buffer.cleared")
    }

    @Test func textTurnIsAnsweredWithTheSameText() throws {
        let h = RealtimeSessionHarness()
        h.send(#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"hello there world"}]}}"#)
        #expect(h.types.suffix(2) == ["conversation.item.added", "conversation.item.done"])
        let r0 = h.events.count
        h.send(#"{"type":"response.create","response":{"output_modalities":["text"]}}"#)
        h.run(for: .seconds(1))
        #expect(h.types(from: r0) == [
            "response.created", "response.output_item.added", "conversation.item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
            "response.content_part.done", "response.output_item.done", "conversation.item.done", "response.done", "rate_limits.updated",
        ])
        let done = try #require(h.lastResponseDone)
        guard case .message(let m)? = done.output.first else { Issue.record("no message"); return }
        #expect(m.content == [ConversationItem.ContentPart.outputText("hello there world")])
    }

    @Test func textTurnSpokenAsBeepsScalesWithTheText() throws {
        let h = RealtimeSessionHarness()
        h.send(#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"hi you"}]}}"#)
        let r0 = h.events.count
        h.send(#"{"type":"response.create"}"#)
        h.run(for: .seconds(2))
        #expect(h.deltaAudio(from: r0) == EchoBackend.beeps(for: [2, 3]))
        #expect(h.types(from: r0).contains("response.output_audio_transcript.delta"))
        let transcript = h.events[r0...].compactMap { if case .responseOutputAudioTranscriptDone(_, let t) = $0.body { t } else { nil } }
        #expect(transcript == ["hi you"])
    }

    @Test func serverVADDetectsTheTurnWithinAFrameAndResponds() throws {
        let h = RealtimeSessionHarness(pacing: .realtime, turnDetection: .defaultServerVAD)
        h.speak(SyntheticAudio.silence(milliseconds: 1_000))
        h.speak(SyntheticAudio.tone(milliseconds: 600))
        h.speak(SyntheticAudio.silence(milliseconds: 800))
        h.run(for: .seconds(2))
        let started = h.events.compactMap { if case .inputAudioBufferSpeechStarted(let ms, let id) = $0.body { (ms, id) } else { nil } }
        let stopped = h.events.compactMap { if case .inputAudioBufferSpeechStopped(let ms, let id) = $0.body { (ms, id) } else { nil } }
        #expect(started.count == 1 && stopped.count == 1)
        let (startMs, itemID) = try #require(started.first)
        #expect(abs(startMs - (1_000 - 300)) <= 20, "speech start minus 300 ms prefix padding")
        #expect(abs((stopped.first?.0 ?? 0) - 1_600) <= 20)
        #expect(stopped.first?.1 == itemID)
        let afterStop = h.types.drop { $0 != "input_audio_buffer.speech_stopped" }
        #expect(Array(afterStop.prefix(5)) == [
            "input_audio_buffer.speech_stopped", "input_audio_buffer.committed", "conversation.item.added", "conversation.item.done",
            "response.created",
        ])
        let done = try #require(h.lastResponseDone)
        #expect(done.status == .completed)
        // The echo is the committed turn: prefix padding through the end of speech (900 ms).
        #expect(abs(h.deltaAudio().count - RealtimeAudio.samples(milliseconds: 900)) <= RealtimeAudio.chunkSamples)
    }

    /// Speaks a turn, lets the echo play for `played`, then barges in.
    static func bargeIn(transport: RealtimeSession.Transport, played: Duration) -> RealtimeSessionHarness {
        let h = RealtimeSessionHarness(transport: transport, pacing: .realtime, turnDetection: .defaultServerVAD)
        h.speak(SyntheticAudio.silence(milliseconds: 500))
        h.speak(SyntheticAudio.tone(milliseconds: 1_500))
        h.speak(SyntheticAudio.silence(milliseconds: 520))
        h.speak(SyntheticAudio.silence(milliseconds: 0))
        // The response started when silence reached 500 ms; keep quiet while it plays.
        let silentFrames = Int(played.nanoseconds / 20_000_000)
        for _ in 0..<silentFrames { h.speak(SyntheticAudio.silence(milliseconds: 20)) }
        h.speak(SyntheticAudio.tone(milliseconds: 400))
        return h
    }

    @Test(arguments: [RealtimeSession.Transport.webSocket, .webRTC])
    func bargeInCancelsTheResponseAndTruncatesAtTheEmittedAudio(transport: RealtimeSession.Transport) throws {
        let h = Self.bargeIn(transport: transport, played: .milliseconds(400))
        let done = try #require(h.lastResponseDone)
        #expect(done.status == .cancelled)
        #expect(done.statusDetails?.reason == .turnDetected)
        let truncated = h.events.compactMap { if case .conversationItemTruncated(let id, _, let ms) = $0.body { (id, ms) } else { nil } }
        let (itemID, audioEndMs) = try #require(truncated.first)
        #expect(itemID == done.output.first?.id)
        let emitted = transport == .webRTC ? h.audioChunks.joined().count : h.deltaAudio().count
        #expect(audioEndMs == RealtimeAudio.milliseconds(emitted), "truncated exactly at what was sent")
        #expect(audioEndMs > 200 && audioEndMs < 1_500, "cut mid-response")
        #expect(h.types.contains("output_audio_buffer.cleared") == (transport == .webRTC))
        #expect(h.types.contains("output_audio_buffer.started") == (transport == .webRTC))
        let order = h.types.drop { $0 != "input_audio_buffer.speech_started" }.dropFirst().drop { $0 != "input_audio_buffer.speech_started" }
        #expect(order.contains("response.done"))
        // After the cut no more audio leaves.
        let doneIndex = try #require(h.events.lastIndex { $0.type == "response.done" })
        #expect(!h.types(from: doneIndex).contains("response.output_audio.delta"))
    }

    @Test func responseCancelEndsTheActiveResponseAndErrsWhenNone() throws {
        let h = RealtimeSessionHarness(pacing: .realtime)
        h.appendBase64(SyntheticAudio.tone(milliseconds: 1_000))
        h.send(#"{"type":"input_audio_buffer.commit"}"#)
        h.send(#"{"type":"response.create"}"#)
        h.run(for: .milliseconds(300))
        h.send(#"{"type":"response.cancel"}"#)
        let done = try #require(h.lastResponseDone)
        #expect(done.status == .cancelled)
        #expect(done.statusDetails?.reason == .clientCancelled)
        let n = h.events.count
        h.send(#"{"type":"response.cancel","event_id":"x"}"#)
        #expect(h.errors(from: n).map(\.code) == ["response_cancel_not_active"])
        #expect(h.errors(from: n).first?.eventID == "x")
    }

    @Test func itemsCanBeRetrievedTruncatedAndDeletedWithErrorsForBadIds() throws {
        let h = RealtimeSessionHarness()
        let input = SyntheticAudio.tone(milliseconds: 400)
        h.appendBase64(input)
        h.send(#"{"type":"input_audio_buffer.commit"}"#)
        h.send(#"{"type":"response.create"}"#)
        h.run(for: .seconds(1))
        let done = try #require(h.lastResponseDone)
        let assistant = try #require(done.output.first?.id)

        var n = h.events.count
        h.send(#"{"type":"conversation.item.retrieve","item_id":"\#(assistant)"}"#)
        guard case .conversationItemRetrieved(let item)? = h.events.last?.body, case .message(let m) = item,
              case .outputAudio(let audio?, _) = m.content.first else { Issue.record("no retrieved audio"); return }
        #expect(try Base64Audio.decodePCM16(audio) == input)

        h.send(#"{"type":"conversation.item.truncate","item_id":"\#(assistant)","content_index":0,"audio_end_ms":5000}"#)
        #expect(h.errors(from: n).map(\.param) == ["audio_end_ms"])
        n = h.events.count
        h.send(#"{"type":"conversation.item.truncate","item_id":"\#(assistant)","content_index":0,"audio_end_ms":100}"#)
        #expect(h.types(from: n) == ["conversation.item.truncated"])
        h.send(#"{"type":"conversation.item.retrieve","item_id":"\#(assistant)"}"#)
        guard case .conversationItemRetrieved(let cut)? = h.events.last?.body, case .message(let cm) = cut,
              case .outputAudio(let cutAudio?, let transcript) = cm.content.first else { Issue.record("no retrieved audio"); return }
        #expect(try Base64Audio.decodePCM16(cutAudio) == Array(input.prefix(2_400)))
        #expect(transcript == nil)

        n = h.events.count
        h.send(#"{"type":"conversation.item.delete","item_id":"\#(assistant)"}"#)
        #expect(h.types(from: n) == ["conversation.item.deleted"])
        n = h.events.count
        h.send(#"{"type":"conversation.item.retrieve","item_id":"\#(assistant)"}"#)
        h.send(#"{"type":"conversation.item.delete","item_id":"item_missing"}"#)
        h.send(#"{"type":"conversation.item.truncate","item_id":"item_missing","content_index":0,"audio_end_ms":0}"#)
        #expect(h.errors(from: n).map(\.code) == ["item_not_found", "item_not_found", "item_not_found"])
        #expect(h.errors(from: n).allSatisfy { $0.param == "item_id" })
    }

    @Test func itemCreateHonoursPreviousItemId() throws {
        let h = RealtimeSessionHarness()
        h.send(#"{"type":"conversation.item.create","item":{"id":"item_a","type":"message","role":"user","content":[{"type":"input_text","text":"a"}]}}"#)
        h.send(#"{"type":"conversation.item.create","previous_item_id":"root","item":{"id":"item_b","type":"message","role":"user","content":[{"type":"input_text","text":"b"}]}}"#)
        guard case .conversationItemAdded(let prev, _)? = h.events.dropLast().last?.body else { Issue.record("no added"); return }
        #expect(prev == nil)
        #expect(h.session.items.map(\.item.id) == ["item_b", "item_a"])
        let n = h.events.count
        h.send(#"{"type":"conversation.item.create","previous_item_id":"item_zz","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"c"}]}}"#)
        #expect(h.errors(from: n).map(\.param) == ["previous_item_id"])
    }

    @Test func outOfBandResponseStaysOutOfTheConversation() throws {
        let h = RealtimeSessionHarness()
        h.send(#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"classify this"}]}}"#)
        let itemsBefore = h.session.items.count
        let r0 = h.events.count
        h.send(#"{"type":"response.create","response":{"conversation":"none","output_modalities":["text"],"metadata":{"topic":"x"}}}"#)
        h.run(for: .seconds(1))
        #expect(!h.types(from: r0).contains("conversation.item.added"))
        #expect(!h.types(from: r0).contains("conversation.item.done"))
        let done = try #require(h.lastResponseDone)
        #expect(done.conversationID == nil)
        #expect(done.metadata?["topic"] == "x")
        #expect(done.status == .completed)
        #expect(h.session.items.count == itemsBefore)
    }

    @Test func maxOutputTokensReachedMakesTheResponseIncomplete() throws {
        let h = RealtimeSessionHarness()
        let words = Array(repeating: "tokens", count: 50).joined(separator: " ")
        h.send(#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"\#(words)"}]}}"#)
        h.send(#"{"type":"response.create","response":{"output_modalities":["text"],"max_output_tokens":5}}"#)
        h.run(for: .seconds(1))
        let done = try #require(h.lastResponseDone)
        #expect(done.status == .incomplete)
        #expect(done.statusDetails?.reason == .maxOutputTokens)
        #expect(done.usage?.output.textTokens ?? 0 >= 5)
        #expect(done.output.first?.status == .incomplete)
    }

    @Test func rateLimitExceededIsAnErrorAndNoResponse() throws {
        let h = RealtimeSessionHarness(tier: .tier1)
        // Tier 1 allows 40,000 tokens a minute. A 30,000-token input fits once (with its 4,096
        // output reservation); the echo of it uses the rest, so a second request is refused.
        let word = String(repeating: "a", count: 120_000)
        h.send(#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"\#(word)"}]}}"#)
        h.send(#"{"type":"response.create","response":{"output_modalities":["text"]}}"#)
        h.run(for: .seconds(1))
        #expect(h.lastResponseDone != nil)
        let limits = h.events.compactMap { if case .rateLimitsUpdated(let l) = $0.body { l } else { nil } }
        #expect(limits.count == 1)
        #expect(limits.last?.first { $0.name == .requests }?.remaining == 199)
        let n = h.events.count
        h.send(#"{"type":"response.create","event_id":"again","response":{"output_modalities":["text"]}}"#)
        #expect(h.errors(from: n).map(\.code) == ["rate_limit_exceeded"])
        #expect(h.errors(from: n).first?.eventID == "again")
        #expect(!h.types(from: n).contains("response.created"))
        // The overdraft is repaid within two windows; then a small request is admitted again
        // (the conversation itself, 60,000 tokens by now, would never fit tier 1's minute).
        h.run(for: .seconds(121))
        let m = h.events.count
        h.send(#"{"type":"response.create","response":{"conversation":"none","output_modalities":["text"],"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}]}}"#)
        #expect(h.types(from: m).first == "response.created")
    }

    @Test func invalidJSONAndUnknownEventsAreErrorsAndTheSessionContinues() throws {
        let h = RealtimeSessionHarness()
        h.send("{not json")
        h.send(#"{"type":"response.fly","event_id":"u1"}"#)
        #expect(h.errors().map(\.code) == ["invalid_json", "invalid_value"])
        #expect(h.errors().last?.param == "type")
        #expect(h.errors().last?.eventID == "u1")
        h.send(#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"still here"}]}}"#)
        h.send(#"{"type":"response.create","response":{"output_modalities":["text"]}}"#)
        h.run(for: .seconds(1))
        #expect(h.lastResponseDone?.status == .completed)
    }

    @Test func outputAudioBufferClearIsWebRTCOnly() throws {
        let ws = RealtimeSessionHarness()
        ws.send(#"{"type":"output_audio_buffer.clear"}"#)
        #expect(ws.errors().count == 1)
        let rtc = RealtimeSessionHarness(transport: .webRTC, pacing: .realtime)
        rtc.appendBase64(SyntheticAudio.tone(milliseconds: 1_000))
        rtc.send(#"{"type":"input_audio_buffer.commit"}"#)
        rtc.send(#"{"type":"response.create"}"#)
        rtc.run(for: .milliseconds(200))
        let sent = rtc.audioChunks.joined().count
        let n = rtc.events.count
        rtc.send(#"{"type":"output_audio_buffer.clear"}"#)
        #expect(rtc.types(from: n).first == "output_audio_buffer.cleared")
        #expect(!rtc.types(from: n).contains("output_audio_buffer.stopped"), "cleared, not played out")
        rtc.run(for: .seconds(2))
        #expect(rtc.audioChunks.joined().count == sent, "no audio after the clear")
        #expect(rtc.errors().isEmpty)
    }

    @Test func idleTimeoutTriggersAfterTheResponse() throws {
        var vad = TurnDetection.ServerVAD()
        vad.idleTimeoutMs = 5_000
        let h = RealtimeSessionHarness(turnDetection: .serverVAD(vad))
        h.send(#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"hello"}]}}"#)
        h.send(#"{"type":"response.create","response":{"output_modalities":["text"]}}"#)
        h.run(for: .milliseconds(100))
        #expect(!h.types.contains("input_audio_buffer.timeout_triggered"))
        h.run(for: .seconds(6))
        let n = try #require(h.types.firstIndex(of: "input_audio_buffer.timeout_triggered"))
        #expect(Array(h.types(from: n).prefix(5)) == [
            "input_audio_buffer.timeout_triggered", "input_audio_buffer.committed", "conversation.item.added", "conversation.item.done",
            "response.created",
        ])
    }

    @Test func sessionExpiresAfterSixtyMinutes() {
        let h = RealtimeSessionHarness()
        h.run(for: .seconds(3_599))
        #expect(h.errors().isEmpty)
        h.run(for: .seconds(2))
        #expect(h.errors().map(\.code) == ["session_expired"])
        #expect(h.session.isClosed)
        h.send(#"{"type":"response.create"}"#)
        #expect(h.types.last == "error", "nothing after the end")
        #expect(h.session.pollTimeout() == nil)
    }
}

/// Drives a `RealtimeSession` in virtual time, as a transport would: after every input it drains
/// events and output audio; `run(until:)` fires the session's timeouts in order.
final class RealtimeSessionHarness {
    let session: RealtimeSession
    var now = Instant.zero
    var events: [ServerEvent] = []
    var audioChunks: [[Int16]] = []

    init(transport: RealtimeSession.Transport = .webSocket, pacing: RealtimeSession.Pacing = .asFastAsPossible,
         tier: RateLimitTier = .tier5, turnDetection: TurnDetection? = nil, backend: any RealtimeBackend = EchoBackend()) {
        var config = SessionConfig()
        config.audio.input.turnDetection = turnDetection
        session = RealtimeSession(
            .init(transport: transport, pacing: pacing, tier: tier, session: config, backend: backend, seed: 42), at: .zero)
        drain()
    }

    func drain() {
        while let e = session.pollEvent() { events.append(e) }
        while let a = session.pollOutputAudio() { audioChunks.append(a) }
    }

    func send(_ json: String) {
        session.handle(clientEventJSON: json, at: now)
        drain()
    }

    func send(_ event: ClientEvent) {
        session.handle(event, at: now)
        drain()
    }

    /// Fires every timeout due up to `t`, then sets the clock to `t`.
    func run(until t: Instant) {
        while let due = session.pollTimeout(), due <= t {
            now = max(now, due)
            session.handleTimeout(at: now)
            drain()
        }
        now = t
    }

    func run(for d: Duration) { run(until: now + d) }

    /// Feeds `samples` in 20 ms pieces, advancing the clock by each piece's duration.
    func speak(_ samples: [Int16]) {
        var i = 0
        while i < samples.count {
            let n = min(RealtimeAudio.chunkSamples, samples.count - i)
            run(for: RealtimeAudio.duration(n))
            session.appendInputAudio(Array(samples[i..<i + n]), at: now)
            drain()
            i += n
        }
    }

    func appendBase64(_ samples: [Int16]) {
        send(#"{"type":"input_audio_buffer.append","audio":"\#(Base64Audio.encodePCM16(samples))"}"#)
    }

    var types: [String] { events.map(\.type) }

    /// Events from index `start` on, and forgets nothing (indices stay stable).
    func types(from start: Int) -> [String] { Array(events[start...].map(\.type)) }

    func errors(from start: Int = 0) -> [RealtimeErrorDetails] {
        events[start...].compactMap { if case .error(let e) = $0.body { e } else { nil } }
    }

    /// The last `response.done`'s response.
    var lastResponseDone: RealtimeResponse? {
        for e in events.reversed() { if case .responseDone(let r) = e.body { return r } }
        return nil
    }

    /// All `response.output_audio.delta` audio from index `start`, decoded.
    func deltaAudio(from start: Int = 0) -> [Int16] {
        events[start...].flatMap { e -> [Int16] in
            if case .responseOutputAudioDelta(_, let d) = e.body { return (try? Base64Audio.decodePCM16(d)) ?? [] }
            return []
        }
    }
}

/// Synthetic input audio at 24 kHz.
enum SyntheticAudio {
    /// A 300 Hz tone at about −10 dBFS: speech to an energy VAD.
    static func tone(milliseconds ms: Int, frequency: Double = 300) -> [Int16] {
        (0..<RealtimeAudio.samples(milliseconds: ms)).map { Int16(10_000 * sin(2 * Double.pi * frequency * Double($0) / 24_000)) }
    }

    /// Quiet deterministic noise (about −60 dBFS): silence with a floor.
    static func silence(milliseconds ms: Int) -> [Int16] {
        var x: UInt32 = 12_345
        return (0..<RealtimeAudio.samples(milliseconds: ms)).map { _ in
            x = x &* 1_103_515_245 &+ 12_345
            return Int16(Int(x >> 16) % 61 - 30)
        }
    }
}
