import Foundation
import Realtime

/// `--tools FILE`: a JSON array (or `{"tools": [...]}`) of function tools, each
/// `{name, description?, parameters?, output?}`; `output` (text or any JSON) is what the tool
/// answers, `{"ok":true}` when absent.
struct ToolFile {
    var tools: [FunctionTool] = []
    var outputs: [String: String] = [:]

    init(path: String) throws(CallArguments.UsageError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .init(description: "--tools: cannot read \(path)") }
        let root: JSONValue
        do { root = try JSONParser.parse([UInt8](data)) } catch { throw .init(description: "--tools: \(path) is not JSON: \(error.reason) at byte \(error.offset)") }
        var list: [JSONValue] = []
        switch root {
        case .array(let a): list = a
        case .object(let o):
            guard case .array(let a)? = o["tools"] else { throw .init(description: "--tools: expected an array of tools") }
            list = a
        default: throw .init(description: "--tools: expected an array of tools")
        }
        for (i, v) in list.enumerated() {
            guard case .object(let o) = v, case .string(let name)? = o["name"], !name.isEmpty else {
                throw .init(description: "--tools: tool \(i) needs a name")
            }
            var description: String?
            if case .string(let d)? = o["description"] { description = d }
            var parameters: JSONObject?
            if case .object(let p)? = o["parameters"] { parameters = p }
            tools.append(FunctionTool(name: name, description: description, parameters: parameters))
            switch o["output"] {
            case .string(let s)?: outputs[name] = s
            case let other?: outputs[name] = JSONWriter.string(other)
            case nil: outputs[name] = "{\"ok\":true}"
            }
        }
    }
}
