import Foundation
import Testing

/// Headless Chromium from Debian's packages (`chromium`), run on a page the way a person would open
/// it: `--dump-dom` prints the document as the browser built it, `--screenshot` saves what it drew.
/// It runs offline: every host but 127.0.0.1 fails to resolve, and background networking,
/// component updates and sync are off.
struct Chromium {
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// `chromium` (or `chromium-browser`) on the PATH, if there is one.
    static let path: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        .flatMap { ["\($0)/chromium", "\($0)/chromium-browser"] }
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// A profile folder of its own, so that nothing is read from or left in the user's.
    let profile: String
    let executable: String

    init(profile: String) throws {
        executable = try #require(Self.path, "chromium is not installed (.ci/run installs it: apt-get install chromium)")
        self.profile = profile
    }

    /// The document at `url` after loading, serialized.
    func dumpDOM(_ url: String, output: String) throws -> String {
        try run(["--dump-dom", url], output: output)
        let page = String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self)
        if page.isEmpty { Issue.record("chromium printed no document for \(url); it said: \(said(output).suffix(3_000))") }
        return page
    }

    /// What chromium wrote to standard error on the run whose output went to `output`.
    func said(_ output: String) -> String {
        String(decoding: FileManager.default.contents(atPath: output + ".stderr") ?? Data(), as: UTF8.self)
    }

    /// Saves a PNG of the page at `url`, `width` × `height` pixels, to `path`.
    func screenshot(_ url: String, to path: String, width: Int, height: Int, log: String) throws {
        try run(["--screenshot=\(path)", "--window-size=\(width),\(height)", "--hide-scrollbars", url], output: log)
    }

    private func run(_ arguments: [String], output: String) throws {
        var flags = ["--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--disable-extensions", "--user-data-dir=\(profile)", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
        // Chromium refuses to run as root with its sandbox; a test machine's container often is root.
        if getuid() == 0 { flags.append("--no-sandbox") }
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        _ = FileManager.default.createFile(atPath: output + ".stderr", contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: output))
        let errors = try #require(FileHandle(forWritingAtPath: output + ".stderr"))
        defer {
            try? handle.close()
            try? errors.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = flags + arguments
        process.standardOutput = handle
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("chromium \(arguments.joined(separator: " ")) did not finish in 120 s")
        }
        try #require(process.terminationStatus == 0,
                     "chromium \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(said(output).suffix(3_000))")
    }
}
