import Glibc
import RealtimeServer

// Wiring only: parse arguments, start the endpoint, wait for SIGTERM/SIGINT, stop, exit 0.

func fail(_ line: String, status: Int32) -> Never {
    RealtimeEndpoint.writeStandardError("realtime-server: \(line)")
    exit(status)
}

let arguments: ServerArguments
do { arguments = try ServerArguments(Array(CommandLine.arguments.dropFirst())) } catch { fail(error.description, status: 2) }

// Block the stop signals before any thread starts, so every thread inherits the mask and
// `sigwait` below is the one place they are taken.
var stopSignals = sigset_t()
sigemptyset(&stopSignals)
sigaddset(&stopSignals, SIGTERM)
sigaddset(&stopSignals, SIGINT)
pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
signal(SIGPIPE, SIG_IGN)

let endpoint: RealtimeEndpoint
let port: UInt16
do {
    endpoint = try RealtimeEndpoint(arguments.configuration)
    port = try endpoint.start()
} catch {
    fail(error.description, status: error.isUsage ? 2 : 1)
}
let host = arguments.configuration.host
if endpoint.isOpen {
    RealtimeEndpoint.writeStandardError("realtime-server: open endpoint (no --api-key): any client on this machine may connect")
}
// One unbuffered write, so a parent reading our stdout through a pipe sees it at once.
let banner = Array("listening on http://\(host):\(port)\n".utf8)
_ = banner.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }

var received: Int32 = 0
sigwait(&stopSignals, &received)
RealtimeEndpoint.writeStandardError("realtime-server: signal \(received), closing sessions")
endpoint.stop()
exit(0)
