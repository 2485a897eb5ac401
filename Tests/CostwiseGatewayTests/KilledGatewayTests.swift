import Costwise
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A gateway killed while a request is in flight cannot settle or release its reservation: the
/// reservation must lapse by itself, or the key's budget would shrink for good. This runs the real
/// `costwise serve` and kills it with SIGKILL while the stub upstream holds the request.
@Suite struct KilledGatewayTests {
    /// The built `costwise`: `$COSTWISE_BINARY`, else the package's debug build.
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["COSTWISE_BINARY"], !path.isEmpty { return path }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/costwise").path
    }()

    @Test func aReservationLeftByAKilledGatewayExpires() async throws {
        try await StubUpstream.run { stub, port in
            // Long enough to kill the gateway meanwhile, short enough not to keep the stub from stopping.
            stub.set("acme/cheap", .delay(.seconds(10)))
            let fixture = try GatewayFixture(upstreamPort: port, keys: [KeySpec(name: "team", budgetUSD: 0.01)])
            // The in-process gateway of the fixture only holds the store here; the one under test is a process.
            try await fixture.test { _ in
                let config = fixture.folder.appendingPathComponent("gateway.yaml")
                try Data("""
                    providers:
                      "*":
                        base_url: http://127.0.0.1:\(port)/v1
                        model_ids: full
                    reservation_lifetime_s: 3
                    """.utf8).write(to: config)
                let log = fixture.folder.appendingPathComponent("serve.log")
                FileManager.default.createFile(atPath: log.path, contents: nil)
                let serve = Process()
                serve.executableURL = URL(fileURLWithPath: Self.binary)
                serve.arguments = ["serve", "--config", config.path, "--port", "0", "--db", fixture.store.path]
                serve.standardOutput = FileHandle.nullDevice
                serve.standardError = try FileHandle(forWritingTo: log)
                try serve.run()
                defer { if serve.isRunning { kill(serve.processIdentifier, SIGKILL) } }
                let address = try await Self.listeningAddress(in: log)

                let token = fixture.tokens["team"]!
                let client = Process()
                client.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
                client.arguments = ["-s", "-m", "90", "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
                                    "-d", #"{"model":"costwise/summarization","messages":[{"role":"user","content":"Hold on."}]}"#,
                                    "http://\(address)/v1/chat/completions"]
                client.standardOutput = FileHandle.nullDevice
                client.standardError = FileHandle.nullDevice
                try client.run()
                defer { client.terminate() }
                // The gateway reserves before it calls, so once the stub holds the request the reservation is made.
                for _ in 0..<600 where stub.requests.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
                try #require(!stub.requests.isEmpty, "the gateway never forwarded the request")

                kill(serve.processIdentifier, SIGKILL)
                serve.waitUntilExit()
                let killedAt = Date().timeIntervalSince1970
                let key = try #require(try fixture.store.keys().first)
                let held = try #require(try fixture.store.reservations(keyID: key.id).first)
                #expect(held.state == .held && held.reservation.expiresAt > killedAt)
                #expect(try fixture.store.keyUsage(at: killedAt).first?.reserved == held.reservation.amount)

                let wait = held.reservation.expiresAt - Date().timeIntervalSince1970 + 0.1
                if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
                let now = Date().timeIntervalSince1970
                #expect(try fixture.store.keyUsage(at: now).first?.reserved == .zero)
                // The whole budget can be reserved again.
                let again = try fixture.store.reserve(keyID: key.id, requestID: "after", model: "acme/cheap", amount: try #require(key.budget),
                                                      inputTokensBound: 1, outputTokensBound: 1, at: now, lifetime: 1)
                #expect((try? again.get()) != nil)
            }
        }
    }

    /// The address `costwise serve` prints once it listens.
    static func listeningAddress(in log: URL) async throws -> String {
        let marker = "gateway listening on http://"
        for _ in 0..<1_200 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: marker), let end = text[range.upperBound...].firstIndex(of: "\n") {
                return String(text[range.upperBound..<end])
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("costwise serve did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        throw CancellationError()
    }
}
