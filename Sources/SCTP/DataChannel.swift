import DCEP

/// One user message of a data channel (RFC 8831 §6.6): text (PPID 51/56) or binary (53/57).
public enum DataChannelMessage: Sendable, Equatable {
    case text(String)
    case binary([UInt8])

    /// The payload's size in bytes (what `bufferedAmount` and the size limits count).
    public var byteCount: Int {
        switch self {
        case .text(let s): return s.utf8.count
        case .binary(let b): return b.count
        }
    }
}

/// W3C `RTCDataChannelState`.
public enum DataChannelState: Sendable, Equatable {
    case connecting, open, closing, closed
}

/// Why a channel closed.
public enum DataChannelCloseReason: Sendable, Equatable {
    /// We called `closeChannel`.
    case localClose
    /// The peer reset its outgoing stream.
    case remoteClose
    /// The association went away under the channel.
    case associationClosed
    /// The peer broke the protocol on this stream (malformed DCEP, an OPEN on a stream in use,
    /// a message over our limit); the text says which.
    case protocolViolation(String)
}

/// Why the association ended.
public enum AssociationCloseReason: Sendable, Equatable {
    /// Graceful SHUTDOWN finished (either side started it).
    case shutdown
    /// ABORT, sent by us or received from the peer, or the association was lost (retransmissions
    /// exhausted).
    case aborted
    /// The association could not be set up.
    case setupFailed
}

/// W3C `RTCDataChannelStats` counters (the `data-channel` stats type).
public struct DataChannelStats: Sendable, Equatable {
    public var messagesSent = 0
    public var bytesSent = 0
    public var messagesReceived = 0
    public var bytesReceived = 0
    public init() {}
}

/// A snapshot of one channel's state.
public struct DataChannelInfo: Sendable, Equatable {
    public var id: UInt16
    public var label: String
    public var `protocol`: String
    public var type: DataChannelType
    public var negotiated: Bool
    public var state: DataChannelState
    /// Bytes accepted by `send` that usrsctp has not taken yet (W3C `bufferedAmount`).
    public var bufferedAmount: Int
    public var bufferedAmountLowThreshold: Int
    public var stats: DataChannelStats
}
