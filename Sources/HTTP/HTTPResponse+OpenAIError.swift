extension HTTPResponse {
    /// An error in the OpenAI API shape: `{"error":{"message":…,"type":…,"param":…,"code":…}}`
    /// (`param` and `code` are JSON null when absent), with `Content-Type: application/json`.
    public static func openAIError(status: Int, message: String, type: String = "invalid_request_error",
                                   param: String? = nil, code: String? = nil, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        let json = "{\"error\":{\"message\":\(JSONText.string(message)),\"type\":\(JSONText.string(type)),"
            + "\"param\":\(param.map(JSONText.string) ?? "null"),\"code\":\(code.map(JSONText.string) ?? "null")}}"
        return HTTPResponse(status: status, contentType: "application/json", body: json, headers: headers)
    }

    /// The answer to a request the parser rejected, in the OpenAI error shape, closing the connection.
    public static func error(_ error: HTTPError) -> HTTPResponse {
        openAIError(status: error.status, message: error.description, headers: ["Connection": "close"])
    }
}

/// Hand-written JSON string escaping (RFC 8259 §7): quotes, backslash and controls escaped,
/// everything else passed through as UTF-8.
public enum JSONText {
    public static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = Array("0123456789abcdef")
                    out += "\\u00" + String(hex[Int(scalar.value >> 4)]) + String(hex[Int(scalar.value & 15)])
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
