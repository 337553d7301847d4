/// A function the model may call (`tools[]` with `type: "function"`). MCP tools are not served
/// by this endpoint and are rejected with `invalid_value` on `type`.
public struct FunctionTool: Equatable, Sendable, RealtimeJSONCodable {
    public var name: String
    public var description: String?
    /// The JSON Schema of the arguments, kept as raw JSON.
    public var parameters: JSONObject?

    public init(name: String, description: String? = nil, parameters: JSONObject? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }

    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        var r = try JSONFieldReader(json, path: path)
        if let type = try r.string("type"), type != "function" {
            throw .invalidValue(r.param("type"), type, supported: ["function"])
        }
        name = try r.requiredString("name")
        description = try r.string("description")
        parameters = try r.object("parameters")
        try r.finish()
    }

    public var json: JSONValue {
        var o: JSONObject = ["type": "function", "name": .string(name)]
        o.setIfPresent("description", description.map(JSONValue.string))
        o.setIfPresent("parameters", parameters.map(JSONValue.object))
        return .object(o)
    }
}

/// `tool_choice`: "auto" (default), "none", "required", or one named function.
public enum ToolChoice: Equatable, Sendable, RealtimeJSONCodable {
    case auto, none, required
    case function(name: String)

    public init(json: JSONValue, path: String) throws(RealtimeProtocolError) {
        switch json {
        case .string(let s):
            switch s {
            case "auto": self = .auto
            case "none": self = .none
            case "required": self = .required
            default: throw .invalidValue(path, s, supported: ["none", "auto", "required"])
            }
        case .object:
            var r = try JSONFieldReader(json, path: path)
            let type = try r.requiredString("type")
            guard type == "function" else { throw .invalidValue(r.param("type"), type, supported: ["function"]) }
            self = .function(name: try r.requiredString("name"))
            try r.finish()
        default:
            throw .invalidType(path, expected: "a string or an object", got: json)
        }
    }

    public var json: JSONValue {
        switch self {
        case .auto: "auto"
        case .none: "none"
        case .required: "required"
        case .function(let name): .object(["type": "function", "name": .string(name)])
        }
    }
}
