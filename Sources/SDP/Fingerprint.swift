import MediaCore

/// `a=fingerprint:<hash function> <XX:XX:…>` (RFC 8122 §5): the certificate digest DTLS checks.
public struct Fingerprint: Sendable, Hashable {
    /// Hash functions from the IANA "Hash Function Textual Names" registry that RFC 8122 uses.
    public enum HashFunction: Sendable, Hashable {
        case sha1, sha224, sha256, sha384, sha512, md5, md2
        case other(String)

        public init(name: some StringProtocol) {
            switch name.lowercased() {
            case "sha-1": self = .sha1
            case "sha-224": self = .sha224
            case "sha-256": self = .sha256
            case "sha-384": self = .sha384
            case "sha-512": self = .sha512
            case "md5": self = .md5
            case "md2": self = .md2
            default: self = .other(String(name))
            }
        }

        public var name: String {
            switch self {
            case .sha1: "sha-1"
            case .sha224: "sha-224"
            case .sha256: "sha-256"
            case .sha384: "sha-384"
            case .sha512: "sha-512"
            case .md5: "md5"
            case .md2: "md2"
            case .other(let n): n
            }
        }

        /// Digest length in bytes, nil for an unknown function.
        public var digestLength: Int? {
            switch self {
            case .sha1: 20
            case .sha224: 28
            case .sha256: 32
            case .sha384: 48
            case .sha512: 64
            case .md5, .md2: 16
            case .other: nil
            }
        }
    }

    public var hashFunction: HashFunction
    public var digest: [UInt8]

    public init(hashFunction: HashFunction, digest: [UInt8]) {
        self.hashFunction = hashFunction
        self.digest = digest
    }

    public init(parsing value: Substring) throws(ParseError) {
        let f = fields(value)
        guard f.count == 2, isToken(f[0]) else { throw .attribute("fingerprint", "expected <hash> <digest>") }
        hashFunction = HashFunction(name: f[0])
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        let hex = Array(f[1].utf8)
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x41...0x46: c - 0x41 + 10
            case 0x61...0x66: c - 0x61 + 10
            default: nil
            }
        }
        // XX(:XX)* — two hex digits per byte, colons between.
        guard hex.count % 3 == 2 else { throw .attribute("fingerprint", "digest must be XX:XX:…") }
        var i = 0
        while i < hex.count {
            guard let hi = nibble(hex[i]), let lo = nibble(hex[i + 1]) else { throw .attribute("fingerprint", "bad hex digit") }
            bytes.append(hi << 4 | lo)
            if i + 2 < hex.count, hex[i + 2] != UInt8(ascii: ":") { throw .attribute("fingerprint", "digest bytes must be separated by ':'") }
            i += 3
        }
        if let expected = hashFunction.digestLength, expected != bytes.count {
            throw .attribute("fingerprint", "\(hashFunction.name) digest must be \(expected) bytes, got \(bytes.count)")
        }
        digest = bytes
    }

    /// Upper-case hex as RFC 8122 writes it.
    public var sdpValue: String {
        let hexDigits: [Character] = Array("0123456789ABCDEF")
        var s = hashFunction.name + " "
        for (i, b) in digest.enumerated() {
            if i > 0 { s.append(":") }
            s.append(hexDigits[Int(b >> 4)])
            s.append(hexDigits[Int(b & 0x0F)])
        }
        return s
    }
}

/// `a=setup` (RFC 4145 §4, RFC 8842 §5): who opens the DTLS association.
public enum SetupRole: String, Sendable, Hashable, CaseIterable {
    /// Will start the DTLS handshake (DTLS client).
    case active
    /// Will wait for it (DTLS server).
    case passive
    /// Either; only valid in an offer.
    case actpass
    /// Not now.
    case holdconn

    public init(parsing value: Substring) throws(ParseError) {
        guard let role = SetupRole(rawValue: String(value)) else { throw .attribute("setup", "unknown role '\(value)'") }
        self = role
    }
}
