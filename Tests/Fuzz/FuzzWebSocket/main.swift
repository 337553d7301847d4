import FuzzSupport
import HTTP
import MediaCore

/// The frame parser over the input, and server- and client-role connection cores fed it in
/// pieces (with a small message limit and timeouts): every path must fail cleanly, never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let first = bytes.first else { return 0 }
    var r = ByteReader(bytes)
    while let frame = try? WebSocketFrame(parsing: &r) { _ = frame.serialized() }
    let step = Int(first % 32) + 1
    let config = WebSocketConnection.Configuration(maxMessageBytes: 4096, pingInterval: .seconds(1), pongTimeout: .seconds(1))
    for role in [WebSocketConnection.Role.server, .client] {
        var ws = WebSocketConnection(role: role, configuration: config, now: .zero, maskingKeySource: { 0x0102_0304 })
        var t = Instant.zero
        var i = 1
        while i < bytes.count {
            ws.handle(bytes: bytes[i..<min(bytes.count, i + step)], at: t)
            while let e = ws.pollEvent() {
                if case let .text(s) = e { try? ws.send(text: s, fragmentSize: step) }
            }
            while ws.pollTransmit() != nil {}
            t += .milliseconds(700)
            ws.handleTimeout(at: t)
            i += step
        }
        ws.handleEndOfInput(at: t)
        while ws.pollEvent() != nil {}
    }
    return 0
}

runFuzzer(fuzzOne)
