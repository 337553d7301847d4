import MediaCore
import Testing
import TestSupport
@testable import DCEP

@Suite struct DCEPTests {
    static let channelTypes: [(DataChannelType, UInt8, UInt32)] = [
        (.reliable, 0x00, 0),
        (.reliableUnordered, 0x80, 0),
        (DataChannelType(ordered: true, reliability: .partialRetransmit(maxRetransmits: 3)), 0x01, 3),
        (DataChannelType(ordered: false, reliability: .partialRetransmit(maxRetransmits: 0)), 0x81, 0),
        (DataChannelType(ordered: true, reliability: .partialTimed(lifetimeMilliseconds: 1500)), 0x02, 1500),
        (DataChannelType(ordered: false, reliability: .partialTimed(lifetimeMilliseconds: 250)), 0x82, 250),
    ]

    static func bytes(_ m: DCEPMessage) -> [UInt8] {
        var w = ByteWriter()
        m.serialize(into: &w)
        return w.bytes
    }

    @Test(arguments: 0..<6) func openRoundTripsForEachChannelType(index: Int) throws {
        let (type, raw, parameter) = Self.channelTypes[index]
        let open = DataChannelOpen(channelType: type, priority: DataChannelOpen.priorityHigh, label: "oai-events", protocol: "json")
        let bytes = Self.bytes(.open(open))
        #expect(bytes[0] == 0x03)
        #expect(bytes[1] == raw)
        #expect(Array(bytes[2..<4]) == [0x02, 0x00])
        var r = ByteReader(bytes[4..<8])
        #expect(try r.readUInt32() == parameter)
        #expect(Array(bytes[8..<12]) == [0, 10, 0, 4])
        #expect(bytes.count == 12 + 10 + 4)
        #expect(try DCEPMessage(parsing: bytes) == .open(open))
    }

    @Test func ackIsOneByteAndRoundTrips() throws {
        #expect(Self.bytes(.ack) == [0x02])
        #expect(try DCEPMessage(parsing: [0x02]) == .ack)
    }

    @Test func unicodeLabelAndEmptyProtocolRoundTrip() throws {
        let open = DataChannelOpen(channelType: .reliable, label: "données-✓", protocol: "")
        #expect(try DCEPMessage(parsing: Self.bytes(.open(open))) == .open(open))
    }

    @Test func reliabilityParameterOfReliableChannelsIsIgnored() throws {
        let bytes: [UInt8] = [0x03, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x01, 0x00, 0x00, 0x78]
        let m = try DCEPMessage(parsing: bytes)
        #expect(m == .open(DataChannelOpen(channelType: .reliableUnordered, priority: 256, label: "x")))
    }

    @Test func malformedMessagesThrowTypedErrors() {
        let good = Self.bytes(.open(DataChannelOpen(channelType: .reliable, label: "chat", protocol: "p")))
        #expect(parseError([]) == .truncated(offset: 0, needed: 1))
        #expect(parseError([0x04]) == .invalidValue(field: "DCEP message type", reason: "0x4"))
        #expect(parseError(Array(good.prefix(11))) != nil)                 // header cut
        #expect(parseError(Array(good.dropLast())) != nil)                 // protocol cut
        var badType = good; badType[1] = 0x03
        #expect(parseError(badType) == .invalidValue(field: "DCEP channel type", reason: "0x3"))
        var badUTF8 = good; badUTF8[12] = 0xFF
        #expect(parseError(badUTF8) == .invalidValue(field: "DCEP label", reason: "not UTF-8"))
    }

    @Test func payloadProtocolIdentifiersMatchRFC8831() {
        #expect(PayloadProtocolIdentifier.dcep.rawValue == 50)
        #expect(PayloadProtocolIdentifier.forSending(isString: true, isEmpty: false).rawValue == 51)
        #expect(PayloadProtocolIdentifier.forSending(isString: false, isEmpty: false).rawValue == 53)
        #expect(PayloadProtocolIdentifier.forSending(isString: true, isEmpty: true).rawValue == 56)
        #expect(PayloadProtocolIdentifier.forSending(isString: false, isEmpty: true).rawValue == 57)
        #expect(PayloadProtocolIdentifier(rawValue: 54).isString && PayloadProtocolIdentifier(rawValue: 54).isDeprecatedPartial)
        #expect(PayloadProtocolIdentifier(rawValue: 52).isBinary && PayloadProtocolIdentifier(rawValue: 52).isDeprecatedPartial)
        #expect(PayloadProtocolIdentifier.stringEmpty.isEmptyMessage && !PayloadProtocolIdentifier.string.isEmptyMessage)
        #expect(!PayloadProtocolIdentifier.dcep.isString && !PayloadProtocolIdentifier.dcep.isBinary)
    }

    @Test func randomAndMutatedInputNeverTrapsAndRoundTrips() throws {
        let seeds = Self.channelTypes.map { Self.bytes(.open(DataChannelOpen(channelType: $0.0, label: "label", protocol: "proto"))) } + [[0x02]]
        var parsed = 0
        for input in mutatedInputs(seeds: seeds, count: 20_000, seed: 0xDC) {
            guard let m = try? DCEPMessage(parsing: input) else { continue }
            parsed += 1
            #expect(try DCEPMessage(parsing: Self.bytes(m)) == m)
        }
        #expect(parsed > 1_000)
    }
}

/// The typed error parsing `input` throws, or nil when it parses.
func parseError(_ input: [UInt8]) -> ParseError? {
    do {
        _ = try DCEPMessage(parsing: input)
        return nil
    } catch {
        return error
    }
}
