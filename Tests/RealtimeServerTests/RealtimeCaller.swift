import Foundation
import MediaCore
import Runtime
import SCTP
import Synchronization
import TestSupport

/// What a caller's PeerConnection reported (its callback thread writes, the test reads).
final class CallerInbox: Sendable {
    private let state = Mutex<(texts: [String], channel: UInt16?, channelClosed: Bool, states: [PeerConnection.State])>(([], nil, false, []))
    /// When each event text arrived (seconds since 1970), for diagnostics.
    private let arrivals = Mutex<[Double]>([])

    func record(_ event: PeerConnection.Event) {
        state.withLock { s in
            switch event {
            case let .dataChannelOpened(id, label, _) where label == "oai-events": s.channel = id
            case let .dataChannelMessage(id, .text(text)) where id == s.channel:
                s.texts.append(text)
                arrivals.withLock { $0.append(Date().timeIntervalSince1970) }
            case let .dataChannelClosed(id) where id == s.channel: s.channelClosed = true
            case let .stateChanged(st): s.states.append(st)
            default: break
            }
        }
    }

    var channel: UInt16? { state.withLock { $0.channel } }
    var channelClosed: Bool { state.withLock { $0.channelClosed } }
    var states: [PeerConnection.State] { state.withLock { $0.states } }
    func texts(from index: Int) -> [String] { state.withLock { Array($0.texts.dropFirst(index)) } }

    /// "type@seconds" for each event since `start`, for failure messages.
    func timeline(since start: Date) -> String {
        let texts = state.withLock { $0.texts }
        let times = arrivals.withLock { $0 }
        return zip(texts, times).map { text, t in
            let type = ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any])?["type"] as? String ?? "?"
            return "\(type)@\(String(format: "%.2f", t - start.timeIntervalSince1970))"
        }.joined(separator: " ")
    }
}

/// A WebRTC client of the endpoint, as a browser would be: our own PeerConnection offers (with
/// the `oai-events` channel), POSTs the offer over HTTP, applies the answer; events are JSON on
/// the channel.
final class RealtimeCaller {
    let peer: PeerConnection
    let inbox = CallerInbox()
    private var cursor = 0
    private(set) var callID: String?

    init(glib: GLibLoop) {
        var c = PeerConnection.Configuration()
        c.localAddresses = ["127.0.0.1"]
        c.playoutTarget = 4
        let inbox = self.inbox
        peer = PeerConnection(configuration: c, glib: glib) { inbox.record($0) }
        peer.createDataChannel(label: "oai-events")
    }

    /// POSTs our offer (as `application/sdp`, or multipart with `session` when given) and applies
    /// a 201's answer. Returns the HTTP answer either way.
    @discardableResult
    func call(_ url: String, bearer: String? = nil, session: [String: Any]? = nil) throws -> HTTPAnswer {
        let offer = try peer.createOffer()
        let answer: HTTPAnswer
        if let session {
            let json = String(decoding: try JSONSerialization.data(withJSONObject: session), as: UTF8.self)
            answer = try postMultipart(url, bearer: bearer, parts: [("sdp", offer, "application/sdp"), ("session", json, "application/json")])
        } else {
            answer = try post(url, bearer: bearer, contentType: "application/sdp", body: Array(offer.utf8))
        }
        guard answer.status == 201 else { return answer }
        try peer.setRemoteAnswer(answer.body)
        callID = answer.header("Location").map { String($0.split(separator: "/").last ?? "") }
        return answer
    }

    /// Waits for the events channel to open (false after `seconds`).
    func waitForChannel(seconds: Double = 10) -> Bool { eventually(seconds: seconds) { self.inbox.channel != nil } }

    func send(_ object: [String: Any]) throws {
        guard let channel = inbox.channel else { throw CancellationError() }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        try peer.send(.text(text), on: channel)
    }

    /// Events received since the last `collect`, up to and including the first of `type`
    /// (what arrived when it never came, after `seconds`).
    func collect(until type: String, seconds: Double = 10) -> [[String: Any]] {
        var events: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            for text in inbox.texts(from: cursor) {
                cursor += 1
                guard let e = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { continue }
                events.append(e)
                if e["type"] as? String == type { return events }
            }
            usleep(5_000)
        } while Date() < deadline
        return events
    }

    func close() { peer.close() }
}

extension HTTPAnswer {
    /// A response header's value (case-insensitive name).
    func header(_ name: String) -> String? {
        for line in headers.components(separatedBy: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}

/// One POST with curl, the body fed on stdin.
func post(_ url: String, bearer: String? = nil, contentType: String?, body: [UInt8]) throws -> HTTPAnswer {
    var args = ["-s", "-S", "--max-time", "10", "-X", "POST", "-D", "-", url, "--data-binary", "@-"]
    if let bearer { args += ["-H", "Authorization: Bearer \(bearer)"] }
    // An explicit empty value would make curl send its default form type.
    args += ["-H", "Content-Type: \(contentType ?? "")"]
    return try runCurl(args, stdin: body)
}

/// A `multipart/form-data` POST built by hand (name, text, content type per part).
func postMultipart(_ url: String, bearer: String? = nil, parts: [(String, String, String)], boundary: String = "swiftrealtime-boundary-7f3a") throws -> HTTPAnswer {
    var body = ""
    for (name, text, type) in parts {
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\nContent-Type: \(type)\r\n\r\n\(text)\r\n"
    }
    body += "--\(boundary)--\r\n"
    return try post(url, bearer: bearer, contentType: "multipart/form-data; boundary=\(boundary)", body: Array(body.utf8))
}

func runCurl(_ args: [String], stdin: [UInt8] = []) throws -> HTTPAnswer {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    p.arguments = args
    let out = Pipe(), input = Pipe()
    p.standardOutput = out
    p.standardInput = input
    try p.run()
    input.fileHandleForWriting.write(Data(stdin))
    try input.fileHandleForWriting.close()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    let parts = text.components(separatedBy: "\r\n\r\n")
    let head = parts.first ?? ""
    let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
    return HTTPAnswer(status: status, body: parts.dropFirst().joined(separator: "\r\n\r\n"), headers: head)
}

/// Polls `condition` every 10 ms for up to `seconds`.
func eventually(seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// Root-mean-square level of a stretch of samples.
func rms(_ x: ArraySlice<Int16>) -> Double {
    guard !x.isEmpty else { return 0 }
    return (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)).squareRoot()
}
