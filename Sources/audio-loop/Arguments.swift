import NetSim

/// Command-line options of `audio-loop`.
struct Arguments {
    var output = "audio-loop.wav"
    var presetName = "lossy-wifi"
    var preset = LinkProfile.lossyWiFi
    var seconds = 10
    var ptimeMs = 20
    var seed: UInt64 = 1

    static let usage = "usage: audio-loop [--out FILE.wav] [--preset wifi|lan|lossy-wifi|cellular] [--seconds N] [--ptime 10|20] [--seed N]"

    /// Parses `args` (without the program name); returns an error message on bad input.
    static func parse(_ args: [String]) -> Result<Arguments, ArgumentError> {
        var a = Arguments()
        var i = 0
        func value() -> String? {
            i += 1
            return i < args.count ? args[i] : nil
        }
        while i < args.count {
            switch args[i] {
            case "--out":
                guard let v = value() else { return .failure(.init("--out needs a path")) }
                a.output = v
            case "--preset":
                guard let v = value(), let p = LinkProfile.named(v) else { return .failure(.init("--preset takes wifi, lan, lossy-wifi or cellular")) }
                a.presetName = v
                a.preset = p
            case "--seconds":
                guard let v = value(), let n = Int(v), (1...3_600).contains(n) else { return .failure(.init("--seconds takes 1...3600")) }
                a.seconds = n
            case "--ptime":
                guard let v = value(), let n = Int(v), n == 10 || n == 20 else { return .failure(.init("--ptime takes 10 or 20")) }
                a.ptimeMs = n
            case "--seed":
                guard let v = value(), let n = UInt64(v) else { return .failure(.init("--seed takes an unsigned integer")) }
                a.seed = n
            case "-h", "--help":
                return .failure(.init(usage))
            default:
                return .failure(.init("unknown option \(args[i])\n\(usage)"))
            }
            i += 1
        }
        return .success(a)
    }
}

struct ArgumentError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
