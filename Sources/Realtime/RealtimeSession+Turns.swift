import MediaCore

/// Server VAD turns: speech start/stop, auto-commit, barge-in and the idle timeout.
extension RealtimeSession {
    func speechStarted(atSample s: Int, at now: Instant) {
        // Keep the prefix padding and what follows; earlier buffered audio is not part of the turn.
        if s > inputBufferStart {
            let drop = min(inputBuffer.count, s - inputBufferStart)
            inputBuffer.removeFirst(drop)
            inputBufferStart += drop
        }
        let itemID = ids.itemID()
        speechItemID = itemID
        idleSince = nil
        emit(.inputAudioBufferSpeechStarted(audioStartMs: RealtimeAudio.milliseconds(s), itemID: itemID))
        if active != nil, turnDetector?.interruptResponse == true { bargeIn(at: now) }
    }

    func speechStopped(atSample s: Int, at now: Instant) {
        let itemID = speechItemID ?? ids.itemID()
        emit(.inputAudioBufferSpeechStopped(audioEndMs: RealtimeAudio.milliseconds(s), itemID: itemID))
        commitInputBuffer(upTo: s, itemID: itemID)
        if turnDetector?.createResponse == true, active == nil {
            startResponse(ResponseCreateParams(), eventID: nil, at: now)
        }
    }

    /// The user spoke over the response: cancel it (`turn_detected`), stop output at once, and
    /// truncate the assistant item at the audio actually sent.
    func bargeIn(at now: Instant) {
        guard let r = active else { return }
        let spoken = r.spokenItem
        finishResponse(.cancelled, reason: .turnDetected, at: now)
        if let (itemID, samples) = spoken, r.inConversation, items.contains(where: { $0.item.id == itemID }) {
            // The stored item holds exactly the emitted audio; truncating there drops the transcript.
            truncateItem(itemID, contentIndex: 0, audioEndMs: RealtimeAudio.milliseconds(samples), eventID: nil)
        }
    }

    /// `idle_timeout_ms` after the last response ended with no speech since, if configured.
    var idleDeadline: Instant? {
        guard let idle = turnDetector?.idleTimeoutMs, let since = idleSince, active == nil, turnDetector?.isSpeaking == false
        else { return nil }
        return since.at + .milliseconds(idle)
    }

    /// `input_audio_buffer.timeout_triggered`, then the (silent) buffer is committed and answered.
    func idleTimeoutTriggered(at now: Instant) {
        guard let since = idleSince else { return }
        idleSince = nil
        let itemID = ids.itemID()
        emit(.inputAudioBufferTimeoutTriggered(
            audioStartMs: RealtimeAudio.milliseconds(since.sample), audioEndMs: RealtimeAudio.milliseconds(streamPosition), itemID: itemID))
        commitInputBuffer(upTo: streamPosition, itemID: itemID)
        startResponse(ResponseCreateParams(), eventID: nil, at: now)
        advance(at: now)
    }
}
