import MediaCore

/// Bytes from hex text as RFCs print it (whitespace ignored).
public func hex(_ s: String) -> [UInt8] {
    let digits = Array(s.unicodeScalars.filter { !$0.properties.isWhitespace })
    precondition(digits.count % 2 == 0, "odd hex digit count in a test constant")
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1].map(Character.init)), radix: 16)! }
}

/// Random bytes, truncations and bit flips of the seeds: the inputs of the no-trap loops.
public func mutatedInputs(seeds: [[UInt8]], count: Int, seed: UInt64) -> [[UInt8]] {
    var rng = SplitMix64(seed: seed)
    var out: [[UInt8]] = []
    out.reserveCapacity(count)
    for i in 0..<count {
        let base = seeds[i % seeds.count]
        switch i % 4 {
        case 0:
            out.append((0..<Int.random(in: 0..<160, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        case 1:
            out.append(Array(base.prefix(Int.random(in: 0...base.count, using: &rng))))
        case 2:
            var b = base
            for _ in 0..<Int.random(in: 1...6, using: &rng) where !b.isEmpty {
                b[Int.random(in: 0..<b.count, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
            }
            out.append(b)
        default:
            var b = base
            for _ in 0..<Int.random(in: 1...4, using: &rng) where !b.isEmpty {
                b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            out.append(b)
        }
    }
    return out
}
