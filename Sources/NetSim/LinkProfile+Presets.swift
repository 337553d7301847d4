import MediaCore

/// Named link profiles. Numbers are deliberately simple and documented so results can be compared:
///
/// | preset      | base  | jitter (exponential)   | loss (Gilbert-Elliott)                          | other |
/// |-------------|-------|------------------------|-------------------------------------------------|-------|
/// | cleanLAN    | 1 ms  | mean 0.2 ms, cap 2 ms  | none                                            | FIFO  |
/// | wifi        | 4 ms  | mean 3 ms, cap 40 ms   | p 0.005, r 0.5, good 0, bad 0.5  (≈ 0.5 %)      | FIFO, 0.2 % reorder |
/// | lossyWiFi   | 5 ms  | mean 8 ms, cap 80 ms   | p 0.02, r 0.3, good 0.5 %, bad 50 % (≈ 3.6 %)   | FIFO, 0.5 % reorder, 0.2 % dup |
/// | cellular    | 40 ms | mean 12 ms, cap 150 ms | p 0.01, r 0.2, good 0.2 %, bad 30 % (≈ 1.6 %)   | FIFO, 0.2 % reorder |
extension LinkProfile {
    public static let cleanLAN = LinkProfile(
        baseLatency: .milliseconds(1),
        jitter: .exponential(mean: .microseconds(200), cap: .milliseconds(2)))

    public static let wifi = LinkProfile(
        baseLatency: .milliseconds(4),
        jitter: .exponential(mean: .milliseconds(3), cap: .milliseconds(40)),
        loss: GilbertElliottLoss(p: 0.005, r: 0.5, lossInGood: 0, lossInBad: 0.5),
        reorderProbability: 0.002)

    public static let lossyWiFi = LinkProfile(
        baseLatency: .milliseconds(5),
        jitter: .exponential(mean: .milliseconds(8), cap: .milliseconds(80)),
        loss: GilbertElliottLoss(p: 0.02, r: 0.3, lossInGood: 0.005, lossInBad: 0.5),
        reorderProbability: 0.005,
        duplicateProbability: 0.002)

    public static let cellular = LinkProfile(
        baseLatency: .milliseconds(40),
        jitter: .exponential(mean: .milliseconds(12), cap: .milliseconds(150)),
        loss: GilbertElliottLoss(p: 0.01, r: 0.2, lossInGood: 0.002, lossInBad: 0.3),
        reorderProbability: 0.002)

    /// A preset by its command-line name (`lan`, `wifi`, `lossy-wifi`, `cellular`).
    public static func named(_ name: String) -> LinkProfile? {
        switch name {
        case "lan", "clean-lan": return .cleanLAN
        case "wifi": return .wifi
        case "lossy-wifi": return .lossyWiFi
        case "cellular": return .cellular
        default: return nil
        }
    }
}
