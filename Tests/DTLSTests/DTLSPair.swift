import DTLS
import SDP
import MediaCore

/// Two endpoints joined by an in-memory datagram link, pumped in rounds until quiet. `filter`
/// may drop or alter datagrams in flight (loss, corruption), by direction and sequence.
struct DTLSPair {
    let client: DTLSEndpoint
    let server: DTLSEndpoint
    var clientEvents: [DTLSEndpoint.Event] = []
    var serverEvents: [DTLSEndpoint.Event] = []
    var sent = 0
    var largestDatagram = 0

    init(client: DTLSEndpoint, server: DTLSEndpoint) {
        self.client = client
        self.server = server
    }

    /// Moves datagrams both ways until neither side has anything to send (or `rounds` runs out).
    mutating func pump(at now: Instant, rounds: Int = 20,
                       filter: (_ fromClient: Bool, _ index: Int, _ datagram: [UInt8]) -> [UInt8]? = { _, _, d in d }) {
        for _ in 0..<rounds {
            var moved = false
            while let d = client.pollTransmit() {
                moved = true; sent += 1; largestDatagram = max(largestDatagram, d.count)
                if let d = filter(true, sent, d) { server.handle(datagram: d, at: now) }
            }
            while let d = server.pollTransmit() {
                moved = true; sent += 1; largestDatagram = max(largestDatagram, d.count)
                if let d = filter(false, sent, d) { client.handle(datagram: d, at: now) }
            }
            while let e = client.pollEvent() { clientEvents.append(e) }
            while let e = server.pollEvent() { serverEvents.append(e) }
            if !moved { return }
        }
    }

    static func make(clientExpects: [Fingerprint]? = nil, serverExpects: [Fingerprint]? = nil,
                     clientCertificate: DTLSCertificate = .shared, serverCertificate: DTLSCertificate,
                     clientProfiles: [SRTPProfileChoice] = [.gcm, .cm], serverProfiles: [SRTPProfileChoice] = [.gcm, .cm],
                     mtu: Int = 1200) throws -> DTLSPair {
        let client = try DTLSEndpoint(role: .client, remoteFingerprints: clientExpects ?? [serverCertificate.fingerprint],
                                      certificate: clientCertificate, srtpProfiles: clientProfiles.map(\.profile), mtu: mtu)
        let server = try DTLSEndpoint(role: .server, remoteFingerprints: serverExpects ?? [clientCertificate.fingerprint],
                                      certificate: serverCertificate, srtpProfiles: serverProfiles.map(\.profile), mtu: mtu)
        return DTLSPair(client: client, server: server)
    }
}

import SRTP
enum SRTPProfileChoice {
    case gcm, cm
    var profile: SRTPProfile { self == .gcm ? .aeadAES128GCM : .aes128CMHMACSHA1_80 }
}

extension DTLSEndpoint.Event {
    var keys: SRTPKeyingMaterial? {
        if case let .connected(k) = self { return k }
        return nil
    }
    var failure: DTLSError? {
        if case let .failed(e) = self { return e }
        return nil
    }
}
