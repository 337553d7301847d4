import MediaCore

/// The response lifecycle, in the GA order: `response.created` → per item
/// `response.output_item.added` → `conversation.item.added` → `response.content_part.added` →
/// deltas → `…done` → `response.content_part.done` → `response.output_item.done` →
/// `conversation.item.done` → `response.done` (usage) → `rate_limits.updated`.
extension RealtimeSession {
    func responseCreate(_ params: ResponseCreateParams?, eventID: String?, at now: Instant) {
        guard active == nil else {
            emitError(
                "conversation_already_has_active_response",
                "Conversation already has an active response in progress: \(active?.id ?? ""). Wait until the response is finished before creating a new one.",
                eventID: eventID)
            return
        }
        startResponse(params ?? ResponseCreateParams(), eventID: eventID, at: now)
    }

    /// Starts a response (a "request" for the rate limiter); errors instead when the context
    /// cannot fit or the rate limit refuses.
    func startResponse(_ params: ResponseCreateParams, eventID: String?, at now: Instant) {
        let inConversation = params.conversation != ResponseCreateParams.Conversation.none
        let modalities = params.outputModalities ?? config.outputModalities
        let maxTokens = (params.maxOutputTokens ?? config.maxOutputTokens).effectiveLimit
        let instructions = params.instructions ?? config.instructions
        let tools = params.tools ?? config.tools
        var input: [BackendItem]
        if let explicit = params.input {
            input = []
            for item in explicit {
                var audio: [Int16] = []
                if case .message(let m) = item {
                    for case .inputAudio(let a?, _) in m.content { audio += (try? inputCodec.decode(base64: a, param: "audio")) ?? [] }
                }
                input.append(BackendItem(item: item, audio: audio))
            }
        } else {
            input = items.map { BackendItem(item: $0.item, audio: $0.audio) }
        }

        // Context window: instructions, tools, input and the output budget must fit.
        let budget = RealtimeLimits.contextWindowTokens - maxTokens
        var spans = inputSpans(instructions: instructions, tools: tools, input: input)
        if spans.reduce(0, { $0 + $1.tokens }) > budget {
            if config.truncation == .disabled || params.input != nil {
                emitError(
                    "context_length_exceeded", "The conversation exceeds the model's context window of \(RealtimeLimits.contextWindowTokens) tokens.",
                    eventID: eventID)
                return
            }
            // truncation "auto" (and a retention ratio, treated alike): drop the oldest items.
            while !items.isEmpty, spans.reduce(0, { $0 + $1.tokens }) > budget {
                items.removeFirst()
                input = items.map { BackendItem(item: $0.item, audio: $0.audio) }
                spans = inputSpans(instructions: instructions, tools: tools, input: input)
            }
            if spans.reduce(0, { $0 + $1.tokens }) > budget {
                emitError("context_length_exceeded", "The instructions and tools alone exceed the context window.", eventID: eventID)
                return
            }
        }
        let inputTokens = spans.reduce(0) { $0 + $1.tokens }
        let decision = rateLimiter.admit(estimatedTokens: inputTokens + maxTokens, at: now)
        guard decision.allowed else {
            let what = decision.limitedBy?.rawValue ?? "requests"
            emitError(
                "rate_limit_exceeded",
                "Rate limit reached for \(what) on \(config.model.rawValue) (\(rateLimiter.tier)). Please try again in \(Int(decision.retryAfter.seconds.rounded(.up)))s.",
                eventID: eventID)
            return
        }
        let inputDetails = promptCache.account(spans)
        let id = ids.responseID()
        let response = RealtimeResponse(
            id: id, status: .inProgress, output: [], conversationID: inConversation ? conversationID : nil, outputModalities: modalities,
            maxOutputTokens: params.maxOutputTokens ?? config.maxOutputTokens,
            audioOutput: ResponseAudioOutput(format: config.audio.output.format, voice: config.audio.output.voice),
            metadata: params.metadata)
        emit(.responseCreated(response))
        let request = BackendRequest(
            input: input, instructions: instructions, outputModalities: modalities, tools: tools,
            toolChoice: params.toolChoice ?? config.toolChoice, maxOutputTokens: maxTokens)
        let stream = backend.start(request, at: now)
        active = ActiveResponse(
            id: id, response: response, inConversation: inConversation, speaks: modalities.contains(.audio), maxOutputTokens: maxTokens,
            estimatedTokens: inputTokens + maxTokens, inputDetails: inputDetails, stream: stream)
        idleSince = nil
    }

    /// The response input as spans for token and cache accounting.
    func inputSpans(instructions: String, tools: [FunctionTool], input: [BackendItem]) -> [InputSpan] {
        var spans: [InputSpan] = []
        if !instructions.isEmpty {
            spans.append(InputSpan(modality: .text, tokens: TokenEstimator.textTokens(instructions), key: "instructions:\(instructions.hashValue)"))
        }
        if !tools.isEmpty {
            let text = JSONWriter.string(.array(tools.map(\.json)))
            spans.append(InputSpan(modality: .text, tokens: TokenEstimator.textTokens(text), key: "tools:\(text.hashValue)"))
        }
        for (n, b) in input.enumerated() {
            let key = b.item.id ?? "input\(n)"
            if !b.audio.isEmpty {
                let tokens = TokenEstimator.inputAudioTokens(RealtimeAudio.duration(b.audio.count))
                spans.append(InputSpan(modality: .audio, tokens: tokens, key: "\(key):audio:\(b.audio.count)"))
            }
            let text: String
            switch b.item {
            case .message: text = b.text
            case .functionCall(let f): text = f.name + f.arguments
            case .functionCallOutput(let f): text = f.output
            }
            if !text.isEmpty {
                spans.append(InputSpan(modality: .text, tokens: TokenEstimator.textTokens(text), key: "\(key):text:\(text.hashValue)"))
            }
        }
        return spans
    }

    /// Pulls due backend output and emits due audio chunks; completes the response when both
    /// are exhausted.
    func advance(at now: Instant) {
        while active != nil, let output = active?.stream.next(at: now) {
            apply(output, at: now)
        }
        guard active != nil else { return }
        emitDueChunks(at: now)
        if let r = active, r.stream.nextDue() == nil, r.pending.isEmpty {
            finishResponse(.completed, reason: nil, at: now)
        }
    }

    private func apply(_ output: BackendOutput, at now: Instant) {
        if case .audio(let samples) = output {
            queueAudio(samples, at: now)
            return
        }
        guard let r = active else { return }
        switch output {
        case .textDelta(let delta):
            let loc = openMessage()
            guard case .message(let text)? = active?.current?.kind else { return }
            active?.current?.kind = .message(text: text + delta)
            active?.outputText += delta
            emit(r.speaks ? .responseOutputAudioTranscriptDelta(loc, delta: delta) : .responseOutputTextDelta(loc, delta: delta))
            checkMaxOutputTokens(at: now)
        case .audio:
            break
        case .functionCall(let name, let callID):
            closeCurrent(.completed, at: now)
            guard let r = active else { return }
            let itemID = ids.itemID()
            let index = r.output.count
            active?.current = .init(itemID: itemID, outputIndex: index, kind: .functionCall(name: name, callID: callID, arguments: ""))
            let item = ConversationItem.functionCall(.init(id: itemID, status: .inProgress, callID: callID, name: name, arguments: ""))
            emit(.responseOutputItemAdded(responseID: r.id, outputIndex: index, item: item))
            if r.inConversation { addToConversation(item) }
        case .functionCallArgumentsDelta(let delta):
            guard let c = r.current, case .functionCall(let name, let callID, let args) = c.kind else { return }
            active?.current?.kind = .functionCall(name: name, callID: callID, arguments: args + delta)
            active?.outputText += delta
            emit(.responseFunctionCallArgumentsDelta(responseID: r.id, itemID: c.itemID, outputIndex: c.outputIndex, callID: callID, delta: delta))
            checkMaxOutputTokens(at: now)
        }
    }

    /// Backend audio joins the backlog of the open message (opened if needed). No copy of the
    /// response is held meanwhile, so the backlog grows in place.
    private func queueAudio(_ samples: [Int16], at now: Instant) {
        guard active?.speaks == true, active?.audioCleared == false, !samples.isEmpty else { return }
        _ = openMessage()
        if active?.pending.isEmpty == true, (active?.nextChunkDue).map({ $0 < now }) ?? true { active?.nextChunkDue = now }
        active?.pending.append(contentsOf: samples)
    }

    private func addToConversation(_ item: ConversationItem) {
        let previous = items.last?.item.id
        items.append(StoredItem(item: item, audio: []))
        emit(.conversationItemAdded(previousItemID: previous, item: item))
    }

    /// The location of the open assistant message, opening one (and closing a function call) if needed.
    private func openMessage() -> ContentLocation {
        if let r = active, let c = r.current, case .message = c.kind {
            return ContentLocation(responseID: r.id, itemID: c.itemID, outputIndex: c.outputIndex, contentIndex: 0)
        }
        if let r = active, r.current != nil {
            // A message after a function call: flush nothing (calls carry no audio), just close it.
            closeCurrentUnchecked(.completed)
        }
        guard let r = active else { preconditionFailure("openMessage without an active response") }
        let itemID = ids.itemID()
        let index = r.output.count
        active?.current = .init(itemID: itemID, outputIndex: index, kind: .message(text: ""))
        active?.spoken = []
        let item = ConversationItem.message(.init(id: itemID, status: .inProgress, role: .assistant, content: []))
        emit(.responseOutputItemAdded(responseID: r.id, outputIndex: index, item: item))
        if r.inConversation { addToConversation(item) }
        let loc = ContentLocation(responseID: r.id, itemID: itemID, outputIndex: index, contentIndex: 0)
        emit(.responseContentPartAdded(loc, part: r.speaks ? ResponseContentPart(type: .audio, transcript: "") : ResponseContentPart(type: .text, text: "")))
        return loc
    }

    /// Emits the audio chunks due at `now`; `flush` sends everything pending regardless of pace.
    private func emitDueChunks(at now: Instant, flush: Bool = false) {
        // Mutated in place through `active?`: a copy of the response held across the loop
        // would make each chunk copy the whole backlog.
        while let chunk = active?.takeDueChunk(at: now, paced: pacing == .realtime, flush: flush), let id = active?.id {
            if transport == .webRTC {
                if active?.audioStarted == false {
                    active?.audioStarted = true
                    emit(.outputAudioBufferStarted(responseID: id))
                }
                emitAudio(chunk.samples)
            } else {
                let loc = ContentLocation(responseID: id, itemID: chunk.itemID, outputIndex: chunk.outputIndex, contentIndex: 0)
                emit(.responseOutputAudioDelta(loc, delta: outputCodec.encode(chunk.samples)))
            }
            checkMaxOutputTokens(at: now)
        }
    }

    private func checkMaxOutputTokens(at now: Instant) {
        guard let r = active, r.outputTokens >= r.maxOutputTokens else { return }
        finishResponse(.incomplete, reason: .maxOutputTokens, at: now)
    }

    private func closeCurrent(_ status: ConversationItem.Status, at now: Instant) {
        // Audio still queued belongs to the message being closed: it goes out first, unpaced.
        emitDueChunks(at: now, flush: true)
        closeCurrentUnchecked(status)
    }

    /// Emits the done events of the open item and moves it to the response's output.
    func closeCurrentUnchecked(_ status: ConversationItem.Status) {
        guard let r = active, let c = r.current else { return }
        let item: ConversationItem
        switch c.kind {
        case .message(let text):
            let spoken = r.spoken
            let loc = ContentLocation(responseID: r.id, itemID: c.itemID, outputIndex: c.outputIndex, contentIndex: 0)
            if r.speaks {
                emit(.responseOutputAudioDone(loc))
                emit(.responseOutputAudioTranscriptDone(loc, transcript: text))
                emit(.responseContentPartDone(loc, part: ResponseContentPart(type: .audio, transcript: text)))
                item = .message(.init(id: c.itemID, status: status, role: .assistant, content: [.outputAudio(audio: nil, transcript: text)]))
            } else {
                emit(.responseOutputTextDone(loc, text: text))
                emit(.responseContentPartDone(loc, part: ResponseContentPart(type: .text, text: text)))
                item = .message(.init(id: c.itemID, status: status, role: .assistant, content: [.outputText(text)]))
            }
            storeDone(item, audio: spoken, responseInConversation: r.inConversation)
        case .functionCall(let name, let callID, let args):
            emit(.responseFunctionCallArgumentsDone(
                responseID: r.id, itemID: c.itemID, outputIndex: c.outputIndex, callID: callID, name: name, arguments: args))
            item = .functionCall(.init(id: c.itemID, status: status, callID: callID, name: name, arguments: args))
            storeDone(item, audio: [], responseInConversation: r.inConversation)
        }
        active?.output.append(item)
        active?.current = nil
    }

    private func storeDone(_ item: ConversationItem, audio: [Int16], responseInConversation: Bool) {
        guard let r = active, let c = r.current else { return }
        emit(.responseOutputItemDone(responseID: r.id, outputIndex: c.outputIndex, item: item))
        guard responseInConversation, let i = items.firstIndex(where: { $0.item.id == c.itemID }) else { return }
        items[i] = StoredItem(item: item, audio: audio)
        emit(.conversationItemDone(previousItemID: i > 0 ? items[i - 1].item.id : nil, item: item))
    }

    /// Ends the active response: closes its open item, `response.done` with usage,
    /// `rate_limits.updated`, and on WebRTC `output_audio_buffer.stopped` (played out) or
    /// `.cleared` (cut off).
    func finishResponse(_ status: RealtimeResponse.Status, reason: RealtimeResponse.StatusDetails.Reason?, at now: Instant) {
        guard active != nil else { return }
        active?.pending.removeAll()
        closeCurrentUnchecked(status == .completed ? .completed : .incomplete)
        guard let r = active else { return }
        let usage = Usage(
            input: r.inputDetails,
            output: .init(
                textTokens: TokenEstimator.textTokens(r.outputText),
                audioTokens: TokenEstimator.outputAudioTokens(RealtimeAudio.duration(r.emittedSamples))))
        var response = r.response
        response.status = status
        response.statusDetails = status == .completed ? nil : .init(type: status, reason: reason)
        response.output = r.output
        response.usage = usage
        active = nil
        lastResponseID = r.id
        emit(.responseDone(response))
        rateLimiter.settle(estimatedTokens: r.estimatedTokens, actualTokens: usage.totalTokens, at: now)
        emit(.rateLimitsUpdated(rateLimiter.rateLimits(at: now)))
        if transport == .webRTC, r.audioStarted, !r.audioCleared {
            emit(status == .cancelled ? .outputAudioBufferCleared(responseID: r.id) : .outputAudioBufferStopped(responseID: r.id))
        }
        idleSince = (now, streamPosition)
    }
}
