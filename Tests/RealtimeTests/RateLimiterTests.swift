import MediaCore
import Testing
@testable import Realtime

@Suite struct RateLimiterTests {
    @Test func tiersMatchTheProductTable() {
        let rows = RateLimitTier.allCases.map { [$0.requestsPerMinute, $0.requestsPerDay ?? -1, $0.tokensPerMinute] }
        #expect(rows == [[200, 1_000, 40_000], [400, -1, 200_000], [5_000, -1, 800_000], [10_000, -1, 4_000_000], [20_000, -1, 15_000_000]])
    }

    @Test func burstUpToTheLimitThenDeniedWithRetryAfter() {
        var l = RateLimiter(tier: .tier1)
        let t = Instant.zero
        for i in 0..<200 {
            let d = l.admit(estimatedTokens: 10, at: t)
            #expect(d.allowed, "request \(i)")
        }
        let denied = l.admit(estimatedTokens: 10, at: t)
        #expect(!denied.allowed)
        #expect(denied.limitedBy == .requests)
        // One request returns every 60 s / 200 = 300 ms.
        #expect(denied.retryAfter == .milliseconds(300))
        #expect(denied.rateLimits[0] == RateLimit(name: .requests, limit: 200, remaining: 0, resetSeconds: 60))
        #expect(!l.admit(estimatedTokens: 10, at: t + .milliseconds(299)).allowed)
        #expect(l.admit(estimatedTokens: 10, at: t + .milliseconds(300)).allowed)
    }

    @Test func deniedRequestConsumesNothing() {
        var l = RateLimiter(tier: .tier1)
        let t = Instant(nanoseconds: 5_000_000_000)
        let tooBig = l.admit(estimatedTokens: 40_001, at: t)
        #expect(!tooBig.allowed)
        #expect(tooBig.limitedBy == .tokens)
        #expect(l.rateLimits(at: t) == [
            RateLimit(name: .requests, limit: 200, remaining: 200, resetSeconds: 0),
            RateLimit(name: .tokens, limit: 40_000, remaining: 40_000, resetSeconds: 0),
        ])
    }

    @Test func tokensReplenishContinuously() {
        var l = RateLimiter(tier: .tier1)
        let t = Instant.zero
        #expect(l.admit(estimatedTokens: 40_000, at: t).allowed)
        let next = l.admit(estimatedTokens: 4_000, at: t)
        #expect(!next.allowed)
        #expect(next.limitedBy == .tokens)
        #expect(next.retryAfter == .seconds(6))  // 4,000 of 40,000 per minute
        let later = l.rateLimits(at: t + .seconds(30))
        #expect(later[1] == RateLimit(name: .tokens, limit: 40_000, remaining: 20_000, resetSeconds: 30))
        #expect(l.admit(estimatedTokens: 4_000, at: t + .seconds(6)).allowed)
    }

    @Test func settlingRefundsUnusedAndChargesOverrun() {
        var l = RateLimiter(tier: .tier2)
        let t = Instant.zero
        #expect(l.admit(estimatedTokens: 5_000, at: t).allowed)
        l.settle(estimatedTokens: 5_000, actualTokens: 1_000, at: t)
        #expect(l.rateLimits(at: t)[1].remaining == 199_000)
        l.settle(estimatedTokens: 0, actualTokens: 9_000, at: t)
        #expect(l.rateLimits(at: t)[1].remaining == 190_000)
    }

    @Test func absurdTokenEstimatesAreDeniedAndOverrunsNeverGoNegative() {
        var l = RateLimiter(tier: .tier1)
        #expect(!l.admit(estimatedTokens: Int.max, at: .zero).allowed)
        #expect(l.admit(estimatedTokens: 100, at: .zero).allowed)
        l.settle(estimatedTokens: 100, actualTokens: Int.max, at: .zero)
        let tokens = l.rateLimits(at: .zero)[1]
        #expect(tokens.remaining == 0)
        // The overrun leaves the limit empty (debt is capped at one window plus one unit).
        #expect(!l.admit(estimatedTokens: 1, at: .zero).allowed)
        #expect(l.rateLimits(at: Instant.zero + .seconds(30))[1].remaining < 20_000)
    }

    @Test func tierOneDailyCapBindsAfterAThousandRequests() {
        var l = RateLimiter(tier: .tier1)
        var t = Instant.zero
        var allowed = 0
        // 1,100 requests spread over 11 minutes: the minute limit never binds, the day cap does.
        for _ in 0..<1_100 {
            if l.admit(estimatedTokens: 1, at: t).allowed { allowed += 1 }
            t += .milliseconds(600)
        }
        #expect(allowed == 1_000 + 7)  // 660 s of replenishment at 1,000/day returns 7 requests.
        let entry = l.rateLimits(at: t)[0]
        #expect(entry.limit == 1_000)
    }

    @Test func rateLimitsUpdatedEventCarriesTheEntries() throws {
        var l = RateLimiter(tier: .tier5)
        let d = l.admit(estimatedTokens: 1_500, at: .zero)
        let event = ServerEvent(eventID: "event_rl", .rateLimitsUpdated(d.rateLimits))
        let decoded = try ServerEvent(jsonText: event.jsonText)
        #expect(decoded == event)
        #expect(d.rateLimits[0].remaining == 19_999)
        #expect(d.rateLimits[1].remaining == 15_000_000 - 1_500)
    }
}
