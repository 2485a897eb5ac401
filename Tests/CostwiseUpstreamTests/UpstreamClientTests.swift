import CostwiseUpstream
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

/// The upstream client against a server on 127.0.0.1 that answers byte for byte as each test says.
@Suite struct UpstreamClientTests {
    let json = ByteBuffer(string: #"{"model":"m","messages":[]}"#)
    /// The loop the requests are handled on, as the gateway's are on their client connection's:
    /// each loop has its own connections.
    let loop = MultiThreadedEventLoopGroup.singleton.next()

    private func post(_ client: UpstreamClient, _ url: String) async throws -> (status: Int, body: String) {
        let call = client.postChat(to: try target(url), apiKey: "sk-test", body: json, on: loop)
        let head = try await call.head()
        return (head.status, String(buffer: try await call.collect(upTo: 1 << 20)))
    }

    @Test func keptAliveConnectionServesTheNextRequests() async throws {
        try await ScriptedUpstream.run({ index in .bytes(ScriptedUpstream.answer(#"{"n":\#(index)}"#)) }) { server in
            let client = UpstreamClient(connectTimeoutMs: 2_000, readTimeoutMs: 5_000)
            for expected in 0..<3 {
                let answer = try await post(client, "http://127.0.0.1:\(server.port)/v1/chat/completions")
                #expect(answer.status == 200 && answer.body == #"{"n":\#(expected)}"#)
            }
            #expect(server.acceptedConnections == 1)
            try await client.shutdown()
        }
    }

    @Test func chunkedBodyArrivesPartByPartAndWhole() async throws {
        let events = ["data: {\"a\":1}\n\n", "data: {\"b\":2}\n\n", "data: [DONE]\n\n"]
        try await ScriptedUpstream.run({ _ in .bytes(ScriptedUpstream.chunked(events)) }) { server in
            let client = UpstreamClient(connectTimeoutMs: 2_000, readTimeoutMs: 5_000)
            let url = "http://127.0.0.1:\(server.port)/v1/chat/completions"
            let call = client.postChat(to: try target(url), apiKey: nil, body: json, accept: "text/event-stream", on: loop)
            let head = try await call.head()
            #expect(head.status == 200 && head.contentType == "text/event-stream")
            var streamed = ""
            while let part = try await call.next() { streamed += String(buffer: part) }
            #expect(streamed == events.joined())
            // The same connection, whole.
            #expect(try await post(client, url).body == events.joined())
            #expect(server.acceptedConnections == 1)
            try await client.shutdown()
        }
    }

    @Test func answerThatClosesItsConnectionLeavesNoConnectionToReuse() async throws {
        try await ScriptedUpstream.run({ _ in .bytesThenClose(ScriptedUpstream.answer("{}", headers: "connection: close\r\n")) }) { server in
            let client = UpstreamClient(connectTimeoutMs: 2_000, readTimeoutMs: 5_000)
            let url = "http://127.0.0.1:\(server.port)/"
            for _ in 0..<2 { #expect(try await post(client, url).body == "{}") }
            #expect(server.acceptedConnections == 2)
            try await client.shutdown()
        }
    }

    @Test func pooledConnectionClosedByTheUpstreamSendsTheRequestAgainOnAFreshOne() async throws {
        // The second request on each connection finds it closed, as when an upstream times an idle
        // connection out just as it is reused.
        try await ScriptedUpstream.run({ index in index == 0 ? .bytes(ScriptedUpstream.answer(#"{"ok":true}"#)) : .close }) { server in
            let client = UpstreamClient(connectTimeoutMs: 2_000, readTimeoutMs: 5_000)
            let url = "http://127.0.0.1:\(server.port)/"
            #expect(try await post(client, url).body == #"{"ok":true}"#)
            #expect(try await post(client, url).body == #"{"ok":true}"#)
            #expect(server.acceptedConnections == 2)
            #expect(server.receivedRequests == 3)
            try await client.shutdown()
        }
    }

    @Test func freshConnectionClosedBeforeAnsweringIsAConnectionError() async throws {
        try await ScriptedUpstream.run({ _ in .close }) { server in
            let client = UpstreamClient(connectTimeoutMs: 2_000, readTimeoutMs: 5_000)
            let call = client.postChat(to: try target("http://127.0.0.1:\(server.port)/"), apiKey: nil, body: json)
            let failure = await #expect(throws: UpstreamFailure.self) { _ = try await call.head() }
            #expect(failure?.kind == .connection)
            #expect(server.acceptedConnections == 1)
            try await client.shutdown()
        }
    }

    @Test func answerCutOffInItsBodyIsAConnectionError() async throws {
        let cut = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n"
        try await ScriptedUpstream.run({ _ in .bytesThenClose(cut) }) { server in
            let client = UpstreamClient(connectTimeoutMs: 2_000, readTimeoutMs: 5_000)
            let call = client.postChat(to: try target("http://127.0.0.1:\(server.port)/"), apiKey: nil, body: json)
            #expect(try await call.head().status == 200)
            #expect(try await call.next().map { String(buffer: $0) } == "hello")
            let failure = await #expect(throws: UpstreamFailure.self) { _ = try await call.next() }
            #expect(failure?.kind == .connection)
            try await client.shutdown()
        }
    }

    @Test func failedHandshakeIsAConnectionError() async throws {
        try await ScriptedUpstream.run({ _ in .silence }) { server in
            let client = UpstreamClient(connectTimeoutMs: 2_000, readTimeoutMs: 5_000)
            let call = client.postChat(to: try target("https://127.0.0.1:\(server.port)/"), apiKey: nil, body: json)
            let failure = await #expect(throws: UpstreamFailure.self) { _ = try await call.head() }
            #expect(failure?.kind == .connection)
            try await client.shutdown()
        }
    }

    @Test func silentUpstreamTimesOutAndLosesTheConnection() async throws {
        try await ScriptedUpstream.run({ _ in .silence }) { server in
            let client = UpstreamClient(connectTimeoutMs: 2_000, readTimeoutMs: 200)
            let call = client.postChat(to: try target("http://127.0.0.1:\(server.port)/"), apiKey: nil, body: json)
            let failure = await #expect(throws: UpstreamFailure.self) { _ = try await call.head() }
            #expect(failure?.kind == .timeout)
            try await waitUntil { server.connectionsClosedByClient == 1 }
            try await client.shutdown()
        }
    }

    @Test func deadlineEndsACallThatKeepsStreaming() async throws {
        try await ScriptedUpstream.run({ _ in .bytes("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n") }) { server in
            let client = UpstreamClient(connectTimeoutMs: 2_000, readTimeoutMs: nil)
            let call = try client.post(url: "http://127.0.0.1:\(server.port)/", headers: [:], body: json, deadline: .now() + .milliseconds(200))
            #expect(try await call.head().status == 200)
            let failure = await #expect(throws: UpstreamFailure.self) { _ = try await call.collect(upTo: 1 << 20) }
            #expect(failure?.kind == .timeout)
            try await client.shutdown()
        }
    }

    @Test func cancellingACallClosesItsConnection() async throws {
        try await ScriptedUpstream.run({ _ in .silence }) { server in
            let client = UpstreamClient(connectTimeoutMs: 2_000, readTimeoutMs: 60_000)
            let call = client.postChat(to: try target("http://127.0.0.1:\(server.port)/"), apiKey: nil, body: json)
            try await waitUntil { server.receivedRequests == 1 }
            call.cancel()
            await #expect(throws: CancellationError.self) { _ = try await call.head() }
            try await waitUntil { server.connectionsClosedByClient == 1 }
            try await client.shutdown()
        }
    }

    @Test func refusedConnectionIsAConnectionError() async throws {
        // A port just released by a server that stopped: nothing listens there.
        let port = try await ScriptedUpstream.run({ _ in .silence }) { $0.port }
        let client = UpstreamClient(connectTimeoutMs: 2_000, readTimeoutMs: 5_000)
        let call = client.postChat(to: try target("http://127.0.0.1:\(port)/"), apiKey: nil, body: json)
        let failure = await #expect(throws: UpstreamFailure.self) { _ = try await call.head() }
        #expect(failure?.kind == .connection)
        try await client.shutdown()
    }

    @Test func urlThatIsNotHTTPIsRefusedAtOnce() throws {
        let client = UpstreamClient(connectTimeoutMs: 2_000, readTimeoutMs: 5_000)
        #expect(throws: UpstreamFailure.self) { _ = try client.post(url: "ftp://example.com/", headers: [:], body: json) }
        for url in ["ftp://example.com/", "http://", "http://host:0/", "http://host:65536/", "http://user@host/", "http://[::1/"] {
            #expect(UpstreamURL(url) == nil, "\(url)")
        }
        #expect(UpstreamURL("https://[::1]:8443/v1?x=1") != nil)
    }

    /// `url` read as the gateway reads each upstream's once.
    private func target(_ url: String) throws -> UpstreamURL { try #require(UpstreamURL(url)) }

    /// Waits until `condition` holds, for at most 5 s.
    private func waitUntil(_ condition: () -> Bool) async throws {
        var waited = 0
        while !condition() && waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(condition())
    }
}
