/// Reads the fields of one JSON object with typed accessors that throw `RealtimeProtocolError`
/// naming the dotted `param` path. `finish()` rejects every key that no accessor asked for: that
/// is how GA rejects beta-only fields (`session.modalities`) with `unknown_parameter`.
struct JSONFieldReader {
    let object: JSONObject
    /// The object's own path ("" for an event's top level).
    let path: String
    private var consumed: [String] = []

    init(_ value: JSONValue, path: String) throws(RealtimeProtocolError) {
        guard case .object(let o) = value else {
            if path.isEmpty {
                throw RealtimeProtocolError(code: .invalidJSON, message: "Expected a JSON object, got \(value.typeName).", param: nil)
            }
            throw .invalidType(path, expected: "an object", got: value)
        }
        object = o
        self.path = path
    }

    /// The dotted path of `key` inside this object.
    func param(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The raw value, or nil when absent; `null` counts as present.
    mutating func raw(_ key: String) -> JSONValue? {
        consumed.append(key)
        return object[key]
    }

    /// The value when present and not `null`.
    mutating func value(_ key: String) -> JSONValue? {
        guard let v = raw(key), v != .null else { return nil }
        return v
    }

    mutating func required(_ key: String) throws(RealtimeProtocolError) -> JSONValue {
        guard let v = value(key) else { throw .missing(param(key)) }
        return v
    }

    mutating func string(_ key: String) throws(RealtimeProtocolError) -> String? {
        guard let v = value(key) else { return nil }
        return try JSONDecoding.string(v, param(key))
    }

    mutating func requiredString(_ key: String) throws(RealtimeProtocolError) -> String {
        try JSONDecoding.string(try required(key), param(key))
    }

    mutating func int(_ key: String) throws(RealtimeProtocolError) -> Int? {
        guard let v = value(key) else { return nil }
        return try JSONDecoding.int(v, param(key))
    }

    mutating func requiredInt(_ key: String) throws(RealtimeProtocolError) -> Int {
        try JSONDecoding.int(try required(key), param(key))
    }

    mutating func double(_ key: String) throws(RealtimeProtocolError) -> Double? {
        guard let v = value(key) else { return nil }
        return try JSONDecoding.double(v, param(key))
    }

    mutating func requiredDouble(_ key: String) throws(RealtimeProtocolError) -> Double {
        try JSONDecoding.double(try required(key), param(key))
    }

    mutating func bool(_ key: String) throws(RealtimeProtocolError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v else { throw .invalidType(param(key), expected: "a boolean", got: v) }
        return b
    }

    /// A string field restricted to the raw values of `E`.
    mutating func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws(RealtimeProtocolError) -> E?
    where E.RawValue == String {
        guard let s = try string(key) else { return nil }
        return try JSONDecoding.enumeration(s, param(key), E.self)
    }

    mutating func requiredEnumeration<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws(RealtimeProtocolError) -> E
    where E.RawValue == String {
        try JSONDecoding.enumeration(try requiredString(key), param(key), E.self)
    }

    /// An array field whose elements `decode` reads with their indexed path (`tools[0]`).
    mutating func array<T>(_ key: String, _ decode: (JSONValue, String) throws(RealtimeProtocolError) -> T) throws(RealtimeProtocolError) -> [T]? {
        guard let v = value(key) else { return nil }
        guard case .array(let items) = v else { throw .invalidType(param(key), expected: "an array", got: v) }
        var out: [T] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() { out.append(try decode(item, "\(param(key))[\(i)]")) }
        return out
    }

    /// An object-valued field kept as raw JSON (tool `parameters`, `metadata`).
    mutating func object(_ key: String) throws(RealtimeProtocolError) -> JSONObject? {
        guard let v = value(key) else { return nil }
        guard case .object(let o) = v else { throw .invalidType(param(key), expected: "an object", got: v) }
        return o
    }

    /// Requires a constant field such as `object: "realtime.item"` when present.
    mutating func constant(_ key: String, _ expected: String, required: Bool = false) throws(RealtimeProtocolError) {
        guard let s = try string(key) else {
            if required { throw .missing(param(key)) }
            return
        }
        guard s == expected else { throw .invalidValue(param(key), s, supported: [expected]) }
    }

    /// Throws `unknown_parameter` for the first key no accessor read.
    func finish() throws(RealtimeProtocolError) {
        for key in object.keys where !consumed.contains(key) { throw .unknown(param(key)) }
    }
}

/// Scalar conversions shared by the field reader and array decoders.
enum JSONDecoding {
    static func string(_ v: JSONValue, _ param: String) throws(RealtimeProtocolError) -> String {
        guard case .string(let s) = v else { throw .invalidType(param, expected: "a string", got: v) }
        return s
    }

    /// Integers; a decimal with no fractional part (1500.0) is accepted as its integer.
    static func int(_ v: JSONValue, _ param: String) throws(RealtimeProtocolError) -> Int {
        switch v {
        case .integer(let i): return Int(i)
        case .decimal(let d) where d.rounded() == d && abs(d) < 9.0e15: return Int(d)
        default: throw .invalidType(param, expected: "an integer", got: v)
        }
    }

    static func double(_ v: JSONValue, _ param: String) throws(RealtimeProtocolError) -> Double {
        switch v {
        case .integer(let i): return Double(i)
        case .decimal(let d): return d
        default: throw .invalidType(param, expected: "a decimal", got: v)
        }
    }

    static func enumeration<E: RawRepresentable & CaseIterable>(_ s: String, _ param: String, _: E.Type) throws(RealtimeProtocolError) -> E
    where E.RawValue == String {
        guard let e = E(rawValue: s) else { throw .invalidValue(param, s, supported: E.allCases.map(\.rawValue)) }
        return e
    }
}

/// A value with one JSON form: how every payload type of the event model is read and written.
public protocol RealtimeJSONCodable {
    /// Reads the value from `json`; `path` is where it sits in the event, for error `param`s.
    init(json: JSONValue, path: String) throws(RealtimeProtocolError)
    var json: JSONValue { get }
}

/// Range checks that answer with the service's range codes (`decimal_above_max_value`, ...).
enum RangeCheck {
    static func decimal(_ v: Double, _ range: ClosedRange<Double>, _ param: String) throws(RealtimeProtocolError) {
        if v < range.lowerBound {
            throw RealtimeProtocolError(
                code: .decimalBelowMinValue,
                message: "Invalid '\(param)': decimal below minimum value. Expected a value >= \(range.lowerBound), but got \(v) instead.",
                param: param)
        }
        if v > range.upperBound {
            throw RealtimeProtocolError(
                code: .decimalAboveMaxValue,
                message: "Invalid '\(param)': decimal above maximum value. Expected a value <= \(range.upperBound), but got \(v) instead.",
                param: param)
        }
    }

    static func integer(_ v: Int, _ range: ClosedRange<Int>, _ param: String) throws(RealtimeProtocolError) {
        if v < range.lowerBound {
            throw RealtimeProtocolError(
                code: .integerBelowMinValue,
                message: "Invalid '\(param)': integer below minimum value. Expected a value >= \(range.lowerBound), but got \(v) instead.",
                param: param)
        }
        if v > range.upperBound {
            throw RealtimeProtocolError(
                code: .integerAboveMaxValue,
                message: "Invalid '\(param)': integer above maximum value. Expected a value <= \(range.upperBound), but got \(v) instead.",
                param: param)
        }
    }
}
