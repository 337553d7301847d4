import MediaCore
import Realtime
import Runtime

/// Opening sessions: the first connect, reconnects after a drop, and rollovers before the cap.
extension RealtimeClient {
    /// Per-session protocol state the client thread tracks.
    struct SessionState {
        var responseActive = false
        var userSpeaking = false
        /// Function calls answered in the current response: `response.create` follows its `response.done`.
        var callsAwaitingResponse = 0
        var gaveUp = false
    }

    /// Connects a new transport and waits for `session.created`; returns it with the phases.
    func openSession(started: Instant) throws(RealtimeClientError) -> (any RealtimeTransport, [ClientMetrics.Phase], String?) {
        let deadline = started + configuration.connectTimeout
        var phases: [ClientMetrics.Phase] = []
        func mark(_ name: String) { phases.append(.init(name: name, milliseconds: (RuntimeClock.now() - started).milliseconds)) }
        func remaining() throws(RealtimeClientError) -> Duration {
            let left = deadline - RuntimeClock.now()
            guard left > .zero else { throw .timeout("set-up took longer than \(configuration.connectTimeout)") }
            return left
        }
        bearer = configuration.apiKey ?? ""
        if configuration.mintEphemeralKey, let key = configuration.apiKey {
            bearer = try EphemeralKey.mint(endpoint: endpoint, apiKey: key, model: configuration.model, session: configuration.session,
                                           caFile: configuration.caFile, timeout: try remaining()).value
            mark("key")
        }
        let transport: any RealtimeTransport
        switch configuration.transport {
        case .websocket:
            transport = try WebSocketTransport(endpoint: endpoint, bearer: bearer, model: configuration.model,
                                               caFile: configuration.caFile, timeout: try remaining())
        case .webrtc:
            let loopback = endpoint.host.hasPrefix("127.") || endpoint.host == "localhost"
            let options = WebRTCTransport.Options(localAddresses: configuration.localAddresses ?? (loopback ? ["127.0.0.1"] : []),
                                                  ptime: configuration.ptime, playoutTarget: configuration.playoutTarget)
            transport = try WebRTCTransport(endpoint: endpoint, bearer: bearer, options: options, glib: glib,
                                            caFile: configuration.caFile, timeout: try remaining())
        }
        let base = phases.last?.milliseconds ?? 0
        for (name, d) in transport.setupPhases { phases.append(.init(name: name, milliseconds: base + d.milliseconds)) }
        // The first event must be session.created.
        while true {
            let left: Duration
            do { left = try remaining() } catch {
                transport.close()
                throw .timeout("no session.created within \(configuration.connectTimeout)")
            }
            switch transport.receive(timeout: min(left, .milliseconds(100))) {
            case nil: continue
            case .dropped(let why)?:
                transport.close()
                throw .protocolError("the endpoint closed before session.created: \(why)")
            case .message(let text)?:
                let event: ServerEvent
                do { event = try ServerEvent(jsonText: text) } catch {
                    // A session.created this model cannot read (newer fields): still a session.
                    if text.contains("\"session.created\"") { mark("session.created"); return (transport, phases, nil) }
                    transport.close()
                    throw .protocolError("unreadable first event: \(error)")
                }
                switch event.body {
                case .sessionCreated(let config):
                    mark("session.created")
                    onEvent(.server(event))
                    return (transport, phases, config.id)
                case .error(let details):
                    transport.close()
                    throw .protocolError("error event before session.created: \(details.message)")
                default:
                    continue
                }
            }
        }
    }

    /// The first connect (caller's thread, before the client thread starts).
    func establish(started: Instant) throws(RealtimeClientError) {
        let (t, phases, id) = try openSession(started: started)
        adopt(t, phases: phases, sessionID: id, replaying: false)
    }

    /// Makes `t` the live transport: sends the configured session and, for a replacement
    /// session, the conversation so far.
    func adopt(_ t: any RealtimeTransport, phases: [ClientMetrics.Phase], sessionID: String?, replaying: Bool) {
        transport = t
        sessionStartedAt = RuntimeClock.now()
        state = SessionState()
        metrics.setupPhases = phases
        metrics.sessionID = sessionID
        if let session = configuration.session { sendEvent(ClientEvent(.sessionUpdate(session))) }
        if replaying {
            for item in conversation.compactMap(Self.carried) { sendEvent(ClientEvent(.conversationItemCreate(previousItemID: nil, item: item))) }
        }
        publishMetrics()
    }

    /// An item as a new session can take it: text and transcripts only (audio is not resent),
    /// ids dropped (the new session assigns its own).
    static func carried(_ item: ConversationItem) -> ConversationItem? {
        switch item {
        case .message(let m):
            var parts: [ConversationItem.ContentPart] = []
            for part in m.content {
                switch part {
                case .inputText(let t): parts.append(.inputText(t))
                case .inputAudio(_, let t?) where !t.isEmpty: parts.append(.inputText(t))
                case .outputText(let t): parts.append(.outputText(t))
                case .outputAudio(_, let t?) where !t.isEmpty: parts.append(.outputText(t))
                default: break
                }
            }
            guard !parts.isEmpty else { return nil }
            return .message(.init(role: m.role, content: parts))
        case .functionCall(var c):
            c.id = nil
            c.status = nil
            return .functionCall(c)
        case .functionCallOutput(var o):
            o.id = nil
            o.status = nil
            return .functionCallOutput(o)
        }
    }

    /// The transport broke: reconnect with exponential backoff, carrying the conversation.
    func transportDropped(_ why: String) {
        transport?.close()
        transport = nil
        metrics.errors.append("transport dropped: \(why)")
        let policy = configuration.reconnect
        var backoff = policy.initialBackoff
        for attempt in 1...max(1, policy.maxAttempts) where policy.maxAttempts > 0 {
            onEvent(.reconnecting(attempt: attempt, reason: why))
            let wake = RuntimeClock.now() + backoff
            while RuntimeClock.now() < wake {
                guard running.load(ordering: .acquiring) else { return }
                RuntimeClock.sleep(until: min(wake, RuntimeClock.now() + .milliseconds(20)))
            }
            do {
                let (t, phases, id) = try openSession(started: RuntimeClock.now())
                metrics.reconnects += 1
                adopt(t, phases: phases, sessionID: id, replaying: true)
                onEvent(.sessionReplaced(sessionID: id, rollover: false))
                return
            } catch {
                metrics.errors.append("reconnect \(attempt): \(error)")
            }
            backoff = min(policy.maxBackoff, backoff * 2)
        }
        state.gaveUp = true
        onEvent(.disconnected(why))
    }

    /// Replaces a session nearing its cap with a fresh one between turns.
    func checkRollover(now: Instant) {
        guard let old = transport, now - sessionStartedAt >= configuration.rolloverAfter,
              !state.responseActive, !state.userSpeaking else { return }
        do {
            let (t, phases, id) = try openSession(started: now)
            old.close()
            metrics.rollovers += 1
            adopt(t, phases: phases, sessionID: id, replaying: true)
            onEvent(.sessionReplaced(sessionID: id, rollover: true))
        } catch {
            metrics.errors.append("rollover: \(error)")
            // Try again in 30 s rather than every tick.
            sessionStartedAt = now - configuration.rolloverAfter + .seconds(30)
        }
    }
}
