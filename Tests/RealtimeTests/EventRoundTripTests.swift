import Testing
@testable import Realtime

@Suite struct EventRoundTripTests {
    @Test func samplesCoverEveryGAEventType() {
        #expect(Set(EventSamples.client.map(\.type)) == Set(ClientEvent.typeNames))
        #expect(ClientEvent.typeNames.count == 11)
        #expect(Set(EventSamples.server.map(\.type)) == Set(ServerEvent.typeNames))
    }

    @Test(arguments: EventSamples.client)
    func clientEventSurvivesEncodeAndDecode(_ event: ClientEvent) throws {
        let text = event.jsonText
        let decoded = try ClientEvent(jsonText: text)
        #expect(decoded == event)
        #expect(decoded.jsonText == text)
    }

    @Test(arguments: EventSamples.server)
    func serverEventSurvivesEncodeAndDecode(_ event: ServerEvent) throws {
        let text = event.jsonText
        let decoded = try ServerEvent(jsonBytes: Array(text.utf8))
        #expect(decoded == event)
        #expect(decoded.jsonText == text)
    }

    @Test func encodedEventsPutTypeFirstAndKeepEventID() throws {
        let text = ClientEvent(eventID: "evt_9", .inputAudioBufferCommit).jsonText
        #expect(text == #"{"type":"input_audio_buffer.commit","event_id":"evt_9"}"#)
        let server = ServerEvent(eventID: "event_X", .inputAudioBufferCleared).jsonText
        #expect(server == #"{"type":"input_audio_buffer.cleared","event_id":"event_X"}"#)
    }
}
