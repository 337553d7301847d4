/// What a simulated link did. `delivered` counts original packets (not copies); `lost` = sent -
/// delivered once everything in flight has arrived.
public struct LinkStatistics: Sendable, Equatable {
    public var sent = 0
    public var delivered = 0
    public var lost = 0
    public var duplicated = 0
    /// Deliveries of a packet sent before one already delivered (arrived out of order).
    public var reordered = 0

    public init() {}

    /// Lost packets over sent packets.
    public var lossRate: Double { sent == 0 ? 0 : Double(lost) / Double(sent) }
}
