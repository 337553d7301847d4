import DCEP
import Glibc
import MediaCore
import RTP
import STUN

/// Wire codecs: RTP parse + serialize of a 20 ms Opus packet, RTCP compound parse, STUN binding
/// request parse with integrity and fingerprint checks, DCEP open, and allocations per RTP parse.
func rtpSuite() -> BenchSuite {
    BenchSuite(name: "rtp", summary: "RTP/RTCP/STUN/DCEP wire codecs") { ctx in
        benchRTP(ctx)
        benchRTCP(ctx)
        benchSTUN(ctx)
        benchDCEP(ctx)
        benchRTPAllocations(ctx)
    }
}

/// A 20 ms Opus packet: 12-byte header, one-byte extension block with an RFC 6464 audio level
/// (id 1), 80 bytes of payload.
private func opusPacketBytes() -> [UInt8] {
    let packet = RTPPacket(payloadType: 111, sequenceNumber: 4242, timestamp: 960 * 77, ssrc: 0x3ABC_DEF1,
                           headerExtension: RTPHeaderExtension(elements: [AudioLevel(voiceActivity: true, level: 30).element(id: 1)]),
                           payload: (0..<80).map { UInt8(truncatingIfNeeded: $0 &* 13) }[...])
    var w = ByteWriter()
    packet.serialize(into: &w)
    return w.bytes
}

private func benchRTP(_ ctx: BenchContext) {
    let bytes = opusPacketBytes()
    let ops = 20_000
    let batches = ctx.iterations(60, quick: 15)
    var writer = ByteWriter(capacity: 256)
    var sink = 0

    let both = timeBatches(batches: batches, opsPerBatch: ops) {
        for _ in 0..<ops {
            guard let p = try? RTPPacket(parsing: bytes) else { continue }
            writer.reset()
            p.serialize(into: &writer)
            sink &+= writer.count &+ Int(p.sequenceNumber)
        }
    }
    ctx.add(BenchRow(suite: "rtp", name: "RTP parse + serialize (Opus 80 B, audio level)", unit: "ns", value: both.p50,
                     summary: both, target: "≤ 50", meetsTarget: both.p50 <= 50))

    let parse = timeBatches(batches: batches, opsPerBatch: ops) {
        for _ in 0..<ops {
            guard let p = try? RTPPacket(parsing: bytes) else { continue }
            sink &+= Int(p.sequenceNumber) &+ p.payload.count &+ Int(p.audioLevel(id: 1)?.level ?? 0)
        }
    }
    ctx.add(BenchRow(suite: "rtp", name: "RTP parse + audio level lookup", unit: "ns", value: parse.p50, summary: parse))

    guard let packet = try? RTPPacket(parsing: bytes) else { return }
    let serialize = timeBatches(batches: batches, opsPerBatch: ops) {
        for _ in 0..<ops {
            writer.reset()
            packet.serialize(into: &writer)
            sink &+= writer.count
        }
    }
    ctx.add(BenchRow(suite: "rtp", name: "RTP serialize into a reused ByteWriter", unit: "ns", value: serialize.p50, summary: serialize))
    blackHole(sink)
}

private func benchRTCP(_ ctx: BenchContext) {
    let block = ReportBlock(ssrc: 0x1111_2222, fractionLost: 3, cumulativeLost: 12, extendedHighestSequence: 70_000,
                            jitter: 120, lastSenderReport: 0xABCD_0123, delaySinceLastSenderReport: 3000)
    let compound = RTCPCompoundPacket(packets: [
        .senderReport(SenderReport(ssrc: 0x3ABC_DEF1, ntpTime: NTPTime(seconds: 3_900_000_000, fraction: 1 << 31),
                                   rtpTimestamp: 123_456, packetCount: 500, octetCount: 40_000, reportBlocks: [block])),
        .sourceDescription(SourceDescription(chunks: [.init(source: 0x3ABC_DEF1, items: [SDESItem(type: SDESItem.cname, text: "aB3dE6gH9jK2mN5p")])])),
    ])
    var w = ByteWriter()
    compound.serialize(into: &w)
    let bytes = w.bytes
    let ops = 10_000
    let batches = ctx.iterations(60, quick: 15)
    var sink = 0
    // The parse checks every packet whole, but packets, report blocks and SDES chunks are views
    // decoded when read, so the timed loop also reads what a receiver uses (as RTPAudioSession
    // does): every packet, the SR's NTP time, every block's SSRC, LSR and DLSR, and the CNAME.
    let parse = timeBatches(batches: batches, opsPerBatch: ops) {
        for _ in 0..<ops {
            guard let c = try? RTCPCompoundPacket(parsing: bytes) else { continue }
            sink &+= readReports(c)
        }
    }
    ctx.add(BenchRow(suite: "rtp", name: "RTCP compound parse + read (SR + 1 block + SDES CNAME)", unit: "ns", value: parse.p50,
                     summary: parse, target: "≤ 200", meetsTarget: parse.p50 <= 200))
    let serialize = timeBatches(batches: batches, opsPerBatch: ops) {
        for _ in 0..<ops {
            w.reset()
            compound.serialize(into: &w)
            sink &+= w.count
        }
    }
    ctx.add(BenchRow(suite: "rtp", name: "RTCP compound serialize (same)", unit: "ns", value: serialize.p50, summary: serialize))
    blackHole(sink)
}

/// Touches every field a receiver reads from a compound; returns a checksum of them.
private func readReports(_ c: RTCPCompoundPacket) -> Int {
    var sum = 0
    for packet in c.packets {
        switch packet {
        case .senderReport(let sr):
            sum &+= Int(truncatingIfNeeded: sr.ntpTime.raw)
            for b in sr.reportBlocks { sum &+= Int(b.ssrc) &+ Int(b.lastSenderReport) &+ Int(b.delaySinceLastSenderReport) }
        case .receiverReport(let rr):
            for b in rr.reportBlocks { sum &+= Int(b.ssrc) &+ Int(b.lastSenderReport) &+ Int(b.delaySinceLastSenderReport) }
        case .sourceDescription(let sdes):
            for chunk in sdes.chunks { sum &+= chunk.cname?.count ?? 0 }
        default:
            break
        }
    }
    return sum
}

private func benchSTUN(_ ctx: BenchContext) {
    // A binding request as a controlling browser sends it.
    let password = STUNCredentials.shortTermKey(password: "bM3cVq5sKl9tXw2zRa7yUe1o")
    let request = STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(high: 0x0A0B_0C0D, low: 0x0102_0304_0506_0708),
                              attributes: [.username(Array("a1b2c3d4:e5f6".utf8)), .iceControlling(0x1234_5678_9ABC_DEF0),
                                           .useCandidate, .priority(1_853_824_767)])
    var w = ByteWriter()
    request.serialize(into: &w, integrityKey: password, fingerprint: true)
    let bytes = w.bytes
    let ops = 2_000
    let batches = ctx.iterations(40, quick: 10)
    var ok = 0
    let parse = timeBatches(batches: batches, opsPerBatch: ops) {
        for _ in 0..<ops {
            guard let m = try? STUNMessage(parsing: bytes) else { continue }
            if m.verifyIntegrity(key: password) && m.verifyFingerprint() { ok += 1 }
        }
    }
    let verified = ok == (batches + 3) * ops
    ctx.add(BenchRow(suite: "rtp", name: "STUN binding request parse + integrity + fingerprint", unit: "ns", value: parse.p50,
                     summary: parse, note: verified ? "\(bytes.count) B, every check passed" : "CHECKS FAILED"))
    let parseOnly = timeBatches(batches: batches, opsPerBatch: ops) {
        for _ in 0..<ops { blackHole(try? STUNMessage(parsing: bytes)) }
    }
    ctx.add(BenchRow(suite: "rtp", name: "STUN binding request parse only", unit: "ns", value: parseOnly.p50, summary: parseOnly))
    let build = timeBatches(batches: batches, opsPerBatch: ops) {
        for _ in 0..<ops {
            w.reset()
            request.serialize(into: &w, integrityKey: password, fingerprint: true)
        }
    }
    ctx.add(BenchRow(suite: "rtp", name: "STUN binding request build (HMAC-SHA1 + CRC-32)", unit: "ns", value: build.p50, summary: build))
}

private func benchDCEP(_ ctx: BenchContext) {
    let open = DCEPMessage.open(DataChannelOpen(channelType: .reliable, label: "oai-events"))
    var w = ByteWriter()
    open.serialize(into: &w)
    let bytes = w.bytes
    let ops = 10_000
    let batches = ctx.iterations(40, quick: 10)
    let both = timeBatches(batches: batches, opsPerBatch: ops) {
        for _ in 0..<ops {
            guard let m = try? DCEPMessage(parsing: bytes) else { continue }
            w.reset()
            m.serialize(into: &w)
        }
    }
    ctx.add(BenchRow(suite: "rtp", name: "DCEP DATA_CHANNEL_OPEN parse + serialize", unit: "ns", value: both.p50, summary: both))
}

/// glibc's `struct mallinfo2`: ten `size_t` fields.
private struct MallInfo2 {
    var arena = 0, ordblks = 0, smblks = 0, hblks = 0, hblkhd = 0, usmblks = 0, fsmblks = 0, uordblks = 0, fordblks = 0, keepcost = 0
}

/// Heap bytes in use (`mallinfo2().uordblks`; mmapped blocks excluded). Swift's Glibc module does
/// not export <malloc.h>, so the function is found with `dlsym`; on x86-64 SysV a struct this
/// large is returned through a caller-provided pointer passed as the first argument, which the
/// C function type below spells out. Nil elsewhere.
private func heapInUse() -> Int? {
    #if arch(x86_64)
    guard let symbol = dlsym(nil, "mallinfo2") else { return nil } // nil is RTLD_DEFAULT in glibc
    typealias MallInfo2Function = @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer?
    let mallinfo2 = unsafeBitCast(symbol, to: MallInfo2Function.self)
    var info = MallInfo2()
    withUnsafeMutableBytes(of: &info) { _ = mallinfo2($0.baseAddress!) }
    return info.uordblks
    #else
    return nil
    #endif
}

/// Allocation check: parse N packets and KEEP every result in a preallocated array, so anything
/// a parse allocated for its result stays on the heap and shows in `mallinfo2().uordblks`.
/// (Allocations a parse frees before returning would not show; the control row, which keeps one
/// payload copy per parse, shows that the method does see a per-parse allocation.)
private func benchRTPAllocations(_ ctx: BenchContext) {
    let bytes = opusPacketBytes()
    let n = ctx.iterations(200_000, quick: 50_000)
    var kept: [RTPPacket] = []
    kept.reserveCapacity(n)
    var copies: [[UInt8]] = []
    copies.reserveCapacity(n)
    guard let before = heapInUse() else { print("  (mallinfo2 not reachable on this platform)"); return }
    for _ in 0..<n {
        if let p = try? RTPPacket(parsing: bytes) { kept.append(p) }
    }
    let after = heapInUse() ?? 0
    // Control: the same parse, plus a copy of the payload kept alongside (one allocation each).
    let beforeControl = heapInUse() ?? 0
    for i in 0..<n {
        if let p = try? RTPPacket(parsing: bytes) { copies.append(Array(p.payload)); kept[i] = p }
    }
    let afterControl = heapInUse() ?? 0
    let perParse = Double(after - before) / Double(n)
    let perControl = Double(afterControl - beforeControl) / Double(n)
    ctx.add(BenchRow(suite: "rtp", name: "heap bytes kept per RTP parse (\(n) kept)", unit: "B", value: perParse,
                     baselineName: "control keeping a payload copy", baseline: perControl, target: "0", meetsTarget: after - before <= 0,
                     note: "uordblks \(before) → \(after)"))
    blackHole(kept.count + copies.count)
}
