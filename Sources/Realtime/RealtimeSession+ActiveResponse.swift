import MediaCore

/// The state of the response being generated: its backend stream, the output item being
/// streamed, and the output audio not yet paced out.
struct ActiveResponse {
    /// The output item currently streaming.
    struct OpenItem {
        enum Kind {
            case message(text: String, spoken: [Int16])
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
    var pending: [Int16] = []
    var nextChunkDue: Instant?
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

    mutating func clearAudio() {
        pending.removeAll()
        audioCleared = true
    }
}
