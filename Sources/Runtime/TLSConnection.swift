internal import COpenSSL
import Glibc
import MediaCore

/// A TLS 1.2+ client stream over a TCP socket (OpenSSL `SSL_connect`, `SSL_read`, `SSL_write` on a
/// non-blocking descriptor). The server's chain is verified against the system CA store
/// (`SSL_CTX_set_default_verify_paths`) or `caFile` (`SSL_CTX_load_verify_locations`), and its
/// name against `host` (`SSL_set1_host`, or `X509_VERIFY_PARAM_set1_ip_asc` for an address);
/// SNI carries the name (`SSL_ctrl(SSL_CTRL_SET_TLSEXT_HOSTNAME)`).
public final class TLSConnection: ByteStream {
    private let tcp: TCPStream
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private var isClosed = false

    public init(host: String, port: UInt16, caFile: String?, timeout: Duration) throws(TransportError) {
        let deadline = RuntimeClock.now() + timeout
        tcp = try TCPStream(host: host, port: port, timeout: timeout)
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { throw .tls("SSL_CTX_new failed") }
        context = ctx
        _ = sr_SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION)
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        let loaded = caFile.map { SSL_CTX_load_verify_locations(ctx, $0, nil) } ?? SSL_CTX_set_default_verify_paths(ctx)
        guard loaded == 1, let s = SSL_new(ctx) else {
            SSL_CTX_free(ctx)
            throw .tls(caFile.map { "cannot load CA file \($0)" } ?? "cannot load the system CA store")
        }
        ssl = s
        var address = in_addr()
        if inet_pton(AF_INET, host, &address) == 1 {
            _ = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(s), host)
        } else {
            _ = SSL_set1_host(s, host)
            _ = host.withCString { SSL_ctrl(s, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name), UnsafeMutableRawPointer(mutating: $0)) }
        }
        SSL_set_fd(s, tcp.fd)
        do throws(TransportError) {
            try handshake(deadline: deadline)
        } catch {
            close()   // frees once; deinit (which runs for a throwing init) then finds it closed
            throw error
        }
    }

    deinit { close() }

    private func handshake(deadline: Instant) throws(TransportError) {
        while true {
            ERR_clear_error()
            let r = SSL_connect(ssl)
            if r == 1 { return }
            let e = SSL_get_error(ssl, r)
            switch e {
            case SSL_ERROR_WANT_READ: try wait(Int16(POLLIN), deadline: deadline, what: "in the TLS handshake")
            case SSL_ERROR_WANT_WRITE: try wait(Int16(POLLOUT), deadline: deadline, what: "in the TLS handshake")
            default:
                let verify = SSL_get_verify_result(ssl)
                if verify != X509_V_OK {
                    throw .tls("certificate verify failed: \(String(cString: X509_verify_cert_error_string(verify)))")
                }
                throw .tls("handshake failed: \(Self.lastError())")
            }
        }
    }

    private func wait(_ events: Int16, deadline: Instant, what: String) throws(TransportError) {
        let left = deadline - RuntimeClock.now()
        guard left > .zero, TCPStream.poll(tcp.fd, events: events, timeout: left) else { throw .timedOut(what) }
    }

    public func read(into buffer: inout [UInt8], deadline: Instant) throws(TransportError) -> Int {
        while true {
            guard !isClosed else { throw .closed }
            ERR_clear_error()
            let n = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32(clamping: $0.count)) }
            if n > 0 { return Int(n) }
            switch SSL_get_error(ssl, n) {
            case SSL_ERROR_WANT_READ: try wait(Int16(POLLIN), deadline: deadline, what: "waiting for data")
            case SSL_ERROR_WANT_WRITE: try wait(Int16(POLLOUT), deadline: deadline, what: "waiting for data")
            case SSL_ERROR_ZERO_RETURN: return 0
            case SSL_ERROR_SYSCALL where ERR_peek_error() == 0: return 0   // EOF without close_notify
            default: throw .tls("read: \(Self.lastError())")
            }
        }
    }

    public func write(_ bytes: [UInt8], deadline: Instant) throws(TransportError) {
        var offset = 0
        while offset < bytes.count {
            guard !isClosed else { throw .closed }
            ERR_clear_error()
            let n = bytes[offset...].withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32(clamping: $0.count)) }
            if n > 0 { offset += Int(n); continue }
            switch SSL_get_error(ssl, n) {
            case SSL_ERROR_WANT_READ: try wait(Int16(POLLIN), deadline: deadline, what: "sending")
            case SSL_ERROR_WANT_WRITE: try wait(Int16(POLLOUT), deadline: deadline, what: "sending")
            default: throw .tls("write: \(Self.lastError())")
            }
        }
    }

    public func readable(within timeout: Duration) -> Bool {
        SSL_pending(ssl) > 0 || TCPStream.poll(tcp.fd, events: Int16(POLLIN), timeout: timeout)
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = SSL_shutdown(ssl)
        SSL_free(ssl)
        SSL_CTX_free(context)
        tcp.close()
    }

    /// The oldest queued OpenSSL error as text (`ERR_get_error`, `ERR_error_string_n`).
    static func lastError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "connection reset" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
