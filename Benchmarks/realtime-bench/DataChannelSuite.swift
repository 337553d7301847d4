import Foundation
import MediaCore
import Runtime
import SCTP
import Synchronization

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
               summary: "data channels on loopback (Swift↔Swift vs aiortc↔aiortc: open, 200 B one-way latency, 16 KB throughput), and the SCTP core in memory") { ctx in
        measureLoopback(ctx)
        measureInMemory(ctx)
    }
}

/// The SCTP associations alone, joined in memory: what the data-channel layer itself costs.
private func measureInMemory(_ ctx: BenchContext) {
    do {
        guard let pair = try? InMemoryDataChannelPair(), pair.established else {
            print("  association did not come up; suite skipped")
            return
        }

        // Channel open: DATA_CHANNEL_OPEN out, ACK back (the DCEP round trip), on an association already up.
        var openSamples: [Double] = []
        for _ in 0..<ctx.iterations(300, quick: 30) {
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
        ctx.add(BenchRow(suite: "datachannel", name: "in memory: channel open (DCEP round trip)", unit: "µs", value: open.p50, summary: open,
                         note: "\(openSamples.count) opens; no target in the brief"))

        // One-way latency of a 200-byte message: send, pump until the peer has it.
        guard let id = try? pair.client.openChannel(label: "latency", at: InMemoryDataChannelPair.now) else { return }
        pair.pump()
        let payload = [UInt8](repeating: 0x7B, count: 200)
        var latency: [Double] = []
        for i in 0..<ctx.iterations(20_000, quick: 1_000) {
            let before = pair.serverMessages
            let t0 = nowNanoseconds()
            try? pair.client.send(.binary(payload), on: id, at: InMemoryDataChannelPair.now)
            pair.pump()
            let t1 = nowNanoseconds()
            if pair.serverMessages > before, i >= 100 { latency.append(Double(t1 - t0) / 1_000) }
            if i % 64 == 0 { pair.tick() }
        }
        let l = Summary(latency)
        ctx.add(BenchRow(suite: "datachannel", name: "in memory: one-way latency 200 B p50", unit: "µs", value: l.p50, summary: l,
                         note: "send → peer event, pumped in process"))
        ctx.add(BenchRow(suite: "datachannel", name: "in memory: one-way latency 200 B p99", unit: "µs", value: l.p99))

        // Throughput: reliable ordered 16 KB messages, keeping ≤ 1 MB buffered (bufferedAmount).
        let chunk = [UInt8](repeating: 0x5A, count: 16_384)
        let count = ctx.iterations(6_000, quick: 500)
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
        ctx.add(BenchRow(suite: "datachannel", name: "in memory: throughput reliable ordered 16 KB", unit: "MB/s", value: r.p50, summary: r,
                         note: "\(count) messages per run"))
    }
}

/// What the two loopback peers' events tell the measuring thread.
private final class ChannelProbe: Sendable {
    struct State {
        var openedAt: [String: (id: UInt16, at: Int64)] = [:]
        var latencyMicros: [Double] = []
        var bulkMessages = 0
        var bulkBytes = 0
    }
    let state = Mutex(State())

    func onOfferer(_ e: PeerConnection.Event) {
        if case .dataChannelOpened(let id, let label, _) = e {
            let now = nowNanoseconds()
            state.withLock { $0.openedAt[label] = (id, now) }
        }
    }

    /// Messages tagged 1 carry the sender's monotonic send time (the same clock: one process).
    func onAnswerer(_ e: PeerConnection.Event) {
        guard case .dataChannelMessage(_, .binary(let bytes)) = e, let tag = bytes.first else { return }
        let now = nowNanoseconds()
        if tag == 1, bytes.count >= 9 {
            var sent: Int64 = 0
            for k in 1...8 { sent |= Int64(bytes[k]) << (8 * (k - 1)) }
            state.withLock { $0.latencyMicros.append(Double(now - sent) / 1_000) }
        } else {
            state.withLock { $0.bulkMessages += 1; $0.bulkBytes += bytes.count }
        }
    }

    func opened(_ label: String) -> (id: UInt16, at: Int64)? { state.withLock { $0.openedAt[label] } }
    var latencyCount: Int { state.withLock { $0.latencyMicros.count } }
    var bulk: (messages: Int, bytes: Int) { state.withLock { ($0.bulkMessages, $0.bulkBytes) } }
}

/// Two PeerConnections on 127.0.0.1 (ICE, DTLS, SCTP over DTLS), the offerer sending; next to
/// aiortc ↔ aiortc doing the same in one Python process.
private func measureLoopback(_ ctx: BenchContext) {
    let opens = ctx.iterations(40, quick: 10), messages = ctx.iterations(2_000, quick: 200)
    let bulk = ctx.iterations(1_000, quick: 100), runs = ctx.iterations(3, quick: 1)
    let glib = GLibLoop()
    defer { glib.stop() }
    let probe = ChannelProbe()
    var openMicros: [Double] = [], latency: [Double] = [], rates: [Double] = []
    if let (a, b) = connectedPair(glib: glib, configuration: loopbackConfiguration(), onEventA: { probe.onOfferer($0) },
                                  onEventB: { probe.onAnswerer($0) }) {
        // Open time after DTLS connected: createDataChannel → our open event (the DCEP ACK is in).
        a.createDataChannel(label: "warm")
        _ = waitFor(seconds: 5) { probe.opened("warm") != nil }
        for i in 0..<opens {
            let t0 = nowNanoseconds()
            a.createDataChannel(label: "open-\(i)")
            if waitFor(seconds: 2, { probe.opened("open-\(i)") != nil }), let o = probe.opened("open-\(i)") {
                openMicros.append(Double(o.at - t0) / 1_000)
                a.closeDataChannel(o.id)
            }
        }
        // One-way latency: one 200-byte message at a time, stamped with its send time.
        a.createDataChannel(label: "latency")
        if waitFor(seconds: 5, { probe.opened("latency") != nil }), let id = probe.opened("latency")?.id {
            var payload = [UInt8](repeating: 0, count: 200)
            payload[0] = 1
            for _ in 0..<(messages + 100) {
                let before = probe.latencyCount
                let now = nowNanoseconds()
                for k in 1...8 { payload[k] = UInt8(truncatingIfNeeded: now >> (8 * (k - 1))) }
                guard (try? a.send(.binary(payload), on: id)) != nil else { break }
                _ = waitFor(seconds: 2) { probe.latencyCount > before }
            }
            latency = probe.state.withLock { Array($0.latencyMicros.dropFirst(100)) }
        }
        // Throughput: 16 KB reliable ordered messages, at most 64 (1 MB) in flight.
        a.createDataChannel(label: "bulk")
        if waitFor(seconds: 5, { probe.opened("bulk") != nil }), let id = probe.opened("bulk")?.id {
            var chunk = [UInt8](repeating: 0x5A, count: 16_384)
            chunk[0] = 2
            for _ in 0..<runs {
                let start = probe.bulk
                let t0 = nowNanoseconds()
                var sent = 0
                while probe.bulk.messages - start.messages < bulk, nowNanoseconds() - t0 < 60_000_000_000 {
                    if sent < bulk, sent - (probe.bulk.messages - start.messages) < 64 {
                        guard (try? a.send(.binary(chunk), on: id)) != nil else { break }
                        sent += 1
                    } else {
                        usleep(100)
                    }
                }
                let seconds = Double(nowNanoseconds() - t0) / 1e9
                rates.append(Double(probe.bulk.bytes - start.bytes) / 1e6 / seconds)
            }
        }
        a.close(); b.close()
    } else {
        print("  datachannel: loopback call did not connect")
    }

    let peer = AiortcBench.measure(["datachannel", "--opens", "\(opens)", "--messages", "\(messages)",
                                    "--bulk", "\(ctx.iterations(300, quick: 40))", "--runs", "\(runs)"], timeout: 240)
    let note = peer == nil ? AiortcBench.skipped : nil
    let o = Summary(openMicros.map { $0 / 1_000 }), po = Summary(doubles(peer, "open_us").map { $0 / 1_000 })
    ctx.add(BenchRow(suite: "datachannel", name: "loopback: channel open after DTLS connected (Swift↔Swift)", unit: "ms",
                     value: o.p50, summary: o, baselineName: "aiortc↔aiortc", baseline: peer == nil ? nil : po.p50,
                     target: "≤ 20", meetsTarget: o.p50 <= 20, note: note ?? "createDataChannel → open event at the opener (DCEP OPEN → ACK)"))
    let l = Summary(latency), pl = Summary(doubles(peer, "latency_us"))
    ctx.add(BenchRow(suite: "datachannel", name: "loopback: one-way latency 200 B p50 (Swift↔Swift)", unit: "µs", value: l.p50, summary: l,
                     baselineName: "aiortc↔aiortc", baseline: peer == nil ? nil : pl.p50,
                     note: note ?? "send → message event at the peer, one message in flight"))
    ctx.add(BenchRow(suite: "datachannel", name: "loopback: one-way latency 200 B p99 (Swift↔Swift)", unit: "µs", value: l.p99,
                     baselineName: "aiortc↔aiortc", baseline: peer == nil ? nil : pl.p99, note: note))
    let r = Summary(rates), pr = Summary(doubles(peer, "throughput_mbps"))
    ctx.add(BenchRow(suite: "datachannel", name: "loopback: throughput reliable ordered 16 KB (Swift↔Swift)", unit: "MB/s", value: r.p50,
                     summary: r, baselineName: "aiortc↔aiortc", baseline: peer == nil ? nil : pr.p50,
                     note: note ?? "\(bulk) messages per run, ≤ 1 MB in flight; aiortc \(ctx.iterations(300, quick: 40)) per run (it is slow); ratio > 1 = ours faster"))
    if peer != nil {
        ctx.add(BenchRow(suite: "datachannel", name: "loopback: channel open (aiortc↔aiortc)", unit: "ms", value: po.p50, summary: po))
        ctx.add(BenchRow(suite: "datachannel", name: "loopback: one-way latency 200 B (aiortc↔aiortc)", unit: "µs", value: pl.p50, summary: pl))
        ctx.add(BenchRow(suite: "datachannel", name: "loopback: throughput 16 KB (aiortc↔aiortc)", unit: "MB/s", value: pr.p50, summary: pr))
    }
    let chart = ChartSpec(id: "datachannel-latency-cdf", title: "Data channel one-way latency, 200 B (loopback)",
                          xLabel: "µs", yLabel: "fraction of messages", steps: true)
    ctx.addCDF(chart, name: "Swift↔Swift", samples: latency)
    ctx.addCDF(chart, name: "aiortc↔aiortc", samples: doubles(peer, "latency_us"))
}
