/// A field of a partial update that JSON can set, clear with `null`, or leave out (`Optional`
/// of this = left out). `session.update` needs all three for e.g. `turn_detection`.
public enum Nullable<Wrapped: Equatable & Sendable>: Equatable, Sendable {
    case value(Wrapped)
    case null

    /// The new value: `nil` when the update clears the field.
    public var wrapped: Wrapped? {
        if case .value(let w) = self { return w }
        return nil
    }

    init(_ optional: Wrapped?) { self = optional.map(Nullable.value) ?? .null }
}

extension JSONFieldReader {
    /// A field that may be absent (nil), `null` (`.null`) or a value.
    mutating func nullable<T>(_ key: String, _ decode: (JSONValue, String) throws(RealtimeProtocolError) -> T) throws(RealtimeProtocolError) -> Nullable<T>? {
        guard let v = raw(key) else { return nil }
        if v == .null { return .null }
        return .value(try decode(v, param(key)))
    }
}

extension Nullable where Wrapped: RealtimeJSONCodable {
    var json: JSONValue {
        switch self {
        case .value(let w): w.json
        case .null: .null
        }
    }
}
