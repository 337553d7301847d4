import Realtime

/// Which backend answers each session: `echo` (default) or a JSON script (`scripted=FILE`).
public enum EndpointBackend: Sendable, Equatable {
    case echo
    /// A `ScriptedBackend` script, loaded once at start so a bad file fails before listening.
    case scripted(path: String)

    /// Parses `echo` or `scripted=FILE` (the `--backend` argument).
    public init?(argument: String) {
        if argument == "echo" {
            self = .echo
        } else if argument.hasPrefix("scripted="), argument.count > "scripted=".count {
            self = .scripted(path: String(argument.dropFirst("scripted=".count)))
        } else {
            return nil
        }
    }
}

/// Makes a fresh backend per session from a choice validated once (`ScriptedBackend(file:)`).
struct BackendFactory: Sendable {
    private let script: [ScriptedBackend.Reply]?

    init(_ choice: EndpointBackend) throws(ScriptError) {
        switch choice {
        case .echo: script = nil
        case .scripted(let path): script = try ScriptedBackend(file: path).replies
        }
    }

    func make() -> any RealtimeBackend {
        guard let script else { return EchoBackend() }
        return ScriptedBackend(replies: script)
    }
}
