/// The Gilbert-Elliott two-state burst-loss model: a Markov chain between a good and a bad state,
/// each with its own loss probability. Bursts come from staying in the bad state.
///
/// Per packet: in Good, move to Bad with probability `p`; in Bad, move back with probability `r`;
/// then lose the packet with the current state's loss probability. The stationary share of Bad is
/// p / (p + r), so the long-run loss rate is `expectedLossRate`.
public struct GilbertElliottLoss: Sendable, Equatable {
    /// P(Good → Bad) per packet.
    public var p: Double
    /// P(Bad → Good) per packet (1 / r is the mean burst-state length in packets).
    public var r: Double
    /// Loss probability while Good (1 - k in Gilbert-Elliott notation).
    public var lossInGood: Double
    /// Loss probability while Bad (1 - h).
    public var lossInBad: Double
    /// The chain's current state.
    public private(set) var isBad = false

    public init(p: Double, r: Double, lossInGood: Double = 0, lossInBad: Double = 1) {
        self.p = p
        self.r = r
        self.lossInGood = lossInGood
        self.lossInBad = lossInBad
    }

    /// No loss at all.
    public static let none = GilbertElliottLoss(p: 0, r: 1, lossInGood: 0, lossInBad: 0)

    /// Independent (Bernoulli) loss at `rate`: one state, no bursts.
    public static func random(_ rate: Double) -> GilbertElliottLoss {
        GilbertElliottLoss(p: 0, r: 1, lossInGood: rate, lossInBad: rate)
    }

    /// The long-run loss probability: π_bad·lossInBad + π_good·lossInGood, π_bad = p / (p + r).
    public var expectedLossRate: Double {
        let sum = p + r
        guard sum > 0 else { return isBad ? lossInBad : lossInGood }
        let bad = p / sum
        return bad * lossInBad + (1 - bad) * lossInGood
    }

    /// Advances the chain by one packet and says whether that packet is lost.
    public mutating func nextIsLost(using rng: inout Xoshiro256StarStar) -> Bool {
        if isBad {
            if rng.chance(r) { isBad = false }
        } else {
            if rng.chance(p) { isBad = true }
        }
        return rng.chance(isBad ? lossInBad : lossInGood)
    }
}
