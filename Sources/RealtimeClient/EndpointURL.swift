import Foundation

/// Where a Realtime endpoint lives: scheme, host, port and a path prefix, from a base URL such as
/// `http://127.0.0.1:8080`, `https://api.openai.com` or `wss://host/v1/realtime`. Every request
/// path (`/v1/realtime/calls`, `/v1/realtime/client_secrets`, `/v1/realtime?model=`) hangs off it.
public struct EndpointURL: Equatable, Sendable, CustomStringConvertible {
    public var secure: Bool
    public var host: String
    public var port: UInt16
    /// Path before `/v1/...` (usually empty).
    public var prefix: String

    /// Parses `http(s)://` or `ws(s)://host[:port][/path]`; a trailing `/v1` or `/v1/realtime…`
    /// is dropped. Nil for anything else (user input: no trap).
    public init?(_ text: String) {
        let schemes: [(String, Bool)] = [("http://", false), ("https://", true), ("ws://", false), ("wss://", true)]
        guard let (scheme, secure) = schemes.first(where: { text.lowercased().hasPrefix($0.0) }) else { return nil }
        self.secure = secure
        let rest = text.dropFirst(scheme.count)
        let slash = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<slash]
        var path = String(rest[slash...].prefix { $0 != "?" })
        if let r = path.range(of: "/v1/realtime") ?? (path.hasSuffix("/v1") ? path.range(of: "/v1", options: .backwards) : nil) {
            path = String(path[..<r.lowerBound])
        }
        while path.hasSuffix("/") { path.removeLast() }
        prefix = path
        port = secure ? 443 : 80
        var hostPart = Substring(authority)
        if hostPart.hasPrefix("["), let close = hostPart.firstIndex(of: "]") {
            // IPv6 literals are not supported by the IPv4 socket layer; keep the text for the error.
            host = String(hostPart[hostPart.index(after: hostPart.startIndex)..<close])
            hostPart = hostPart[hostPart.index(after: close)...]
            if hostPart.hasPrefix(":") { guard let p = UInt16(hostPart.dropFirst()) else { return nil }; port = p }
        } else if let colon = hostPart.lastIndex(of: ":") {
            guard let p = UInt16(hostPart[hostPart.index(after: colon)...]) else { return nil }
            port = p
            host = String(hostPart[..<colon])
        } else {
            host = String(hostPart)
        }
        guard !host.isEmpty, !host.contains(" ") else { return nil }
    }

    /// The `Host` field value (port omitted when it is the scheme's default).
    public var hostField: String { port == (secure ? 443 : 80) ? host : "\(host):\(port)" }

    public var description: String { "\(secure ? "https" : "http")://\(hostField)\(prefix)" }

    /// The WebSocket URL for `path` (`ws://` or `wss://`).
    public func webSocketURL(_ path: String) -> String { "\(secure ? "wss" : "ws")://\(hostField)\(prefix)\(path)" }
}
