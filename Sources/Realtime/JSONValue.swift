/// A parsed JSON value that keeps what the Realtime wire format cares about and Foundation's
/// `JSONSerialization` blurs on Linux: integers apart from decimals, booleans apart from numbers,
/// and object keys in their original order (so encoded events read like the service's).
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits.
    case integer(Int64)
    /// Any other number.
    case decimal(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The JSON type name used in `invalid_type` messages ("string", "object", ...).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .decimal: "decimal"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// A JSON object with its keys in insertion order. Lookups are linear: Realtime objects have a
/// handful of keys, where a scan beats hashing. A repeated key keeps its last value, as most
/// JSON readers do.
public struct JSONObject: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    public private(set) var entries: [(key: String, value: JSONValue)]

    public init() { entries = [] }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        entries = []
        for (k, v) in elements { self[k] = v }
    }

    public var keys: [String] { entries.map(\.key) }
    public var count: Int { entries.count }

    public subscript(key: String) -> JSONValue? {
        get { entries.last(where: { $0.key == key })?.value }
        set {
            if let i = entries.lastIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    /// Appends without checking for an existing key (the parser keeps duplicates; lookups see the last).
    mutating func appendUnchecked(_ key: String, _ value: JSONValue) { entries.append((key, value)) }

    /// Sets `key` only when `value` is non-nil: the encoders' way of leaving optional fields out.
    public mutating func setIfPresent(_ key: String, _ value: JSONValue?) {
        if let value { self[key] = value }
    }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        // Order-insensitive: two objects are equal when they map the same keys to equal values.
        let ak = Set(a.keys), bk = Set(b.keys)
        return ak == bk && ak.allSatisfy { a[$0] == b[$0] }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .decimal(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    /// An integer value (`Int` is 64-bit on every platform this package supports).
    public static func int(_ v: Int) -> JSONValue { .integer(Int64(v)) }
}
