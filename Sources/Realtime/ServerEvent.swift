/// An event the server sends. `eventID` is the server's `event_…` id (always present).
public struct ServerEvent: Equatable, Sendable {
    public var eventID: String
    public var body: Body

    public init(eventID: String, _ body: Body) {
        self.eventID = eventID
        self.body = body
    }

    public enum Body: Equatable, Sendable {
        case error(RealtimeErrorDetails)
        case sessionCreated(SessionConfig)
        case sessionUpdated(SessionConfig)
        case conversationCreated(conversationID: String)
        /// `conversation.item.added`: an item entered the conversation (content may still stream).
        case conversationItemAdded(previousItemID: String?, item: ConversationItem)
        /// `conversation.item.done`: the item is final.
        case conversationItemDone(previousItemID: String?, item: ConversationItem)
        case conversationItemCreated(previousItemID: String?, item: ConversationItem)
        case conversationItemRetrieved(item: ConversationItem)
        case conversationItemTruncated(itemID: String, contentIndex: Int, audioEndMs: Int)
        case conversationItemDeleted(itemID: String)
        case inputAudioTranscriptionDelta(itemID: String, contentIndex: Int?, delta: String?, logprobs: [LogProb]?)
        case inputAudioTranscriptionCompleted(itemID: String, contentIndex: Int, transcript: String, usage: TranscriptionUsage, logprobs: [LogProb]?)
        case inputAudioTranscriptionFailed(itemID: String, contentIndex: Int, error: RealtimeErrorDetails)
        case inputAudioTranscriptionSegment(itemID: String, contentIndex: Int, segment: TranscriptionSegment)
        /// `input_audio_buffer.committed`: the buffer became user item `itemID`.
        case inputAudioBufferCommitted(previousItemID: String?, itemID: String)
        case inputAudioBufferCleared
        case inputAudioBufferSpeechStarted(audioStartMs: Int, itemID: String)
        case inputAudioBufferSpeechStopped(audioEndMs: Int, itemID: String)
        /// `input_audio_buffer.timeout_triggered`: `idle_timeout_ms` passed with no speech.
        case inputAudioBufferTimeoutTriggered(audioStartMs: Int, audioEndMs: Int, itemID: String)
        case outputAudioBufferStarted(responseID: String)
        case outputAudioBufferStopped(responseID: String)
        case outputAudioBufferCleared(responseID: String)
        case responseCreated(RealtimeResponse)
        case responseDone(RealtimeResponse)
        case responseOutputItemAdded(responseID: String, outputIndex: Int, item: ConversationItem)
        case responseOutputItemDone(responseID: String, outputIndex: Int, item: ConversationItem)
        case responseContentPartAdded(ContentLocation, part: ResponseContentPart)
        case responseContentPartDone(ContentLocation, part: ResponseContentPart)
        case responseOutputTextDelta(ContentLocation, delta: String)
        case responseOutputTextDone(ContentLocation, text: String)
        /// `response.output_audio.delta`: base64 audio (WebSocket only; WebRTC sends RTP).
        case responseOutputAudioDelta(ContentLocation, delta: String)
        case responseOutputAudioDone(ContentLocation)
        case responseOutputAudioTranscriptDelta(ContentLocation, delta: String)
        case responseOutputAudioTranscriptDone(ContentLocation, transcript: String)
        case responseFunctionCallArgumentsDelta(responseID: String, itemID: String, outputIndex: Int, callID: String, delta: String)
        case responseFunctionCallArgumentsDone(responseID: String, itemID: String, outputIndex: Int, callID: String, name: String, arguments: String)
        case rateLimitsUpdated([RateLimit])
    }

    /// Every GA server event `type` this model reads and writes.
    public static let typeNames = [
        "error", "session.created", "session.updated", "conversation.created", "conversation.item.added",
        "conversation.item.done", "conversation.item.created", "conversation.item.retrieved", "conversation.item.truncated",
        "conversation.item.deleted", "conversation.item.input_audio_transcription.delta",
        "conversation.item.input_audio_transcription.completed", "conversation.item.input_audio_transcription.failed",
        "conversation.item.input_audio_transcription.segment", "input_audio_buffer.committed", "input_audio_buffer.cleared",
        "input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped", "input_audio_buffer.timeout_triggered",
        "output_audio_buffer.started", "output_audio_buffer.stopped", "output_audio_buffer.cleared", "response.created",
        "response.done", "response.output_item.added", "response.output_item.done", "response.content_part.added",
        "response.content_part.done", "response.output_text.delta", "response.output_text.done",
        "response.output_audio.delta", "response.output_audio.done", "response.output_audio_transcript.delta",
        "response.output_audio_transcript.done", "response.function_call_arguments.delta",
        "response.function_call_arguments.done", "rate_limits.updated",
    ]

    public var type: String {
        switch body {
        case .error: "error"
        case .sessionCreated: "session.created"
        case .sessionUpdated: "session.updated"
        case .conversationCreated: "conversation.created"
        case .conversationItemAdded: "conversation.item.added"
        case .conversationItemDone: "conversation.item.done"
        case .conversationItemCreated: "conversation.item.created"
        case .conversationItemRetrieved: "conversation.item.retrieved"
        case .conversationItemTruncated: "conversation.item.truncated"
        case .conversationItemDeleted: "conversation.item.deleted"
        case .inputAudioTranscriptionDelta: "conversation.item.input_audio_transcription.delta"
        case .inputAudioTranscriptionCompleted: "conversation.item.input_audio_transcription.completed"
        case .inputAudioTranscriptionFailed: "conversation.item.input_audio_transcription.failed"
        case .inputAudioTranscriptionSegment: "conversation.item.input_audio_transcription.segment"
        case .inputAudioBufferCommitted: "input_audio_buffer.committed"
        case .inputAudioBufferCleared: "input_audio_buffer.cleared"
        case .inputAudioBufferSpeechStarted: "input_audio_buffer.speech_started"
        case .inputAudioBufferSpeechStopped: "input_audio_buffer.speech_stopped"
        case .inputAudioBufferTimeoutTriggered: "input_audio_buffer.timeout_triggered"
        case .outputAudioBufferStarted: "output_audio_buffer.started"
        case .outputAudioBufferStopped: "output_audio_buffer.stopped"
        case .outputAudioBufferCleared: "output_audio_buffer.cleared"
        case .responseCreated: "response.created"
        case .responseDone: "response.done"
        case .responseOutputItemAdded: "response.output_item.added"
        case .responseOutputItemDone: "response.output_item.done"
        case .responseContentPartAdded: "response.content_part.added"
        case .responseContentPartDone: "response.content_part.done"
        case .responseOutputTextDelta: "response.output_text.delta"
        case .responseOutputTextDone: "response.output_text.done"
        case .responseOutputAudioDelta: "response.output_audio.delta"
        case .responseOutputAudioDone: "response.output_audio.done"
        case .responseOutputAudioTranscriptDelta: "response.output_audio_transcript.delta"
        case .responseOutputAudioTranscriptDone: "response.output_audio_transcript.done"
        case .responseFunctionCallArgumentsDelta: "response.function_call_arguments.delta"
        case .responseFunctionCallArgumentsDone: "response.function_call_arguments.done"
        case .rateLimitsUpdated: "rate_limits.updated"
        }
    }

    /// The `error` event answering a rejected client event.
    public static func error(_ e: RealtimeProtocolError, eventID: String) -> ServerEvent {
        ServerEvent(eventID: eventID, .error(e.details))
    }
}
