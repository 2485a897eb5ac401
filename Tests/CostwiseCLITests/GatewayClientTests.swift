import Foundation
import Testing

/// The gateway as its users meet it: the real `costwise serve`, spoken to by the official `openai`
/// Python client (scripts/gateway-e2e.py), plain and streaming, then stopped with SIGTERM.
///
/// The client comes from PyPI: `.ci/run` installs it in a virtual environment and names its Python
/// in `COSTWISE_PYTHON`. Outside CI a machine without it skips this test and says so; in CI
/// (`CI=true`) a missing client is a failure, so that the check cannot silently stop running.
@Suite struct GatewayClientTests {
    static let python: String = {
        let environment = ProcessInfo.processInfo.environment
        return environment["COSTWISE_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
    }()

    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Whether `python` can import the openai client.
    static let hasClient: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", "import openai"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    @Test(.enabled(if: hasClient || isCI, "needs Python with the openai client: `.ci/run` installs it; or set COSTWISE_PYTHON"))
    func openAIClientTalksToTheGateway() throws {
        try #require(Self.hasClient, "CI must run this test: \(Self.python) cannot import openai (.ci/run installs it in a venv)")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/gateway-e2e.py").path
        let sandbox = try Sandbox()
        let output = sandbox.path("e2e-output")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: output))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [Self.python, script, CostwiseBinary.path]
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let text = String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("gateway end to end: ok"), "\(text)")
    }
}
