import HTTP
import MediaCore
import Realtime

/// A short-lived client secret (`ek_…`) minted with a long-lived key, so only it travels on the
/// media path (and may be handed to a less trusted device).
public struct EphemeralKey: Sendable, Equatable {
    public var value: String
    /// Unix time (s) after which the key no longer opens sessions.
    public var expiresAt: Int?

    /// `POST /v1/realtime/client_secrets` with `expires_after {anchor: created_at, seconds}` and a
    /// session naming `model`. HTTP errors and unreadable bodies are protocol errors.
    public static func mint(endpoint: EndpointURL, apiKey: String, model: String, session: SessionUpdate? = nil,
                            expiresAfterSeconds: Int = 600, caFile: String? = nil,
                            timeout: Duration = .seconds(10)) throws(RealtimeClientError) -> EphemeralKey {
        let path = "/v1/realtime/client_secrets"
        var sessionObject = JSONObject()
        if let session, case .object(let o) = session.json { sessionObject = o }
        sessionObject["type"] = .string("realtime")
        sessionObject["model"] = .string(model)
        let body: JSONValue = .object([
            "expires_after": .object(["anchor": .string("created_at"), "seconds": .int(expiresAfterSeconds)]),
            "session": .object(sessionObject),
        ])
        var headers = HTTPHeaders()
        headers.add("Authorization", "Bearer \(apiKey)")
        headers.add("Content-Type", "application/json")
        let response: HTTPClientResponse
        do {
            response = try HTTPClient.request("POST", endpoint, path: path, headers: headers, body: JSONWriter.bytes(body),
                                              caFile: caFile, timeout: timeout)
        } catch { throw .transport(error, "POST \(path)") }
        guard (200..<300).contains(response.status) else { throw .http(response, path) }
        guard case .object(let root)? = try? JSONParser.parse(response.body) else {
            throw .protocolError("answer from \(path) is not JSON")
        }
        // GA answers {value, expires_at, session}; the beta shape nests {client_secret: {value, expires_at}}.
        var fields = root
        if case .object(let nested)? = root["client_secret"] { fields = nested }
        guard case .string(let value)? = fields["value"], !value.isEmpty else {
            throw .protocolError("answer from \(path) has no key value")
        }
        var expires: Int?
        if case .integer(let e)? = fields["expires_at"] { expires = Int(e) }
        return EphemeralKey(value: value, expiresAt: expires)
    }
}
