import MediaCore
import RTP

/// The sending side of one RTP stream (RFC 3550 §5.1): SSRC, sequence numbers and timestamps
/// that start at random values, the marker bit on the first packet of a talk-spurt, and the
/// packet and octet counts a sender report carries.
public struct RTPSendStream: Sendable {
    public let ssrc: UInt32
    public let payloadType: UInt8
    public let clockRate: Int32
    public private(set) var nextSequence: UInt16
    /// RTP timestamp of the next packet's first sample.
    public private(set) var nextTimestamp: UInt32
    public private(set) var packetCount: UInt32 = 0
    public private(set) var octetCount: UInt32 = 0
    /// When the last packet's first sample was captured, for the SR's RTP/NTP pairing.
    public private(set) var lastCapture: (instant: Instant, timestamp: UInt32)?
    private var writer = ByteWriter(capacity: 1_500)

    /// - Parameter random: initial values; the runtime passes real randomness, tests fixed ones.
    public init(ssrc: UInt32, payloadType: UInt8, clockRate: Int32, initialSequence: UInt16, initialTimestamp: UInt32) {
        self.ssrc = ssrc
        self.payloadType = payloadType
        self.clockRate = clockRate
        nextSequence = initialSequence
        nextTimestamp = initialTimestamp
    }

    /// Serializes one packet carrying `payload` that covers `samples` ticks captured at
    /// `capturedAt`. `talkspurtStart` sets the marker (first packet after silence, RFC 3551 §4.1).
    public mutating func packetize(payload: ArraySlice<UInt8>, samples: Int, capturedAt: Instant,
                                   talkspurtStart: Bool, headerExtension: RTPHeaderExtension? = nil) -> [UInt8] {
        let packet = RTPPacket(marker: talkspurtStart, payloadType: payloadType, sequenceNumber: nextSequence,
                               timestamp: nextTimestamp, ssrc: ssrc, headerExtension: headerExtension, payload: payload)
        writer.reset()
        packet.serialize(into: &writer)
        lastCapture = (capturedAt, nextTimestamp)
        nextSequence &+= 1
        nextTimestamp &+= UInt32(truncatingIfNeeded: samples)
        packetCount &+= 1
        octetCount &+= UInt32(truncatingIfNeeded: payload.count)
        return writer.bytes
    }

    /// Advances the timestamp over samples not sent (DTX or muted), keeping the media clock true.
    public mutating func skip(samples: Int) {
        nextTimestamp &+= UInt32(truncatingIfNeeded: samples)
    }

    /// The RTP timestamp that corresponds to `instant` on this stream's clock, extrapolated from
    /// the last packet (RFC 3550 §6.4.1: the SR's timestamp matches its NTP time, not a packet's).
    public func rtpTimestamp(at instant: Instant) -> UInt32 {
        guard let last = lastCapture else { return nextTimestamp }
        let ticks = MediaTime.ticks(in: instant - last.instant, clockRate: clockRate)
        return last.timestamp &+ UInt32(truncatingIfNeeded: ticks)
    }
}
