import Foundation

/// Where the pinned interop venv's Python is: `.venv` under the package root (what
/// `scripts/setup.sh interop` makes), else a developer's probe venv. Nil means: run the set-up.
public func interopPython(file: String = #filePath) -> String? {
    var root = URL(fileURLWithPath: file)
    while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
        root.deleteLastPathComponent()
    }
    for candidate in [root.appendingPathComponent(".venv/bin/python").path, "/tmp/probe-venv/bin/python"]
    where FileManager.default.isExecutableFile(atPath: candidate) {
        return candidate
    }
    return nil
}

/// The package root (where Package.swift is), from a test file's path.
public func packageRoot(file: String = #filePath) -> URL {
    var root = URL(fileURLWithPath: file)
    while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
        root.deleteLastPathComponent()
    }
    return root
}
