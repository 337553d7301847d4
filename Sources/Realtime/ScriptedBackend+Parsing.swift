import Audio
import MediaCore

/// Reads a `ScriptedBackend` script: JSON syntax errors become a line and column, field errors
/// a field path, unreadable audio the field and file.
struct ScriptParser {
    let bytes: [UInt8]
    let audioFolder: String

    func parse() throws(ScriptError) -> [ScriptedBackend.Reply] {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            let (line, column) = position(of: error.offset)
            throw .syntax(line: line, column: column, reason: error.reason)
        }
        let list: [JSONValue]
        var prefix = "replies"
        switch root {
        case .array(let a):
            list = a
            prefix = ""
        case .object(let o):
            for key in o.keys where key != "replies" { throw .invalidField(field: key, reason: "unknown field") }
            guard case .array(let a)? = o["replies"] else { throw .invalidField(field: "replies", reason: "expected an array of replies") }
            list = a
        default:
            throw .invalidField(field: "(root)", reason: "expected an object with \"replies\" or an array")
        }
        var replies: [ScriptedBackend.Reply] = []
        for (i, v) in list.enumerated() { replies.append(try reply(v, field: "\(prefix)[\(i)]")) }
        return replies
    }

    private func reply(_ v: JSONValue, field: String) throws(ScriptError) -> ScriptedBackend.Reply {
        guard case .object(let o) = v else { throw .invalidField(field: field, reason: "expected an object") }
        var r = ScriptedBackend.Reply()
        for key in o.keys {
            let f = "\(field).\(key)"
            switch (key, o[key]) {
            case ("delay_ms", .integer(let ms)?):
                guard (0...3_600_000).contains(ms) else { throw .invalidField(field: f, reason: "expected 0...3600000 ms") }
                r.delay = .milliseconds(Int(ms))
            case ("text", .string(let t)?):
                r.text = t
            case ("audio", .string(let path)?):
                r.audio = try audio(path, field: f)
            case ("function_call", .object(let call)?):
                r.functionCall = try functionCall(call, field: f)
            case ("delay_ms", _): throw .invalidField(field: f, reason: "expected an integer")
            case ("text", _), ("audio", _): throw .invalidField(field: f, reason: "expected a string")
            case ("function_call", _): throw .invalidField(field: f, reason: "expected an object")
            default: throw .invalidField(field: f, reason: "unknown field")
            }
        }
        if r.text == nil, r.audio == nil, r.functionCall == nil {
            throw .invalidField(field: field, reason: "a reply needs text, audio or function_call")
        }
        return r
    }

    private func functionCall(_ o: JSONObject, field: String) throws(ScriptError) -> ScriptedBackend.FunctionCall {
        guard case .string(let name)? = o["name"], !name.isEmpty else {
            throw .invalidField(field: "\(field).name", reason: "expected a non-empty string")
        }
        for key in o.keys where key != "name" && key != "arguments" { throw .invalidField(field: "\(field).\(key)", reason: "unknown field") }
        switch o["arguments"] {
        case nil: return .init(name: name, arguments: "{}")
        case .string(let s)?:
            do { _ = try JSONParser.parse(s) } catch {
                throw .invalidField(field: "\(field).arguments", reason: "not JSON text: \(error.reason)")
            }
            return .init(name: name, arguments: s)
        case .object(let a)?: return .init(name: name, arguments: JSONWriter.string(.object(a)))
        default: throw .invalidField(field: "\(field).arguments", reason: "expected a JSON string or an object")
        }
    }

    /// The WAV at `path`, mixed to mono and resampled to 24 kHz PCM16.
    private func audio(_ path: String, field: String) throws(ScriptError) -> [Int16] {
        let full = path.hasPrefix("/") ? path : "\(audioFolder)/\(path)"
        let wav: WAVAudio
        do { wav = try WAVAudio(contentsOf: full) } catch { throw .audio(field: field, path: full, reason: error.description) }
        guard wav.channels >= 1 else { throw .audio(field: field, path: full, reason: "no channels") }
        let interleaved = wav.pcm16
        var mono = [Int16](repeating: 0, count: wav.frameCount)
        for i in 0..<mono.count {
            var sum = 0
            for c in 0..<wav.channels { sum += Int(interleaved[i * wav.channels + c]) }
            mono[i] = Int16(sum / wav.channels)
        }
        guard wav.sampleRate != RealtimeAudio.sampleRate else { return mono }
        let resampler: Resampler
        do { resampler = try Resampler(from: wav.sampleRate, to: RealtimeAudio.sampleRate) } catch {
            throw .audio(field: field, path: full, reason: "sample rate \(wav.sampleRate) Hz not supported (8, 16, 24 or 48 kHz)")
        }
        var out = [Int16](repeating: 0, count: resampler.outputCount(forInput: mono.count))
        do {
            let n = try resampler.process(mono, into: &out)
            return Array(out.prefix(n))
        } catch {
            throw .audio(field: field, path: full, reason: "resampling failed")
        }
    }

    /// 1-based line and column of byte `offset`.
    private func position(of offset: Int) -> (Int, Int) {
        var line = 1, column = 1
        for b in bytes.prefix(offset) {
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
