/// Why bytes from the network or a file could not be read. Every parser in the package throws
/// this (never traps), so callers can count and drop bad input with one catch.
public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended before `needed` more bytes could be read at `offset`.
    case truncated(offset: Int, needed: Int)
    /// A field held a value the format does not allow.
    case invalidValue(field: String, reason: String)
    /// A line- or text-based format did not follow its grammar.
    case malformed(line: Int, reason: String)
    /// The input is well-formed but uses something this implementation does not support.
    case unsupported(String)

    public var description: String {
        switch self {
        case let .truncated(offset, needed): return "truncated: needed \(needed) more byte(s) at offset \(offset)"
        case let .invalidValue(field, reason): return "invalid \(field): \(reason)"
        case let .malformed(line, reason): return "malformed at line \(line): \(reason)"
        case let .unsupported(what): return "unsupported: \(what)"
        }
    }
}
