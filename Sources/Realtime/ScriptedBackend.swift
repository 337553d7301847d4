import Foundation
import MediaCore

/// A backend that plays a JSON script of replies, one per response, in order. A reply may wait
/// (`delay_ms`), say `text` (as text deltas, or as the transcript when the response speaks),
/// play `audio` (a WAV file, mixed down to mono and resampled to 24 kHz), and call a function
/// (`function_call {name, arguments}`, arguments as a JSON string or object). Once the script is
/// used up, responses complete with no output.
///
/// ```json
/// {"replies": [
///   {"delay_ms": 200, "text": "Let me check.", "function_call": {"name": "get_weather", "arguments": {"city": "Paris"}}},
///   {"text": "It is sunny in Paris.", "audio": "sunny.wav"}
/// ]}
/// ```
/// A bare array of replies is accepted too. Audio paths are relative to the script's folder.
public struct ScriptedBackend: RealtimeBackend {
    public struct Reply: Equatable, Sendable {
        public var delay: Duration
        public var text: String?
        /// 24 kHz mono PCM16.
        public var audio: [Int16]?
        public var functionCall: FunctionCall?

        public init(delay: Duration = .zero, text: String? = nil, audio: [Int16]? = nil, functionCall: FunctionCall? = nil) {
            self.delay = delay
            self.text = text
            self.audio = audio
            self.functionCall = functionCall
        }
    }

    public struct FunctionCall: Equatable, Sendable {
        public var name: String
        /// JSON text.
        public var arguments: String
        public init(name: String, arguments: String) {
            self.name = name
            self.arguments = arguments
        }
    }

    public private(set) var replies: [Reply]
    /// Replies already played.
    public private(set) var played = 0
    private var callIDs = SplitMix64(seed: 0x5C81_97ED)

    public init(replies: [Reply]) { self.replies = replies }

    /// Loads a script file (see the type's doc); audio paths resolve against its folder.
    public init(file path: String) throws(ScriptError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScriptError.unreadable(path: path, reason: "no such readable file")
        }
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        try self.init(json: [UInt8](data), audioFolder: folder)
    }

    /// Parses script JSON; `audioFolder` is where relative `audio` paths point.
    public init(json bytes: [UInt8], audioFolder: String) throws(ScriptError) {
        replies = try ScriptParser(bytes: bytes, audioFolder: audioFolder).parse()
    }

    /// Characters per `function_call_arguments.delta`.
    public static let argumentDeltaLength = 8

    public mutating func start(_ request: BackendRequest, at now: Instant) -> any BackendStream {
        guard played < replies.count else { return ScheduledBackendStream([]) }
        let reply = replies[played]
        played += 1
        let due = now + reply.delay
        var outputs: [(due: Instant, output: BackendOutput)] = []
        if let text = reply.text {
            var first = true
            for word in text.split(separator: " ", omittingEmptySubsequences: false) {
                outputs.append((due, .textDelta(first ? String(word) : " " + word)))
                if first, let audio = reply.audio, !audio.isEmpty { outputs.append((due, .audio(audio))) }
                first = false
            }
        } else if let audio = reply.audio, !audio.isEmpty {
            outputs.append((due, .audio(audio)))
        }
        if let call = reply.functionCall {
            outputs.append((due, .functionCall(name: call.name, callID: makeCallID())))
            var rest = Substring(call.arguments)
            while !rest.isEmpty {
                outputs.append((due, .functionCallArgumentsDelta(String(rest.prefix(Self.argumentDeltaLength)))))
                rest = rest.dropFirst(Self.argumentDeltaLength)
            }
        }
        return ScheduledBackendStream(outputs)
    }

    private mutating func makeCallID() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return "call_" + String((0..<16).map { _ in alphabet[Int(callIDs.next() % UInt64(alphabet.count))] })
    }
}

/// Why a script could not be loaded: where (a line, or a field path like `replies[2].delay_ms`) and what.
public enum ScriptError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    /// Not JSON: the 1-based line and column of the problem.
    case syntax(line: Int, column: Int, reason: String)
    case invalidField(field: String, reason: String)
    /// An `audio` WAV that could not be read or converted.
    case audio(field: String, path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let p, let r): "cannot read script \(p): \(r)"
        case .syntax(let l, let c, let r): "script line \(l), column \(c): \(r)"
        case .invalidField(let f, let r): "script field \(f): \(r)"
        case .audio(let f, let p, let r): "script field \(f): audio \(p): \(r)"
        }
    }
}
