import CostwiseGateway
import Hummingbird
import HummingbirdTesting
import Testing

/// What a streamed answer looks like on the client's connection, read as raw bytes.
@Suite struct StreamWireTests {
    @Test func streamedAnswerHeadArrivesWithItsFirstEvent() async throws {
        try await StubUpstream.run { _, port in
            let fixture = try GatewayFixture(upstreamPort: port)
            try await fixture.test(.live) { client in
                let body = String(buffer: chatBody(model: "costwise/summarization", stream: true))
                let socket = try RawConnection(port: try #require(client.port))
                defer { socket.close() }
                try socket.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + "Content-Length: \(body.utf8.count)\r\n\r\n" + body)
                // One write: a client woken by the head finds the first event with it.
                let first = socket.receive()
                #expect(first.hasPrefix("HTTP/1.1 200") && first.contains("\r\n\r\n") && first.contains("data: {"), "\(first)")
            }
        }
    }
}
