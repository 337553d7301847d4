import Foundation

/// The demo's input: alternating half-second segments of a vowel-like voiced sound (140 Hz with
/// falling harmonics and vibrato), a chirp from 200 Hz to 2 kHz, and near silence.
enum TestSignal {
    static func sample(_ n: Int, sampleRate: Int = 48_000) -> Int16 {
        let t = Double(n) / Double(sampleRate)
        let segment = Int(t / 0.5) % 4
        let local = t.truncatingRemainder(dividingBy: 0.5)
        var x: Double
        switch segment {
        case 0, 2:
            let f0 = 140 + 6 * sin(2 * .pi * 3 * t)
            x = 0
            for h in 1...8 { x += sin(2 * .pi * f0 * Double(h) * t) / Double(h * h) }
        case 1:
            // Linear chirp: phase = 2π(f0·τ + k·τ²/2), k = (2000 - 200) / 0.5.
            x = 0.8 * sin(2 * .pi * (200 * local + 1_800 * local * local))
        default:
            x = 0.01 * sin(2 * .pi * 440 * t)
        }
        // Soft edges between segments so the input itself has no clicks.
        let edge = min(1, min(local, 0.5 - local) / 0.005)
        return Int16(max(-32_000, min(32_000, 9_000 * x * edge)))
    }
}
