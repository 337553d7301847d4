// swift-tools-version:6.0
// SwiftRealtime: a low-latency voice media engine and the OpenAI Realtime GA protocol, for Linux.
// No Swift package dependencies: only system C libraries, each behind a module map in CShims/.
import PackageDescription
import Foundation

/// A `[system]` library target over a C library; `pkgConfig` when its headers need search paths.
func shim(_ name: String, pkgConfig: String? = nil, apt: String) -> Target {
    .systemLibrary(name: name, path: "CShims/\(name)", pkgConfig: pkgConfig, providers: [.apt([apt])])
}

/// GLib's headers (under libnice's) live outside the default search path. pkg-config would find
/// them but also hands SwiftPM `-pthread`, which it rejects with a warning on every build; so the
/// two directories are passed to the Clang importer of the targets that import CNice instead.
let glibIncludeFlags: [String] = {
    var dirs = ["/usr/include/glib-2.0"]
    for arch in ["x86_64-linux-gnu", "aarch64-linux-gnu"] where FileManager.default.fileExists(atPath: "/usr/lib/\(arch)/glib-2.0/include") {
        dirs.append("/usr/lib/\(arch)/glib-2.0/include")
    }
    return dirs.flatMap { ["-Xcc", "-I\($0)"] }
}()
let importsCNice: [SwiftSetting] = [.unsafeFlags(glibIncludeFlags)]

let package = Package(
    name: "SwiftRealtime",
    products: [
        .library(name: "MediaCore", targets: ["MediaCore"]),
        .library(name: "Audio", targets: ["Audio"]),
        .library(name: "NetSim", targets: ["NetSim"]),
        .library(name: "SDP", targets: ["SDP"]),
        .library(name: "STUN", targets: ["STUN"]),
        .library(name: "RTP", targets: ["RTP"]),
        .library(name: "DCEP", targets: ["DCEP"]),
        .library(name: "SCTP", targets: ["SCTP"]),
        .library(name: "SRTP", targets: ["SRTP"]),
        .library(name: "DTLS", targets: ["DTLS"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Runtime", targets: ["Runtime"]),
        .library(name: "Realtime", targets: ["Realtime"]),
        .library(name: "HTTP", targets: ["HTTP"]),
        .library(name: "RealtimeServer", targets: ["RealtimeServer"]),
        .library(name: "RealtimeClient", targets: ["RealtimeClient"]),
        .executable(name: "realtime-server", targets: ["realtime-server"]),
        .executable(name: "realtime-call", targets: ["realtime-call"]),
        .executable(name: "audio-loop", targets: ["audio-loop"]),
        .executable(name: "realtime-bench", targets: ["realtime-bench"]),
    ],
    targets: [
        // Headers under /usr/include: <opus/opus.h>, <srtp2/srtp.h>, <openssl/*.h>, <nice/agent.h>,
        // <usrsctp.h>. (usrsctp.pc's -DINET/-DINET6 change nothing in usrsctp.h.)
        shim("COpus", apt: "libopus-dev"),
        shim("CSRTP", apt: "libsrtp2-dev"),
        shim("COpenSSL", apt: "libssl-dev"),
        shim("CNice", apt: "libnice-dev"),
        shim("CUsrsctp", apt: "libusrsctp-dev"),
        // glibc itself: eventfd and ppoll for the runtime's waker.
        .systemLibrary(name: "CLinux", path: "CShims/CLinux"),

        // libm: `rounded()` and friends lower to C math calls that no other import links here.
        .target(name: "MediaCore", linkerSettings: [.linkedLibrary("m")]),
        .target(name: "Audio", dependencies: ["MediaCore", "COpus"]),
        .target(name: "NetSim", dependencies: ["MediaCore"]),
        .target(name: "SDP", dependencies: ["MediaCore"]),
        .target(name: "STUN", dependencies: ["MediaCore", "COpenSSL"]),
        .target(name: "RTP", dependencies: ["MediaCore"]),
        .target(name: "DCEP", dependencies: ["MediaCore"]),
        .target(name: "SCTP", dependencies: ["MediaCore", "DCEP", "CUsrsctp"]),
        .target(name: "SRTP", dependencies: ["MediaCore", "CSRTP"]),
        .target(name: "DTLS", dependencies: ["MediaCore", "SDP", "SRTP", "COpenSSL"]),
        .target(name: "HTTP", dependencies: ["MediaCore", "COpenSSL"]),
        .target(name: "Engine", dependencies: ["MediaCore", "SDP", "RTP", "SRTP", "DTLS", "Audio"]),
        .target(name: "Runtime", dependencies: ["MediaCore", "CNice", "CLinux", "COpenSSL", "HTTP", "Engine", "Audio", "SDP", "DTLS", "SRTP", "SCTP", "DCEP"], swiftSettings: importsCNice),
        .target(name: "Realtime", dependencies: ["MediaCore", "Audio"]),
        .target(name: "RealtimeServer", dependencies: ["Realtime", "Runtime", "HTTP", "MediaCore", "Audio"]),
        .executableTarget(name: "realtime-server", dependencies: ["RealtimeServer", "Runtime", "Realtime"]),
        .target(name: "RealtimeClient", dependencies: ["Realtime", "Runtime", "HTTP", "Audio", "MediaCore", "SDP", "DCEP", "COpenSSL"]),
        .executableTarget(name: "realtime-call", dependencies: ["RealtimeClient", "RealtimeServer", "Realtime", "Runtime", "Audio", "MediaCore"]),

        .executableTarget(name: "audio-loop", dependencies: ["MediaCore", "Audio", "NetSim"]),
        .executableTarget(
            name: "realtime-bench",
            dependencies: ["MediaCore", "Audio", "NetSim", "SDP", "STUN", "RTP", "DCEP", "SRTP", "COpus", "CSRTP", "SCTP", "Runtime", "Engine", "TestSupport", "Realtime", "RealtimeServer", "RealtimeClient"],
            path: "Benchmarks/realtime-bench"),

        .testTarget(name: "MediaCoreTests", dependencies: ["MediaCore"]),
        .testTarget(name: "AudioTests", dependencies: ["Audio", "MediaCore", "NetSim"]),
        .testTarget(name: "NetSimTests", dependencies: ["NetSim", "MediaCore"]),
        .testTarget(name: "SDPTests", dependencies: ["SDP", "MediaCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "STUNTests", dependencies: ["TestSupport", "STUN", "MediaCore"]),
        .testTarget(name: "RTPTests", dependencies: ["TestSupport", "RTP", "MediaCore"]),
        .testTarget(name: "DCEPTests", dependencies: ["TestSupport", "DCEP", "MediaCore"]),
        .testTarget(name: "SCTPTests", dependencies: ["SCTP", "DCEP", "MediaCore"]),
        .testTarget(name: "SRTPTests", dependencies: ["SRTP", "COpenSSL"]),
        .testTarget(name: "DTLSTests", dependencies: ["DTLS", "SDP", "SRTP", "MediaCore"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "MediaCore"]),
        .target(name: "TestSupport", dependencies: ["MediaCore"], path: "Tests/TestSupport"),
        .testTarget(name: "EngineTests", dependencies: ["TestSupport", "Engine", "RTP", "MediaCore", "SDP", "SRTP", "DTLS", "Audio", "NetSim", "SCTP"]),
        .testTarget(name: "RuntimeTests", dependencies: ["TestSupport", "Runtime", "MediaCore", "HTTP", "Engine", "Audio", "SCTP", "DCEP"], swiftSettings: importsCNice),
        .testTarget(name: "RealtimeTests", dependencies: ["Realtime", "MediaCore"]),
        .testTarget(name: "RealtimeServerTests", dependencies: ["RealtimeServer", "Realtime", "Runtime", "HTTP", "MediaCore", "TestSupport"], swiftSettings: importsCNice),
        .testTarget(name: "RealtimeClientTests", dependencies: ["RealtimeClient", "RealtimeServer", "Realtime", "Runtime", "HTTP", "Audio", "MediaCore", "TestSupport"], swiftSettings: importsCNice),
        .testTarget(name: "ShimTests", dependencies: ["COpus", "CSRTP", "COpenSSL", "CNice", "CUsrsctp"],
                    swiftSettings: importsCNice),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets, only when SWIFTREALTIME_FUZZ is set (scripts/fuzz.sh): each defines
// LLVMFuzzerTestOneInput and takes its main from libFuzzer, so an ordinary build must not see them.
if Context.environment["SWIFTREALTIME_FUZZ"] != nil {
    let fuzzTargets: [(String, [Target.Dependency])] = [
        ("FuzzByteReader", ["MediaCore"]),
        ("FuzzSDP", ["SDP", "MediaCore"]),
        ("FuzzSTUN", ["STUN", "MediaCore"]),
        ("FuzzRTP", ["RTP", "MediaCore"]),
        ("FuzzRTCP", ["RTP", "MediaCore"]),
        ("FuzzDCEP", ["DCEP", "MediaCore"]),
        ("FuzzHTTP", ["HTTP", "MediaCore"]),
        ("FuzzWebSocket", ["HTTP", "MediaCore"]),
        ("FuzzWAV", ["Audio", "MediaCore"]),
        ("FuzzOpusPacket", ["Audio", "MediaCore"]),
    ]
    package.targets.append(.target(name: "FuzzSupport", path: "Tests/Fuzz/FuzzSupport"))
    for (name, deps) in fuzzTargets {
        package.targets.append(.executableTarget(name: name, dependencies: deps + ["FuzzSupport"], path: "Tests/Fuzz/\(name)"))
    }
}
