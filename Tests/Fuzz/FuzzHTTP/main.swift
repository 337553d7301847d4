import FuzzSupport
import HTTP
import MediaCore

/// The request parser fed the input in pieces (sizes from the first byte), the server connection
/// core over the same bytes, and the multipart parser over the input as a body: all must throw or
/// answer, never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let first = bytes.first else { return 0 }
    let step = Int(first % 16) + 1
    let limits = HTTPLimits(maxRequestLineBytes: 256, maxHeaderCount: 8, maxHeaderBytes: 512, maxBodyBytes: 1024)
    var parser = HTTPRequestParser(limits: limits)
    var connection = HTTPServerConnection(limits: limits, now: .zero)
    var i = 1
    var t = Instant.zero
    while i < bytes.count {
        let piece = bytes[i..<min(bytes.count, i + step)]
        parser.append(piece)
        while let output = try? parser.next() {
            if case let .request(r) = output {
                _ = r.query
                _ = r.keepAlive
                if let b = r.headers["Content-Type"].flatMap(MultipartFormData.boundary(fromContentType:)) {
                    _ = try? MultipartFormData(parsing: r.body, boundary: b)
                }
            }
        }
        t += .seconds(1)
        connection.handle(bytes: piece, at: t)
        while connection.pollEvent() != nil { connection.respond(HTTPResponse(status: 200), at: t) }
        while connection.pollTransmit() != nil {}
        connection.handleTimeout(at: t)
        i += step
    }
    _ = try? MultipartFormData(parsing: Array(bytes.dropFirst()), boundary: "b")
    _ = QueryString(parsing: String(decoding: bytes, as: UTF8.self))
    _ = try? HTTPResponseHead(parsing: bytes[...])
    return 0
}

runFuzzer(fuzzOne)
