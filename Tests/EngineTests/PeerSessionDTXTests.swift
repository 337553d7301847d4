import Testing
import TestSupport
import Audio
import MediaCore
import NetSim
@testable import Engine

/// Opus DTX between two sessions in virtual time: the answerer uses it and asks for it
/// (`usedtx=1`), the offerer follows because the answer asked. Both keep sending the talk-spurts,
/// leave out most of the silence between them, and neither sees the gaps as loss.
@Suite struct PeerSessionDTXTests {
    /// 1 s chirp, 2 s of digital silence, 1 s chirp, each way; then the received audio is
    /// checked against what was sent around both talk-spurts.
    @Test(arguments: [PeerSession.DTXPolicy.on, .off])
    func silenceIsLeftOutAndTalkSpurtsStillArrive(answererDTX: PeerSession.DTXPolicy) throws {
        let call = try VirtualCall(profile: .cleanLAN, answererDTX: answererDTX)
        for _ in 0..<200 where !call.connected { call.advance(by: .milliseconds(1)) }
        #expect(call.connected)
        #expect(call.offerer.negotiated?.audio?.useDTX == (answererDTX == .on))
        let spurt = chirp(count: 48_000)
        let signal = spurt + [Int16](repeating: 0, count: 96_000) + spurt
        var heardByAnswerer: [Int16] = [], heardByOfferer: [Int16] = []
        var tick = [Int16](repeating: 0, count: 480)
        let frames = signal.count / 960
        for step in 0..<(frames * 2 + 50) {   // 10 ms steps; a 20 ms frame on even steps, then drain
            if step % 2 == 0, step / 2 < frames {
                let start = step / 2 * 960
                signal[start..<start + 960].withUnsafeBufferPointer { call.offerer.sendAudio($0, capturedAt: call.now) }
                signal[start..<start + 960].withUnsafeBufferPointer { call.answerer.sendAudio($0, capturedAt: call.now) }
                call.flush()
            }
            call.advance(by: .milliseconds(10))
            tick.withUnsafeMutableBufferPointer { call.answerer.pullAudio(into: $0, at: call.now) }
            heardByAnswerer += tick
            tick.withUnsafeMutableBufferPointer { call.offerer.pullAudio(into: $0, at: call.now) }
            heardByOfferer += tick
        }
        for (sender, receiver, heard) in [(call.offerer, call.answerer, heardByAnswerer), (call.answerer, call.offerer, heardByOfferer)] {
            let sent = Int(sender.stats.rtp.packetsSent)
            print("DTX \(answererDTX): \(sender === call.offerer ? "offerer" : "answerer") sent \(sent)")
            if answererDTX == .on {
                // 100 talk-spurt frames, and of the 100 silent ones only the first ~200 ms and a
                // comfort-noise update every 400 ms.
                #expect(sent >= 100 && sent < 130, "\(sent) packets sent for 200 frames")
            } else {
                #expect(sent == frames)
            }
            #expect(receiver.stats.rtp.packetsLost == 0)
            #expect(receiver.stats.rtp.packetsReceived == UInt64(sent))
            for window in [14_400..<43_200, 158_400..<187_200] {
                let match = bestAlignment(sent: signal, received: heard, maxLag: 4_800, window: window)
                #expect(match.correlation > 0.7, "correlation \(match.correlation) at lag \(match.lag) in \(window)")
            }
            // The silence between the spurts stays silent (no comfort-noise hiss, no PLC buzz); a
            // DTX gap follows silence, so it is played as silence without PLC: exactly zero.
            let quiet = heard[70_000..<130_000].map { abs(Int($0)) }.max() ?? 0
            #expect(quiet < (answererDTX == .on ? 1 : 200), "peak \(quiet) between talk-spurts")
        }
    }
}
