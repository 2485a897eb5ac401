import Costwise
import CostwiseGateway
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ChatCompletionTests {
    @Test func plainAnswerIsRoutedPricedAndRecorded() async throws {
        try await StubUpstream.run { stub, port in
            let fixture = try GatewayFixture(upstreamPort: port)
            try await fixture.test { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                         body: chatBody(model: "costwise/summarization", extra: #","costwise":{"max_cost_usd":1}"#)) { response in
                    #expect(response.status == .ok)
                    let object = response.object
                    #expect(object["model"] as? String == "acme/cheap")
                    let usage = object["usage"] as? [String: Any]
                    // 1,000 input tokens at 0.1 and 500 output tokens at 0.2 USD per million.
                    #expect(usage?["cost_usd"] as? Double == 0.0002)
                    #expect(usage?["prompt_tokens"] as? Int == 1000)
                    #expect(response.header("x-costwise-model") == "acme/cheap")
                    #expect(response.header("x-costwise-task") == "summarization")
                    #expect(response.header("x-costwise-threshold") == "0.8")
                    #expect(response.header("x-costwise-threshold-source") == "task")
                    #expect(response.header("x-costwise-cost-usd") == "0.0002")
                    #expect(response.header("x-costwise-reason")?.hasPrefix("selected: cheapest") == true)
                    let id = try #require(response.header("x-costwise-request-id"))
                    #expect(id.hasPrefix("cw-") && id.count == 31 && id.dropFirst(3).allSatisfy(\.isHexDigit) && id.lowercased() == id, "\(id)")
                }
            }
            let sent = try #require(stub.requests.first)
            #expect(sent["model"] as? String == "acme/cheap")
            #expect(sent["costwise"] == nil)
            let records = try fixture.store.requests()
            let record = try #require(records.first)
            #expect(records.count == 1)
            #expect(record.status == .ok)
            #expect(record.model == "acme/cheap")
            #expect(record.task == "summarization")
            #expect(record.inputTokens == 1000 && record.outputTokens == 500)
            #expect(record.cachedTokens == 200 && record.reasoningTokens == 100)
            #expect(record.costUSD == 0.0002)
            // The cheapest top-tier model for the same tokens: 1,000 × 10 + 500 × 20 per million.
            #expect(record.premiumModel == "acme/premium" && record.premiumCostUSD == 0.02)
            #expect(record.upstreamLatencyMs != nil && record.overheadMs != nil)
            let savings = try fixture.store.savingsReport()
            #expect(savings.total.requests == 1 && savings.total.spendUSD == 0.0002)
        }
    }

    @Test func requestIDsSortByArrivalToTheMillisecond() async throws {
        try await StubUpstream.run { _, port in
            let fixture = try GatewayFixture(upstreamPort: port)
            let before = Date().timeIntervalSince1970
            try await fixture.test { client in
                var ids: [String] = []
                for _ in 0..<3 {
                    ids.append(try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                                        body: chatBody(model: "costwise/summarization")) { response in
                        try #require(response.header("x-costwise-request-id"))
                    })
                    try await Task.sleep(for: .milliseconds(2))
                }
                #expect(ids == ids.sorted() && Set(ids).count == 3, "\(ids)")
                // An id starts with its request's arrival in milliseconds since 1970, in 12 hex digits.
                let milliseconds = try #require(UInt64(ids[0].dropFirst(3).prefix(12), radix: 16))
                #expect(abs(Double(milliseconds) / 1_000 - before) < 60, "\(ids[0])")
            }
        }
    }

    @Test func answerWithoutUsageIsRecordedWithUnknownCostNotZero() async throws {
        try await StubUpstream.run { stub, port in
            stub.set("acme/cheap", .answer(usage: false))
            let fixture = try GatewayFixture(upstreamPort: port)
            try await fixture.test { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                         body: chatBody(model: "costwise/summarization")) { response in
                    #expect(response.status == .ok)
                    #expect(response.object["usage"] == nil)
                    #expect(response.header("x-costwise-cost-usd") == nil)
                }
            }
            let record = try #require(try fixture.store.requests().first)
            #expect(record.status == .ok)
            #expect(record.inputTokens == nil && record.outputTokens == nil && record.costUSD == nil)
        }
    }

    @Test func streamPassesChunksAndPricesTheUsageChunk() async throws {
        try await StubUpstream.run { stub, port in
            let fixture = try GatewayFixture(upstreamPort: port)
            try await fixture.test { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                         body: chatBody(model: "costwise/summarization", stream: true,
                                                        extra: #","stream_options":{"include_usage":true}"#)) { response in
                    #expect(response.status == .ok)
                    #expect(response.header("content-type") == "text/event-stream")
                    let events = response.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
                    #expect(events.count == 4)
                    #expect(events.last == "data: [DONE]")
                    #expect(events.dropLast().allSatisfy { $0.contains(#""model":"acme/cheap""#) })
                    #expect(events[2].contains(#""cost_usd":0.0002"#))
                }
            }
            #expect((stub.requests.first?["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
            let record = try #require(try fixture.store.requests().first)
            #expect(record.stream && record.status == .ok)
            #expect(record.costUSD == 0.0002 && record.outputTokens == 500)
            #expect(record.timeToFirstTokenMs != nil)
        }
    }

    @Test func streamWithoutUsageAskedIsStillCostedButKeepsItsShape() async throws {
        try await StubUpstream.run { stub, port in
            let fixture = try GatewayFixture(upstreamPort: port)
            try await fixture.test { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                         body: chatBody(model: "costwise/summarization", stream: true)) { response in
                    let events = response.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
                    // The usage chunk the gateway asked for is read, not passed to a client that did not ask.
                    #expect(events.count == 3)
                    #expect(!response.text.contains("usage"))
                    #expect(events.last == "data: [DONE]")
                }
            }
            #expect((stub.requests.first?["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
            let record = try #require(try fixture.store.requests().first)
            #expect(record.costUSD == 0.0002)
        }
    }

    @Test func streamFromAnUpstreamWithoutUsageRecordsUnknownTokens() async throws {
        try await StubUpstream.run { stub, port in
            stub.set("acme/cheap", .answer(usage: false))
            let fixture = try GatewayFixture(upstreamPort: port)
            try await fixture.test { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                         body: chatBody(model: "costwise/summarization", stream: true)) { response in
                    #expect(response.text.hasSuffix("data: [DONE]\n\n"))
                }
            }
            let record = try #require(try fixture.store.requests().first)
            #expect(record.status == .ok && record.costUSD == nil && record.inputTokens == nil)
        }
    }

    @Test func upstream503FallsBackToTheNextQualifyingModel() async throws {
        try await StubUpstream.run { stub, port in
            stub.set("acme/cheap", .status(503))
            let fixture = try GatewayFixture(upstreamPort: port)
            try await fixture.test { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                         body: chatBody(model: "costwise/summarization", stream: true)) { response in
                    #expect(response.status == .ok)
                    #expect(response.header("x-costwise-model") == "acme/better")
                    #expect(response.header("x-costwise-attempts") == "2")
                    #expect(response.text.hasSuffix("data: [DONE]\n\n"))
                }
                try await client.execute(uri: "/metrics", method: .get) { response in
                    #expect(response.text.contains(#"costwise_fallbacks_total{task="summarization",model="acme/cheap",reason="http 503"} 1"#))
                }
            }
            #expect(stub.requests.map { $0["model"] as? String } == ["acme/cheap", "acme/better"])
            let record = try #require(try fixture.store.requests().first)
            #expect(record.model == "acme/better")
            #expect(record.attempts.map(\.outcome) == ["http 503", "ok"])
        }
    }

    @Test func everyCandidateFailingIsAnUpstreamError() async throws {
        try await StubUpstream.run { stub, port in
            for model in ["acme/cheap", "acme/better", "acme/premium"] { stub.set(model, .status(500)) }
            let fixture = try GatewayFixture(upstreamPort: port, fallbacks: 1)
            try await fixture.test { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                         body: chatBody(model: "costwise/summarization")) { response in
                    #expect(response.status == .badGateway)
                    let error = response.object["error"] as? [String: Any]
                    #expect(error?["type"] as? String == "upstream_error")
                    #expect((error?["message"] as? String)?.contains("acme/better") == true)
                }
            }
            // One fallback configured: two models tried.
            #expect(stub.requests.count == 2)
            #expect(try fixture.store.requests().first?.status == .failed)
        }
    }

    @Test func streamCutAfterItsFirstChunkEndsWithAnErrorNotDone() async throws {
        try await StubUpstream.run { stub, port in
            stub.set("acme/cheap", .cutStream)
            let fixture = try GatewayFixture(upstreamPort: port)
            try await fixture.test { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                         body: chatBody(model: "costwise/summarization", stream: true)) { response in
                    let events = response.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
                    #expect(events.first?.contains("Hello") == true)
                    #expect(events.last?.contains(#""error":"#) == true)
                    #expect(!response.text.contains("[DONE]"))
                }
            }
            // Past the first byte there is no fallback.
            #expect(stub.requests.count == 1)
            let record = try #require(try fixture.store.requests().first)
            #expect(record.status == .failed)
        }
    }

    @Test func silentUpstreamTimesOutAndFallsBack() async throws {
        try await StubUpstream.run { stub, port in
            stub.set("acme/cheap", .delay(.seconds(3)))
            let fixture = try GatewayFixture(upstreamPort: port, readTimeoutMs: 300)
            try await fixture.test { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                         body: chatBody(model: "costwise/summarization")) { response in
                    #expect(response.status == .ok)
                    #expect(response.header("x-costwise-model") == "acme/better")
                }
            }
            let record = try #require(try fixture.store.requests().first)
            #expect(record.attempts.map(\.outcome) == ["timeout", "ok"])
        }
    }

    @Test func requestNeedsLimitTheCandidates() async throws {
        try await StubUpstream.run { stub, port in
            let fixture = try GatewayFixture(upstreamPort: port)
            let image = #"{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AA=="}}]}"#
            let cases: [(body: String, model: String)] = [
                (#"{"model":"costwise/summarization","messages":[],"tools":[{"type":"function","function":{"name":"f"}}]}"#, "acme/better"),
                (#"{"model":"costwise/summarization","messages":[],"max_tokens":2000}"#, "acme/better"),
                (#"{"model":"costwise/summarization","messages":[\#(image)]}"#, "acme/premium"),
                (#"{"model":"costwise/summarization","messages":[],"response_format":{"type":"json_schema","json_schema":{}}}"#, "acme/premium"),
                (#"{"model":"costwise/summarization","messages":[],"response_format":{"type":"json_object"}}"#, "acme/cheap"),
            ]
            try await fixture.test { client in
                for (body, model) in cases {
                    try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                             body: ByteBuffer(string: body)) { response in
                        #expect(response.header("x-costwise-model") == model, "\(body)")
                    }
                }
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                         body: ByteBuffer(string: #"{"model":"acme/cheap","messages":[],"max_tokens":5000}"#)) { response in
                    #expect(response.status == .badRequest)
                    #expect((response.object["error"] as? [String: Any])?["code"] as? String == "model_cannot_serve")
                }
            }
            #expect(stub.requests.count == cases.count)
        }
    }

    @Test func bodiesOverTheLimitAreRefused() async throws {
        try await StubUpstream.run { stub, port in
            let config = """
                providers:
                  "*":
                    base_url: http://127.0.0.1:\(port)/v1
                max_body_bytes: 1000
                """
            let fixture = try GatewayFixture(upstreamPort: port, configText: config)
            try await fixture.test { client in
                let long = String(repeating: "x", count: 2_000)
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                         body: chatBody(model: "costwise/summarization", extra: #","user":"\#(long)""#)) { response in
                    #expect(response.status == .contentTooLarge)
                    #expect((response.object["error"] as? [String: Any])?["code"] as? String == "body_too_large")
                }
            }
            #expect(stub.requests.isEmpty)
        }
    }

    @Test func badRequestsGetOpenAIShapedClientErrors() async throws {
        try await StubUpstream.run { stub, port in
            let fixture = try GatewayFixture(upstreamPort: port)
            try await fixture.test { client in
                let cases: [(body: String, status: HTTPResponse.Status, code: String)] = [
                    ("{not json", .badRequest, "invalid_json"),
                    (#"{"model":"costwise/summarization"}"#, .badRequest, "missing_field"),
                    (#"{"model":"nobody/none","messages":[]}"#, .notFound, "model_not_found"),
                    (#"{"model":"costwise/poetry","messages":[]}"#, .notFound, "unknown_task"),
                    (#"{"model":"costwise/summarization","messages":[],"costwise":{"min_quality":2}}"#, .badRequest, "invalid_costwise_option"),
                    (#"{"model":"costwise/summarization","messages":[],"costwise":{"max_cost_usd":0.0000001}}"#, .unprocessableContent,
                     "no_qualifying_model"),
                ]
                for (body, status, code) in cases {
                    try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                             body: ByteBuffer(string: body)) { response in
                        #expect(response.status == status, "\(body)")
                        let error = response.object["error"] as? [String: Any]
                        #expect(error?["code"] as? String == code, "\(body)")
                        #expect((error?["message"] as? String)?.isEmpty == false)
                    }
                }
            }
            #expect(stub.requests.isEmpty)
        }
    }
}
