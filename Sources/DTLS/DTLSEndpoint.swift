internal import COpenSSL
import MediaCore
import SDP
import SRTP

/// One DTLS 1.2 association for DTLS-SRTP (RFC 5764) and SCTP data channels, over OpenSSL with
/// no socket: received datagrams go in, datagrams to send come out.
///
/// Driving contract (sans-IO): after `start`, `handle(datagram:at:)`, `handleTimeout(at:)`,
/// `send(_:)` or `close()`, drain `pollTransmit()` and `pollEvent()` until they return nil, then
/// arm a timer for `pollTimeout()`.
///
/// Retransmission timers: OpenSSL keeps its own clock for them (`DTLSv1_get_timeout`,
/// `DTLSv1_handle_timeout`), so `pollTimeout` is "now + what OpenSSL says remains", and a timer
/// only fires once that much real time has passed. The first retransmission comes after 100 ms,
/// doubling to a 3 s cap (`DTLS_set_timer_cb`), instead of OpenSSL's 1 s start.
public final class DTLSEndpoint {
    public enum Role: Sendable, Equatable { case client, server }

    public enum State: Sendable, Equatable { case new, connecting, connected, closed, failed }

    public enum Event: Sendable, Equatable {
        /// The handshake finished, the peer's certificate matched its SDP fingerprint, and SRTP
        /// keys were exported for the negotiated profile.
        case connected(SRTPKeyingMaterial)
        /// A record of application data (an SCTP packet, for data channels).
        case applicationData([UInt8])
        /// The peer sent close_notify.
        case closed
        case failed(DTLSError)
    }

    public let role: Role
    public private(set) var state: State = .new
    public private(set) var remoteFingerprints: [Fingerprint]
    /// The peer certificate's fingerprint, once the handshake has shown it.
    public private(set) var peerFingerprint: Fingerprint?
    /// Datagrams that were not DTLS or that OpenSSL rejected, dropped and counted.
    public private(set) var droppedDatagrams = 0

    private let ssl: OpaquePointer
    private let readBIO: OpaquePointer
    private let outbox: DatagramOutbox
    private var events: [Event] = []
    private var lastNow = Instant.zero
    private var readBuffer = [UInt8](repeating: 0, count: 16_384)

    /// - Parameters:
    ///   - remoteFingerprints: the peer's `a=fingerprint` values; its certificate must match one.
    ///   - mtu: the largest datagram to emit (ICE over UDP: 1200 keeps clear of fragmentation).
    public init(role: Role, remoteFingerprints: [Fingerprint], certificate: DTLSCertificate = .shared,
                srtpProfiles: [SRTPProfile] = [.aeadAES128GCM, .aes128CMHMACSHA1_80], mtu: Int = 1200) throws(DTLSError) {
        self.role = role
        self.remoteFingerprints = remoteFingerprints
        let ctx = try DTLSContextCache.context(certificate: certificate, profiles: srtpProfiles)
        outbox = DatagramOutbox(mtu: mtu)
        guard let ssl = SSL_new(ctx) else { throw .setup(drainOpenSSLErrors("SSL_new")) }
        guard let rbio = BIO_new(BIO_s_mem()), let wbio = DatagramBIO.make(outbox: outbox) else {
            SSL_free(ssl)
            throw .setup(drainOpenSSLErrors("BIO_new"))
        }
        // An empty memory BIO means "no datagram yet", not end of stream.
        _ = sr_BIO_set_mem_eof_return(rbio, -1)
        SSL_set_bio(ssl, rbio, wbio)   // the SSL owns both BIOs from here
        _ = sr_DTLS_set_link_mtu(ssl, mtu)
        DTLS_set_timer_cb(ssl) { _, previous in previous == 0 ? 100_000 : min(previous * 2, 3_000_000) }
        if role == .client { SSL_set_connect_state(ssl) } else { SSL_set_accept_state(ssl) }
        self.ssl = ssl
        readBIO = rbio
    }

    deinit {
        SSL_free(ssl)   // frees both BIOs before `outbox` can go
    }

    /// Replaces the expected fingerprints (an offerer learns them from the answer).
    public func setRemoteFingerprints(_ fingerprints: [Fingerprint]) {
        remoteFingerprints = fingerprints
    }

    /// Begins the handshake: the client sends its ClientHello; the server starts waiting.
    public func start(at now: Instant) {
        lastNow = now
        guard state == .new else { return }
        state = .connecting
        if role == .client { advanceHandshake() }
    }

    /// Feeds one received datagram (already classified as DTLS by the RFC 7983 demux).
    public func handle(datagram: [UInt8], at now: Instant) {
        lastNow = now
        guard state == .connecting || state == .connected || state == .new, !datagram.isEmpty else {
            droppedDatagrams += 1
            return
        }
        if state == .new { state = .connecting }   // a server may hear the ClientHello before start
        let written = datagram.withUnsafeBytes { BIO_write(readBIO, $0.baseAddress, Int32($0.count)) }
        guard written == Int32(datagram.count) else { droppedDatagrams += 1; return }
        if state == .connecting { advanceHandshake() }
        if state == .connected { readApplicationData() }
        // Whatever OpenSSL did not consume (a bad record it skipped) must not leak into the next.
        if sr_BIO_pending(readBIO) > 0 { _ = sr_BIO_reset(readBIO); droppedDatagrams += 1 }
    }

    /// Retransmits the last flight if OpenSSL's timer has expired.
    public func handleTimeout(at now: Instant) {
        lastNow = now
        guard state == .connecting else { return }
        if sr_DTLSv1_handle_timeout(ssl) < 0 {
            fail(.handshake("retransmission limit reached: \(drainOpenSSLErrors("no answer from the peer"))"))
        }
    }

    /// When `handleTimeout` should next be called, if a handshake flight awaits an answer.
    public func pollTimeout() -> Instant? {
        guard state == .connecting else { return nil }
        var tv = timeval()
        guard sr_DTLSv1_get_timeout(ssl, &tv) == 1 else { return nil }
        return lastNow + .microseconds(Int(tv.tv_sec) * 1_000_000 + Int(tv.tv_usec))
    }

    public func pollTransmit() -> [UInt8]? {
        outbox.datagrams.isEmpty ? nil : outbox.datagrams.removeFirst()
    }

    public func pollEvent() -> Event? {
        events.isEmpty ? nil : events.removeFirst()
    }

    /// Sends one record of application data (`SSL_write`).
    public func send(_ data: [UInt8]) throws(DTLSError) {
        guard state == .connected else { throw .notConnected }
        let n = data.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        guard n == Int32(data.count) else {
            throw .handshake(drainOpenSSLErrors("SSL_write failed"))
        }
    }

    /// Sends close_notify and stops.
    public func close() {
        guard state == .connected || state == .connecting else { return }
        _ = SSL_shutdown(ssl)
        state = .closed
    }

    // MARK: - Internals

    private func advanceHandshake() {
        let r = SSL_do_handshake(ssl)
        if r == 1 {
            finishHandshake()
            return
        }
        let error = SSL_get_error(ssl, r)
        if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE { return }
        fail(.handshake(drainOpenSSLErrors("SSL error \(error)")))
    }

    private func finishHandshake() {
        guard let peer = SSL_get1_peer_certificate(ssl) else { return fail(.noPeerCertificate) }
        defer { X509_free(peer) }
        let hash = remoteFingerprints.first?.hashFunction ?? .sha256
        let got = DTLSCertificate.fingerprint(of: peer, hashFunction: hash)
            ?? DTLSCertificate.fingerprint(of: peer, hashFunction: .sha256)!
        peerFingerprint = got
        let matches = remoteFingerprints.contains { expected in
            DTLSCertificate.fingerprint(of: peer, hashFunction: expected.hashFunction) == expected
        }
        guard matches else { return fail(.fingerprintMismatch(expected: remoteFingerprints, got: got)) }
        guard let selected = SSL_get_selected_srtp_profile(ssl),
              let profile = SRTPProfile(rawValue: UInt16(truncatingIfNeeded: selected.pointee.id)) else {
            return fail(.noSRTPProfile)
        }
        var material = [UInt8](repeating: 0, count: profile.keyingMaterialLength)
        let label = "EXTRACTOR-dtls_srtp"
        guard SSL_export_keying_material(ssl, &material, material.count, label, label.utf8.count, nil, 0, 0) == 1 else {
            return fail(.handshake(drainOpenSSLErrors("exporting SRTP keys")))
        }
        do {
            let keys = try SRTPKeyingMaterial(profile: profile, exported: material, role: role == .client ? .client : .server)
            state = .connected
            events.append(.connected(keys))
        } catch {
            fail(.handshake("\(error)"))
        }
    }

    private func readApplicationData() {
        while state == .connected {
            let n = readBuffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if n > 0 {
                events.append(.applicationData(Array(readBuffer[0..<Int(n)])))
                continue
            }
            let error = SSL_get_error(ssl, n)
            switch error {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return
            case SSL_ERROR_ZERO_RETURN:
                state = .closed
                events.append(.closed)
                return
            default:
                // A record that fails to decrypt is dropped by OpenSSL for DTLS; anything else is fatal.
                fail(.handshake(drainOpenSSLErrors("SSL_read error \(error)")))
                return
            }
        }
    }

    private func fail(_ error: DTLSError) {
        guard state != .failed else { return }
        state = .failed
        events.append(.failed(error))
    }
}
