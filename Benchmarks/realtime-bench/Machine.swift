import Foundation

/// What the report says about where and when it ran: figures from a shared 2-core VM only mean
/// something next to its load and the code they measured.
struct MachineInfo: Sendable {
    var cores: Int
    var model: String
    var loadAtStart: [Double]
    var loadAtEnd: [Double] = []
    var commit: String
    /// Tracked files differ from `commit` (the figures then measure uncommitted code).
    var dirty: Bool
    var date: String
    var startedAt = Date()
    var wallSeconds: Double = 0

    static func probe() -> MachineInfo {
        let root = benchPackageRoot().path
        let model = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown"
        let commit = run("/usr/bin/git", ["-C", root, "rev-parse", "--short=12", "HEAD"]) ?? "unknown"
        let status = run("/usr/bin/git", ["-C", root, "status", "--porcelain", "--untracked-files=no"]) ?? ""
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "UTC")
        return MachineInfo(cores: ProcessInfo.processInfo.activeProcessorCount, model: model, loadAtStart: loadAverage(),
                           commit: commit, dirty: !status.isEmpty, date: f.string(from: Date()))
    }

    mutating func finish() {
        loadAtEnd = Self.loadAverage()
        wallSeconds = Date().timeIntervalSince(startedAt)
    }

    static func loadAverage() -> [Double] {
        var load = [Double](repeating: 0, count: 3)
        return getloadavg(&load, 3) == 3 ? load : []
    }

    var summaryLine: String {
        "\(cores) cores (\(model)), load average \(loadAtStart.map(format).joined(separator: " ")) at start"
            + (loadAtEnd.isEmpty ? "" : ", \(loadAtEnd.map(format).joined(separator: " ")) at end")
            + "; commit \(commit)\(dirty ? " + uncommitted changes" : ""); \(date)"
            + (wallSeconds > 0 ? "; wall time \(format(wallSeconds)) s" : "")
    }

    private static func run(_ executable: String, _ arguments: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The package root (where Package.swift is): from the working directory when run there, else
/// from this source file's path (a release binary run from elsewhere on the build machine).
func benchPackageRoot() -> URL {
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    if FileManager.default.fileExists(atPath: cwd.appendingPathComponent("Package.swift").path) { return cwd }
    var root = URL(fileURLWithPath: #filePath)
    while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
        root.deleteLastPathComponent()
    }
    return root
}
