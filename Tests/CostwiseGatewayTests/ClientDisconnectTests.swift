import Costwise
import CostwiseGateway
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ClientDisconnectTests {
    @Test func clientLeavingBeforeTheAnswerEndsTheUpstreamCall() async throws {
        try await StubUpstream.run { stub, port in
            stub.set("acme/cheap", .hang)
            // A read timeout far beyond the test's wait: only the client's leaving can end the call.
            let fixture = try GatewayFixture(upstreamPort: port, readTimeoutMs: 120_000)
            try await fixture.test(.live) { client in
                let gatewayPort = try #require(client.port)
                let body = String(buffer: chatBody(model: "costwise/summarization"))
                let socket = try RawConnection(port: gatewayPort)
                try socket.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + "Content-Length: \(body.utf8.count)\r\n\r\n" + body)
                try await waitFor { stub.requests.count == 1 }
                socket.close()
                try await waitFor { stub.abandonedRequests == 1 }
            }
            let record = try #require(try fixture.store.requests().first)
            #expect(record.status == .failed && record.httpStatus == 499)
            #expect(record.attempts.map(\.outcome) == ["client closed"])
        }
    }

    /// Waits until `condition` holds, for at most 10 s.
    private func waitFor(_ condition: () -> Bool) async throws {
        var waited = 0
        while !condition() && waited < 1_000 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(condition())
    }
}
