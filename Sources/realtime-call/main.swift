import Audio
import Foundation
import Glibc
import MediaCore
import Realtime
import RealtimeClient
import RealtimeServer
import Runtime

/// realtime-call: the headless call client. Argument parsing and wiring only; the call itself is
/// `CallRunner`.
let arguments: CallArguments
do {
    arguments = try CallArguments(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
} catch {
    if error.isHelp {
        print(error.description)
        exit(0)
    }
    FileHandle.standardError.write(Data("realtime-call: \(error.description)\n".utf8))
    exit(2)
}
let code = CallRunner(arguments).run()
exit(code)
