import MediaCore

extension RealtimeSession {
    /// The least audio a commit accepts (as the service: 100 ms).
    public static let minimumCommitMilliseconds = 100

    /// Handles one decoded client event; failures become `error` events and the session goes on.
    public func handle(_ event: ClientEvent, at now: Instant) {
        guard !isClosed else { return }
        if now >= startedAt + RealtimeLimits.maximumSessionDuration {
            handleTimeout(at: now)
            return
        }
        let eid = event.eventID
        switch event.body {
        case .sessionUpdate(let update):
            sessionUpdate(update, eventID: eid)
        case .inputAudioBufferAppend(let audio):
            do throws(RealtimeProtocolError) {
                appendInputAudio(try inputCodec.decode(base64: audio, param: "audio"), at: now)
            } catch {
                emit(.error(error.with(eventID: eid).details))
            }
        case .inputAudioBufferCommit:
            let ms = RealtimeAudio.milliseconds(inputBuffer.count)
            guard ms >= Self.minimumCommitMilliseconds else {
                emitError(
                    "input_audio_buffer_commit_empty",
                    "Error committing input audio buffer: buffer too small. Expected at least \(Self.minimumCommitMilliseconds)ms of audio, but buffer only has \(ms)ms of audio.",
                    eventID: eid)
                return
            }
            commitInputBuffer(upTo: streamPosition, itemID: speechItemID ?? ids.itemID())
        case .inputAudioBufferClear:
            inputBuffer.removeAll()
            inputBufferStart = streamPosition
            emit(.inputAudioBufferCleared)
        case .outputAudioBufferClear:
            outputAudioBufferClear(eventID: eid)
        case .conversationItemCreate(let previous, let item):
            createItem(item, after: previous, eventID: eid)
        case .conversationItemRetrieve(let id):
            guard let i = itemIndex(id, eventID: eid) else { return }
            var item = items[i].item
            if case .message(var m) = item, !items[i].audio.isEmpty {
                let isUser = m.role == .user
                m.content = m.content.map { part in
                    switch part {
                    case .inputAudio(_, let t) where isUser: .inputAudio(audio: inputCodec.encode(items[i].audio), transcript: t)
                    case .outputAudio(_, let t): .outputAudio(audio: outputCodec.encode(items[i].audio), transcript: t)
                    default: part
                    }
                }
                item = .message(m)
            }
            emit(.conversationItemRetrieved(item: item))
        case .conversationItemTruncate(let id, let contentIndex, let audioEndMs):
            truncateItem(id, contentIndex: contentIndex, audioEndMs: audioEndMs, eventID: eid)
        case .conversationItemDelete(let id):
            guard let i = itemIndex(id, eventID: eid) else { return }
            items.remove(at: i)
            emit(.conversationItemDeleted(itemID: id))
        case .responseCreate(let params):
            responseCreate(params, eventID: eid, at: now)
        case .responseCancel(let responseID):
            guard let r = active, responseID == nil || responseID == r.id else {
                emitError(
                    "response_cancel_not_active", "Cancellation failed: no active response found.",
                    param: responseID == nil ? nil : "response_id", eventID: eid)
                return
            }
            finishResponse(.cancelled, reason: .clientCancelled, at: now)
        }
        advance(at: now)
    }

    private func sessionUpdate(_ update: SessionUpdate, eventID: String?) {
        let next: SessionConfig
        do throws(RealtimeProtocolError) {
            next = try config.applying(update)
        } catch {
            emit(.error(error.with(eventID: eventID).details))
            return
        }
        let old = config
        config = next
        if next.audio.input.format != old.audio.input.format { inputCodec = AudioBufferCodec(format: next.audio.input.format) }
        if next.audio.output.format != old.audio.output.format { outputCodec = AudioBufferCodec(format: next.audio.output.format) }
        if next.audio.input.turnDetection != old.audio.input.turnDetection {
            turnDetector = next.audio.input.turnDetection.map { TurnDetector($0, streamPosition: streamPosition) }
            speechItemID = nil
        }
        emit(.sessionUpdated(config))
    }

    /// The index of item `id`, or nil after an `item_not_found` error naming `item_id`.
    func itemIndex(_ id: String, eventID: String?) -> Int? {
        if let i = items.firstIndex(where: { $0.item.id == id }) { return i }
        emitError("item_not_found", "Item with item_id not found: \(id)", param: "item_id", eventID: eventID)
        return nil
    }

    private func createItem(_ item: ConversationItem, after previous: String?, eventID: String?) {
        var item = item
        var insertAt = items.count
        if let previous {
            if previous == "root" {
                insertAt = 0
            } else if let i = items.firstIndex(where: { $0.item.id == previous }) {
                insertAt = i + 1
            } else {
                emitError(
                    "item_not_found", "Previous item with previous_item_id not found: \(previous)", param: "previous_item_id",
                    eventID: eventID)
                return
            }
        }
        if let id = item.id, items.contains(where: { $0.item.id == id }) {
            emitError("item_already_exists", "Item with id \(id) already exists.", param: "item.id", eventID: eventID)
            return
        }
        if item.id == nil { item.id = ids.itemID() }
        item.status = .completed
        // Audio content is kept as PCM beside the item; events carry the item without it.
        var audio: [Int16] = []
        if case .message(var m) = item {
            for (k, part) in m.content.enumerated() {
                switch part {
                case .inputAudio(let a?, let t):
                    do throws(RealtimeProtocolError) {
                        audio += try inputCodec.decode(base64: a, param: "item.content[\(k)].audio")
                    } catch {
                        emit(.error(error.with(eventID: eventID).details))
                        return
                    }
                    m.content[k] = .inputAudio(audio: nil, transcript: t)
                case .outputAudio(let a?, let t):
                    do throws(RealtimeProtocolError) {
                        audio += try Base64Audio.decodePCM16(a, param: "item.content[\(k)].audio")
                    } catch {
                        emit(.error(error.with(eventID: eventID).details))
                        return
                    }
                    m.content[k] = .outputAudio(audio: nil, transcript: t)
                default: break
                }
            }
            item = .message(m)
        }
        let previousID = insertAt > 0 ? items[insertAt - 1].item.id : nil
        items.insert(StoredItem(item: item, audio: audio), at: insertAt)
        emit(.conversationItemAdded(previousItemID: previousID, item: item))
        emit(.conversationItemDone(previousItemID: previousID, item: item))
    }

    /// Cuts the audio of an assistant item after `audioEndMs` and drops its transcript (so the
    /// context holds nothing the user did not hear); `conversation.item.truncated`.
    func truncateItem(_ id: String, contentIndex: Int, audioEndMs: Int, eventID: String?) {
        guard let i = itemIndex(id, eventID: eventID) else { return }
        guard case .message(var m) = items[i].item, m.role == .assistant else {
            emitError("invalid_value", "Only assistant messages can be truncated.", param: "item_id", eventID: eventID)
            return
        }
        guard contentIndex < m.content.count, case .outputAudio = m.content[contentIndex] else {
            emitError("invalid_value", "Content part \(contentIndex) is not an audio part.", param: "content_index", eventID: eventID)
            return
        }
        let lengthMs = RealtimeAudio.milliseconds(items[i].audio.count)
        guard audioEndMs <= lengthMs else {
            emitError(
                "invalid_value", "Audio content of \(lengthMs)ms is already shorter than \(audioEndMs)ms.", param: "audio_end_ms",
                eventID: eventID)
            return
        }
        items[i].audio.removeLast(items[i].audio.count - min(items[i].audio.count, RealtimeAudio.samples(milliseconds: audioEndMs)))
        m.content[contentIndex] = .outputAudio(audio: nil, transcript: nil)
        items[i].item = .message(m)
        emit(.conversationItemTruncated(itemID: id, contentIndex: contentIndex, audioEndMs: audioEndMs))
    }

    private func outputAudioBufferClear(eventID: String?) {
        guard transport == .webRTC else {
            emitError(
                "invalid_value", "output_audio_buffer.clear is only supported for WebRTC and SIP sessions.", param: "type",
                eventID: eventID)
            return
        }
        guard let id = active?.id ?? lastResponseID else {
            emitError("output_audio_buffer_empty", "There is no output audio to clear.", eventID: eventID)
            return
        }
        active?.clearAudio()
        emit(.outputAudioBufferCleared(responseID: id))
    }

    /// Turns input samples up to stream position `end` into user item `itemID`:
    /// `input_audio_buffer.committed`, `conversation.item.added`, `conversation.item.done`.
    func commitInputBuffer(upTo end: Int, itemID: String) {
        let count = max(0, min(inputBuffer.count, end - inputBufferStart))
        let audio = Array(inputBuffer.prefix(count))
        inputBuffer.removeFirst(count)
        inputBufferStart += count
        speechItemID = nil
        let item = ConversationItem.message(.init(id: itemID, status: .completed, role: .user, content: [.inputAudio(audio: nil, transcript: nil)]))
        let previousID = items.last?.item.id
        items.append(StoredItem(item: item, audio: audio))
        emit(.inputAudioBufferCommitted(previousItemID: previousID, itemID: itemID))
        emit(.conversationItemAdded(previousItemID: previousID, item: item))
        emit(.conversationItemDone(previousItemID: previousID, item: item))
    }
}
