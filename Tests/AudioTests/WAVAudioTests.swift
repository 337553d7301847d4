import Glibc
import MediaCore
import Testing
@testable import Audio

/// Builds a WAV byte by byte (little-endian), so tests can make headers the writer never would.
private struct RawWAV {
    var bytes: [UInt8] = []
    mutating func tag(_ s: String) { bytes += Array(s.utf8) }
    mutating func u16(_ v: UInt16) { bytes += [UInt8(v & 0xFF), UInt8(v >> 8)] }
    mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8((v >> (8 * UInt32(i))) & 0xFF)) } }
    mutating func chunk(_ id: String, _ body: [UInt8]) {
        tag(id); u32(UInt32(body.count)); bytes += body
        if body.count % 2 == 1 { bytes.append(0) }
    }
    static func fmt(tag: UInt16 = 1, channels: UInt16 = 1, rate: UInt32 = 16_000, bits: UInt16 = 16) -> [UInt8] {
        var f = RawWAV()
        f.u16(tag); f.u16(channels); f.u32(rate)
        f.u32(rate * UInt32(channels) * UInt32(bits / 8)); f.u16(channels * bits / 8); f.u16(bits)
        return f.bytes
    }
    static func file(_ chunks: [(String, [UInt8])], form: String = "WAVE", riff: String = "RIFF") -> [UInt8] {
        var body = RawWAV()
        for (id, b) in chunks { body.chunk(id, b) }
        var w = RawWAV()
        w.tag(riff); w.u32(UInt32(4 + body.bytes.count)); w.tag(form); w.bytes += body.bytes
        return w.bytes
    }
}

private func pcmBytes(_ s: [Int16]) -> [UInt8] { s.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] } }

@Suite struct WAVAudioTests {
    @Test func pcm16MonoAndStereoRoundTrip() throws {
        let mono = WAVAudio(sampleRate: 16_000, channels: 1, samples: .pcm16([0, 1, -1, .max, .min, 1234]))
        #expect(try WAVAudio(bytes: mono.serialized()) == mono)
        let stereo = WAVAudio(sampleRate: 44_100, channels: 2, samples: .pcm16((0..<200).map { Int16($0 * 97 - 9_000) }))
        let bytes = stereo.serialized()
        #expect(bytes.count == 44 + 400)
        let back = try WAVAudio(bytes: bytes)
        #expect(back == stereo)
        #expect(back.frameCount == 100)
    }

    @Test func float32RoundTripsPlainAndExtensible() throws {
        let audio = WAVAudio(sampleRate: 48_000, channels: 2, samples: .float32([0, 0.5, -0.25, 1, -1, 0.125]))
        let plain = audio.serialized()
        #expect(plain[20] == 3 && plain[21] == 0)  // WAVE_FORMAT_IEEE_FLOAT
        #expect(try WAVAudio(bytes: plain) == audio)
        let ext = audio.serialized(extensible: true)
        #expect(ext[20] == 0xFE && ext[21] == 0xFF)  // WAVE_FORMAT_EXTENSIBLE
        #expect(try WAVAudio(bytes: ext) == audio)
        let pcmExt = WAVAudio(sampleRate: 8_000, channels: 1, samples: .pcm16([5, -5, 300]))
        #expect(try WAVAudio(bytes: pcmExt.serialized(extensible: true)) == pcmExt)
    }

    @Test func conversionsBetweenPCM16AndFloat() {
        let f = WAVAudio(sampleRate: 8_000, channels: 1, samples: .float32([0, 1, -1, 2, 0.5]))
        #expect(f.pcm16 == [0, 32_767, -32_767, 32_767, 16_384])
        let p = WAVAudio(sampleRate: 8_000, channels: 1, samples: .pcm16([0, -32_768, 16_384]))
        #expect(p.float32 == [0, -1, 0.5])
    }

    @Test func unknownChunksAndOddPaddingAreSkipped() throws {
        let samples: [Int16] = [10, -20, 30]
        let bytes = RawWAV.file([("LIST", [1, 2, 3]), ("fmt ", RawWAV.fmt()), ("junk", [9]), ("data", pcmBytes(samples)), ("tail", [1, 2])])
        let audio = try WAVAudio(bytes: bytes)
        #expect(audio.samples == .pcm16(samples))
        #expect(audio.sampleRate == 16_000)
    }

    @Test func aTrailingPartialFrameIsDropped() throws {
        let bytes = RawWAV.file([("fmt ", RawWAV.fmt(channels: 2)), ("data", pcmBytes([1, 2, 3]))])
        #expect(try WAVAudio(bytes: bytes).samples == .pcm16([1, 2]))
    }

    @Test func badHeadersThrowTypedErrors() {
        let data = ("data", pcmBytes([1, 2]))
        func rejects(_ bytes: [UInt8], _ expected: ParseError? = nil, _ comment: Comment) {
            do {
                _ = try WAVAudio(bytes: bytes)
                Issue.record("accepted: \(comment)")
            } catch {
                if let expected { #expect(error == expected, comment) }
            }
        }
        rejects(RawWAV.file([("fmt ", RawWAV.fmt()), data], riff: "RIFX"),
                .invalidValue(field: "RIFF", reason: "not a RIFF file"), "wrong RIFF")
        rejects(RawWAV.file([("fmt ", RawWAV.fmt()), data], form: "AVI "),
                .invalidValue(field: "WAVE", reason: "RIFF form is not WAVE"), "wrong WAVE")
        rejects(RawWAV.file([data]), .invalidValue(field: "data", reason: "data chunk before fmt chunk"), "data without fmt")
        rejects(RawWAV.file([("LIST", [0, 0])]), .invalidValue(field: "fmt", reason: "no fmt chunk"), "missing fmt")
        rejects(RawWAV.file([("fmt ", RawWAV.fmt())]), .invalidValue(field: "data", reason: "no data chunk"), "missing data")
        rejects(RawWAV.file([("fmt ", RawWAV.fmt(bits: 12)), data]), .unsupported("12-bit PCM (only 16-bit)"), "12-bit")
        rejects(RawWAV.file([("fmt ", RawWAV.fmt(tag: 3, bits: 64)), data]), .unsupported("64-bit float (only 32-bit)"), "double")
        rejects(RawWAV.file([("fmt ", RawWAV.fmt(tag: 2)), data]), .unsupported("WAV format tag 0x2"), "ADPCM")
        rejects(RawWAV.file([("fmt ", RawWAV.fmt(channels: 0)), data]), nil, "zero channels")
        rejects(RawWAV.file([("fmt ", Array(RawWAV.fmt().prefix(10))), data]), nil, "short fmt")
        var badAlign = RawWAV.fmt()
        badAlign[12] = 3
        rejects(RawWAV.file([("fmt ", badAlign), data]), nil, "blockAlign")
        // Truncated: the data chunk claims more bytes than the file holds.
        let whole = RawWAV.file([("fmt ", RawWAV.fmt()), ("data", pcmBytes([1, 2, 3, 4]))])
        rejects(Array(whole.dropLast(3)), nil, "truncated data")
        rejects(Array(whole.prefix(30)), nil, "truncated fmt")
        rejects(Array(whole.prefix(6)), .truncated(offset: 4, needed: 2), "truncated RIFF header")
        rejects([], nil, "empty")
    }

    @Test func randomAndMutatedBytesNeverTrapTheParser() {
        var rng = SplitMix64(seed: 0x3A7)
        let valid = WAVAudio(sampleRate: 16_000, channels: 2, samples: .pcm16((0..<64).map { Int16($0) })).serialized(extensible: true)
        var parsed = 0
        for i in 0..<2_000 {
            var bytes: [UInt8]
            if i % 2 == 0 {
                bytes = (0..<Int(rng.next() % 128)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if i % 4 == 0, bytes.count >= 12 { bytes.replaceSubrange(0..<12, with: Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVE".utf8)) }
            } else {
                // A valid file with a few bytes changed and maybe cut short.
                bytes = valid
                for _ in 0..<(1 + rng.next() % 4) { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
                bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))))
            }
            if let audio = try? WAVAudio(bytes: bytes) {
                parsed += 1
                #expect(audio.samples.count % audio.channels == 0)
            }
        }
        #expect(parsed > 0)
    }

    @Test func filesRoundTripThroughThePathHelpers() throws {
        let path = "/tmp/swiftrealtime-wav-\(getpid()).wav"
        defer { unlink(path) }
        let audio = WAVAudio(sampleRate: 24_000, channels: 1, samples: .pcm16((0..<2_400).map { Int16(truncatingIfNeeded: $0 * 31) }))
        try audio.write(to: path)
        #expect(try WAVAudio(contentsOf: path) == audio)
        #expect(throws: WAVFileError.io(path: "/nonexistent/x.wav", errno: ENOENT)) { _ = try WAVAudio(contentsOf: "/nonexistent/x.wav") }
    }
}
