import MediaCore
import SCTP

/// Two SCTP associations joined in memory, on the real monotonic clock (usrsctp compares some
/// deadlines with it), pumped in process: what the data-channel layer itself costs.
private final class InMemoryDataChannelPair {
    let client: SCTPAssociation
    let server: SCTPAssociation
    var clientOpened: Set<UInt16> = []
    var clientClosed: Set<UInt16> = []
    var serverMessages = 0
    var serverBytes = 0
    var established = false

    init() throws {
        let limits: UInt64 = 262_144
        client = try SCTPAssociation(configuration: .init(isDTLSClient: true, localMaxMessageSize: limits, remoteMaxMessageSize: limits), at: Self.now)
        server = try SCTPAssociation(configuration: .init(isDTLSClient: false, localMaxMessageSize: limits, remoteMaxMessageSize: limits), at: Self.now)
        for _ in 0..<1_000 where !established {
            pump()
            tick()
        }
    }

    static var now: Instant { Instant(nanoseconds: nowNanoseconds()) }

    func tick() {
        let now = Self.now
        for a in [client, server] { if let t = a.pollTimeout(), t <= now { a.handleTimeout(at: now) } }
    }

    func pump() {
        let now = Self.now
        while true {
            var moved = false
            while let p = client.pollTransmit() { moved = true; server.handle(packet: p, at: now) }
            while let p = server.pollTransmit() { moved = true; client.handle(packet: p, at: now) }
            while let e = client.pollEvent() {
                switch e {
                case .associationEstablished: established = true
                case .channelOpened(let id, _, _): clientOpened.insert(id)
                case .channelClosed(let id, _): clientClosed.insert(id)
                default: break
                }
            }
            while let e = server.pollEvent() {
                if case .message(_, let m) = e { serverMessages += 1; serverBytes += m.byteCount }
            }
            if !moved { return }
        }
    }
}

func dataChannelSuite() -> BenchSuite {
    BenchSuite(name: "datachannel",
               summary: "SCTP (usrsctp, AF_CONN) data channels, Swift ↔ Swift in memory: DCEP open, one-way latency, reliable throughput") { ctx in
        guard let pair = try? InMemoryDataChannelPair(), pair.established else {
            print("  association did not come up; suite skipped")
            return
        }

        // Channel open: DATA_CHANNEL_OPEN out, ACK back (the DCEP round trip), on an association already up.
        var openSamples: [Double] = []
        for _ in 0..<ctx.iterations(300, quick: 60) {
            let t0 = nowNanoseconds()
            guard let id = try? pair.client.openChannel(label: "oai-events", at: InMemoryDataChannelPair.now) else { break }
            pair.pump()
            let t1 = nowNanoseconds()
            if pair.clientOpened.contains(id) { openSamples.append(Double(t1 - t0) / 1_000) }
            pair.clientOpened.remove(id)
            pair.client.closeChannel(id, at: InMemoryDataChannelPair.now)
            for _ in 0..<200 where !pair.clientClosed.contains(id) { pair.pump(); pair.tick() }
            pair.clientClosed.remove(id)
        }
        let open = Summary(openSamples)
        ctx.add(BenchRow(suite: "datachannel", name: "channel open (DCEP round trip)", unit: "µs", value: open.p50, summary: open,
                         note: "\(openSamples.count) opens; no target in the brief"))

        // One-way latency of a 200-byte message: send, pump until the peer has it.
        guard let id = try? pair.client.openChannel(label: "latency", at: InMemoryDataChannelPair.now) else { return }
        pair.pump()
        let payload = [UInt8](repeating: 0x7B, count: 200)
        var latency: [Double] = []
        for i in 0..<ctx.iterations(20_000, quick: 3_000) {
            let before = pair.serverMessages
            let t0 = nowNanoseconds()
            try? pair.client.send(.binary(payload), on: id, at: InMemoryDataChannelPair.now)
            pair.pump()
            let t1 = nowNanoseconds()
            if pair.serverMessages > before, i >= 100 { latency.append(Double(t1 - t0) / 1_000) }
            if i % 64 == 0 { pair.tick() }
        }
        let l = Summary(latency)
        ctx.add(BenchRow(suite: "datachannel", name: "one-way latency 200 B p50", unit: "µs", value: l.p50, summary: l,
                         note: "send → peer event, pumped in process"))
        ctx.add(BenchRow(suite: "datachannel", name: "one-way latency 200 B p99", unit: "µs", value: l.p99))

        // Throughput: reliable ordered 16 KB messages, keeping ≤ 1 MB buffered (bufferedAmount).
        let chunk = [UInt8](repeating: 0x5A, count: 16_384)
        let count = ctx.iterations(6_000, quick: 1_000)
        var rates: [Double] = []
        for _ in 0..<ctx.iterations(3, quick: 1) {
            let startMessages = pair.serverMessages, startBytes = pair.serverBytes
            let t0 = nowNanoseconds()
            var sent = 0
            var spins = 0
            while pair.serverMessages - startMessages < count && spins < 2_000_000 {
                spins += 1
                while sent < count, (pair.client.channel(id)?.bufferedAmount ?? .max) < 1 << 20 {
                    guard (try? pair.client.send(.binary(chunk), on: id, at: InMemoryDataChannelPair.now)) != nil else { break }
                    sent += 1
                }
                pair.pump()
                pair.tick()
            }
            let seconds = Double(nowNanoseconds() - t0) / 1e9
            rates.append(Double(pair.serverBytes - startBytes) / 1e6 / seconds)
        }
        let r = Summary(rates)
        ctx.add(BenchRow(suite: "datachannel", name: "throughput reliable ordered 16 KB", unit: "MB/s", value: r.p50, summary: r,
                         note: "\(count) messages per run"))
    }
}
