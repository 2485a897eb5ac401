import Foundation
import Testing

/// The real `costwise serve` on 127.0.0.1 and a port the system picks, for as long as a test holds
/// it; stopped with SIGTERM, as an operator would, when the test drops it.
final class ServeProcess {
    let process: Process
    /// `http://127.0.0.1:PORT`.
    let address: String

    init(_ arguments: [String]) throws {
        let process = Process()
        let errors = Pipe()
        process.executableURL = URL(fileURLWithPath: CostwiseBinary.path)
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The address is on the line `gateway listening on http://…`; until it is whole, keep everything it says.
        var said = ""
        func listening() -> Substring? {
            said.split(separator: "\n", omittingEmptySubsequences: false).dropLast().first { $0.contains("gateway listening on ") }
        }
        let deadline = Date().addingTimeInterval(60)
        while listening() == nil, process.isRunning, Date() < deadline {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { Thread.sleep(forTimeInterval: 0.02) }
            said += String(decoding: data, as: UTF8.self)
        }
        let line = listening()
        if line == nil, process.isRunning { process.terminate() }
        address = String(try #require(line, "costwise serve did not start: \(said)").split(separator: " ").last ?? "")
        self.process = process
        // Keep reading what it says, so that a full pipe never blocks it.
        errors.fileHandleForReading.readabilityHandler = { handle in
            if handle.availableData.isEmpty { handle.readabilityHandler = nil }
        }
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
