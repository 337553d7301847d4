import Foundation
import Glibc
import HTTP
import MediaCore
import Testing
@testable import Runtime

/// The pinned interop venv's Python (Tests/Interop/requirements.txt): `.venv/bin/python` at the
/// package root, else `/tmp/probe-venv/bin/python`; nil when neither exists.
func interopPython() -> String? {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    for candidate in [root.appendingPathComponent(".venv/bin/python").path, "/tmp/probe-venv/bin/python"]
    where FileManager.default.isExecutableFile(atPath: candidate) {
        return candidate
    }
    return nil
}

/// Writes a Python script to a temporary file and returns its path.
func writeScript(_ name: String, _ source: String) throws -> String {
    let path = NSTemporaryDirectory() + "swiftrealtime-\(getpid())-\(name).py"
    try source.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// The Python `websockets` library (a peer nobody here wrote) against our server and our client.
@Suite(.serialized) struct HTTPServerWebSocketInteropTests {
    static let clientScript = """
    import asyncio, sys
    from websockets.asyncio.client import connect

    async def main(url):
        async with connect(url, additional_headers={"Authorization": "Bearer test"}, subprotocols=["realtime"],
                           max_size=None) as ws:
            assert ws.subprotocol == "realtime", ws.subprotocol
            await ws.send("hello")
            assert await ws.recv() == "echo:hello"
            await ws.send(bytes([0, 1, 255]))
            assert await ws.recv() == bytes([0, 1, 255])
            await ws.send(["frag", "mented \\u2713"])          # one message in three frames
            assert await ws.recv() == "echo:fragmented \\u2713"
            big = bytes(range(256)) * 300                       # 64-bit length frame
            await ws.send(big)
            assert await ws.recv() == big
            pong = await ws.ping(b"probe")
            await asyncio.wait_for(pong, 5)
            await ws.close(1000, "bye")
            assert ws.close_code == 1000, ws.close_code
        print("OK")

    asyncio.run(asyncio.wait_for(main(sys.argv[1]), 20))
    """

    static let serverScript = """
    import asyncio, sys
    from websockets.asyncio.server import serve

    async def handler(ws):
        async for message in ws:
            if message == "path?":
                await ws.send(ws.request.path + " " + ws.request.headers.get("Authorization", "-"))
            elif message == "fragments?":
                await ws.send(["one ", "two ", "three"])
            else:
                await ws.send(message)

    async def main():
        async with serve(handler, "127.0.0.1", 0, max_size=None) as server:
            print(server.sockets[0].getsockname()[1], flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)   # until stdin closes

    asyncio.run(main())
    """

    func python() throws -> String {
        guard let python = interopPython() else {
            Issue.record("No interop Python: run `scripts/setup.sh interop` to create .venv with Tests/Interop/requirements.txt")
            throw CancellationError()
        }
        return python
    }

    @Test func pythonWebsocketsClientTalksToOurServer() throws {
        let python = try python()
        let recorder = EchoHandler()
        let server = HTTPServer { _ in .webSocket(recorder, subprotocol: "realtime") }
        let port = try server.start()
        defer { server.stop() }
        let script = try writeScript("client", Self.clientScript)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let (status, out, err) = try run(python, [script, "ws://127.0.0.1:\(port)/v1/realtime?model=gpt-realtime-mini"])
        #expect(status == 0, "\(err)")
        #expect(out == "OK\n")
        #expect(waitFor(seconds: 5) { recorder.closes.count == 1 })
        #expect(recorder.closes.first?.0 == .normalClosure)
        #expect(recorder.closes.first?.1 == "bye")
        #expect(recorder.sessions.first?.request.headers["Authorization"] == "Bearer test")
    }

    @Test func ourClientTalksToPythonWebsocketsServer() throws {
        let python = try python()
        let script = try writeScript("server", Self.serverScript)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [script]
        let out = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardInput = input
        try p.run()
        defer {
            try? input.fileHandleForWriting.close() // the script exits when stdin closes
            p.waitUntilExit()
        }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let port = try #require(UInt16(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))

        let client = try WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/v1/realtime?call_id=rtc_1", headers: ["Authorization": "Bearer k"])
        try client.send(text: "path?")
        #expect(try client.receive(timeout: .seconds(5)) == .text("/v1/realtime?call_id=rtc_1 Bearer k"))
        try client.send(text: "héllo wörld", fragmentSize: 3)
        #expect(try client.receive(timeout: .seconds(5)) == .text("héllo wörld"))
        let big = (0..<70_000).map { UInt8(truncatingIfNeeded: $0) }
        try client.send(binary: big)
        #expect(try client.receive(timeout: .seconds(5)) == .binary(big))
        try client.send(text: "fragments?")
        #expect(try client.receive(timeout: .seconds(5)) == .text("one two three"))
        try client.ping([1, 2, 3])
        #expect(try client.receive(timeout: .milliseconds(200)) == nil) // the pong is not a message
        client.close(code: .normalClosure, reason: "done")
        #expect(throws: WebSocketClientError.self) { try client.send(text: "after close") }
    }
}
