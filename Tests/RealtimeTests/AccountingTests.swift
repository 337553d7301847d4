import MediaCore
import Testing
@testable import Realtime

@Suite struct AccountingTests {
    @Test func textTokensAreUTF8BytesOverFourRoundedUp() {
        #expect(TokenEstimator.textTokens("") == 0)
        #expect(TokenEstimator.textTokens("abc") == 1)
        #expect(TokenEstimator.textTokens("abcd") == 1)
        #expect(TokenEstimator.textTokens("abcde") == 2)
        #expect(TokenEstimator.textTokens("héllo") == 2)  // 6 bytes
    }

    @Test func audioTokensFollowTheDocumentedRates() {
        #expect(TokenEstimator.inputAudioTokens(.seconds(1)) == 10)
        #expect(TokenEstimator.inputAudioTokens(.milliseconds(101)) == 2)
        #expect(TokenEstimator.outputAudioTokens(.seconds(1)) == 20)
        #expect(TokenEstimator.outputAudioTokens(.zero) == 0)
        // One second of PCM16 at 24 kHz is 48,000 bytes; of G.711, 8,000.
        #expect(TokenEstimator.audioDuration(byteCount: 48_000, format: .pcm24k) == .seconds(1))
        #expect(TokenEstimator.audioDuration(byteCount: 8_000, format: .pcmu) == .seconds(1))
    }

    @Test func oneMillionTokensOfEachKindCostTheListPrice() {
        let m = 1_000_000
        #expect(Cost(Usage(input: .init(audioTokens: m))).usd == 10.00)
        #expect(Cost(Usage(input: .init(textTokens: m))).usd == 0.60)
        #expect(Cost(Usage(input: .init(textTokens: m, cachedTextTokens: m))).usd == 0.30)
        #expect(Cost(Usage(input: .init(audioTokens: m, cachedAudioTokens: m))).usd == 0.30)
        #expect(Cost(Usage(output: .init(textTokens: m))).usd == 2.40)
        #expect(Cost(Usage(output: .init(audioTokens: m))).usd == 20.00)
    }

    @Test func mixedUsageCostsAreExact() {
        // 1,000 text in (400 cached), 3,000 audio in (1,000 cached), 200 text out, 2,000 audio out:
        // 600×60 + 400×30 + 2000×1000 + 1000×30 + 200×240 + 2000×2000 micro-cents.
        let u = Usage(input: .init(textTokens: 1_000, audioTokens: 3_000, cachedTextTokens: 400, cachedAudioTokens: 1_000),
                      output: .init(textTokens: 200, audioTokens: 2_000))
        let c = Cost(u)
        #expect(c.totalMicroCents == 36_000 + 12_000 + 2_000_000 + 30_000 + 48_000 + 4_000_000)
        #expect(u.inputTokens == 4_000)
        #expect(u.outputTokens == 2_200)
        #expect(u.totalTokens == 6_200)
        #expect(u.input.cachedTokens == 1_400)
    }

    @Test func usageJSONHasTheGALayout() throws {
        let json = EventSamples.usage.json
        #expect(json == .object([
            "total_tokens": 237, "input_tokens": 165, "output_tokens": 72,
            "input_token_details": .object([
                "text_tokens": 120, "audio_tokens": 45, "cached_tokens": 100,
                "cached_tokens_details": .object(["text_tokens": 100, "audio_tokens": 0]),
            ]),
            "output_token_details": .object(["text_tokens": 12, "audio_tokens": 60]),
        ]))
        #expect(try Usage(json: json, path: "usage") == EventSamples.usage)
    }

    @Test func inconsistentUsageTotalsAreRejected() {
        let bad: JSONValue = .object(["total_tokens": 5, "input_tokens": 1, "output_tokens": 1])
        #expect(throws: RealtimeProtocolError.self) { try Usage(json: bad, path: "usage") }
    }

    @Test func hugeWireCountsAreRejectedNotOverflowed() throws {
        let huge: JSONValue = .object(["input_token_details": .object(["text_tokens": .integer(Int64.max), "audio_tokens": .integer(Int64.max)])])
        do {
            _ = try Usage(json: huge, path: "response.usage")
            Issue.record("accepted Int64.max tokens")
        } catch {
            #expect(error.code == .integerAboveMaxValue)
            #expect(error.param == "response.usage.input_token_details.text_tokens")
        }
        let transcription = #"{"type":"conversation.item.input_audio_transcription.completed","event_id":"e","item_id":"i","content_index":0,"transcript":"","usage":{"type":"tokens","input_tokens":9223372036854775807,"output_tokens":1,"total_tokens":0}}"#
        #expect(throws: RealtimeProtocolError.self) { try ServerEvent(jsonText: transcription) }
    }

    @Test func repeatedPrefixIsCached() {
        var cache = PromptCache()
        let instructions = InputSpan(modality: .text, tokens: 50, key: "instructions#1")
        let turn1 = InputSpan(modality: .audio, tokens: 30, key: "item_1/0")
        let reply1 = InputSpan(modality: .audio, tokens: 40, key: "item_2/0")
        let turn2 = InputSpan(modality: .audio, tokens: 25, key: "item_3/0")
        let first = cache.account([instructions, turn1])
        #expect(first.cachedTokens == 0)
        #expect(first.textTokens == 50 && first.audioTokens == 30)
        let second = cache.account([instructions, turn1, reply1, turn2])
        #expect(second.cachedTextTokens == 50)
        #expect(second.cachedAudioTokens == 30)
        #expect(second.audioTokens == 95)
        // Changing the instructions breaks the prefix: nothing after it is cached either.
        let third = cache.account([InputSpan(modality: .text, tokens: 50, key: "instructions#2"), turn1, reply1, turn2])
        #expect(third.cachedTokens == 0)
    }

    @Test func productConstants() {
        #expect(RealtimeLimits.contextWindowTokens == 128_000)
        #expect(RealtimeLimits.maximumOutputTokens == 4_096)
    }
}
