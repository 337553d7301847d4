import Glibc
import MediaCore

/// Why a WAV file could not be read or written.
public enum WAVFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `fopen`/`fread`/`fwrite` failed; `errno` says why.
    case io(path: String, errno: Int32)
    /// The bytes are not a WAV file this reader supports.
    case parse(ParseError)

    public var description: String {
        switch self {
        case let .io(path, e): return "\(path): \(String(cString: strerror(e)))"
        case let .parse(p): return "WAV: \(p)"
        }
    }
}

extension WAVAudio {
    /// Reads and parses the WAV file at `path` (Glibc `fopen`/`fread`).
    public init(contentsOf path: String) throws(WAVFileError) {
        guard let file = fopen(path, "rb") else { throw .io(path: path, errno: errno) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n > 0 { bytes += chunk[..<n] }
            if n < chunk.count {
                if ferror(file) != 0 { throw .io(path: path, errno: errno) }
                break
            }
        }
        do { try self.init(bytes: bytes) } catch { throw .parse(error) }
    }

    /// Serializes and writes this audio to `path` (Glibc `fopen`/`fwrite`), replacing it.
    public func write(to path: String, extensible: Bool = false) throws(WAVFileError) {
        let bytes = serialized(extensible: extensible)
        guard let file = fopen(path, "wb") else { throw .io(path: path, errno: errno) }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file)
        guard written == bytes.count, closed == 0 else { throw .io(path: path, errno: errno) }
    }
}
