/// Why a Realtime event was rejected, carrying exactly what the `error` server event reports:
/// `type`, `code`, `message`, `param` (a dotted path such as
/// `session.audio.input.turn_detection.threshold`) and the client's `event_id` when known.
public struct RealtimeProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The `code` values this layer produces, spelled as the service spells them.
    public enum Code: String, Sendable, Equatable {
        /// The text was not JSON, or not a JSON object.
        case invalidJSON = "invalid_json"
        /// A required field was absent.
        case missingRequiredParameter = "missing_required_parameter"
        /// A field this (GA) interface does not define, e.g. the beta `session.modalities`.
        case unknownParameter = "unknown_parameter"
        /// A field held the wrong JSON type.
        case invalidType = "invalid_type"
        /// A field held a value outside its enumeration (or an unknown event `type`).
        case invalidValue = "invalid_value"
        /// Numeric range violations, named as the service names them.
        case decimalBelowMinValue = "decimal_below_min_value"
        case decimalAboveMaxValue = "decimal_above_max_value"
        case integerBelowMinValue = "integer_below_min_value"
        case integerAboveMaxValue = "integer_above_max_value"
    }

    /// Always "invalid_request_error" for what this layer detects: the client sent something wrong.
    public var type: String
    public var code: Code
    public var message: String
    public var param: String?
    public var eventID: String?

    public init(code: Code, message: String, param: String?, eventID: String? = nil, type: String = "invalid_request_error") {
        self.type = type
        self.code = code
        self.message = message
        self.param = param
        self.eventID = eventID
    }

    /// The payload of the `error` server event that answers this failure.
    public var details: RealtimeErrorDetails {
        RealtimeErrorDetails(type: type, code: code.rawValue, message: message, param: param, eventID: eventID)
    }

    public var description: String { "\(code.rawValue)\(param.map { " at \($0)" } ?? ""): \(message)" }

    static func missing(_ param: String) -> RealtimeProtocolError {
        RealtimeProtocolError(code: .missingRequiredParameter, message: "Missing required parameter: '\(param)'.", param: param)
    }

    static func unknown(_ param: String) -> RealtimeProtocolError {
        RealtimeProtocolError(code: .unknownParameter, message: "Unknown parameter: '\(param)'.", param: param)
    }

    static func invalidType(_ param: String, expected: String, got: JSONValue) -> RealtimeProtocolError {
        RealtimeProtocolError(
            code: .invalidType,
            message: "Invalid type for '\(param)': expected \(expected), but got \(got.typeName) instead.", param: param)
    }

    static func invalidValue(_ param: String, _ value: String, supported: [String]) -> RealtimeProtocolError {
        let list = supported.map { "'\($0)'" }.joined(separator: ", ")
        return RealtimeProtocolError(
            code: .invalidValue, message: "Invalid value: '\(value)'. Supported values are: \(list).", param: param)
    }
}

/// The `error` object of the `error` server event (and of HTTP error bodies).
public struct RealtimeErrorDetails: Equatable, Sendable {
    /// e.g. "invalid_request_error", "server_error".
    public var type: String
    public var code: String?
    public var message: String
    public var param: String?
    /// The client event that caused the error, when there was one.
    public var eventID: String?

    public init(type: String, code: String?, message: String, param: String? = nil, eventID: String? = nil) {
        self.type = type
        self.code = code
        self.message = message
        self.param = param
        self.eventID = eventID
    }
}
