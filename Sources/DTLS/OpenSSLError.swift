internal import COpenSSL

/// Drains OpenSSL's thread-local error queue (`ERR_get_error`, `ERR_error_string_n`) into one
/// line, so a failure carries its reason and the next call starts with an empty queue.
func drainOpenSSLErrors(_ fallback: String = "unknown error") -> String {
    var messages: [String] = []
    while true {
        let code = ERR_get_error()
        if code == 0 { break }
        var buf = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buf, buf.count)
        messages.append(String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    return messages.isEmpty ? fallback : messages.joined(separator: "; ")
}
