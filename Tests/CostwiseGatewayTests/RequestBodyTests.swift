import Costwise
import CostwiseGateway
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The request body as the gateway reads it: what it passes upstream untouched, and the field an
/// error names.
@Suite struct RequestBodyTests {
    @Test func membersTheGatewayDoesNotKnowReachTheUpstreamAsWritten() async throws {
        try await StubUpstream.run { stub, port in
            let fixture = try GatewayFixture(upstreamPort: port)
            let body = #"{"temperature":0.25,"model":"costwise/summarization","messages":[{"role":"system","content":"Be brief."},"#
                + #"{"role":"user","content":[{"type":"text","text":"Sum up: caf\u00e9 \"quoted\"\n😀"}],"name":null}],"#
                + #""metadata":{"tags":["a",{"deep":[1e3,-0.5,true,null]}]},"costwise":{"max_cost_usd":1,"future_option":[1]},"seed":7}"#
            try await fixture.test { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                         body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .ok, "\(response.text)")
                }
            }
            let sent = try #require(stub.requests.first)
            #expect(sent["model"] as? String == "acme/cheap")
            #expect(sent["costwise"] == nil)
            #expect(sent["temperature"] as? Double == 0.25 && sent["seed"] as? Int == 7)
            let messages = try #require(sent["messages"] as? [[String: Any]])
            let parts = try #require(messages.last?["content"] as? [[String: Any]])
            #expect(parts.first?["text"] as? String == "Sum up: café \"quoted\"\n😀")
            let tags = (sent["metadata"] as? [String: Any])?["tags"] as? [Any]
            #expect(((tags?.last as? [String: Any])?["deep"] as? [Any])?.count == 4)
        }
    }

    @Test func aFieldOfTheWrongTypeIsNamedInTheError() async throws {
        try await StubUpstream.run { stub, port in
            let fixture = try GatewayFixture(upstreamPort: port)
            let cases: [(body: String, code: String, param: String?)] = [
                (#"{"model":"costwise/summarization","messages":[{"role":7}]}"#, "invalid_field", "messages[0].role"),
                (#"{"model":"costwise/summarization","messages":[{"content":"hi"}]}"#, "missing_field", "messages[0].role"),
                (#"{"model":"costwise/summarization","messages":[],"max_tokens":"many"}"#, "invalid_field", "max_tokens"),
                (#"{"model":"costwise/summarization","messages":[],"costwise":{"providers":["a",2]}}"#, "invalid_field", "costwise.providers[1]"),
                (#"{"model":"costwise/summarization","messages":[]} trailing"#, "invalid_json", nil),
                (#"{"model":"costwise/summarization","messages":["#, "invalid_json", nil),
                (#"{"model":"costwise/summarization","messages":[],"x":"\q"}"#, "invalid_json", nil),
                (#"[1]"#, "invalid_json", nil),
            ]
            try await fixture.test { client in
                for (body, code, param) in cases {
                    try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders,
                                             body: ByteBuffer(string: body)) { response in
                        #expect(response.status == .badRequest, "\(body)")
                        let error = response.object["error"] as? [String: Any]
                        #expect(error?["code"] as? String == code, "\(body)")
                        #expect(error?["param"] as? String == param, "\(body)")
                    }
                }
            }
            #expect(stub.requests.isEmpty)
        }
    }
}
