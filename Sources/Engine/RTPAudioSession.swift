import MediaCore
import RTP

/// One audio RTP session (RFC 3550): our send stream, statistics about the remote source, and
/// RTCP: a sender or receiver report with an SDES CNAME about once a second (randomized over
/// [0.5, 1.5] s, §6.3.5), and the round-trip time from LSR/DLSR in the peer's report blocks
/// (§6.4.1). Pure: time is passed in; the returned bytes are plaintext for SRTP to protect.
public final class RTPAudioSession {
    public struct Stats: Sendable, Equatable {
        public var packetsSent: UInt32 = 0
        public var bytesSent: UInt32 = 0
        public var packetsReceived: UInt64 = 0
        public var bytesReceived: UInt64 = 0
        public var packetsLost: Int64 = 0
        public var duplicatePackets: UInt64 = 0
        public var jitterSeconds: Double = 0
        /// From the last report block the peer sent about us.
        public var remoteFractionLost: Double = 0
        public var remoteJitterSeconds: Double = 0
        public var roundTripTime: Duration?
        public var reportsSent = 0
        public var reportsReceived = 0
    }

    public private(set) var send: RTPSendStream
    public private(set) var receive: RTPReceiveStatistics?
    public let cname: String
    public let wallClock: WallClock
    public let reportInterval: Duration
    public private(set) var roundTripTime: Duration?
    private var remoteFractionLost: UInt8 = 0
    private var remoteJitter: UInt32 = 0
    private var reportsSent = 0, reportsReceived = 0
    /// The last SR from the peer: its compact NTP time and when it arrived.
    private var lastRemoteSR: (compact: UInt32, arrival: Instant)?
    private var packetsAtLastReport: UInt32 = 0
    private var nextReport: Instant
    private var random: UInt64
    private var writer = ByteWriter(capacity: 256)

    public init(send: RTPSendStream, cname: String, wallClock: WallClock, start: Instant,
                reportInterval: Duration = .seconds(1), seed: UInt64) {
        self.send = send
        self.cname = cname
        self.wallClock = wallClock
        self.reportInterval = reportInterval
        random = seed | 1
        nextReport = start
        nextReport = start + jittered()
    }

    /// Serializes the next outgoing packet (see `RTPSendStream.packetize`).
    public func packetize(payload: ArraySlice<UInt8>, samples: Int, capturedAt: Instant, talkspurtStart: Bool) -> [UInt8] {
        send.packetize(payload: payload, samples: samples, capturedAt: capturedAt, talkspurtStart: talkspurtStart)
    }

    public func skip(samples: Int) { send.skip(samples: samples) }

    /// Records a received RTP packet for the statistics. The first source heard is the one
    /// reported on; packets from another SSRC are left to the caller (returns false).
    @discardableResult
    public func received(_ packet: RTPPacket, at now: Instant) -> Bool {
        if receive == nil { receive = RTPReceiveStatistics(ssrc: packet.ssrc, clockRate: send.clockRate) }
        guard receive?.ssrc == packet.ssrc else { return false }
        receive?.record(sequence: packet.sequenceNumber, timestamp: packet.timestamp, payloadBytes: packet.payload.count, arrival: now)
        return true
    }

    /// Takes in a compound RTCP packet from the peer: remembers its SR for our LSR/DLSR and
    /// computes the RTT from any report block about our SSRC.
    public func received(_ compound: RTCPCompoundPacket, at now: Instant) {
        reportsReceived += 1
        for packet in compound.packets {
            switch packet {
            case .senderReport(let sr):
                lastRemoteSR = (sr.ntpTime.compact, now)
                consider(sr.reportBlocks, at: now)
            case .receiverReport(let rr):
                consider(rr.reportBlocks, at: now)
            default:
                break
            }
        }
    }

    private func consider(_ blocks: ReportBlockList, at now: Instant) {
        for block in blocks where block.ssrc == send.ssrc {
            remoteFractionLost = block.fractionLost
            remoteJitter = block.jitter
            // RTT = A - LSR - DLSR, all in 1/65536 s (§6.4.1); LSR 0 means "no SR yet".
            guard block.lastSenderReport != 0 else { continue }
            let arrival = wallClock.ntp(at: now).compact
            let rtt = arrival &- block.lastSenderReport &- block.delaySinceLastSenderReport
            // A negative difference (clock skew on the peer) wraps to a huge value: ignore it.
            if rtt < 0x8000_0000 { roundTripTime = NTPTime.duration(compactUnits: rtt) }
        }
    }

    /// When the next report is due.
    public func pollTimeout() -> Instant { nextReport }

    /// If a report is due, returns the compound RTCP packet to send (SR when we sent media since
    /// the last report, else RR; then SDES CNAME) and schedules the next.
    public func handleTimeout(at now: Instant) -> [UInt8]? {
        guard now >= nextReport else { return nil }
        nextReport = now + jittered()
        return makeReport(at: now)
    }

    /// Builds a report now (also used for a final report before BYE).
    public func makeReport(at now: Instant) -> [UInt8] {
        var blocks: [ReportBlock] = []
        if receive != nil {
            var lsr: UInt32 = 0, dlsr: UInt32 = 0
            if let sr = lastRemoteSR {
                lsr = sr.compact
                let since = now - sr.arrival
                dlsr = UInt32(clamping: since.nanoseconds * 65_536 / 1_000_000_000)
            }
            blocks.append(receive!.makeReportBlock(lastSenderReport: lsr, delaySinceLastSenderReport: dlsr))
        }
        let report: RTCPPacket
        if send.packetCount != packetsAtLastReport {
            report = .senderReport(SenderReport(ssrc: send.ssrc, ntpTime: wallClock.ntp(at: now),
                                                rtpTimestamp: send.rtpTimestamp(at: now),
                                                packetCount: send.packetCount, octetCount: send.octetCount,
                                                reportBlocks: blocks))
        } else {
            report = .receiverReport(ReceiverReport(ssrc: send.ssrc, reportBlocks: blocks))
        }
        packetsAtLastReport = send.packetCount
        let sdes = RTCPPacket.sourceDescription(SourceDescription(chunks: [
            .init(source: send.ssrc, items: [SDESItem(type: SDESItem.cname, value: Array(cname.utf8)[...])]),
        ]))
        writer.reset()
        RTCPCompoundPacket(packets: [report, sdes]).serialize(into: &writer)
        reportsSent += 1
        return writer.bytes
    }

    public var stats: Stats {
        var s = Stats()
        s.packetsSent = send.packetCount
        s.bytesSent = send.octetCount
        if let r = receive {
            s.packetsReceived = r.packetsReceived
            s.bytesReceived = r.bytesReceived
            s.packetsLost = r.cumulativeLost
            s.duplicatePackets = r.duplicates
            s.jitterSeconds = r.jitterSeconds
        }
        s.remoteFractionLost = Double(remoteFractionLost) / 256
        s.remoteJitterSeconds = Double(remoteJitter) / Double(send.clockRate)
        s.roundTripTime = roundTripTime
        s.reportsSent = reportsSent
        s.reportsReceived = reportsReceived
        return s
    }

    /// The report interval scaled by a factor in [0.5, 1.5) (xorshift; seeded per session).
    private func jittered() -> Duration {
        random ^= random << 13; random ^= random >> 7; random ^= random << 17
        let factor = 0.5 + Double(random % 1_000_000) / 1_000_000
        return Duration(nanoseconds: Int64(Double(reportInterval.nanoseconds) * factor))
    }
}
