import Audio
import Engine
import MediaCore

/// The call thread's audio clock: capture ring → encoder, jitter buffer → playout ring.
extension PeerConnection {
    /// Every 10 ms: send what was captured (whole ptime frames), keep playout topped up.
    func audioTick(now: Instant) {
        guard let session, var tick = nextAudioTick else { return }
        let frames = Int(configuration.ptime) / 10
        while (captureConsumer?.availableFrames ?? 0) >= frames {
            captureScratch.withUnsafeMutableBufferPointer { buf in
                for f in 0..<frames {
                    _ = captureConsumer!.pop(into: UnsafeMutableBufferPointer(rebasing: buf[f * 480..<(f + 1) * 480]))
                }
            }
            captureScratch.withUnsafeBufferPointer { session.sendAudio($0, capturedAt: now) }
        }
        var queued = (playoutProducer?.ring.availableFrames) ?? 0
        while queued < configuration.playoutTarget {
            playoutScratch.withUnsafeMutableBufferPointer { session.pullAudio(into: $0, at: now) }
            playoutScratch.withUnsafeBufferPointer { _ = playoutProducer!.push($0) }
            queued += 1
        }
        tick = tick + .milliseconds(10)
        // After a stall (debugger, overloaded machine) resume from now rather than burst.
        if tick < now - .milliseconds(100) { tick = now + .milliseconds(10) }
        nextAudioTick = tick
    }
}
