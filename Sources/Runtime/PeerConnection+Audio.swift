import Audio
import Engine
import MediaCore

/// When the call thread refills the playout ring: `lead` before the device will pop the frame.
///
/// The device's pops wake the call thread (the ring's `onPop`); the wake-up instants, which come
/// a little after the pops, give the pop clock as their lower envelope. A refill brings the ring
/// to `frames = ⌈lead / 10 ms⌉` and happens `frames × 10 ms − lead` after a pop, so each frame
/// waits `lead` in the ring: a 10 ms lead refills right after each pop (one frame standing), a
/// shorter one waits to pull audio that arrives meanwhile.
///
/// A lead of at most one frame adapts within [`minimumLead`, the configured lead], the way a
/// jitter buffer adapts to the network: it is the latest refill of the last 2 s (how late the call
/// thread ran after its due time) plus `margin`, and jumps to the ceiling on an underflow. Longer
/// leads (tests on a loaded machine ask for several frames) stay fixed.
struct PlayoutSchedule {
    static let period = Duration.milliseconds(10)
    static let minimumLead = Duration.milliseconds(3)
    static let margin = Duration.milliseconds(2)
    /// Refills remembered for the lateness maximum (2 s of 10 ms frames).
    static let window = 200
    let maximumLead: Duration
    let adaptive: Bool
    private(set) var lead: Duration
    private(set) var frames: Int
    /// Pop attempts of the playout ring already accounted for.
    private var popsSeen = 0
    private var underflowsSeen = 0
    /// The device's last pop as estimated (nil before its first).
    private(set) var lastPop: Instant?
    /// The next refill (nil: none due until the device pops again).
    private(set) var refillDue: Instant?
    private var primed = false
    /// How late recent refills ran after `refillDue` (ns), a ring of `window`.
    private var lateness: [Int64]
    private var latenessIndex = 0
    /// Ring waits of the frames refilled so far (`media-playout`).
    private(set) var statistics = PeerConnectionStats.MediaPlayout(totalPlayoutDelay: 0, totalSamplesCount: 0)

    init(lead: Duration) {
        maximumLead = max(lead, .microseconds(500))
        adaptive = maximumLead <= Self.period && maximumLead > Self.minimumLead
        self.lead = maximumLead
        frames = Self.frames(for: maximumLead)
        lateness = [Int64](repeating: 0, count: adaptive ? Self.window : 0)
    }

    private static func frames(for lead: Duration) -> Int {
        Int((lead.nanoseconds + period.nanoseconds - 1) / period.nanoseconds)
    }

    /// Takes in the ring's pop and underflow counts as seen at `now`; true when a refill is due.
    mutating func refillIsDue(popAttempts: Int, underflows: Int = 0, at now: Instant) -> Bool {
        if underflows != underflowsSeen {
            underflowsSeen = underflows
            // The device found the ring empty: back to the safest lead at once.
            if adaptive { for i in lateness.indices { lateness[i] = maximumLead.nanoseconds } }
            lead = maximumLead
        }
        if popAttempts != popsSeen {
            let pops = popAttempts - popsSeen
            popsSeen = popAttempts
            if let last = lastPop {
                let predicted = last + Duration(nanoseconds: Self.period.nanoseconds * Int64(pops))
                // Seen earlier than predicted: the pop was no later than now. Seen later: partly a
                // late wake-up, partly a device clock slower than ours; follow slowly.
                lastPop = now < predicted ? now : predicted + Duration(nanoseconds: (now - predicted).nanoseconds / 16)
            } else {
                lastPop = now
            }
            refillDue = lastPop! + Duration(nanoseconds: Self.period.nanoseconds * Int64(frames)) - lead
        }
        if !primed { primed = true; return true }
        guard let due = refillDue else { return false }
        return now >= due
    }

    /// The refill is done (until the next pop); `now` tells how late it ran. `added` frames of
    /// `samplesPerFrame` went in at the ring's end, each to wait until its pop: the last is
    /// popped `lead` after the due time, each before it a period earlier.
    mutating func refilled(at now: Instant, added: Int = 0, samplesPerFrame: Int = 480) {
        if let due = refillDue, added > 0 {
            let lastPop = due + lead - now
            for k in 0..<added {
                let wait = lastPop - Duration(nanoseconds: Self.period.nanoseconds * Int64(added - 1 - k))
                statistics.totalPlayoutDelay += max(.zero, wait).seconds * Double(samplesPerFrame)
            }
            statistics.totalSamplesCount += added * samplesPerFrame
        }
        if adaptive, let due = refillDue {
            lateness[latenessIndex] = max(0, (now - due).nanoseconds)
            latenessIndex = (latenessIndex + 1) % lateness.count
            let latest = lateness.max() ?? 0
            let wanted = Duration(nanoseconds: latest) + Self.margin
            lead = min(maximumLead, max(Self.minimumLead, wanted))
            frames = Self.frames(for: lead)
        }
        refillDue = nil
    }
}

/// The call thread's audio path. Driven by a device (`AudioClock.device`): capture ring → encoder
/// on every captured frame (the ring's `onPush` wakes the call thread), jitter buffer → playout
/// ring on the device's demand (`PlayoutSchedule`). On the call thread's own clock
/// (`.callThread`): both once per ptime on the grid (`serviceTickedAudio`).
extension PeerConnection {
    /// When the call thread must wake for audio without being woken by the device.
    var audioDeadline: Instant? {
        guard let next = nextAudioTick else { return nil }
        return configuration.audioClock == .device ? playoutSchedule.refillDue : next
    }

    /// On every wake-up once the call is connected: send what was captured (whole ptime frames),
    /// refill playout when the schedule says so.
    func serviceAudio(now: Instant) {
        guard let session, nextAudioTick != nil else { return }
        if configuration.audioClock == .callThread {
            serviceTickedAudio(session, now: now)
            return
        }
        sendCaptured(session, now: now)
        guard let ring = playoutProducer?.ring,
              playoutSchedule.refillIsDue(popAttempts: ring.popAttempts, underflows: ring.underflowCount, at: now) else { return }
        let added = refillPlayout(session, to: playoutSchedule.frames, now: now)
        playoutSchedule.refilled(at: RuntimeClock.now(), added: added, samplesPerFrame: configuration.samplesPerFrame)
    }

    /// A ptime tick on the call thread's own clock: encode, then keep `playoutTarget` frames queued.
    /// After a stall of over 100 ms the grid resumes from now instead of replaying missed ticks.
    func serviceTickedAudio(_ session: PeerSession, now: Instant) {
        guard let due = nextAudioTick, now >= due else { return }
        let period = Duration.milliseconds(Int(configuration.ptime))
        nextAudioTick = now - due > .milliseconds(100) ? now.roundedUp(toMultipleOf: period) + period : due + period
        sendCaptured(session, now: now)
        refillPlayout(session, to: configuration.playoutTarget, now: now)
    }

    /// Encodes and sends every whole ptime frame waiting in the capture ring.
    private func sendCaptured(_ session: PeerSession, now: Instant) {
        let frames = Int(configuration.ptime) / 10, n = configuration.samplesPerFrame
        while (captureConsumer?.availableFrames ?? 0) >= frames {
            captureScratch.withUnsafeMutableBufferPointer { buf in
                for f in 0..<frames {
                    _ = captureConsumer!.pop(into: UnsafeMutableBufferPointer(rebasing: buf[f * n..<(f + 1) * n]))
                }
            }
            captureScratch.withUnsafeBufferPointer { session.sendAudio($0, capturedAt: now) }
        }
    }

    /// Pulls from the jitter buffer, `Configuration.framesPerPull` frames at a time, until the
    /// playout ring holds `frames` frames; returns the frames added.
    @discardableResult
    private func refillPlayout(_ session: PeerSession, to frames: Int, now: Instant) -> Int {
        guard let ring = playoutProducer?.ring else { return 0 }
        let perPull = configuration.framesPerPull, n = configuration.samplesPerFrame
        let start = ring.availableFrames
        var queued = start
        while queued < frames {
            playoutScratch.withUnsafeMutableBufferPointer { session.pullAudio(into: $0, at: now) }
            playoutScratch.withUnsafeBufferPointer { pcm in
                for f in 0..<perPull { _ = playoutProducer!.push(UnsafeBufferPointer(rebasing: pcm[f * n..<(f + 1) * n])) }
            }
            queued += perPull
        }
        return queued - start
    }
}
