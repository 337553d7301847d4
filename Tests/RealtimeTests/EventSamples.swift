@testable import Realtime

/// One realistic value of every GA client and server event, shared by the round-trip tests and
/// the SDK validation test (which must see every type).
enum EventSamples {
    static let userAudioItem = ConversationItem.message(
        .init(id: "item_C9qHYwJ1hUrWQeVG2jsoE", status: .completed, role: .user, content: [.inputAudio(audio: nil, transcript: "What's the weather?")]))
    static let assistantItem = ConversationItem.message(
        .init(id: "item_C9qHZ1bmQ1kqz3TfGfOUW", status: .completed, role: .assistant,
              content: [.outputAudio(audio: nil, transcript: "It is sunny."), .outputText("It is sunny.")]))
    static let functionCallItem = ConversationItem.functionCall(
        .init(id: "item_C9qHZ9xYkQ2nJtP0sFqLm", status: .completed, callID: "call_Zk3bq2", name: "get_weather", arguments: #"{"city":"Oslo"}"#))
    static let functionOutputItem = ConversationItem.functionCallOutput(.init(callID: "call_Zk3bq2", output: #"{"temp_c":18}"#))
    static let systemItem = ConversationItem.message(.init(role: .system, content: [.inputText("Be brief.")]))

    static var fullSession: SessionConfig {
        var s = SessionConfig()
        s.id = "sess_C9qHYv2S7lEYh8Gs3yRz0"
        s.expiresAt = 1_757_000_000
        s.instructions = "You are a helpful voice assistant."
        s.audio.input.transcription = AudioTranscription(model: "whisper-1", language: "en")
        s.audio.input.noiseReduction = NoiseReduction(type: .nearField)
        s.tools = [FunctionTool(name: "get_weather", description: "Weather for a city",
                                parameters: ["type": "object", "properties": .object(["city": .object(["type": "string"])])])]
        s.tracing = .auto
        s.prompt = PromptReference(id: "pmpt_123", version: "2")
        s.include = [.inputAudioTranscriptionLogprobs]
        return s
    }

    /// The defaults, as `session.created` reports them (the server always names the session).
    static var defaultSession: SessionConfig {
        var s = SessionConfig()
        s.id = "sess_C9G5QPteg4UIbotdKLoYQ"
        s.expiresAt = 1_756_324_625
        return s
    }

    static let usage = Usage(
        input: .init(textTokens: 120, audioTokens: 45, cachedTextTokens: 100, cachedAudioTokens: 0),
        output: .init(textTokens: 12, audioTokens: 60))

    static var doneResponse: RealtimeResponse {
        RealtimeResponse(
            id: "resp_C9qHZ0fVrKwyp5lMX7cQd", status: .completed, output: [assistantItem, functionCallItem],
            conversationID: "conv_C9qHYvU1nVNbqY3bXx2Mn", outputModalities: [.audio], maxOutputTokens: .infinite,
            audioOutput: ResponseAudioOutput(format: .pcm24k, voice: .alloy), usage: usage, metadata: ["topic": "weather"])
    }

    static let at = ContentLocation(responseID: "resp_C9qHZ0fVrKwyp5lMX7cQd", itemID: "item_C9qHZ1bmQ1kqz3TfGfOUW", outputIndex: 0, contentIndex: 0)

    static let client: [ClientEvent] = [
        ClientEvent(eventID: "evt_client_1", .sessionUpdate(SessionUpdate(
            outputModalities: [.text], instructions: "Speak French.",
            audio: .init(input: .init(format: .pcmu, noiseReduction: .null, turnDetection: .value(.semanticVAD(.init()))),
                         output: .init(format: .pcmu, voice: .marin, speed: 1.2)),
            tools: [FunctionTool(name: "lookup", parameters: ["type": "object"])], toolChoice: .function(name: "lookup"),
            maxOutputTokens: .limit(1024), truncation: .retentionRatio(0.8, postInstructionsTokenLimit: 8000), tracing: .null))),
        ClientEvent(.inputAudioBufferAppend(audio: Base64Audio.encodePCM16([0, 1000, -1000, 32767]))),
        ClientEvent(eventID: "evt_commit", .inputAudioBufferCommit),
        ClientEvent(.inputAudioBufferClear),
        ClientEvent(.outputAudioBufferClear),
        ClientEvent(.conversationItemCreate(previousItemID: "root", item: .message(.init(role: .user, content: [.inputText("Hello!")])))),
        ClientEvent(.conversationItemCreate(previousItemID: nil, item: functionOutputItem)),
        ClientEvent(.conversationItemCreate(previousItemID: nil, item: systemItem)),
        ClientEvent(.conversationItemRetrieve(itemID: "item_C9qHYwJ1hUrWQeVG2jsoE")),
        ClientEvent(.conversationItemTruncate(itemID: "item_C9qHZ1bmQ1kqz3TfGfOUW", contentIndex: 0, audioEndMs: 1500)),
        ClientEvent(.conversationItemDelete(itemID: "item_C9qHYwJ1hUrWQeVG2jsoE")),
        ClientEvent(.responseCreate(nil)),
        ClientEvent(.responseCreate(ResponseCreateParams(
            conversation: ResponseCreateParams.Conversation.none, input: [systemItem], instructions: "Classify the topic.",
            maxOutputTokens: .limit(16), metadata: ["purpose": "classify"], outputModalities: [.text], toolChoice: ToolChoice.none))),
        ClientEvent(.responseCancel(responseID: "resp_C9qHZ0fVrKwyp5lMX7cQd")),
    ]

    static let server: [ServerEvent] = [
        ServerEvent(eventID: "event_1", .error(RealtimeErrorDetails(
            type: "invalid_request_error", code: "unknown_parameter", message: "Unknown parameter: 'session.modalities'.",
            param: "session.modalities", eventID: "evt_client_1"))),
        ServerEvent(eventID: "event_2", .sessionCreated(defaultSession)),
        ServerEvent(eventID: "event_3", .sessionUpdated(fullSession)),
        ServerEvent(eventID: "event_4", .conversationCreated(conversationID: "conv_C9qHYvU1nVNbqY3bXx2Mn")),
        ServerEvent(eventID: "event_5", .conversationItemAdded(previousItemID: nil, item: userAudioItem)),
        ServerEvent(eventID: "event_6", .conversationItemDone(previousItemID: "item_prev", item: userAudioItem)),
        ServerEvent(eventID: "event_7", .conversationItemCreated(previousItemID: "item_prev", item: functionOutputItem)),
        ServerEvent(eventID: "event_8", .conversationItemRetrieved(item: .message(
            .init(id: "item_a", status: .completed, role: .user, content: [.inputAudio(audio: "AAAA", transcript: "hi")])))),
        ServerEvent(eventID: "event_9", .conversationItemTruncated(itemID: "item_b", contentIndex: 0, audioEndMs: 1500)),
        ServerEvent(eventID: "event_10", .conversationItemDeleted(itemID: "item_b")),
        ServerEvent(eventID: "event_11", .inputAudioTranscriptionDelta(itemID: "item_a", contentIndex: 0, delta: "What's", logprobs: [LogProb(token: "What", bytes: [87, 104, 97, 116], logprob: -0.25)])),
        ServerEvent(eventID: "event_12", .inputAudioTranscriptionCompleted(
            itemID: "item_a", contentIndex: 0, transcript: "What's the weather?",
            usage: .tokens(input: 20, output: 6, inputTextTokens: 0, inputAudioTokens: 20), logprobs: nil)),
        ServerEvent(eventID: "event_13", .inputAudioTranscriptionFailed(
            itemID: "item_a", contentIndex: 0, error: RealtimeErrorDetails(type: "transcription_error", code: "audio_unintelligible", message: "The audio could not be transcribed."))),
        ServerEvent(eventID: "event_14", .inputAudioTranscriptionSegment(
            itemID: "item_a", contentIndex: 0, segment: TranscriptionSegment(id: "seg_0001", text: "What's the weather?", speaker: "A", start: 0.0, end: 1.25))),
        ServerEvent(eventID: "event_15", .inputAudioBufferCommitted(previousItemID: nil, itemID: "item_a")),
        ServerEvent(eventID: "event_16", .inputAudioBufferCleared),
        ServerEvent(eventID: "event_17", .inputAudioBufferSpeechStarted(audioStartMs: 1000, itemID: "item_a")),
        ServerEvent(eventID: "event_18", .inputAudioBufferSpeechStopped(audioEndMs: 2600, itemID: "item_a")),
        ServerEvent(eventID: "event_19", .inputAudioBufferTimeoutTriggered(audioStartMs: 13000, audioEndMs: 19000, itemID: "item_c")),
        ServerEvent(eventID: "event_20", .outputAudioBufferStarted(responseID: "resp_1")),
        ServerEvent(eventID: "event_21", .outputAudioBufferStopped(responseID: "resp_1")),
        ServerEvent(eventID: "event_22", .outputAudioBufferCleared(responseID: "resp_1")),
        ServerEvent(eventID: "event_23", .responseCreated(RealtimeResponse(
            id: "resp_1", status: .inProgress, conversationID: "conv_1", outputModalities: [.audio], maxOutputTokens: .infinite,
            audioOutput: ResponseAudioOutput(format: .pcm24k, voice: .alloy)))),
        ServerEvent(eventID: "event_24", .responseDone(doneResponse)),
        ServerEvent(eventID: "event_24b", .responseDone(RealtimeResponse(
            id: "resp_2", status: .cancelled, statusDetails: .init(type: .cancelled, reason: .turnDetected), conversationID: "conv_1",
            usage: Usage()))),
        ServerEvent(eventID: "event_25", .responseOutputItemAdded(responseID: "resp_1", outputIndex: 0, item: assistantItem)),
        ServerEvent(eventID: "event_26", .responseOutputItemDone(responseID: "resp_1", outputIndex: 0, item: assistantItem)),
        ServerEvent(eventID: "event_27", .responseContentPartAdded(at, part: ResponseContentPart(type: .audio, transcript: ""))),
        ServerEvent(eventID: "event_28", .responseContentPartDone(at, part: ResponseContentPart(type: .text, text: "It is sunny."))),
        ServerEvent(eventID: "event_29", .responseOutputTextDelta(at, delta: "It is")),
        ServerEvent(eventID: "event_30", .responseOutputTextDone(at, text: "It is sunny.")),
        ServerEvent(eventID: "event_31", .responseOutputAudioDelta(at, delta: Base64Audio.encodePCM16([1, 2, 3]))),
        ServerEvent(eventID: "event_32", .responseOutputAudioDone(at)),
        ServerEvent(eventID: "event_33", .responseOutputAudioTranscriptDelta(at, delta: "It ")),
        ServerEvent(eventID: "event_34", .responseOutputAudioTranscriptDone(at, transcript: "It is sunny.")),
        ServerEvent(eventID: "event_35", .responseFunctionCallArgumentsDelta(
            responseID: "resp_1", itemID: "item_f", outputIndex: 1, callID: "call_Zk3bq2", delta: #"{"ci"#)),
        ServerEvent(eventID: "event_36", .responseFunctionCallArgumentsDone(
            responseID: "resp_1", itemID: "item_f", outputIndex: 1, callID: "call_Zk3bq2", name: "get_weather", arguments: #"{"city":"Oslo"}"#)),
        ServerEvent(eventID: "event_37", .rateLimitsUpdated([
            RateLimit(name: .requests, limit: 200, remaining: 199, resetSeconds: 0.3),
            RateLimit(name: .tokens, limit: 40_000, remaining: 35_904, resetSeconds: 6.144),
        ])),
    ]
}
