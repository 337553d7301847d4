import Foundation
import MediaCore
import Realtime
import Runtime
import SCTP

/// WebRTC calls on the endpoint thread: open, PeerConnection events, the media tick, the end.
extension EndpointLoop {
    /// The channel the client opens for events (OpenAI's examples name it so).
    static let eventsChannelLabel = "oai-events"

    func openCall(_ media: CallMedia, config: SessionConfig, at now: Instant) {
        let waker = self.waker
        let core = backends.makeSession(transport: .webRTC, tier: tier, config: config, unixTime: unixTime(), at: now) { waker.wake() }
        let driver = SessionDriver(session: core, openedAt: media.offeredAt)
        driver.call = media
        callDrivers[media.callID] = driver
        metrics.sessionOpened()
    }

    func handleCallEvent(callID: String, _ event: PeerConnection.Event, at: Instant, now: Instant) {
        guard let driver = callDrivers[callID], let media = driver.call else { return }
        switch event {
        case .stateChanged(.connected):
            media.dtlsConnectedAt = at
            metrics.setupPhase("dtls_connected", media.offeredAt, at)
            media.start(at: now)
        case .stateChanged(.failed), .stateChanged(.closed):
            finish(callID: callID, reason: "peer connection \(event)")
        case .failed(let why):
            finish(callID: callID, reason: "call failed: \(why)")
        case let .dataChannelOpened(id, label, _):
            // The first channel carries events unless `oai-events` opens later.
            guard media.channel == nil || label == Self.eventsChannelLabel else { return }
            if media.channelOpenedAt == nil {
                media.channelOpenedAt = at
                metrics.setupPhase("channel_open", media.offeredAt, at)
            }
            media.channel = id
            drain(driver)
        case let .dataChannelMessage(id, message):
            guard id == media.channel else { return }
            switch message {
            case .text(let text): driver.session.handle(clientEventJSON: text, at: now)
            case .binary(let bytes): driver.session.handle(clientEventJSON: bytes, at: now)
            }
            driver.lastInputAt = at
        case .dataChannelClosed(let id):
            if id == media.channel { finish(callID: callID, reason: "events channel closed") }
        default:
            break   // ICE progress, trickled candidates, buffered-amount notices: nothing to do
        }
    }

    /// Due media ticks (caller audio in), session timers, events out, output audio out.
    func runCall(_ driver: SessionDriver, at now: Instant) {
        guard let media = driver.call else { return }
        while media.tick(session: driver.session, at: now) {
            driver.lastInputAt = now
            afterInput(driver, media)
        }
        if let due = driver.session.pollTimeout(), due <= now { driver.session.handleTimeout(at: now) }
        afterInput(driver, media)
    }

    private func afterInput(_ driver: SessionDriver, _ media: CallMedia) {
        drain(driver)
        if media.pushOutput(session: driver.session) { firstOutputAudio(driver) }
    }

    /// Ends a call: closes its PeerConnection and side sockets, logs its line. Idempotent.
    func finish(callID: String, reason: String) {
        guard let driver = callDrivers.removeValue(forKey: callID), let media = driver.call else { return }
        calls.remove(callID)
        drain(driver)
        driver.session.shutDown()
        for side in driver.sideSockets {
            side.close(code: .normalClosure, reason: "call ended")
            sideSocketCalls[side.id] = nil
        }
        metrics.sessionClosed()
        func ms(_ t: Instant?) -> JSONValue {
            guard let t else { return .null }
            return .decimal(Double((t - media.offeredAt).nanoseconds / 1000) / 1000)
        }
        let fields = sessionLine(driver, reason: reason, extra: [
            "event": "call.closed",
            "call_id": .string(callID),
            "phases_ms": .object(["dtls_connected": ms(media.dtlsConnectedAt), "channel_open": ms(media.channelOpenedAt)]),
            "audio_frames": .object([
                "in": .int(media.framesIn), "out": .int(media.framesOut), "voice_out": .int(media.voiceFramesOut),
                "late_ticks": .int(media.lateTicks), "dropped": .int(media.droppedFrames),
            ]),
        ])
        // After the queued event sends, on the call's own thread: its last statistics, its close,
        // then the line (this thread never waits on a call's).
        let log = self.log, notSent = media.eventsNotSent
        media.close { stats in
            var line = fields
            if let stats { line["rtp"] = Self.mediaSummary(stats) }
            line["events_not_sent"] = .int(notSent.count)
            log(JSONWriter.string(.object(line)))
        }
    }

    /// What an operator reads about a call's audio: packets each way, loss, and how the jitter
    /// buffer coped (its mean delay and target, concealment, time stretching).
    static func mediaSummary(_ s: PeerConnectionStats) -> JSONValue {
        let i = s.inboundRTP
        let emitted = Double(max(1, i.jitterBufferEmittedCount))
        func ms(_ seconds: Double) -> JSONValue { .decimal((seconds / emitted * 10_000).rounded() / 10) }
        let concealed = i.totalSamplesReceived == 0 ? 0 : Double(i.concealedSamples) / Double(i.totalSamplesReceived)
        return .object([
            "packets_received": .int(Int(i.packetsReceived)), "packets_lost": .int(Int(i.packetsLost)),
            "packets_sent": .int(Int(s.outboundRTP.packetsSent)),
            "jitter_buffer_delay_ms": ms(i.jitterBufferDelay), "jitter_buffer_target_ms": ms(i.jitterBufferTargetDelay),
            "concealed_percent": .decimal((concealed * 10_000).rounded() / 100),
            "inserted_samples": .int(i.insertedSamplesForDeceleration), "removed_samples": .int(i.removedSamplesForAcceleration),
        ])
    }
}
