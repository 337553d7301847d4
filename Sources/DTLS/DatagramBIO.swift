internal import COpenSSL

/// Where OpenSSL's writes land: one element per datagram. OpenSSL 3.0 has no datagram-pair BIO
/// and a memory BIO would glue records of one flight together, so our write BIO keeps each
/// `BIO_write` as its own datagram (platform notes).
final class DatagramOutbox {
    var datagrams: [[UInt8]] = []
    var mtu: Int
    init(mtu: Int) { self.mtu = mtu }
}

/// The custom `BIO_METHOD` (`BIO_meth_new`) behind every association's write side. Its data
/// pointer is an unretained `DatagramOutbox` owned by the endpoint, which frees the SSL (and so
/// this BIO) before it lets the outbox go: no callback can outlive its outbox.
enum DatagramBIO {
    nonisolated(unsafe) static let method: OpaquePointer = {
        guard let m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "swiftrealtime-datagram") else {
            // Only fails when OpenSSL cannot allocate a few bytes at start-up.
            fatalError("BIO_meth_new failed")
        }
        BIO_meth_set_create(m) { bio in
            sr_BIO_set_init(bio, 1)
            return 1
        }
        BIO_meth_set_destroy(m) { _ in 1 }
        BIO_meth_set_write(m) { bio, data, length in
            guard let bio, let data, length > 0, let raw = BIO_get_data(bio) else { return 0 }
            let outbox = Unmanaged<DatagramOutbox>.fromOpaque(raw).takeUnretainedValue()
            outbox.datagrams.append(Array(UnsafeRawBufferPointer(start: data, count: Int(length))))
            return length
        }
        BIO_meth_set_ctrl(m) { bio, command, _, _ in
            switch command {
            case BIO_CTRL_FLUSH: return 1
            case BIO_CTRL_DGRAM_QUERY_MTU, BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
                guard let bio, let raw = BIO_get_data(bio) else { return 0 }
                return Int(Unmanaged<DatagramOutbox>.fromOpaque(raw).takeUnretainedValue().mtu)
            case BIO_CTRL_WPENDING, BIO_CTRL_PENDING, BIO_CTRL_DGRAM_GET_MTU_OVERHEAD: return 0
            default: return 0
            }
        }
        return m
    }()

    /// A new write BIO feeding `outbox`.
    static func make(outbox: DatagramOutbox) -> OpaquePointer? {
        guard let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, Unmanaged.passUnretained(outbox).toOpaque())
        return bio
    }
}
