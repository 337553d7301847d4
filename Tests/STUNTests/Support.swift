/// Bytes from hex text as RFCs print it (whitespace ignored).
func hex(_ s: String) -> [UInt8] {
    let digits = Array(s.unicodeScalars.filter { !$0.properties.isWhitespace })
    precondition(digits.count % 2 == 0, "odd hex digit count in a test constant")
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1].map(Character.init)), radix: 16)! }
}

/// A seeded generator (SplitMix64) so the random-input tests replay exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random bytes, truncations and bit flips of the seeds: the inputs of the no-trap loops.
func mutatedInputs(seeds: [[UInt8]], count: Int, seed: UInt64) -> [[UInt8]] {
    var rng = SeededGenerator(seed: seed)
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
