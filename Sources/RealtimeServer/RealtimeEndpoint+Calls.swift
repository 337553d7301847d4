import HTTP
import MediaCore
import Realtime
import Runtime

/// The WebRTC routes, on the HTTP thread: `POST /v1/realtime/calls` (SDP or multipart with
/// `sdp` + `session`), the older `POST /v1/realtime?model=…` (SDP), `POST
/// /v1/realtime/calls/{id}/hangup`, and the side WebSocket `GET /v1/realtime?call_id=…`.
extension RealtimeEndpoint {
    static let callsPath = "/v1/realtime/calls"

    /// Answers an offer: auth, body, rate limit, capacity, then one PeerConnection answering it
    /// (`PeerConnection.createAnswer(offer:)`, which gathers first: a few ms on loopback).
    func createCall(_ request: HTTPRequest, legacyModel: Bool) -> HTTPResponse {
        let offeredAt = configuration.clock()
        var config: SessionConfig
        switch authorize(request, at: offeredAt) {
        case .failure(let refusal):
            metrics.setupRejected("unauthorized")
            return refusal.response
        case .success(let keySession):
            config = keySession ?? SessionConfig()
        }
        if legacyModel, let named = request.query["model"] {
            guard let model = RealtimeModel(rawValue: named) else {
                metrics.setupRejected("bad_model")
                return Self.invalidModel(named)
            }
            config.model = model
        }
        let offer: String
        switch Self.parseCallBody(request, allowMultipart: !legacyModel, base: config) {
        case .failure(let refusal):
            metrics.setupRejected("bad_request")
            return refusal.response
        case .success(let parsed):
            offer = parsed.sdp
            config = parsed.session
        }
        if let wait = calls.admitSetup(at: offeredAt) {
            metrics.setupRejected("rate_limited")
            let seconds = max(1, Int(wait.seconds.rounded(.up)))
            return .openAIError(status: 429, message: "Rate limit reached for requests on \(config.model.rawValue) (\(configuration.tier)). Please try again in \(seconds)s.",
                                type: "requests", code: "rate_limit_exceeded", headers: ["Retry-After": "\(seconds)"])
        }
        if let limit = configuration.maxSessions, metrics.socketsConnected + calls.count >= limit {
            metrics.setupRejected("capacity")
            return Self.overloaded(limit)
        }

        var ids = RealtimeIDGenerator()
        let callID = ids.callID()
        let loop = self.loop
        let loops = nextLoops()
        let peer = PeerConnection(configuration: configuration.peerConnection, glib: loops.glib, callLoop: loops.call) { event in
            loop.post(.callEvent(callID: callID, event, at: RuntimeClock.now()))
        }
        let answer: String
        do {
            answer = try peer.createAnswer(offer: offer)
        } catch {
            peer.close()
            metrics.setupRejected("bad_offer")
            return .openAIError(status: 400, message: "The SDP offer could not be answered: \(error)", param: "sdp", code: "invalid_offer")
        }
        guard let ports = peer.takeAudioPorts() else {
            // Invariant: a PeerConnection made just above still holds its ports.
            preconditionFailure("fresh PeerConnection without audio ports")
        }
        calls.register(callID)
        loop.post(.openCall(CallMedia(callID: callID, peer: peer, capture: ports.capture, playout: ports.playout,
                                      offeredAt: offeredAt, metrics: metrics), config))
        return HTTPResponse(status: 201, contentType: "application/sdp", body: answer,
                            headers: ["Location": "\(Self.callsPath)/\(callID)"])
    }

    /// `POST /v1/realtime/calls/{id}/hangup`: 200 when the call was live, else 404.
    func hangUp(_ request: HTTPRequest, callID: String) -> HTTPResponse {
        if case .failure(let refusal) = authorize(request, at: configuration.clock()) { return refusal.response }
        guard calls.contains(callID) else { return Self.unknownCall(callID) }
        loop.post(.hangup(callID: callID, reason: "hangup requested"))
        return HTTPResponse(status: 200, contentType: "application/json", body: "{}")
    }

    /// `GET /v1/realtime?call_id=…` once authorized: joins the call's session, or 404.
    func openSideSocket(_ request: HTTPRequest, callID: String) -> HTTPServerReply {
        guard calls.contains(callID) else { return .response(Self.unknownCall(callID)) }
        let offered = request.headers.tokens("Sec-WebSocket-Protocol")
        return .webSocket(SideSocketHandler(loop: loop, callID: callID), subprotocol: offered.contains("realtime") ? "realtime" : nil)
    }

    static func unknownCall(_ callID: String) -> HTTPResponse {
        .openAIError(status: 404, message: "No active call with id '\(callID)'.", param: "call_id", code: "call_not_found")
    }

    static func overloaded(_ limit: Int) -> HTTPResponse {
        .openAIError(status: 503, message: "The endpoint is at its limit of \(limit) sessions; retry later.",
                     type: "server_error", code: "server_overloaded")
    }

    static func invalidModel(_ named: String) -> HTTPResponse {
        let known = RealtimeModel.allCases.map(\.rawValue).joined(separator: ", ")
        return .openAIError(status: 400, message: "Invalid model '\(named)'. Supported models: \(known).", param: "model", code: "invalid_model")
    }

    /// The offer and the starting config: an `application/sdp` body, or (GA only) a
    /// `multipart/form-data` body with an `sdp` part and an optional `session` JSON part applied
    /// over `base`. Every refusal is a 400 naming what is wrong.
    static func parseCallBody(_ request: HTTPRequest, allowMultipart: Bool, base: SessionConfig)
        -> Result<(sdp: String, session: SessionConfig), HTTPResponseError> {
        func bad(_ message: String, _ param: String?, _ code: String) -> Result<(sdp: String, session: SessionConfig), HTTPResponseError> {
            .failure(HTTPResponseError(.openAIError(status: 400, message: message, param: param, code: code)))
        }
        let contentType = request.headers["Content-Type"] ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingSpaces.lowercased() } ?? ""
        var sdp: String
        var session = base
        switch mediaType {
        case "application/sdp":
            sdp = String(decoding: request.body, as: UTF8.self)
        case "multipart/form-data" where allowMultipart:
            guard let boundary = MultipartFormData.boundary(fromContentType: contentType) else {
                return bad("multipart/form-data needs a boundary parameter.", nil, "invalid_multipart")
            }
            let form: MultipartFormData
            do { form = try MultipartFormData(parsing: request.body, boundary: boundary) } catch {
                return bad("The multipart body could not be parsed: \(error).", nil, "invalid_multipart")
            }
            guard let part = form["sdp"] else { return bad("Missing required part: 'sdp'.", "sdp", "missing_required_parameter") }
            sdp = part.text
            if let s = form["session"], !s.body.isEmpty {
                do {
                    let json = try JSONParser.parse(s.body)
                    session = try session.applying(try SessionUpdate(json: json, path: "session"), path: "session")
                } catch let error as JSONSyntaxError {
                    return bad("The 'session' part is not valid JSON: \(error.reason) at byte \(error.offset).", "session", "invalid_json")
                } catch let error as RealtimeProtocolError {
                    return bad(error.message, error.param, error.code.rawValue)
                } catch {
                    return bad("The 'session' part is invalid.", "session", "invalid_value")
                }
            }
        default:
            let expected = allowMultipart ? "application/sdp or multipart/form-data" : "application/sdp"
            return bad("Unsupported Content-Type '\(contentType)': send the SDP offer as \(expected).", nil, "unsupported_content_type")
        }
        sdp = sdp.trimmingSpaces
        guard sdp.hasPrefix("v=0") else {
            return bad("The body is not an SDP offer (it must start with 'v=0').", "sdp", "invalid_offer")
        }
        return .success((sdp + "\r\n", session))
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String { String(self).trimmingSpaces }
}

/// Forwards a side WebSocket's callbacks to the endpoint thread, which attaches it to the call.
final class SideSocketHandler: HTTPServerWebSocketHandler {
    let loop: EndpointLoop
    let callID: String

    init(loop: EndpointLoop, callID: String) {
        self.loop = loop
        self.callID = callID
    }

    /// Not counted against `--max-sessions`: a side socket adds no session.
    func webSocketDidOpen(_ session: HTTPServerWebSocketSession) {
        loop.post(.attachSide(session, callID: callID))
    }
    func webSocket(_ session: HTTPServerWebSocketSession, didReceive message: WebSocketMessage) {
        loop.post(.message(id: session.id, message, at: RuntimeClock.now()))
    }
    func webSocketDidClose(_ session: HTTPServerWebSocketSession, code: WebSocketCloseCode, reason: String) {
        loop.post(.closed(id: session.id, code: code))
    }
}
