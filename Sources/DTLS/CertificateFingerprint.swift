/// A certificate fingerprint as SDP carries it (RFC 8122 `a=fingerprint:sha-256 AB:CD:…`).
public struct CertificateFingerprint: Hashable, Sendable, CustomStringConvertible {
    public enum Algorithm: String, Sendable, CaseIterable {
        case sha1 = "sha-1", sha224 = "sha-224", sha256 = "sha-256", sha384 = "sha-384", sha512 = "sha-512"
    }
    public let algorithm: Algorithm
    public let bytes: [UInt8]

    public init(algorithm: Algorithm, bytes: [UInt8]) {
        self.algorithm = algorithm
        self.bytes = bytes
    }

    /// Parses the SDP form: an algorithm token and colon-separated upper- or lower-case hex.
    public init?(sdpValue: String) {
        let parts = sdpValue.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let algorithm = Algorithm(rawValue: parts[0].lowercased()) else { return nil }
        var bytes: [UInt8] = []
        for pair in parts[1].split(separator: ":", omittingEmptySubsequences: false) {
            guard pair.count == 2, let b = UInt8(pair, radix: 16) else { return nil }
            bytes.append(b)
        }
        self.init(algorithm: algorithm, bytes: bytes)
    }

    /// The hex part of the SDP form, upper case with colons.
    public var hex: String {
        let digits = Array("0123456789ABCDEF")
        return bytes.map { String([digits[Int($0 >> 4)], digits[Int($0 & 0xF)]]) }.joined(separator: ":")
    }

    /// The SDP attribute value: `sha-256 AB:CD:…`.
    public var sdpValue: String { "\(algorithm.rawValue) \(hex)" }
    public var description: String { sdpValue }
}
