import Audio
import Foundation
import Glibc
import MediaCore
import Realtime
import RealtimeClient
import RealtimeServer
import Runtime
import Synchronization

/// One call: optional local endpoint, client, paced audio device, live progress, final report.
final class CallRunner: @unchecked Sendable {
    let args: CallArguments
    let started = RuntimeClock.now()
    let log = Mutex<[String]>([])
    let eventLines = Mutex<[String]>([])
    let done = Mutex<Progress>(Progress())

    struct Progress {
        var responsesDone = 0
        var lastResponseDoneAt: Instant?
        var fatal: RealtimeClientError?
        var errorEvents: [String] = []
        var transcript = ""
    }

    init(_ args: CallArguments) { self.args = args }

    func say(_ line: String) {
        guard !args.quiet else { return }
        let t = (RuntimeClock.now() - started).seconds
        print(String(format: "[%6.2fs] ", t) + line)
        fflush(nil)
    }

    static func fail(_ message: String, code: Int32) -> Int32 {
        FileHandle.standardError.write(Data("realtime-call: \(message)\n".utf8))
        return code
    }

    func run() -> Int32 {
        // Input audio first: a bad file is a usage error before anything connects.
        var source: [Int16] = []
        switch args.input {
        case .utterance: source = TestUtterance.speechLike()
        case .tone: source = TestUtterance.tone()
        case .text: source = []
        case .wav(let path):
            do { source = try Self.load48k(path) } catch { return Self.fail("--input: \(error)", code: 2) }
        }
        var tools: ToolFile?
        if let path = args.tools {
            do { tools = try ToolFile(path: path) } catch { return Self.fail(error.description, code: 2) }
        }

        // The endpoint: the given URL, or a local one in this process.
        var endpoint: RealtimeEndpoint?
        var url = args.url ?? ""
        if args.url == nil {
            do {
                let local = try RealtimeEndpoint(.init(host: "127.0.0.1", port: 0, backend: args.backend, log: { _ in }))
                let port = try local.start()
                endpoint = local
                url = "http://127.0.0.1:\(port)"
                say("local endpoint (\(args.backend == .echo ? "echo" : "scripted")) on \(url)")
            } catch {
                return Self.fail("cannot start the local endpoint: \(error)", code: 3)
            }
        }
        defer { endpoint?.stop() }
        guard let parsed = EndpointURL(url) else { return Self.fail("invalid URL \(url)", code: 2) }
        let loopback = parsed.host.hasPrefix("127.") || parsed.host == "localhost"

        var config = RealtimeClient.Configuration()
        config.url = url
        config.apiKey = args.apiKey
        config.model = args.model
        config.transport = args.transport
        config.ptime = args.ptime
        config.caFile = args.caFile
        config.playoutTarget = 4
        config.connectTimeout = .seconds(min(10, args.seconds))
        // The real service: mint an ephemeral key so only it travels on the media path.
        config.mintEphemeralKey = args.apiKey != nil && !loopback
        var input = SessionUpdate.Input()
        input.turnDetection = args.serverVAD ? Nullable.value(TurnDetection.defaultServerVAD) : Nullable.null
        var output: SessionUpdate.Output?
        if let v = args.voice { output = SessionUpdate.Output(voice: Voice(rawValue: v)) }
        config.session = SessionUpdate(instructions: args.instructions, audio: SessionUpdate.Audio(input: input, output: output),
                                       tools: tools?.tools)
        if args.url != nil, args.apiKey == nil, !loopback {
            return Self.fail("no API key: pass --api-key or set OPENAI_API_KEY", code: 2)
        }

        let client: RealtimeClient
        do {
            client = try RealtimeClient(configuration: config) { [self] event in self.handle(event) }
        } catch {
            return Self.fail(error.description, code: error.exitCode)
        }
        if let tools {
            for (name, out) in tools.outputs { client.registerTool(name) { _ in out } }
        }
        say("calling \(url) over \(args.transport.rawValue)")
        do { try client.connect() } catch {
            return Self.fail(error.description, code: error.exitCode)
        }
        let m0 = client.metricsSnapshot()
        say("session \(m0.sessionID ?? "?") created: " + m0.setupPhases.map { "\($0.name) \(String(format: "%.1f", $0.milliseconds)) ms" }.joined(separator: ", "))

        guard let ports = client.takeAudioPorts() else { return Self.fail("audio ports already taken", code: 4) }
        let device = PacedAudioDevice(ports: ports, source: source, maxSeconds: args.seconds + 5)
        device.start()
        if case .text(let text) = args.input {
            client.send(ClientEvent(.conversationItemCreate(previousItemID: nil, item: .message(.init(role: .user, content: [.inputText(text)])))))
            client.send(ClientEvent(.responseCreate(nil)))
            say("sent text: \(text)")
        }

        // Wait: a reply finished and its audio drained, or the time limit.
        let deadline = started + .seconds(args.seconds)
        var committed = false
        var outcome: Int32 = 0
        var cause = ""
        while true {
            usleep(20_000)
            let now = RuntimeClock.now()
            if !args.serverVAD, !committed, case .text = args.input {} else if !args.serverVAD, !committed, device.sourceEndedAt != nil {
                committed = true
                client.send(ClientEvent(.inputAudioBufferCommit))
                client.send(ClientEvent(.responseCreate(nil)))
                say("input committed (no VAD)")
            }
            let p = done.withLock { $0 }
            if let fatal = p.fatal { outcome = fatal.exitCode; cause = fatal.description; break }
            let inputOver = device.sourceEndedAt != nil || source.isEmpty
            if inputOver, p.responsesDone > 0, let at = p.lastResponseDoneAt, now - at > .milliseconds(300),
               client.metricsSnapshot().framesPlayed > 0 || now - at > .seconds(2) {
                // Let the queued reply play out.
                usleep(300_000)
                break
            }
            if p.responsesDone == 0, !p.errorEvents.isEmpty, inputOver, now - started > .seconds(3) {
                outcome = 4; cause = "error from the endpoint: \(p.errorEvents[0])"; break
            }
            if now >= deadline {
                if p.responsesDone == 0 { outcome = 5; cause = "timeout: no reply within \(args.seconds) s" }
                break
            }
        }
        let played = device.stop()
        let metrics = client.metricsSnapshot()
        client.close()
        finish(metrics: metrics, played: played)
        if outcome != 0 { return Self.fail(cause, code: outcome) }
        return 0
    }

    func handle(_ event: RealtimeClient.Event) {
        switch event {
        case .server(let e):
            if args.events != nil { eventLines.withLock { $0.append(e.jsonText) } }
            switch e.body {
            case .inputAudioBufferSpeechStarted: say("speech started")
            case .inputAudioBufferSpeechStopped: say("speech stopped")
            case .responseCreated(let r): say("response \(r.id ?? "") started")
            case .responseOutputAudioTranscriptDone(_, let t), .responseOutputTextDone(_, let t):
                if !t.isEmpty { say("reply: \(t)") }
                done.withLock { $0.transcript += t }
            case .responseDone(let r):
                say("response \(r.id ?? "") \(r.status?.rawValue ?? "done")")
                done.withLock { $0.responsesDone += 1; $0.lastResponseDoneAt = RuntimeClock.now() }
            case .error(let d):
                say("error: \(d.message)")
                done.withLock { $0.errorEvents.append(d.message) }
            case .rateLimitsUpdated(let l):
                say("rate limits: " + l.map { "\($0.name.rawValue) \($0.remaining)/\($0.limit)" }.joined(separator: ", "))
            default: break
            }
        case .unreadableEvent(_, let reason): say("unreadable event: \(reason)")
        case .bargeIn(let item, let ms): say("barge-in: truncated \(item) at \(ms) ms")
        case .functionCall(let name, _, let args, let output): say("tool \(name)(\(args)) -> \(output ?? "(no handler)")")
        case .reconnecting(let n, let why): say("reconnecting (\(n)): \(why)")
        case .sessionReplaced(let id, let rollover): say("\(rollover ? "rolled over" : "reconnected") to \(id ?? "?")")
        case .disconnected(let why):
            say("disconnected: \(why)")
            done.withLock { $0.fatal = .connect("disconnected: \(why)") }
        }
    }

    func finish(metrics: ClientMetrics, played: [Int16]) {
        let replySeconds = Double(played.filter { $0 > 64 || $0 < -64 }.count) / 48_000
        if let path = args.output {
            do { try WAVAudio(sampleRate: 48_000, channels: 1, samples: .pcm16(played)).write(to: path) }
            catch { say("cannot write \(path): \(error)") }
        }
        if let path = args.events {
            let text = eventLines.withLock { $0.joined(separator: "\n") } + "\n"
            if !FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) { say("cannot write \(path)") }
        }
        var report = metrics.jsonObject
        if case .object(var o) = report {
            o["played_seconds"] = .decimal((Double(played.count) / 48_000 * 100).rounded() / 100)
            o["audible_reply_seconds"] = .decimal((replySeconds * 100).rounded() / 100)
            o["transcript"] = .string(done.withLock { $0.transcript })
            report = .object(o)
        }
        if let path = args.report {
            if !FileManager.default.createFile(atPath: path, contents: Data(JSONWriter.string(report).utf8)) { say("cannot write \(path)") }
        }
        guard !args.quiet else { return }
        print("--- report ---")
        print("transport       \(metrics.transport.rawValue)   session \(metrics.sessionID ?? "?")")
        print("set-up          " + metrics.setupPhases.map { "\($0.name) \(String(format: "%.1f", $0.milliseconds)) ms" }.joined(separator: ", "))
        print("turn latency    " + (metrics.turnLatenciesMs.isEmpty ? "n/a" : metrics.turnLatenciesMs.map { String(format: "%.0f ms", $0) }.joined(separator: ", ")))
        print("responses       \(metrics.responses)   barge-ins \(metrics.bargeIns.count)   tool calls \(metrics.functionCalls)   reconnects \(metrics.reconnects)")
        print(String(format: "reply audio     %.2f s audible", replySeconds))
        if let jb = metrics.jitterBufferDelayMs {
            // Silence played while the endpoint sent nothing counts as concealment in getStats;
            // shown apart, since nobody hears it as a loss.
            print(String(format: "media           jitter buffer %.1f ms, lost %d, concealed %d samples (%d of them silence), RTT %@", jb,
                         Int(metrics.packetsLost ?? 0), metrics.concealedSamples ?? 0, metrics.silentConcealedSamples ?? 0,
                         metrics.roundTripTimeMs.map { String(format: "%.1f ms", $0) } ?? "n/a"))
        }
        print("usage           \(metrics.usage.inputTokens) in / \(metrics.usage.outputTokens) out tokens, cost $\(String(format: "%.6f", metrics.cost.usd))")
        if !metrics.errors.isEmpty { print("errors          \(metrics.errors.joined(separator: "; "))") }
    }

    /// A WAV file as 48 kHz mono PCM16 (channels mixed down, 8/16/24 kHz resampled).
    static func load48k(_ path: String) throws -> [Int16] {
        let wav = try WAVAudio(contentsOf: path)
        let pcm = wav.pcm16
        var mono = [Int16](repeating: 0, count: wav.frameCount)
        for i in 0..<wav.frameCount {
            var sum = 0
            for c in 0..<wav.channels { sum += Int(pcm[i * wav.channels + c]) }
            mono[i] = Int16(clamping: sum / max(1, wav.channels))
        }
        if wav.sampleRate == 48_000 { return mono }
        let r = try Resampler(from: wav.sampleRate, to: 48_000)
        var out = [Int16](repeating: 0, count: r.outputCount(forInput: mono.count) + 64)
        let n = try r.process(mono, into: &out)
        return Array(out.prefix(n))
    }
}
