import Foundation
import MediaCore
import Realtime

/// A session answered by an upstream GA Realtime WebSocket endpoint (`--backend relay=URL`).
///
/// Over WebSocket it is a pass-through: client events up, server events down, verbatim. For a
/// WebRTC call it bridges the transports: caller audio goes up as `input_audio_buffer.append`
/// (24 kHz PCM, 40 ms per event); upstream `response.output_audio.delta` is decoded and paced
/// out in 20 ms chunks as the call's voice (never forwarded as events), with the WebRTC-only
/// `output_audio_buffer.started/stopped/cleared` made here. When upstream reports
/// `speech_started` while audio is still queued (barge-in), the queue is dropped and the item is
/// truncated upstream at what was actually sent to the caller.
final class RelaySession: EndpointSessionCore {
    let transport: RealtimeSession.Transport
    private let upstream: RelayUpstream
    private(set) var sessionID = ""
    private(set) var modelName: String
    private var ids = RealtimeIDGenerator()

    private var ready: [EndpointEvent] = []
    private var readyHead = 0
    /// WebRTC: upstream audio not yet paced out, and the chunks that are due.
    private var queued: [Int16] = []
    private var chunks: [[Int16]] = []
    private var nextChunkDue: Instant?
    private var lastNow: Instant
    /// The response whose audio is playing, its item, and the samples of it sent so far.
    private var playing: (responseID: String, itemID: String, sent: Int)?
    /// `response.done` came for the playing response: `stopped` follows the last chunk.
    private var playingDone = false
    private var input: [Int16] = []

    /// Caller audio per `input_audio_buffer.append` (40 ms at 24 kHz).
    static let appendSamples = 960
    /// Upstream audio queued before playout starts (60 ms): absorbs the deltas' arrival jitter.
    static let primeSamples = 1_440

    init(url: String, apiKey: String?, transport: RealtimeSession.Transport, model: String, at now: Instant,
         wake: @escaping @Sendable () -> Void) {
        self.transport = transport
        modelName = model
        lastNow = now
        upstream = RelayUpstream(url: url, apiKey: apiKey, wake: wake)
    }

    var isClosed: Bool { upstream.isClosed && readyHead >= ready.count }

    func handle(clientEventJSON text: String, at now: Instant) {
        lastNow = now
        // `output_audio_buffer.clear` is about the audio we play out: a WebSocket upstream has none.
        if transport == .webRTC, text.contains("output_audio_buffer.clear"),
           case .object(let o)? = try? JSONParser.parse(text), o["type"] == .string("output_audio_buffer.clear") {
            if let p = playing { cut(p) }
            return
        }
        upstream.send(text)
    }

    func handle(clientEventJSON bytes: [UInt8], at now: Instant) {
        handle(clientEventJSON: String(decoding: bytes, as: UTF8.self), at: now)
    }

    func appendInputAudio(_ samples: [Int16], at now: Instant) {
        lastNow = now
        input += samples
        guard input.count >= Self.appendSamples else { return }
        upstream.send(#"{"type":"input_audio_buffer.append","audio":""# + Base64Audio.encodePCM16(input) + #""}"#)
        input.removeAll(keepingCapacity: true)
    }

    func pollEndpointEvent() -> EndpointEvent? {
        if readyHead >= ready.count {
            ready.removeAll(keepingCapacity: true)
            readyHead = 0
            for text in upstream.take() { receive(text) }
        }
        guard readyHead < ready.count else { return nil }
        defer { readyHead += 1 }
        return ready[readyHead]
    }

    func pollOutputAudio() -> [Int16]? {
        chunks.isEmpty ? nil : chunks.removeFirst()
    }

    func pollTimeout() -> Instant? {
        guard !queued.isEmpty else { return nil }
        if let due = nextChunkDue { return due }
        // Not started: due once primed (new deltas wake the loop anyway).
        return queued.count >= Self.primeSamples || playingDone ? lastNow : nil
    }

    /// Paces queued upstream audio out in 20 ms chunks.
    func handleTimeout(at now: Instant) {
        lastNow = now
        for text in upstream.take() { receive(text) }
        // Upstream deltas arrive with the network's jitter: start (and restart after running
        // dry) only with `primeSamples` queued, and send whole chunks until the response is done.
        if nextChunkDue == nil, queued.count < Self.primeSamples, !playingDone { return }
        while !queued.isEmpty, let p = playing {
            let due = nextChunkDue ?? now
            guard due <= now, queued.count >= RealtimeAudio.chunkSamples || playingDone else { break }
            let n = min(RealtimeAudio.chunkSamples, queued.count)
            chunks.append(Array(queued[0..<n]))
            queued.removeFirst(n)
            playing?.sent = p.sent + n
            nextChunkDue = due + RealtimeAudio.duration(n)
        }
        if queued.isEmpty {
            nextChunkDue = nil
            if playingDone, let p = playing { finishPlayout(p, stopped: true) }
        } else if let due = nextChunkDue, due <= now, !playingDone {
            nextChunkDue = nil   // ran dry mid-stream: prime again
        }
    }

    func shutDown() { upstream.stop() }

    // MARK: Upstream events

    private func receive(_ text: String) {
        guard let event = try? ServerEvent(jsonText: text) else {
            ready.append(EndpointEvent(text: text, kind: .other))
            return
        }
        if case .sessionCreated(let config) = event.body {
            sessionID = config.id ?? ""
            modelName = config.model.rawValue
        }
        guard transport == .webRTC else {
            ready.append(EndpointEvent(event, text: text))
            return
        }
        switch event.body {
        case let .responseOutputAudioDelta(location, delta):
            guard let samples = try? Base64Audio.decodePCM16(delta), !samples.isEmpty else { return }
            if playing?.responseID != location.responseID || playing?.itemID != location.itemID {
                if let p = playing, p.responseID != location.responseID { finishPlayout(p, stopped: true) }
                if playing?.responseID != location.responseID {
                    emit(.outputAudioBufferStarted(responseID: location.responseID))
                    playingDone = false
                }
                playing = (location.responseID, location.itemID, 0)
            }
            queued += samples
        case .inputAudioBufferSpeechStarted:
            ready.append(EndpointEvent(event, text: text))
            if let p = playing, !queued.isEmpty { cut(p) }
        case .responseDone(let response):
            ready.append(EndpointEvent(event, text: text))
            if let p = playing, p.responseID == response.id {
                playingDone = true
                if queued.isEmpty { finishPlayout(p, stopped: true) }
            }
        default:
            ready.append(EndpointEvent(event, text: text))
        }
    }

    /// Drops the audio not yet sent, says so (`cleared`) and truncates the item upstream there.
    private func cut(_ p: (responseID: String, itemID: String, sent: Int)) {
        queued.removeAll()
        nextChunkDue = nil
        let audioEndMs = RealtimeAudio.milliseconds(p.sent)
        upstream.send(JSONWriter.string(.object([
            "type": "conversation.item.truncate", "item_id": .string(p.itemID), "content_index": 0, "audio_end_ms": .int(audioEndMs),
        ])))
        finishPlayout(p, stopped: false)
    }

    private func finishPlayout(_ p: (responseID: String, itemID: String, sent: Int), stopped: Bool) {
        emit(stopped ? .outputAudioBufferStopped(responseID: p.responseID) : .outputAudioBufferCleared(responseID: p.responseID))
        playing = nil
        playingDone = false
    }

    private func emit(_ body: ServerEvent.Body) {
        ready.append(EndpointEvent(ServerEvent(eventID: ids.eventID(), body)))
    }
}
