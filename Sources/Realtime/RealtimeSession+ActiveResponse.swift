import MediaCore

/// The state of the response being generated: its backend stream, the output item being
/// streamed, and the output audio not yet paced out.
struct ActiveResponse {
    /// The output item currently streaming.
    struct OpenItem {
        enum Kind {
            /// The message's audio so far is `ActiveResponse.spoken`.
            case message(text: String)
            case functionCall(name: String, callID: String, arguments: String)
        }
        var itemID: String
        var outputIndex: Int
        var kind: Kind
    }

    let id: String
    var response: RealtimeResponse
    /// False for out-of-band responses (`conversation: "none"`): nothing enters the conversation.
    let inConversation: Bool
    /// Audio in the output modalities: the message is an audio part with a transcript.
    let speaks: Bool
    let maxOutputTokens: Int
    /// Tokens reserved with the rate limiter (settled at `response.done`).
    let estimatedTokens: Int
    let inputDetails: Usage.InputTokenDetails
    var stream: any BackendStream
    var output: [ConversationItem] = []
    var current: OpenItem?
    /// Backend audio not yet emitted, and when its next chunk is due.
    var pending = AudioBacklog()
    var nextChunkDue: Instant?
    /// The audio the open message has emitted (kept out of `OpenItem.Kind` so that appending a
    /// chunk does not copy what came before).
    var spoken: [Int16] = []
    /// WebRTC: `output_audio_buffer.started` was sent.
    var audioStarted = false
    /// `output_audio_buffer.clear` cut the output: further audio is dropped.
    var audioCleared = false
    /// Everything said or written (text, transcripts, call arguments), for output token counts.
    var outputText = ""
    var emittedSamples = 0
    /// The message item whose audio went out, and how many samples of it.
    var spokenItem: (itemID: String, samples: Int)?

    var outputTokens: Int {
        TokenEstimator.textTokens(outputText) + TokenEstimator.outputAudioTokens(RealtimeAudio.duration(emittedSamples))
    }

    /// True when a chunk can leave now (ignoring its due time).
    var hasChunkReady: Bool {
        pending.count >= RealtimeAudio.chunkSamples || (!pending.isEmpty && stream.nextDue() == nil)
    }

    func nextDue(pacing: RealtimeSession.Pacing) -> Instant? {
        var t = stream.nextDue()
        if hasChunkReady, let due = nextChunkDue {
            t = t.map { min($0, due) } ?? due
        }
        return t
    }

    /// One emitted chunk of the open message.
    struct Chunk {
        let samples: [Int16]
        let itemID: String
        let outputIndex: Int
    }

    /// Takes the next chunk off `pending` if one may leave at `now` (`paced`: not before its due
    /// time; `flush`: everything pending, whatever its size or time) and books it as spoken.
    /// Nil when none may, and pending audio without an open message is dropped.
    mutating func takeDueChunk(at now: Instant, paced: Bool, flush: Bool) -> Chunk? {
        guard flush ? !pending.isEmpty : hasChunkReady else { return nil }
        if !flush, paced, let due = nextChunkDue, due > now { return nil }
        guard let c = current, case .message = c.kind else {
            pending.removeAll()
            return nil
        }
        let samples = pending.take(upTo: RealtimeAudio.chunkSamples)
        nextChunkDue = (nextChunkDue ?? now) + RealtimeAudio.duration(samples.count)
        spoken += samples
        emittedSamples += samples.count
        spokenItem = (c.itemID, spoken.count)
        return Chunk(samples: samples, itemID: c.itemID, outputIndex: c.outputIndex)
    }

    mutating func clearAudio() {
        pending.removeAll()
        audioCleared = true
    }
}
