import MediaCore

/// ICE connection states, named as the W3C `RTCIceConnectionState` (mapped from libnice's
/// component states).
public enum ICEConnectionState: String, Sendable, Equatable {
    case new, checking, connected, completed, failed, disconnected, closed
}

/// What the ICE agent reports to the runtime, in the order it happened.
public enum ICEEvent: Sendable, Equatable {
    /// A local candidate to signal (`candidate:…`, the SDP attribute value without `a=`).
    case localCandidate(String)
    case gatheringDone
    case stateChanged(ICEConnectionState)
    /// The pair in use, as `candidate:` lines (the remote may be peer-reflexive).
    case selectedPair(local: String, remote: String)
    /// A datagram from the peer on the selected pair, and when libnice handed it over (so a
    /// runtime thread that takes it later still gives the jitter buffer its true arrival).
    case received([UInt8], at: Instant)
}
