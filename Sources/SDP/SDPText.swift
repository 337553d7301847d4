import MediaCore

/// Small text helpers over UTF-8 bytes for the SDP codec (no Foundation: the stdlib only).

/// Whether `b` is an ASCII decimal digit.
func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

/// Parses an unsigned decimal with no sign, no spaces and no overflow (RFC 8866 `integer`-style fields).
func parseDecimal<T: FixedWidthInteger & UnsignedInteger>(_ s: Substring, as: T.Type = T.self) -> T? {
    var value: T = 0
    var count = 0
    for b in s.utf8 {
        guard isDigit(b) else { return nil }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(T(b &- 0x30))
        guard !o1, !o2 else { return nil }
        value = a
        count += 1
    }
    return count > 0 ? value : nil
}

/// Splits on one ASCII byte, working on UTF-8 (the `Character` split of the stdlib pays for
/// grapheme breaking, which dominated parse time). After `maxSplits` the rest is one piece.
func splitBytes(_ s: Substring, _ separator: UInt8, maxSplits: Int = .max, omittingEmpty: Bool = false) -> [Substring] {
    let u = s.utf8
    var out: [Substring] = []
    var start = u.startIndex, i = start, splits = 0
    while i != u.endIndex {
        if u[i] == separator, splits < maxSplits {
            if !(omittingEmpty && start == i) { out.append(Substring(u[start..<i])) }
            splits += 1
            start = u.index(after: i)
        }
        i = u.index(after: i)
    }
    if !(omittingEmpty && start == u.endIndex) { out.append(Substring(u[start..<u.endIndex])) }
    return out
}

/// The index of the first `byte` in `s` (ASCII separators only).
func firstIndex(of byte: UInt8, in s: Substring) -> Substring.Index? { s.utf8.firstIndex(of: byte) }

/// Splits on single spaces, keeping empty fields (so a double space is visible to the caller as an
/// empty token, which every SDP grammar here rejects).
func fields(_ s: Substring) -> [Substring] { splitBytes(s, UInt8(ascii: " ")) }

/// ASCII case-insensitive comparison (codec names, transports and hash names are case-insensitive).
func equalsIgnoringCase(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
    var ia = a.utf8.makeIterator(), ib = b.utf8.makeIterator()
    while true {
        switch (ia.next(), ib.next()) {
        case (nil, nil): return true
        case let (x?, y?):
            if x == y { continue }
            let lx = x &- 0x41 < 26 ? x | 0x20 : x, ly = y &- 0x41 < 26 ? y | 0x20 : y
            if lx != ly { return false }
        default: return false
        }
    }
}

/// RFC 8866 `token`: visible ASCII except the separators the grammar reserves.
func isToken(_ s: some StringProtocol) -> Bool {
    guard !s.isEmpty else { return false }
    for b in s.utf8 {
        switch b {
        case 0x21, 0x23...0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x30...0x39, 0x41...0x5A, 0x5E...0x7E: continue
        default: return false
        }
    }
    return true
}

/// Visible characters only (no spaces, no controls): ufrag, pwd, mid, foundation and similar fields.
func isVisible(_ s: some StringProtocol) -> Bool {
    guard !s.isEmpty else { return false }
    for b in s.utf8 where b <= 0x20 || b == 0x7F { return false }
    return true
}

extension ParseError {
    /// A malformed SDP attribute value.
    static func attribute(_ name: String, _ reason: String) -> ParseError { .invalidValue(field: "a=\(name)", reason: reason) }
}
