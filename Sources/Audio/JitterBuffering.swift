import MediaCore

/// The tick interface every jitter-buffer policy offers (the adaptive `JitterBuffer` and the
/// baseline `FixedJitterBuffer`), so a call, a test or the benchmark can drive either the same way.
///
/// Driving contract: call `insert` for each packet as it arrives (arrival instants never go
/// backwards), and `pull` once per output tick with that tick's instant. Neither reads a clock.
public protocol JitterBuffering {
    /// Samples per channel that every `pull` writes (one output tick).
    var samplesPerTick: Int { get }
    var channels: Int { get }
    var statistics: JitterBufferStatistics { get }
    /// The delay the buffer holds right now (nil before playout starts).
    var currentDelay: Duration? { get }

    /// Accepts one RTP payload that arrived at `now`. Bad input is counted, never trapped on.
    mutating func insert(sequenceNumber: SequenceNumber, timestamp: RTPTimestamp, payload: [UInt8], at now: Instant)

    /// Writes exactly `samplesPerTick × channels` interleaved samples for the tick at `now`.
    mutating func pull(at now: Instant, into output: UnsafeMutableBufferPointer<Int16>)
}

extension JitterBuffering {
    /// Pulls one tick into an array, resizing it to one tick if needed.
    public mutating func pull(at now: Instant, into output: inout [Int16]) {
        let n = samplesPerTick * channels
        if output.count != n { output = [Int16](repeating: 0, count: n) }
        output.withUnsafeMutableBufferPointer { pull(at: now, into: $0) }
    }
}
