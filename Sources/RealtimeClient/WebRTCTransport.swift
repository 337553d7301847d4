import Audio
import DCEP
import HTTP
import MediaCore
import Runtime
import SCTP
import Synchronization

/// The WebRTC transport: our offer (Opus audio plus a data m-line) POSTed to
/// `/v1/realtime/calls` with the bearer; the `201 application/sdp` answer applied; events on the
/// `oai-events` data channel; audio as RTP through the call's 48 kHz rings.
final class WebRTCTransport: RealtimeTransport {
    static let channelLabel = "oai-events"

    let kind = TransportKind.webrtc
    private let pc: PeerConnection
    private let waker = Waker()
    private let inbox = EventInbox()
    private var ports: PeerConnection.AudioPorts?
    private var channel: UInt16?
    private var pending: [TransportInput] = []
    private(set) var setupPhases: [(String, Duration)] = []
    /// `Location` of the call (`/v1/realtime/calls/rtc_…`), for the record.
    private(set) var callLocation: String?

    struct Options {
        var localAddresses: [String]
        var ptime: UInt32
        var playoutTarget: Int
    }

    init(endpoint: EndpointURL, bearer: String, options: Options, glib: GLibLoop, caFile: String?,
         timeout: Duration) throws(RealtimeClientError) {
        let start = RuntimeClock.now()
        let deadline = start + timeout
        var config = PeerConnection.Configuration()
        config.localAddresses = options.localAddresses
        config.ptime = options.ptime
        config.playoutTarget = options.playoutTarget
        config.setupTimeout = timeout
        let inbox = self.inbox, waker = self.waker
        pc = PeerConnection(configuration: config, glib: glib) { event in
            inbox.events.withLock { $0.append(event) }
            waker.wake()
        }
        ports = pc.takeAudioPorts()
        pc.createDataChannel(label: Self.channelLabel)
        let offer: String
        do { offer = try pc.createOffer() } catch {
            pc.close()
            throw .connect("creating the offer: \(error)")
        }
        setupPhases.append(("gather", RuntimeClock.now() - start))

        // POST the offer.
        let path = "/v1/realtime/calls"
        var headers = HTTPHeaders()
        headers.add("Authorization", "Bearer \(bearer)")
        headers.add("Content-Type", "application/sdp")
        let body = Array(offer.utf8)
        let response: HTTPClientResponse
        do {
            response = try HTTPClient.request("POST", endpoint, path: path, headers: headers, body: body, caFile: caFile,
                                              timeout: max(.milliseconds(1), deadline - RuntimeClock.now()))
        } catch {
            pc.close()
            throw .transport(error, "POST \(path)")
        }
        setupPhases.append(("http", RuntimeClock.now() - start))
        guard response.status == 201 || response.status == 200 else {
            pc.close()
            throw .http(response, path)
        }
        let contentType = (response.headers["Content-Type"] ?? "").lowercased()
        let answer = response.bodyText
        guard contentType.hasPrefix("application/sdp"), answer.hasPrefix("v=0") else {
            pc.close()
            throw .protocolError("answer from \(path) is not SDP (Content-Type: \(contentType.isEmpty ? "none" : contentType))")
        }
        callLocation = response.headers["Location"]
        do { try pc.setRemoteAnswer(answer) } catch {
            pc.close()
            throw .protocolError("answer from \(path) rejected: \(error)")
        }
        // Wait for ICE, DTLS and the events channel.
        while channel == nil {
            let now = RuntimeClock.now()
            guard now < deadline else {
                pc.close()
                throw .timeout("WebRTC set-up: \(setupPhases.last.map { "\($0.0) done, " } ?? "")no \(Self.channelLabel) channel within \(timeout)")
            }
            waker.wait(until: min(deadline, now + .milliseconds(50)))
            for event in inbox.events.withLock({ q -> [PeerConnection.Event] in defer { q.removeAll() }; return q }) {
                if case .failed(let why) = event {
                    pc.close()
                    throw .connect("WebRTC set-up failed: \(why)")
                }
                absorb(event, since: start)
            }
        }
    }

    deinit { pc.close() }

    /// Records set-up phases, the channel id and messages; returns inputs for the client.
    private func absorb(_ event: PeerConnection.Event, since start: Instant) {
        let t = RuntimeClock.now() - start
        switch event {
        case .iceStateChanged(let s) where s == .connected || s == .completed:
            if !setupPhases.contains(where: { $0.0 == "ice" }) { setupPhases.append(("ice", t)) }
        case .stateChanged(.connected):
            if !setupPhases.contains(where: { $0.0 == "dtls" }) { setupPhases.append(("dtls", t)) }
        case .dataChannelOpened(let id, let label, _) where label == Self.channelLabel:
            if channel == nil { channel = id; setupPhases.append(("channel", t)) }
        case .dataChannelMessage(let id, let message) where id == channel:
            switch message {
            case .text(let s): pending.append(.message(s))
            case .binary(let b): pending.append(.message(String(decoding: b, as: UTF8.self)))
            }
        case .dataChannelClosed(let id) where id == channel:
            pending.append(.dropped("the \(Self.channelLabel) channel closed"))
        case .failed(let why):
            pending.append(.dropped(why))
        case .stateChanged(.closed), .stateChanged(.failed):
            pending.append(.dropped("the call is \(event)"))
        default:
            break
        }
    }

    func send(text: String) throws(RealtimeClientError) {
        guard let channel else { throw .protocolError("no events channel") }
        do { try pc.send(.text(text), on: channel) } catch { throw .protocolError("sending an event: \(error)") }
    }

    func receive(timeout: Duration) -> TransportInput? {
        if pending.isEmpty {
            let queued = inbox.events.withLock { q -> [PeerConnection.Event] in defer { q.removeAll() }; return q }
            if queued.isEmpty {
                waker.wait(until: RuntimeClock.now() + timeout)
            }
            let more = queued + inbox.events.withLock { q -> [PeerConnection.Event] in defer { q.removeAll() }; return q }
            for event in more { absorb(event, since: RuntimeClock.now()) }
        }
        return pending.isEmpty ? nil : pending.removeFirst()
    }

    func pushCapture(_ frame: UnsafeBufferPointer<Int16>) {
        _ = ports?.capture.push(frame)
    }

    func pullPlayout(into frame: UnsafeMutableBufferPointer<Int16>) -> Bool {
        guard let available = ports?.playout.availableFrames, available > 0 else { return false }
        return ports?.playout.pop(into: frame) ?? false
    }

    func stats() -> PeerConnectionStats? { pc.stats() }

    func close() { pc.close() }
}

/// PeerConnection events on their way from the call thread to the client thread.
private final class EventInbox: Sendable {
    let events = Mutex<[PeerConnection.Event]>([])
}
