/// Why a WebSocket connection failed or an operation was refused; each failure names the close
/// code sent to the peer.
public enum WebSocketError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A frame or sequence of frames broke RFC 6455 (bad opcode, RSV bits, masking, fragmentation,
    /// control frame size, close payload): 1002.
    case protocolError(String)
    /// A text message or close reason was not UTF-8: 1007.
    case invalidUTF8
    /// A message exceeded the configured size limit: 1009.
    case messageTooBig(limit: Int)
    /// The peer stayed silent past the ping interval plus the pong timeout: 1001.
    case timeout
    /// Send or ping after a close was sent or received.
    case notOpen

    /// The close code sent when failing the connection for this error.
    public var closeCode: WebSocketCloseCode {
        switch self {
        case .protocolError: return .protocolError
        case .invalidUTF8: return .invalidPayloadData
        case .messageTooBig: return .messageTooBig
        case .timeout: return .goingAway
        case .notOpen: return .internalError
        }
    }

    public var description: String {
        switch self {
        case let .protocolError(why): return "protocol error: \(why)"
        case .invalidUTF8: return "invalid UTF-8 in a text message"
        case let .messageTooBig(limit): return "message larger than \(limit) bytes"
        case .timeout: return "peer unresponsive"
        case .notOpen: return "connection is not open"
        }
    }
}
