import Realtime
import RealtimeClient
import RealtimeServer

/// `realtime-call` command line. With no `--url` the tool starts the local endpoint in-process
/// (echo backend, or `--backend`) on 127.0.0.1 and calls it.
struct CallArguments {
    enum Input: Equatable { case utterance, tone, wav(String), text(String) }

    var url: String?
    var apiKey: String?
    var model = RealtimeModel.gpt4oMiniRealtimePreview.rawValue
    var transport = TransportKind.webrtc
    var input = Input.utterance
    var output: String?
    var events: String?
    var report: String?
    var seconds = 30
    var ptime: UInt32 = 20
    var voice: String?
    var instructions: String?
    var tools: String?
    var serverVAD = true
    var caFile: String?
    var backend = EndpointBackend.echo
    var quiet = false

    static let usage = """
        usage: realtime-call [--url URL] [--api-key KEY] [--model NAME] [--transport webrtc|websocket]
                             [--input FILE.wav | --text TEXT | --tone] [--output reply.wav] [--events events.jsonl]
                             [--report report.json] [--seconds N] [--ptime 10|20] [--voice NAME] [--instructions TEXT]
                             [--tools FILE] [--vad server|none] [--ca-file PEM] [--backend echo|scripted=FILE] [--quiet] [--help]
        With no --url, starts the local endpoint (echo) on 127.0.0.1 and calls it over WebRTC.
        The key comes from --api-key or OPENAI_API_KEY. Exit: 0 ok, 2 usage, 3 cannot connect,
        4 protocol error from the peer (HTTP 4xx/5xx such as 401 included), 5 timeout.
        """

    struct UsageError: Error, CustomStringConvertible {
        let description: String
        var isHelp = false
    }

    init(_ arguments: [String], environment: [String: String]) throws(UsageError) {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            switch flag {
            case "-h", "--help": throw UsageError(description: Self.usage, isHelp: true)
            case "--tone": input = .tone; continue
            case "--quiet": quiet = true; continue
            default: break
            }
            guard let value = rest.popFirst() else { throw UsageError(description: "\(flag) needs a value") }
            switch flag {
            case "--url":
                guard EndpointURL(value) != nil else { throw UsageError(description: "--url must be http(s):// or ws(s)://host[:port], got '\(value)'") }
                url = value
            case "--api-key": apiKey = value
            case "--model": model = value
            case "--transport":
                guard let t = TransportKind(rawValue: value) else { throw UsageError(description: "--transport must be webrtc or websocket, got '\(value)'") }
                transport = t
            case "--input": input = .wav(value)
            case "--text": input = .text(value)
            case "--output": output = value
            case "--events": events = value
            case "--report": report = value
            case "--seconds":
                guard let n = Int(value), (1...3_600).contains(n) else { throw UsageError(description: "--seconds must be 1...3600, got '\(value)'") }
                seconds = n
            case "--ptime":
                guard let p = UInt32(value), p == 10 || p == 20 else { throw UsageError(description: "--ptime must be 10 or 20, got '\(value)'") }
                ptime = p
            case "--voice":
                guard Voice.all.contains(Voice(rawValue: value)) else {
                    throw UsageError(description: "--voice must be one of \(Voice.all.map(\.rawValue).joined(separator: ", ")), got '\(value)'")
                }
                voice = value
            case "--instructions": instructions = value
            case "--tools": tools = value
            case "--vad":
                guard value == "server" || value == "none" else { throw UsageError(description: "--vad must be server or none, got '\(value)'") }
                serverVAD = value == "server"
            case "--ca-file": caFile = value
            case "--backend":
                guard let b = EndpointBackend(argument: value) else { throw UsageError(description: "--backend must be echo or scripted=FILE, got '\(value)'") }
                backend = b
            default:
                throw UsageError(description: "unknown option \(flag)")
            }
        }
        if apiKey == nil, let key = environment["OPENAI_API_KEY"], !key.isEmpty, url != nil { apiKey = key }
    }
}
