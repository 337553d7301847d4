/// What an `SCTPAssociation` call can fail with.
public enum SCTPError: Error, Sendable, Equatable {
    /// The association is not (or no longer) up.
    case associationClosed
    case unknownChannel(UInt16)
    /// The channel is closing or closed.
    case channelNotOpen(UInt16)
    /// A message over the peer's `a=max-message-size` (or ours, on receipt).
    case messageTooLarge(size: Int, limit: UInt64)
    /// A negotiated id already used by another channel, or one outside the stream range.
    case streamIDUnavailable(UInt16)
    /// Every stream id of our parity is in use.
    case noStreamIDAvailable
    /// A usrsctp call failed (the call's name and errno).
    case usrsctp(call: String, errno: Int32)
}
