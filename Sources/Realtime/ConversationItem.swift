/// One item of a Realtime conversation (`object: "realtime.item"`): a message, a function call
/// by the model, or the client's function call output.
public enum ConversationItem: Equatable, Sendable {
    case message(Message)
    case functionCall(FunctionCall)
    case functionCallOutput(FunctionCallOutput)

    public enum Status: String, CaseIterable, Sendable {
        case completed, incomplete
        case inProgress = "in_progress"
    }

    /// A message. Content part kinds must fit the role: system takes `input_text`; user takes
    /// `input_text` and `input_audio`; assistant takes `output_text` and `output_audio`.
    public struct Message: Equatable, Sendable {
        public enum Role: String, CaseIterable, Sendable { case system, user, assistant }
        public var id: String?
        public var status: Status?
        public var role: Role
        public var content: [ContentPart]

        public init(id: String? = nil, status: Status? = nil, role: Role, content: [ContentPart]) {
            self.id = id
            self.status = status
            self.role = role
            self.content = content
        }
    }

    /// One part of a message's `content`.
    public enum ContentPart: Equatable, Sendable {
        case inputText(String)
        /// Base64 audio in the session's input format, and its transcript once known.
        case inputAudio(audio: String?, transcript: String?)
        case outputText(String)
        case outputAudio(audio: String?, transcript: String?)

        public var typeName: String {
            switch self {
            case .inputText: "input_text"
            case .inputAudio: "input_audio"
            case .outputText: "output_text"
            case .outputAudio: "output_audio"
            }
        }
    }

    public struct FunctionCall: Equatable, Sendable {
        public var id: String?
        public var status: Status?
        public var callID: String?
        public var name: String
        /// The arguments as JSON text, exactly as the model produced them.
        public var arguments: String

        public init(id: String? = nil, status: Status? = nil, callID: String? = nil, name: String, arguments: String) {
            self.id = id
            self.status = status
            self.callID = callID
            self.name = name
            self.arguments = arguments
        }
    }

    public struct FunctionCallOutput: Equatable, Sendable {
        public var id: String?
        public var status: Status?
        public var callID: String
        public var output: String

        public init(id: String? = nil, status: Status? = nil, callID: String, output: String) {
            self.id = id
            self.status = status
            self.callID = callID
            self.output = output
        }
    }

    /// The item's `item_…` id, when it has one (the server assigns one to every item).
    public var id: String? {
        get {
            switch self {
            case .message(let m): m.id
            case .functionCall(let f): f.id
            case .functionCallOutput(let f): f.id
            }
        }
        set {
            switch self {
            case .message(var m): m.id = newValue; self = .message(m)
            case .functionCall(var f): f.id = newValue; self = .functionCall(f)
            case .functionCallOutput(var f): f.id = newValue; self = .functionCallOutput(f)
            }
        }
    }

    public var status: Status? {
        get {
            switch self {
            case .message(let m): m.status
            case .functionCall(let f): f.status
            case .functionCallOutput(let f): f.status
            }
        }
        set {
            switch self {
            case .message(var m): m.status = newValue; self = .message(m)
            case .functionCall(var f): f.status = newValue; self = .functionCall(f)
            case .functionCallOutput(var f): f.status = newValue; self = .functionCallOutput(f)
            }
        }
    }
}

extension ConversationItem: RealtimeJSONCodable {
    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        let type = try r.requiredString("type")
        try r.constant("object", "realtime.item")
        let id = try r.string("id")
        let status = try r.enumeration("status", Status.self)
        switch type {
        case "message":
            let role = try r.requiredEnumeration("role", Message.Role.self)
            let content = try r.array("content") { (v, p) throws(RealtimeProtocolError) in try ContentPart(json: v, path: p, role: role) } ?? []
            self = .message(Message(id: id, status: status, role: role, content: content))
        case "function_call":
            self = .functionCall(
                FunctionCall(id: id, status: status, callID: try r.string("call_id"), name: try r.requiredString("name"),
                             arguments: try r.requiredString("arguments")))
        case "function_call_output":
            self = .functionCallOutput(
                FunctionCallOutput(id: id, status: status, callID: try r.requiredString("call_id"), output: try r.requiredString("output")))
        default:
            throw .invalidValue(r.param("type"), type, supported: ["message", "function_call", "function_call_output"])
        }
        try r.finish()
    }

    public var json: JSONValue {
        var o = JSONObject()
        o.setIfPresent("id", id.map(JSONValue.string))
        if id != nil { o["object"] = "realtime.item" }
        switch self {
        case .message(let m):
            o["type"] = "message"
            o.setIfPresent("status", m.status.map { .string($0.rawValue) })
            o["role"] = .string(m.role.rawValue)
            o["content"] = .array(m.content.map(\.json))
        case .functionCall(let f):
            o["type"] = "function_call"
            o.setIfPresent("status", f.status.map { .string($0.rawValue) })
            o.setIfPresent("call_id", f.callID.map(JSONValue.string))
            o["name"] = .string(f.name)
            o["arguments"] = .string(f.arguments)
        case .functionCallOutput(let f):
            o["type"] = "function_call_output"
            o.setIfPresent("status", f.status.map { .string($0.rawValue) })
            o["call_id"] = .string(f.callID)
            o["output"] = .string(f.output)
        }
        return .object(o)
    }
}

extension ConversationItem.ContentPart {
    /// The part kinds each role may carry.
    static func allowed(for role: ConversationItem.Message.Role) -> [String] {
        switch role {
        case .system: ["input_text"]
        case .user: ["input_text", "input_audio"]
        case .assistant: ["output_text", "output_audio"]
        }
    }

    init(json: JSONValue, path: String, role: ConversationItem.Message.Role) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        let type = try r.requiredString("type")
        let allowed = Self.allowed(for: role)
        guard allowed.contains(type) else { throw .invalidValue(r.param("type"), type, supported: allowed) }
        switch type {
        case "input_text": self = .inputText(try r.requiredString("text"))
        case "output_text": self = .outputText(try r.requiredString("text"))
        case "input_audio": self = .inputAudio(audio: try r.string("audio"), transcript: try r.string("transcript"))
        default: self = .outputAudio(audio: try r.string("audio"), transcript: try r.string("transcript"))
        }
        try r.finish()
    }

    var json: JSONValue {
        var o: JSONObject = ["type": .string(typeName)]
        switch self {
        case .inputText(let t), .outputText(let t):
            o["text"] = .string(t)
        case .inputAudio(let audio, let transcript), .outputAudio(let audio, let transcript):
            o.setIfPresent("audio", audio.map(JSONValue.string))
            o["transcript"] = transcript.map(JSONValue.string) ?? .null
        }
        return .object(o)
    }
}
