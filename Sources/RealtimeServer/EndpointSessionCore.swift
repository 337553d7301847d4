import MediaCore
import Realtime

/// What the endpoint thread drives for one session, whichever answers it: a local
/// `RealtimeSession` (echo or scripted backend) or a `RelaySession` forwarding to an upstream
/// GA endpoint. Same driving contract as `RealtimeSession`: after every input or timeout, drain
/// `pollEndpointEvent` and `pollOutputAudio`, then wait for `pollTimeout`.
protocol EndpointSessionCore: AnyObject {
    var isClosed: Bool { get }
    /// `sess_…` for the log line (empty until known, e.g. before a relay's upstream answered).
    var sessionID: String { get }
    var modelName: String { get }
    func handle(clientEventJSON text: String, at now: Instant)
    func handle(clientEventJSON bytes: [UInt8], at now: Instant)
    /// Caller audio of a WebRTC call, 24 kHz PCM16 mono.
    func appendInputAudio(_ samples: [Int16], at now: Instant)
    func pollEndpointEvent() -> EndpointEvent?
    /// Paced 24 kHz output for a WebRTC call.
    func pollOutputAudio() -> [Int16]?
    func pollTimeout() -> Instant?
    func handleTimeout(at now: Instant)
    /// The session is being forgotten (client gone, hangup, server stopping).
    func shutDown()
}

/// One server event as JSON text, with what the endpoint itself must act on.
struct EndpointEvent {
    enum Kind {
        case responseCreated
        case responseDone(status: String, usage: Usage?)
        case outputAudioBufferCleared
        case outputAudioDelta
        case other
    }
    var text: String
    var kind: Kind

    init(text: String, kind: Kind) {
        self.text = text
        self.kind = kind
    }

    init(_ event: ServerEvent, text: String? = nil) {
        self.text = text ?? event.jsonText
        switch event.body {
        case .responseCreated: kind = .responseCreated
        case .responseDone(let r): kind = .responseDone(status: r.status?.rawValue ?? "unknown", usage: r.usage)
        case .outputAudioBufferCleared: kind = .outputAudioBufferCleared
        case .responseOutputAudioDelta: kind = .outputAudioDelta
        default: kind = .other
        }
    }
}

extension RealtimeSession: EndpointSessionCore {
    var sessionID: String { config.id ?? "" }
    var modelName: String { config.model.rawValue }
    func pollEndpointEvent() -> EndpointEvent? { pollEvent().map { EndpointEvent($0) } }
    func shutDown() {}
}
