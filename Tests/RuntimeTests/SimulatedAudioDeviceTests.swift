import Testing
import Audio
import MediaCore
@testable import Runtime

/// The simulated sound card's clock grid: where its first frame falls decides the phase between
/// two devices, which the mouth-to-ear bench sets instead of leaving it to thread start-up.
@Suite struct SimulatedAudioDeviceTests {
    @Test func aDeviceGivenAFirstFrameInstantStartsItsGridThereAndNotBefore() {
        let capture = FrameRing.make(frames: 64, samplesPerFrame: SimulatedAudioDevice.frameSamples)
        let playout = FrameRing.make(frames: 4, samplesPerFrame: SimulatedAudioDevice.frameSamples)
        let captured = capture.producer.ring
        let first = RuntimeClock.now() + .milliseconds(500)
        let device = SimulatedAudioDevice(capture: capture.producer, playout: playout.consumer,
                                          source: [Int16](repeating: 100, count: 48_000), recordSeconds: 1)
        device.start(firstFrameAt: first)
        // Nothing is spoken before the grid starts, though the thread runs long before it (the
        // quarter second of slack keeps a late wake-up of this test on a loaded machine harmless).
        RuntimeClock.sleep(until: first - .milliseconds(250))
        #expect(captured.framesWritten == 0)
        RuntimeClock.sleep(until: first + .milliseconds(50))
        device.stop()
        #expect(device.startedAt == first)
        #expect(captured.framesWritten > 0)
    }
}
