import HTTP
import MediaCore
import Realtime

/// `POST /v1/realtime/client_secrets`: mints an ephemeral key (`ek_…`) for a browser or device.
/// Body (all optional): `{"expires_after":{"anchor":"created_at","seconds":10…7200},"session":{…}}`;
/// answer `{"value","expires_at","session"}` as the SDK's `ClientSecretCreateResponse`.
extension RealtimeEndpoint {
    func createClientSecret(_ request: HTTPRequest) -> HTTPResponse {
        let now = configuration.clock()
        // Minting needs the real key: an ephemeral key cannot mint another.
        if let bearer = Self.bearer(request), bearer.hasPrefix("ek_"), configuration.apiKey != nil {
            return .openAIError(status: 401, message: "An ephemeral key cannot create client secrets.", code: "invalid_api_key")
        }
        if case .failure(let refusal) = authorize(request, at: now) { return refusal.response }
        let parsed: (lifetime: Int, session: SessionConfig)
        switch Self.parseClientSecretRequest(request.body) {
        case .failure(let refusal): return refusal.response
        case .success(let p): parsed = p
        }
        var session = parsed.session
        let expiresAt = configuration.unixTime() + parsed.lifetime
        let key = keys.mint(session: session, lifetime: .seconds(parsed.lifetime), at: now)
        metrics.clientSecretCreated()
        // The service describes the session it will start; its id is given when one opens.
        var ids = RealtimeIDGenerator()
        session.id = ids.sessionID()
        session.expiresAt = expiresAt
        let body: JSONValue = .object([
            "value": .string(key),
            "expires_at": .int(expiresAt),
            "session": session.json,
        ])
        return HTTPResponse(status: 200, contentType: "application/json", body: JSONWriter.string(body))
    }

    /// Reads the body; every refusal is a 400 naming the offending `param`.
    static func parseClientSecretRequest(_ body: [UInt8]) -> Result<(lifetime: Int, session: SessionConfig), HTTPResponseError> {
        func bad(_ message: String, _ param: String?, _ code: String = "invalid_value") -> Result<(lifetime: Int, session: SessionConfig), HTTPResponseError> {
            .failure(HTTPResponseError(.openAIError(status: 400, message: message, param: param, code: code)))
        }
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return .success((EphemeralKeyStore.defaultLifetimeSeconds, SessionConfig()))
        }
        let json: JSONValue
        do { json = try JSONParser.parse(body) } catch {
            return bad("We could not parse the JSON body of your request: \(error.reason) at byte \(error.offset).", nil, "invalid_json")
        }
        guard case .object(let root) = json else { return bad("The request body must be a JSON object.", nil, "invalid_type") }
        for key in root.keys where key != "expires_after" && key != "session" {
            return bad("Unknown parameter: '\(key)'.", key, "unknown_parameter")
        }
        var lifetime = EphemeralKeyStore.defaultLifetimeSeconds
        if let after = root["expires_after"], after != .null {
            guard case .object(let o) = after else { return bad("expires_after must be an object.", "expires_after", "invalid_type") }
            for key in o.keys where key != "anchor" && key != "seconds" {
                return bad("Unknown parameter: 'expires_after.\(key)'.", "expires_after.\(key)", "unknown_parameter")
            }
            if let anchor = o["anchor"], anchor != .string("created_at") {
                return bad("Invalid value for 'expires_after.anchor': only 'created_at' is supported.", "expires_after.anchor")
            }
            if let seconds = o["seconds"] {
                let range = EphemeralKeyStore.lifetimeRange
                guard case .integer(let s) = seconds else {
                    return bad("expires_after.seconds must be an integer.", "expires_after.seconds", "invalid_type")
                }
                guard range.contains(Int(clamping: s)) else {
                    return bad("Invalid 'expires_after.seconds': \(s). Expected a value between \(range.lowerBound) and \(range.upperBound).",
                               "expires_after.seconds")
                }
                lifetime = Int(s)
            }
        }
        var session = SessionConfig()
        if let s = root["session"], s != .null {
            do {
                session = try SessionConfig().applying(try SessionUpdate(json: s, path: "session"), path: "session")
            } catch {
                return bad(error.message, error.param, error.code.rawValue)
            }
        }
        return .success((lifetime, session))
    }
}
