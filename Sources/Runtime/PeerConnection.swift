import CLinux
import Audio
import DCEP
import DTLS
import Engine
import Glibc
import MediaCore
import SCTP
import SDP
import SRTP
import Synchronization

/// A voice peer connection: the runtime half (a call loop, the libnice agent, the audio rings)
/// around an `Engine.PeerSession`. Signaling calls may come from any thread; they run on the call
/// loop's thread (`CallLoop`: a private one, or one shared by many calls), which alone touches
/// the session.
///
/// Audio: the application gets a capture producer and a playout consumer of 10 ms frames of
/// mono PCM16 at `session.sampleRate`, 48 kHz unless set (`takeAudioPorts`). Its audio thread only pushes and pops, and each push or
/// pop wakes the call thread: it encodes every captured frame as it arrives (so a fast or slow
/// capture clock cannot drift away: what is captured is sent) and refills playout `playoutLead`
/// ahead of the device's demand from the jitter buffer (whose time-stretching absorbs the device
/// running fast or slow). See PeerConnection+Audio.swift.
public final class PeerConnection: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Addresses to gather on; empty means every interface. Tests use ["127.0.0.1"].
        public var localAddresses: [String] = []
        public var stunServer: (host: String, port: UInt16)?
        public var turnServers: [ICEAgent.TURNServer] = []
        /// `.relay` uses TURN candidates only (W3C `iceTransportPolicy`).
        public var iceTransportPolicy = ICETransportPolicy.all
        public var ptime: UInt32 = 20
        public var session = PeerSession.Configuration()
        public var gatheringTimeout: Duration = .seconds(5)
        /// How long decoded audio waits in the playout ring before the device takes it. 10 ms
        /// refills right after each device pop; less pulls later (less mouth-to-ear) but
        /// underflows when the call thread is scheduled later than the lead; more is safer.
        public var playoutLead: Duration = .milliseconds(10)
        /// Who clocks the audio path (see `AudioClock`).
        public var audioClock = AudioClock.device
        /// 10 ms frames per jitter-buffer pull: a whole ptime on the call thread's clock (it pulls
        /// once per ptime, and the jitter buffer must model that cadence or a stretch it judges
        /// to cost one 10 ms tick of margin costs a whole ptime, and the next packet is concealed),
        /// one frame for a device.
        var framesPerPull: Int { audioClock == .callThread ? max(1, Int(ptime) / 10) : 1 }
        /// Samples in one 10 ms ring frame at the session's PCM rate (480 at 48 kHz).
        public var samplesPerFrame: Int { session.sampleRate / 100 }
        /// `playoutLead` in whole 10 ms frames.
        public var playoutTarget: Int {
            get { Int((playoutLead.nanoseconds + 9_999_999) / 10_000_000) }
            set { playoutLead = .milliseconds(10 * newValue) }
        }
        /// From our description to DTLS connected; past it the call fails ("no answer", checks
        /// that never succeed, a handshake that never completes).
        public var setupTimeout: Duration = .seconds(10)
        /// No datagram from the peer for this long once connected: ICE `disconnected` (browsers use
        /// a few seconds). libnice's RFC 7675 consent check ends the call later, at 30 s.
        public var inactivityTimeout: Duration = .seconds(5)
        public init() {}
    }

    /// Who clocks the audio path.
    ///
    /// - `device`: a sound card. Its ring pushes and pops wake the call thread, which encodes each
    ///   captured frame at once and refills playout `playoutLead` ahead of the device's pops;
    ///   received RTP waits for that refill (a wake per packet bought nothing: the jitter buffer
    ///   reads it only then).
    /// - `callThread`: a software peer (the local endpoint's media loop) that reads and writes the
    ///   rings on the process's 10 ms grid. The call thread wakes once per ptime on that grid,
    ///   encodes what was captured, tops playout up to `playoutTarget` frames and takes received
    ///   RTP then; ring pushes, pops and media packets wake nobody. A fraction of the wake-ups,
    ///   for up to one ptime more latency each way.
    public enum AudioClock: Sendable { case device, callThread }

    /// `RTCPeerConnectionState`.
    public enum State: String, Sendable { case new, connecting, connected, failed, closed }

    public enum Event: Sendable, Equatable {
        case stateChanged(State)
        case iceStateChanged(ICEConnectionState)
        case remoteTrackStarted
        /// A local candidate to trickle to the peer (`candidate:…`), as soon as it is gathered.
        case iceCandidate(String)
        /// Gathering finished: signal end-of-candidates.
        case iceGatheringComplete
        case failed(String)
        /// A data channel is open (ours after the peer's ACK, or one the peer opened).
        case dataChannelOpened(id: UInt16, label: String, protocol: String)
        case dataChannelMessage(id: UInt16, DataChannelMessage)
        case dataChannelClosed(id: UInt16)
        /// The channel's queued bytes fell below its low-water mark: send more.
        case dataChannelBufferedAmountLow(id: UInt16)
    }

    /// A data channel to open once the SCTP association exists.
    struct PendingChannel {
        var label: String, proto: String, type: DataChannelType, negotiatedID: UInt16?
    }

    @frozen public struct AudioPorts: ~Copyable, Sendable {
        public var capture: RingProducer
        public var playout: RingConsumer
    }

    public let configuration: Configuration
    let glib: GLibLoop
    let onEvent: @Sendable (Event) -> Void
    /// The thread that steps this connection, and how to wake it for this connection.
    let loop: CallLoop
    let doorbell: CallDoorbell
    let tasks = TaskQueue()
    /// A close waiting for SCTP's SHUTDOWN to deliver what is queued (`closeWithoutWaiting`).
    var closing: (deadline: Instant, done: (PeerConnectionStats?) -> Void)?
    let running = Atomic<Bool>(true)

    // Call-thread state (internal: the PeerConnection+*.swift aspect files use it).
    var ice: ICEAgent?
    var session: PeerSession?
    var captureConsumer: RingConsumer?
    var playoutProducer: RingProducer?
    var ports: AudioPorts?
    var state = State.new
    var transportStarted = false
    var nextAudioTick: Instant?
    var localCandidates: [String] = []
    var gatheringDone = false
    var setupDeadline: Instant?
    var lastReceived: Instant?
    /// The time the last step ran at (received datagrams are handled at their arrival, not before it).
    var lastStepAt = Instant.zero
    var disconnected = false
    var sctp: SCTPAssociation?
    var pendingChannels: [PendingChannel] = []
    var captureScratch: [Int16]
    /// One jitter-buffer pull of playout (`Configuration.framesPerPull` frames).
    var playoutScratch: [Int16]
    var playoutSchedule: PlayoutSchedule
    let wallClock = RuntimeClock.wallClock()
    public private(set) var timeline = Timeline()

    /// When each set-up phase completed (monotonic), for set-up latency figures.
    public struct Timeline: Sendable {
        public var created: Instant?
        public var gathered: Instant?
        public var iceConnected: Instant?
        public var dtlsConnected: Instant?
        public var firstAudio: Instant?
    }

    /// `callLoop`: the thread to run on, shared with other connections; nil gives this
    /// connection a thread of its own.
    public init(configuration: Configuration = .init(), glib: GLibLoop, callLoop: CallLoop? = nil,
                onEvent: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.configuration = configuration
        self.glib = glib
        self.onEvent = onEvent
        loop = callLoop ?? CallLoop(name: "rtc-call", isPrivate: true)
        doorbell = CallDoorbell(waker: loop.waker)
        captureScratch = [Int16](repeating: 0, count: Int(configuration.ptime) / 10 * configuration.samplesPerFrame)
        playoutScratch = [Int16](repeating: 0, count: configuration.framesPerPull * configuration.samplesPerFrame)
        playoutSchedule = PlayoutSchedule(lead: configuration.playoutLead)
        // A device's pushes and pops wake the call thread; a call-thread clock polls the rings.
        let wakeCall: @Sendable () -> Void = { [doorbell] in doorbell.ring() }
        let wake = configuration.audioClock == .device ? wakeCall : nil
        let capture = FrameRing.make(frames: 32, samplesPerFrame: configuration.samplesPerFrame, onPush: wake)
        let playout = FrameRing.make(frames: 32, samplesPerFrame: configuration.samplesPerFrame, onPop: wake)
        captureConsumer = Optional(capture.consumer)
        playoutProducer = Optional(playout.producer)
        ports = Optional(AudioPorts(capture: capture.producer, playout: playout.consumer))
        timeline.created = RuntimeClock.now()
        loop.join(self)
    }

    deinit { close() }

    /// The application's ends of the audio rings; available once.
    public func takeAudioPorts() -> AudioPorts? {
        // Taken before the call thread could touch them: the thread never reads `ports`.
        let p = ports.take()
        return p
    }

    // MARK: - Signaling (any thread; runs on the call thread)

    /// Gathers candidates (waiting for gathering to finish) and returns our offer.
    public func createOffer() throws(PeerConnectionError) -> String {
        try gather(controlling: true)
        return try perform { () throws(PeerConnectionError) -> String in
            let session = try self.makeSession()
            return session.createOffer()
        }
    }

    public func setRemoteAnswer(_ sdp: String) throws(PeerConnectionError) {
        try perform { () throws(PeerConnectionError) in
            guard let session = self.session else { throw .wrongState("no local offer") }
            do throws(PeerSessionError) { try session.acceptAnswer(sdp, at: RuntimeClock.now()) } catch { throw .session(error) }
            try self.applyRemoteICE()
        }
    }

    /// Answers a remote offer (which may carry no candidates: the offerer is then learned from
    /// its checks as a peer-reflexive candidate).
    public func createAnswer(offer sdp: String) throws(PeerConnectionError) -> String {
        // A subsequent offer (an ICE restart) renegotiates the running call: PeerConnection+ICE.swift.
        if try perform({ self.session != nil }) { return try answerSubsequentOffer(sdp) }
        try gather(controlling: false)
        return try perform { () throws(PeerConnectionError) -> String in
            let session = try self.makeSession()
            let answer: String
            do throws(PeerSessionError) { answer = try session.answer(offer: sdp, at: RuntimeClock.now()) } catch { throw .session(error) }
            try self.applyRemoteICE()
            return answer
        }
    }

    /// Opens a data channel (RFC 8832 in-band, or `negotiatedID` for a pre-agreed id). It may be
    /// called before the call is up; `.dataChannelOpened` reports its id when it opens.
    public func createDataChannel(label: String, protocol proto: String = "", type: DataChannelType = .reliable,
                                  negotiatedID: UInt16? = nil) {
        post { [weak self] in
            guard let self else { return }
            self.pendingChannels.append(PendingChannel(label: label, proto: proto, type: type, negotiatedID: negotiatedID))
            self.openPendingChannels()
            self.flush()
        }
    }

    /// Sends one message on an open channel; a message over the peer's `max-message-size`, or on
    /// a channel that is not open, is refused with the reason.
    public func send(_ message: DataChannelMessage, on channel: UInt16) throws(PeerConnectionError) {
        try perform { () throws(PeerConnectionError) in
            guard let sctp = self.sctp else { throw .wrongState("no data channel transport yet") }
            do throws(SCTPError) { try sctp.send(message, on: channel, at: RuntimeClock.now()) }
            catch { throw .dataChannel(error) }
            self.flush()
        }
    }

    /// Sends on the call thread after everything queued before it, without waiting, for a thread
    /// that must not block on this call's (an endpoint's event loop serving many calls). A send
    /// that fails, or that a close overtakes, is handed to `failed` (on the call thread, or here
    /// when the connection is already closed): nothing is dropped unreported.
    public func sendWithoutWaiting(_ message: DataChannelMessage, on channel: UInt16,
                                   failed: @escaping @Sendable (PeerConnectionError) -> Void) {
        guard running.load(ordering: .acquiring) else { failed(.closed); return }
        post({ [self] in
            guard running.load(ordering: .acquiring) else { failed(.closed); return }
            guard let sctp else { failed(.wrongState("no data channel transport yet")); return }
            do throws(SCTPError) { try sctp.send(message, on: channel, at: RuntimeClock.now()) } catch {
                failed(.dataChannel(error))
                return
            }
            flush()
        }, dropped: { failed(.closed) })
    }

    /// Closes once the tasks queued before it (sends included) ran, without waiting, and hands
    /// the call's final statistics to `done` (on the call thread; here, with nil, when the
    /// connection was already closed). Data-channel messages still queued in SCTP are delivered
    /// first: a graceful SHUTDOWN runs, for at most `linger`, before DTLS and ICE close.
    public func closeWithoutWaiting(linger: Duration = .seconds(2), _ done: @escaping @Sendable (PeerConnectionStats?) -> Void) {
        guard running.load(ordering: .acquiring) else { done(nil); return }
        post({ [self] in
            guard running.load(ordering: .acquiring) else { done(nil); return }
            let now = RuntimeClock.now()
            guard let sctp, sctp.state == .established else {
                finishClosing(done)
                return
            }
            sctp.shutdown(at: now)
            flush()
            closing = (now + linger, done)
        }, dropped: { done(nil) })
    }

    /// The statistics, then the close, then `done`; on the call thread.
    private func finishClosing(_ done: (PeerConnectionStats?) -> Void) {
        let final = currentStats()
        close()
        done(final)
    }

    /// The connection will never step again: tasks that will not run, and a lingering close it
    /// overtook, tell those who wait on them.
    private func notifyAbandoned() {
        for notice in tasks.drainDropped() { notice() }
        if let c = closing { closing = nil; c.done(nil) }
    }

    /// Ends a lingering close once SCTP's SHUTDOWN completed (or failed), or at its deadline.
    func finishClosingIfDone(now: Instant) {
        guard let (deadline, done) = closing, sctp.map({ $0.state == .closed }) ?? true || now >= deadline else { return }
        closing = nil
        finishClosing(done)
    }

    /// W3C `bufferedAmountLowThreshold`: `.dataChannelBufferedAmountLow` fires when the channel's
    /// queued bytes fall from above it to at or below it (back-pressure for a fast sender).
    public func setBufferedAmountLowThreshold(_ bytes: Int, on channel: UInt16) {
        post { [weak self] in self?.sctp?.setBufferedAmountLowThreshold(bytes, for: channel) }
    }

    public func closeDataChannel(_ channel: UInt16) {
        post { [weak self] in
            guard let self, let sctp = self.sctp else { return }
            sctp.closeChannel(channel, at: RuntimeClock.now())
            self.flush()
        }
    }

    public func close() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        // From here the loop never steps this connection again; its state is ours to tear down.
        loop.leave(self)
        if loop.isPrivate { loop.stop() }
        notifyAbandoned()
        sctp?.shutdown(at: RuntimeClock.now())
        if let session {
            if let sctp { while let p = sctp.pollTransmit() { try? session.sendApplicationData(p, at: RuntimeClock.now()) } }
            session.close(at: RuntimeClock.now())
            while let d = session.pollTransmit() { ice?.send(d) }
        }
        ice?.close()
        state = .closed
    }

    /// A snapshot of the call's statistics (taken on the call thread).
    public func stats() -> PeerConnectionStats? {
        try? perform { () throws(PeerConnectionError) -> PeerConnectionStats? in self.currentStats() }
    }

    /// The statistics now; on the call thread.
    private func currentStats() -> PeerConnectionStats? {
        guard let session else { return nil }
        let channels = sctp.map { sctp in sctp.channelIDs.compactMap { sctp.channel($0) } } ?? []
        return PeerConnectionStats(session: session.stats, state: state, dataChannels: channels, timeline: timeline,
                                   playout: playoutSchedule.statistics)
    }

    // MARK: - Call thread

    func gather(controlling: Bool) throws(PeerConnectionError) {
        let agent = makeICEAgent(controlling: controlling)
        do { try agent.gather() } catch { throw .ice(error) }
        let done = Atomic<Bool>(false)
        try perform { () throws(PeerConnectionError) in self.ice = agent }
        post { [weak self] in self?.gatheringWaiters.append { done.store(true, ordering: .releasing) } }
        let deadline = RuntimeClock.now() + configuration.gatheringTimeout
        while !done.load(ordering: .acquiring) {
            guard RuntimeClock.now() < deadline else { throw .gatheringTimedOut }
            usleep(1_000)
        }
    }
    var gatheringWaiters: [() -> Void] = []

    func makeSession() throws(PeerConnectionError) -> PeerSession {
        guard let ice else { throw .wrongState("not gathered") }
        let candidates = localCandidates.compactMap { try? ICECandidate(parsing: $0[...]) }
        let ssrc = UInt32(truncatingIfNeeded: RuntimeClock.random64()) | 1
        let local = LocalParameters(iceUfrag: ice.localUfrag, icePwd: ice.localPassword,
                                    fingerprints: [DTLSCertificate.shared.fingerprint], candidates: candidates,
                                    endOfCandidates: gatheringDone, ssrc: ssrc, cname: "swiftrealtime-\(ssrc)",
                                    msid: MSID(streamID: "swiftrealtime", trackID: "audio"), ptime: configuration.ptime,
                                    codecs: LocalParameters.defaultCodecs(askingForDTX: configuration.session.dtx == .on),
                                    sessionID: RuntimeClock.random64() >> 2)
        var sessionConfiguration = configuration.session
        sessionConfiguration.jitterBuffer.tick = .milliseconds(10 * configuration.framesPerPull)
        let session: PeerSession
        do throws(PeerSessionError) {
            session = try PeerSession(local: local, configuration: sessionConfiguration, wallClock: wallClock,
                                      seed: RuntimeClock.random64())
        } catch { throw .session(error) }
        self.session = session
        setupDeadline = RuntimeClock.now() + configuration.setupTimeout
        setState(.connecting)
        return session
    }

    func applyRemoteICE() throws(PeerConnectionError) {
        guard let ice, let negotiated = session?.negotiated else { return }
        do throws(ICEError) {
            try ice.setRemoteCredentials(ufrag: negotiated.remoteICEUfrag, password: negotiated.remoteICEPwd)
            for candidate in negotiated.remoteCandidates where candidate.isUDP && candidate.component == 1 {
                try? ice.addRemoteCandidate(candidate.candidateString)
            }
            if negotiated.remoteEndOfCandidates && !negotiated.remoteCandidates.isEmpty { ice.endOfRemoteCandidates() }
        } catch { throw .ice(error) }
    }

    /// One pass on the loop's thread: signaling tasks, ICE events and datagrams, due timers, audio,
    /// liveness, then every core drained. The loop calls it when the doorbell rang or
    /// `nextDeadline` passed; calling it more often is harmless.
    func step() {
        guard running.load(ordering: .acquiring) else { return }
        for task in tasks.drain() { task() }
        // A task may have closed the connection (`closeWithoutWaiting`): nothing more to step.
        guard running.load(ordering: .acquiring) else { return }
        handleICE()
        let now = RuntimeClock.now()
        lastStepAt = now
        if let session, let due = session.pollTimeout(), due <= now { session.handleTimeout(at: now) }
        if let sctp, let due = sctp.pollTimeout(), due <= now { sctp.handleTimeout(at: now) }
        serviceAudio(now: now)
        checkLiveness(now: now)
        flush()
        finishClosingIfDone(now: now)
    }

    /// The loop stopped under this connection (its owner stopped a shared loop first): it is
    /// closed as far as its callers can tell.
    func loopStopped() {
        running.store(false, ordering: .releasing)
        notifyAbandoned()
    }

    /// The earliest of the cores' timeouts. SCTP's 10 ms timer tick may run up to one tick late
    /// (usrsctp's timers are that coarse anyway), so while audio wakes the thread every 10–20 ms
    /// the tick rides along instead of waking it once more at its own phase.
    func nextDeadline() -> Instant? {
        var deadline = session?.pollTimeout()
        func consider(_ candidate: Instant?) {
            if let c = candidate, deadline.map({ c < $0 }) ?? true { deadline = c }
        }
        consider(audioDeadline)
        consider(setupDeadline)
        consider(sctp?.pollTimeout().map { $0 + SCTPAssociation.tickInterval })
        consider(closing?.deadline)
        return deadline
    }

    func handleICE() {
        guard let ice else { return }
        for event in ice.pollEvents() {
            switch event {
            case .localCandidate(let line):
                localCandidates.append(line)
                onEvent(.iceCandidate(line))
            case .gatheringDone:
                gatheringDone = true
                onEvent(.iceGatheringComplete)
                timeline.gathered = RuntimeClock.now()
                gatheringWaiters.forEach { $0() }
                gatheringWaiters.removeAll()
            case .stateChanged(let s):
                onEvent(.iceStateChanged(s))
                if (s == .connected || s == .completed), !transportStarted, let session {
                    transportStarted = true
                    timeline.iceConnected = RuntimeClock.now()
                    session.startTransport(at: RuntimeClock.now())
                }
                if s == .failed { setState(.failed); onEvent(.failed("ICE failed: no candidate pair works")) }
            case .selectedPair:
                break
            case .received(let datagram, let arrival):
                // Never before the last step's time: the cores see time move forward only.
                let at = max(arrival, lastStepAt)
                lastReceived = at
                if disconnected {
                    disconnected = false
                    onEvent(.iceStateChanged(.connected))
                }
                session?.handle(datagram: datagram, at: at)
            }
        }
        if gatheringDone, !gatheringWaiters.isEmpty {
            gatheringWaiters.forEach { $0() }
            gatheringWaiters.removeAll()
        }
    }

    /// Fails a call whose set-up overran, and reports `disconnected` when the peer fell silent.
    func checkLiveness(now: Instant) {
        if let deadline = setupDeadline, now >= deadline, state != .connected {
            setupDeadline = nil
            guard state != .failed && state != .closed else { return }
            setState(.failed)
            let phase = transportStarted ? "the DTLS handshake did not complete" : "ICE found no working candidate pair (no answer, or checks failed)"
            onEvent(.failed("set-up timed out after \(configuration.setupTimeout): \(phase)"))
            return
        }
        if state == .connected, !disconnected, let last = lastReceived, now - last >= configuration.inactivityTimeout {
            disconnected = true
            onEvent(.iceStateChanged(.disconnected))
        }
    }

    /// Drains every core until none has output left. SCTP packets go out through DTLS, whose
    /// records go out through ICE; DTLS application data feeds SCTP, which may then have messages
    /// and SACKs of its own, so the loop goes round again rather than leaving them for the next
    /// wake (that wait was a whole 10 ms tick per data-channel message).
    func flush() {
        guard let session else { return }
        var sctpFed = true
        while sctpFed {
            sctpFed = false
            if let sctp {
                while let packet = sctp.pollTransmit() { try? session.sendApplicationData(packet, at: RuntimeClock.now()) }
                while let e = sctp.pollEvent() {
                    switch e {
                    case .channelOpened(let id, let label, let proto): onEvent(.dataChannelOpened(id: id, label: label, protocol: proto))
                    case .message(let id, let message): onEvent(.dataChannelMessage(id: id, message))
                    case .channelClosed(let id, _): onEvent(.dataChannelClosed(id: id))
                    case .bufferedAmountLow(let id): onEvent(.dataChannelBufferedAmountLow(id: id))
                    case .associationEstablished, .associationClosed: break
                    }
                }
            }
            while let d = session.pollTransmit() { ice?.send(d) }
            while let e = session.pollEvent() {
                switch e {
                case .dtlsConnected:
                    timeline.dtlsConnected = RuntimeClock.now()
                    setupDeadline = nil
                    startSCTP()
                    sctpFed = true
                    nextAudioTick = configuration.audioClock == .device ? RuntimeClock.now()
                        : RuntimeClock.now().roundedUp(toMultipleOf: .milliseconds(Int(configuration.ptime)))
                    // Audio captured while the call was being set up is stale: sending it now would
                    // put its whole backlog ahead of live speech. Start from what is captured next.
                    var stale = [Int16](repeating: 0, count: configuration.samplesPerFrame)
                    while captureConsumer?.pop(into: &stale) == true {}
                    setState(.connected)
                case .failed(let error):
                    setState(.failed)
                    onEvent(.failed(error.description))
                case .remoteTrackStarted:
                    timeline.firstAudio = RuntimeClock.now()
                    onEvent(.remoteTrackStarted)
                case .applicationData(let d):
                    sctp?.handle(packet: d, at: RuntimeClock.now())
                    sctpFed = true
                case .closed:
                    setState(.closed)
                }
            }
        }
    }

    /// Creates the SCTP association over DTLS when the SDP negotiated a data m-line.
    func startSCTP() {
        guard sctp == nil, let negotiated = session?.negotiated, let data = negotiated.data else { return }
        let config = SCTPAssociation.Configuration(isDTLSClient: negotiated.dtlsRole == .client,
                                                   localPort: data.localSCTPPort, remotePort: data.remoteSCTPPort,
                                                   localMaxMessageSize: data.localMaxMessageSize,
                                                   remoteMaxMessageSize: data.remoteMaxMessageSize)
        do {
            sctp = try SCTPAssociation(configuration: config, at: RuntimeClock.now())
        } catch {
            onEvent(.failed("data channels unavailable: \(error)"))
            return
        }
        openPendingChannels()
    }

    func openPendingChannels() {
        guard let sctp else { return }
        for channel in pendingChannels {
            do {
                try sctp.openChannel(label: channel.label, protocol: channel.proto, type: channel.type,
                                     negotiatedID: channel.negotiatedID, at: RuntimeClock.now())
            } catch {
                onEvent(.failed("data channel \(channel.label) could not open: \(error)"))
            }
        }
        pendingChannels.removeAll()
    }

    func setState(_ s: State) {
        guard s != state else { return }
        state = s
        onEvent(.stateChanged(s))
    }

    // MARK: - Cross-thread plumbing

    func post(_ task: @escaping () -> Void, dropped: (() -> Void)? = nil) {
        tasks.append(task, dropped: dropped)
        doorbell.ring()
    }

    /// Runs `body` on the call thread and waits for its result. On the loop's own thread (an
    /// event handler of another call on a shared loop) it runs at once: no step is under way
    /// for this connection there.
    func perform<T>(_ body: @escaping () throws(PeerConnectionError) -> T) throws(PeerConnectionError) -> T {
        guard running.load(ordering: .acquiring) else { throw .closed }
        if loop.isCurrentThread { return try body() }
        let result = ResultSlot<Result<T, PeerConnectionError>>()
        post {
            do throws(PeerConnectionError) { result.set(.success(try body())) } catch { result.set(.failure(error)) }
        }
        while true {
            // A bounded wait, so a call closed meanwhile (its task never runs) is noticed.
            if let r = result.wait(seconds: 0.05) { return try r.get() }
            guard running.load(ordering: .acquiring) else { throw .closed }
        }
    }
}
