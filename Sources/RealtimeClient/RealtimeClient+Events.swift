import MediaCore
import Realtime
import Runtime

/// Server events on the client thread: conversation tracking, turn timing, barge-in, tools,
/// usage and rate limits.
extension RealtimeClient {
    func handleServerText(_ text: String) {
        let event: ServerEvent
        do { event = try ServerEvent(jsonText: text) } catch {
            metrics.errors.append("unreadable event: \(error.message)")
            onEvent(.unreadableEvent(text: text, reason: error.message))
            return
        }
        switch event.body {
        case .sessionCreated(let c), .sessionUpdated(let c):
            if let id = c.id { metrics.sessionID = id }
        case .inputAudioBufferSpeechStarted:
            state.userSpeaking = true
            bargeIn()
        case .inputAudioBufferSpeechStopped:
            state.userSpeaking = false
            audio.turnEndedAt = RuntimeClock.now()
        case .responseCreated:
            state.responseActive = true
            metrics.responses += 1
            replyStarting()
        case .responseOutputItemAdded(_, _, let item):
            if case .message(let m) = item, m.role == .assistant, configuration.transport == .webrtc { audio.itemID = m.id }
        case .responseOutputAudioDelta(let loc, let delta):
            queueReplyAudio(itemID: loc.itemID, base64: delta)
        case .responseFunctionCallArgumentsDone(_, _, _, let callID, let name, let arguments):
            answerFunctionCall(name: name, callID: callID, arguments: arguments)
        case .responseDone(let r):
            state.responseActive = false
            if let u = r.usage { metrics.usage = metrics.usage + u }
            if state.callsAwaitingResponse > 0 {
                state.callsAwaitingResponse = 0
                sendEvent(ClientEvent(.responseCreate(nil)))
            }
        case .conversationItemAdded(_, let item), .conversationItemDone(_, let item), .conversationItemCreated(_, let item):
            remember(item)
        case .conversationItemDeleted(let id):
            conversation.removeAll { $0.id == id }
        case .rateLimitsUpdated(let limits):
            metrics.rateLimits = limits
        case .error(let details):
            metrics.errors.append("error event: \(details.message)")
        default:
            break
        }
        onEvent(.server(event))
    }

    /// Keeps the latest form of each conversation item, for carrying into a new session.
    func remember(_ item: ConversationItem) {
        if let id = item.id, let i = conversation.firstIndex(where: { $0.id == id }) {
            conversation[i] = item
        } else {
            conversation.append(item)
        }
    }

    /// Runs the tool's handler and sends its output; `response.create` follows the current
    /// response's `response.done` (a session runs one response at a time).
    func answerFunctionCall(name: String, callID: String, arguments: String) {
        metrics.functionCalls += 1
        guard let handler = tools[name] else {
            onEvent(.functionCall(name: name, callID: callID, arguments: arguments, output: nil))
            return
        }
        let output = handler(arguments)
        sendEvent(ClientEvent(.conversationItemCreate(previousItemID: nil, item: .functionCallOutput(.init(callID: callID, output: output)))))
        if state.responseActive {
            state.callsAwaitingResponse += 1
        } else {
            sendEvent(ClientEvent(.responseCreate(nil)))
        }
        onEvent(.functionCall(name: name, callID: callID, arguments: arguments, output: output))
    }

    /// Copies the thread's metrics (plus media statistics) where other threads can read them.
    func publishMetrics() {
        if let stats = transport?.stats() {
            let inbound = stats.inboundRTP
            metrics.jitterBufferDelayMs = inbound.jitterBufferEmittedCount > 0
                ? inbound.jitterBufferDelay / Double(inbound.jitterBufferEmittedCount) * 1000 : nil
            metrics.packetsReceived = inbound.packetsReceived
            metrics.packetsLost = inbound.packetsLost
            metrics.concealedSamples = inbound.concealedSamples
            metrics.silentConcealedSamples = inbound.silentConcealedSamples
            metrics.concealmentEvents = inbound.concealmentEvents
            metrics.roundTripTimeMs = stats.candidatePair.currentRoundTripTime.map { $0 * 1000 }
        }
        metrics.framesPlayed = gate.framesPlayed.load(ordering: .relaxed)
        metrics.playoutOverflows = playoutRing.overflowCount
        metrics.captureOverflows = captureRing.overflowCount
        let snapshot = metrics
        published.withLock { $0 = snapshot }
    }
}
