import Testing
@testable import MediaCore

@Suite struct SequenceAndTimestampTests {
    @Test func sequenceOrderingAcrossWrap() {
        #expect(SequenceNumber(65535) < SequenceNumber(0))
        #expect(SequenceNumber(0).distance(to: SequenceNumber(65535)) == -1)
        #expect(SequenceNumber(100) < SequenceNumber(101))
        #expect(!(SequenceNumber(101) < SequenceNumber(100)))
    }

    @Test func unwrapperIsMonotonicAcrossManyWraps() {
        var u = SequenceUnwrapper()
        var seq: UInt16 = 65_000
        var expected: Int64 = 65_000
        for _ in 0..<200_000 {
            #expect(u.unwrap(seq) == expected)
            seq &+= 1
            expected += 1
        }
    }

    @Test func unwrapperPlacesReorderedPacketsBeforeTheWrap() {
        var u = SequenceUnwrapper()
        #expect(u.unwrap(65534) == 65534)
        #expect(u.unwrap(1) == 65537)
        #expect(u.unwrap(65535) == 65535)   // late, from before the wrap
        #expect(u.unwrap(2) == 65538)
        u.reset()
        #expect(u.unwrap(7) == 7)
    }

    @Test func timestampDistanceAndUnwrap() {
        let a = RTPTimestamp(UInt32.max - 479)
        let b = a &+ 960
        #expect(a.distance(to: b) == 960)
        #expect(a < b)
        var u = TimestampUnwrapper(clockRate: 48_000)
        let t0 = u.unwrap(a)
        let t1 = u.unwrap(b)
        #expect(t1 - t0 == 960)
        #expect(t1.ticks == Int64(UInt32.max) - 479 + 960)
        #expect(u.unwrap(a &+ 480).ticks == t0.ticks + 480)   // reordered, lands between
    }

    @Test func mediaTimeConversions() {
        let t = MediaTime(ticks: 960, clockRate: 48_000)
        #expect(t.duration == .milliseconds(20))
        #expect(t.converted(to: 8_000).ticks == 160)
        #expect(MediaTime.ticks(in: .milliseconds(10), clockRate: 48_000) == 480)
    }

    @Test func instantArithmetic() {
        let t = Instant.zero + .milliseconds(20)
        #expect(t - Instant.zero == .microseconds(20_000))
        #expect((t - .seconds(1)) < Instant.zero)
        #expect(Duration.seconds(0.5) == .milliseconds(500))
    }

    @Test func ntpCompactForm() {
        let ntp = NTPTime(seconds: 0x1234_5678, fraction: 0x9ABC_DEF0)
        #expect(ntp.compact == 0x5678_9ABC)
        #expect(NTPTime.duration(compactUnits: 65_536) == .seconds(1))
        let fromUnix = NTPTime(unixNanoseconds: 1_500_000_000)
        #expect(fromUnix.seconds == UInt32(NTPTime.unixEpochOffset + 1))
        #expect(fromUnix.fraction == 1 << 31)
    }

    @Test func demuxTableOfRFC7983() {
        #expect(PacketClass(firstByte: 0) == .stun)
        #expect(PacketClass(firstByte: 3) == .stun)
        #expect(PacketClass(firstByte: 22) == .dtls)
        #expect(PacketClass(firstByte: 0x80) == .rtpOrRTCP)
        #expect(PacketClass(firstByte: 191) == .rtpOrRTCP)
        #expect(PacketClass(firstByte: 192) == .unknown)
        #expect(PacketClass(firstByte: 70) == .turnChannel)
        #expect(PacketClass(datagram: [UInt8]()) == .unknown)
        #expect(PacketClass.isRTCP([0x80, 200]))
        #expect(!PacketClass.isRTCP([0x80, 111]))
        #expect(!PacketClass.isRTCP([0x80, 0xEF]))   // PT 111 with marker
    }
}
