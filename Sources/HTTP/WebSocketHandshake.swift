import COpenSSL
import Foundation

/// The opening handshake (RFC 6455 §4): the server side validates the upgrade request and
/// answers 101; `WebSocketClientHandshake` is the client side.
public enum WebSocketHandshake {
    /// The GUID appended to the key before hashing (§1.3).
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// `base64(SHA-1(key + GUID))`, the `Sec-WebSocket-Accept` value (SHA-1 via `EVP_Digest`).
    public static func acceptValue(forKey key: String) -> String {
        let input = Array((key + guid).utf8)
        var digest = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 0
        input.withUnsafeBytes { d in
            digest.withUnsafeMutableBufferPointer { o in
                _ = EVP_Digest(d.baseAddress, d.count, o.baseAddress, &length, EVP_sha1(), nil)
            }
        }
        return Data(digest).base64EncodedString()
    }

    /// What a valid upgrade request asked for.
    public struct Request: Sendable, Equatable {
        public var key: String
        /// `Sec-WebSocket-Protocol` values in the client's order of preference.
        public var protocols: [String]
    }

    /// Why an upgrade request was refused, with the response to send.
    public struct Rejection: Error, Equatable, Sendable {
        public var reason: String
        public var response: HTTPResponse
    }

    /// Checks a server-side upgrade request (§4.2.1): GET, HTTP/1.1, `Upgrade: websocket`,
    /// `Connection: upgrade`, a `Sec-WebSocket-Key` of 16 base64 bytes, version 13 (else 426
    /// naming 13).
    public static func validate(_ request: HTTPRequest) throws(Rejection) -> Request {
        func reject(_ why: String, status: Int = 400, headers: HTTPHeaders = HTTPHeaders()) -> Rejection {
            Rejection(reason: why, response: .openAIError(status: status, message: "WebSocket upgrade refused: \(why)", headers: headers))
        }
        guard request.method == "GET" else { throw reject("method must be GET", status: 405, headers: ["Allow": "GET"]) }
        guard request.version == .http1_1 else { throw reject("HTTP/1.1 required") }
        guard request.headers.tokens("Upgrade").contains("websocket") else { throw reject("missing Upgrade: websocket", status: 426, headers: ["Upgrade": "websocket", "Connection": "Upgrade"]) }
        guard request.headers.tokens("Connection").contains("upgrade") else { throw reject("missing Connection: Upgrade") }
        guard request.headers.values("Sec-WebSocket-Version").count == 1, request.headers["Sec-WebSocket-Version"] == "13" else {
            throw reject("Sec-WebSocket-Version must be 13", status: 426, headers: ["Sec-WebSocket-Version": "13"])
        }
        let keys = request.headers.values("Sec-WebSocket-Key")
        guard keys.count == 1, let decoded = Data(base64Encoded: keys[0]), decoded.count == 16 else {
            throw reject("Sec-WebSocket-Key must be 16 base64-encoded bytes")
        }
        return Request(key: keys[0], protocols: request.headers.values("Sec-WebSocket-Protocol")
            .flatMap { $0.split(separator: ",") }.map { $0.trimmingOWS() }.filter { !$0.isEmpty })
    }

    /// The 101 answer; `subprotocol` must be one the client offered.
    public static func response(accepting request: Request, subprotocol: String? = nil, headers extra: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var h = HTTPHeaders([("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", acceptValue(forKey: request.key))])
        if let subprotocol, request.protocols.contains(subprotocol) { h.add("Sec-WebSocket-Protocol", subprotocol) }
        for f in extra { h.add(f.name, f.value) }
        return HTTPResponse(status: 101, headers: h)
    }
}

/// The client side of the opening handshake (§4.1): builds the request around a caller-supplied
/// random nonce (this module draws no randomness for keys) and checks the server's answer.
public struct WebSocketClientHandshake: Sendable {
    public let key: String
    public let protocols: [String]
    public let request: HTTPRequest

    /// `nonce` must be 16 random bytes (the runtime draws them).
    public init(host: String, target: String, nonce: [UInt8], protocols: [String] = [], headers: HTTPHeaders = HTTPHeaders()) {
        key = Data(nonce).base64EncodedString()
        self.protocols = protocols
        var h = HTTPHeaders([("Host", host), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
                             ("Sec-WebSocket-Key", key), ("Sec-WebSocket-Version", "13")])
        if !protocols.isEmpty { h.add("Sec-WebSocket-Protocol", protocols.joined(separator: ", ")) }
        for f in headers { h.add(f.name, f.value) }
        request = HTTPRequest(method: "GET", target: target, headers: h)
    }

    /// The request's bytes on the wire.
    public var requestBytes: [UInt8] {
        var text = "GET \(request.target) HTTP/1.1\r\n"
        for f in request.headers { text += "\(f.name): \(f.value)\r\n" }
        return Array((text + "\r\n").utf8)
    }

    /// Checks the answer (§4.1 items 1-6): 101, `Upgrade: websocket`, `Connection: upgrade`, the
    /// expected accept value, no extension, and a subprotocol only if offered. Returns the chosen
    /// subprotocol.
    public func verify(_ head: HTTPResponseHead) throws(WebSocketError) -> String? {
        guard head.status == 101 else { throw .protocolError("handshake answered \(head.status) \(head.reason)") }
        guard head.headers.tokens("Upgrade").contains("websocket") else { throw .protocolError("missing Upgrade: websocket") }
        guard head.headers.tokens("Connection").contains("upgrade") else { throw .protocolError("missing Connection: Upgrade") }
        guard head.headers.values("Sec-WebSocket-Accept") == [WebSocketHandshake.acceptValue(forKey: key)] else {
            throw .protocolError("wrong Sec-WebSocket-Accept")
        }
        guard !head.headers.contains("Sec-WebSocket-Extensions") else { throw .protocolError("extension not offered") }
        let chosen = head.headers.values("Sec-WebSocket-Protocol")
        guard chosen.count <= 1 else { throw .protocolError("several subprotocols chosen") }
        if let p = chosen.first, !protocols.contains(p) { throw .protocolError("subprotocol \(p) not offered") }
        return chosen.first
    }
}
