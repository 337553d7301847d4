import HTTP
import MediaCore
import Realtime
import Runtime

/// Request routing, on the HTTP server thread: every answer is quick (no session work here).
extension RealtimeEndpoint {
    func route(_ request: HTTPRequest) -> HTTPServerReply {
        switch request.path {
        case "/healthz":
            guard request.method == "GET" else { return .response(Self.methodNotAllowed(request, allow: "GET")) }
            return .response(HTTPResponse(status: 200, contentType: "application/json", body: "{\"status\":\"ok\"}"))
        case "/metrics":
            guard request.method == "GET" else { return .response(Self.methodNotAllowed(request, allow: "GET")) }
            return .response(HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4", body: metrics.render()))
        case "/v1/realtime/client_secrets":
            guard request.method == "POST" else { return .response(Self.methodNotAllowed(request, allow: "POST")) }
            return .response(createClientSecret(request))
        case "/v1/realtime":
            if request.method == "POST" { return .response(createCall(request, legacyModel: true)) }
            guard request.method == "GET" else { return .response(Self.methodNotAllowed(request, allow: "GET, POST")) }
            return openWebSocket(request)
        case Self.callsPath:
            guard request.method == "POST" else { return .response(Self.methodNotAllowed(request, allow: "POST")) }
            return .response(createCall(request, legacyModel: false))
        case let path where path.hasPrefix(Self.callsPath + "/") && path.hasSuffix("/hangup"):
            guard request.method == "POST" else { return .response(Self.methodNotAllowed(request, allow: "POST")) }
            let id = path.dropFirst(Self.callsPath.count + 1).dropLast("/hangup".count)
            guard !id.isEmpty, !id.contains("/") else { return .response(Self.unknownCall(String(id))) }
            return .response(hangUp(request, callID: String(id)))
        default:
            return .response(.openAIError(status: 404, message: "Invalid URL (\(request.method) \(request.path))", code: "not_found"))
        }
    }

    /// `GET /v1/realtime?model=…`: auth, then model, then capacity; each refusal before upgrading.
    /// With `?call_id=…` it is a side socket joining that WebRTC call instead.
    private func openWebSocket(_ request: HTTPRequest) -> HTTPServerReply {
        let now = configuration.clock()
        var config: SessionConfig
        switch authorize(request, at: now) {
        case .failure(let response):
            metrics.setupRejected("unauthorized")
            return .response(response.response)
        case .success(let keySession):
            if let callID = request.query["call_id"] { return openSideSocket(request, callID: callID) }
            config = keySession ?? SessionConfig()
            let named = request.query["model"]
            if let named {
                guard let model = RealtimeModel(rawValue: named) else {
                    metrics.setupRejected("bad_model")
                    return .response(Self.invalidModel(named))
                }
                config.model = model
            } else if keySession == nil {
                metrics.setupRejected("bad_model")
                return .response(.openAIError(status: 400, message: "Missing required parameter: 'model'.",
                                              param: "model", code: "missing_required_parameter"))
            }
        }
        if let limit = configuration.maxSessions, metrics.socketsConnected + calls.count >= limit {
            metrics.setupRejected("capacity")
            return .response(Self.overloaded(limit))
        }
        let handler = SessionSocketHandler(loop: loop, config: config)
        // Browsers cannot set headers on a WebSocket: they offer `realtime` plus the key as a subprotocol.
        let offered = request.headers.tokens("Sec-WebSocket-Protocol")
        return .webSocket(handler, subprotocol: offered.contains("realtime") ? "realtime" : nil)
    }

    /// Checks the bearer. `.success(session)` carries an ephemeral key's starting config, if the
    /// bearer was one; an open endpoint accepts any bearer or none.
    func authorize(_ request: HTTPRequest, at now: Instant) -> Result<SessionConfig?, HTTPResponseError> {
        let bearer = Self.bearer(request)
        if let bearer, bearer.hasPrefix("ek_") {
            if let session = keys.session(forKey: bearer, at: now) { return .success(session) }
            return .failure(HTTPResponseError(.openAIError(
                status: 401, message: "The ephemeral key is unknown or has expired.", code: "invalid_api_key")))
        }
        guard let required = configuration.apiKey else { return .success(nil) }
        guard let bearer else {
            return .failure(HTTPResponseError(.openAIError(
                status: 401, message: "You didn't provide an API key. Send it as 'Authorization: Bearer YOUR_KEY'.",
                code: "invalid_api_key")))
        }
        guard bearer == required else {
            return .failure(HTTPResponseError(.openAIError(status: 401, message: "Incorrect API key provided.", code: "invalid_api_key")))
        }
        return .success(nil)
    }

    /// Prefix of the subprotocol that carries the key from a browser (`openai-insecure-api-key.<key>`).
    static let subprotocolKeyPrefix = "openai-insecure-api-key."

    /// The token of `Authorization: Bearer <token>` (scheme case-insensitive, RFC 6750 §2.1), else
    /// the key offered as a WebSocket subprotocol by a browser.
    static func bearer(_ request: HTTPRequest) -> String? {
        guard let value = request.headers["Authorization"] else {
            // Not `tokens()`: it lowercases, and keys are case-sensitive.
            let offered = request.headers.values("Sec-WebSocket-Protocol").flatMap { $0.split(separator: ",") }
                .map { $0.split(separator: " ").joined() }
            let key = offered.first { $0.hasPrefix(subprotocolKeyPrefix) }
            return key.map { String($0.dropFirst(subprotocolKeyPrefix.count)) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].split(separator: " ").first.map(String.init) ?? ""
        return token.isEmpty ? nil : token
    }

    static func methodNotAllowed(_ request: HTTPRequest, allow: String) -> HTTPResponse {
        .openAIError(status: 405, message: "Method \(request.method) is not allowed on \(request.path); use \(allow).",
                     code: "method_not_allowed", headers: ["Allow": allow])
    }
}

/// A ready error response, as the failure of `authorize`.
struct HTTPResponseError: Error {
    let response: HTTPResponse
    init(_ response: HTTPResponse) { self.response = response }
}

/// Forwards one connection's WebSocket callbacks to the endpoint thread (never does work here).
final class SessionSocketHandler: HTTPServerWebSocketHandler {
    let loop: EndpointLoop
    let config: SessionConfig

    init(loop: EndpointLoop, config: SessionConfig) {
        self.loop = loop
        self.config = config
    }

    /// Counted here, on the thread that routes upgrades, so the `--max-sessions` check never races.
    func webSocketDidOpen(_ session: HTTPServerWebSocketSession) {
        loop.metrics.socketConnected(+1)
        loop.post(.open(session, config))
    }
    func webSocket(_ session: HTTPServerWebSocketSession, didReceive message: WebSocketMessage) {
        loop.post(.message(id: session.id, message, at: RuntimeClock.now()))
    }
    func webSocketDidClose(_ session: HTTPServerWebSocketSession, code: WebSocketCloseCode, reason: String) {
        loop.metrics.socketConnected(-1)
        loop.post(.closed(id: session.id, code: code))
    }
}
