import Costwise
import CostwiseGateway
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Budgets that cannot be overrun: each attempt reserves its worst case atomically before it is
/// sent, and is settled to its actual cost (or released) after.
@Suite struct BudgetTests {
    /// acme/cheap's prices in picodollars per token: 0.1 and 0.2 USD per million tokens.
    static let cheapInput: Int64 = 100_000
    static let cheapOutput: Int64 = 200_000

    /// The input bound the gateway must reserve for a body with one message: its bytes and 8 tokens.
    static func inputBound(_ body: ByteBuffer) -> Int { body.readableBytes + 8 }

    @Test func hundredConcurrentRequestsAgainstABudgetForSevenServeSevenAndSpendExactlyTheirCost() async throws {
        let body = chatBody(model: "costwise/summarization", extra: #","max_tokens":500"#)
        let input = Self.inputBound(body)
        // The upstream uses every token the request may use, so each request costs its worst case.
        let cost = Int64(input) * Self.cheapInput + 500 * Self.cheapOutput
        let budget = Picodollars(7 * cost + cost / 2)
        try await StubUpstream.run { stub, port in
            stub.set("acme/cheap", .reports(promptTokens: input, completionTokens: 500, after: .milliseconds(20)))
            let fixture = try GatewayFixture(upstreamPort: port, keys: [KeySpec(name: "team", budgetUSD: budget.usd)])
            let token = fixture.tokens["team"]!
            let outcomes = Outcomes()
            try await fixture.test { client in
                await withTaskGroup(of: Void.self) { group in
                    for _ in 0..<100 {
                        group.addTask {
                            guard let response = try? await client.execute(uri: "/v1/chat/completions", method: .post,
                                                                           headers: headers(bearer: token), body: body) else { return }
                            outcomes.add(response.status.code, type: response.errorType)
                        }
                    }
                }
                await fixture.gateway.flushRecords()
            }
            let counts = outcomes.counts
            #expect(counts[200] == 7)
            #expect(counts[429] == 93)
            #expect(outcomes.types == ["budget_exceeded"])
            let usage = try #require(try fixture.store.keyUsage(at: Date().timeIntervalSince1970).first)
            #expect(usage.spent == Picodollars(7 * cost))
            #expect(usage.spent <= budget)
            #expect(usage.reserved == .zero)
            let reservations = try fixture.store.reservations(keyID: usage.key.id)
            #expect(reservations.count == 7)
            #expect(reservations.allSatisfy { $0.state == .settled && $0.charged == Picodollars(cost) && !$0.overrun })
            let served = try fixture.store.requests().filter { $0.status == .ok }
            #expect(served.count == 7)
            #expect(served.reduce(Picodollars.zero) { $0 + Picodollars(usd: $1.costUSD ?? 0) } == usage.spent)
        }
    }

    @Test func settlingToTheActualCostFreesTheRestAndTheRefusalSaysWhatRemains() async throws {
        let body = chatBody(model: "costwise/summarization", extra: #","max_tokens":500"#)
        let worst = Int64(Self.inputBound(body)) * Self.cheapInput + 500 * Self.cheapOutput
        let actual = 10 * Self.cheapInput + 100 * Self.cheapOutput
        // Room for three worst cases one after another once each has settled to its actual cost.
        let budget = Picodollars(2 * actual + worst + actual / 2)
        try await StubUpstream.run { stub, port in
            stub.set("acme/cheap", .reports(promptTokens: 10, completionTokens: 100, after: .zero))
            let fixture = try GatewayFixture(upstreamPort: port, keys: [KeySpec(name: "team", budgetUSD: budget.usd, period: .month)])
            let token = fixture.tokens["team"]!
            try await fixture.test { client in
                for _ in 0..<3 {
                    let response = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token), body: body)
                    #expect(response.status == .ok)
                }
                let refused = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token), body: body)
                #expect(refused.status == .tooManyRequests)
                #expect(refused.errorType == "budget_exceeded" && refused.errorCode == "budget_exceeded")
                let remaining = budget - Picodollars(3 * actual)
                #expect(refused.errorMessage?.contains("has \(remaining) USD left") == true, "\(refused.errorMessage ?? "")")
                #expect(refused.errorMessage?.contains("up to \(Picodollars(worst)) USD") == true)
            }
            let usage = try #require(try fixture.store.keyUsage(at: Date().timeIntervalSince1970).first)
            #expect(usage.spent == Picodollars(3 * actual) && usage.reserved == .zero)
            #expect(usage.periodStart == BudgetPeriod.month.start(containing: Date().timeIntervalSince1970))
        }
    }

    @Test func anUpstreamReportingMoreThanReservedIsChargedAsReportedAndFlagged() async throws {
        try await StubUpstream.run { _, port in
            // The stub reports 1,000 input and 500 output tokens whatever the request asked for.
            let fixture = try GatewayFixture(upstreamPort: port, keys: [KeySpec(name: "team", budgetUSD: 1)])
            let token = fixture.tokens["team"]!
            try await fixture.test { client in
                let response = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token),
                                                        body: chatBody(model: "costwise/summarization", extra: #","max_tokens":100"#))
                #expect(response.status == .ok)
                await fixture.gateway.flushRecords()
                let id = try #require(response.header("x-costwise-request-id"))
                let reservation = try #require(try fixture.store.reservations(requestID: id).first)
                #expect(reservation.overrun)
                #expect(reservation.reservation.outputTokensBound == 100)
                #expect(reservation.inputTokens == 1_000 && reservation.outputTokens == 500)
                let reported = Picodollars(1_000 * Self.cheapInput + 500 * Self.cheapOutput)
                #expect(reservation.charged == reported && reported > reservation.reservation.amount)
                let record = try #require(try fixture.store.request(id: id))
                #expect(record.inputTokens == 1_000 && record.outputTokens == 500 && record.costUSD == 0.0002)
                let usage = try #require(try fixture.store.keyUsage(at: Date().timeIntervalSince1970).first)
                #expect(usage.spent == reported && usage.overruns == 1 && usage.reserved == .zero)
            }
        }
    }

    @Test func aFailedAttemptIsReleasedAndTheFallbackReservesItsOwn() async throws {
        try await StubUpstream.run { stub, port in
            stub.set("acme/cheap", .status(503))
            let fixture = try GatewayFixture(upstreamPort: port, keys: [KeySpec(name: "team", budgetUSD: 1),
                                                                         KeySpec(name: "operator", scopes: [.admin])])
            let token = fixture.tokens["team"]!
            try await fixture.test { client in
                let response = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token),
                                                        body: chatBody(model: "costwise/summarization", extra: #","max_tokens":500"#))
                #expect(response.status == .ok && response.header("x-costwise-model") == "acme/better")
                // Each attempt's reservation is timed; the unkeyed metrics request reserves nothing.
                let metrics = try await client.execute(uri: "/metrics", method: .get, headers: headers(bearer: fixture.tokens["operator"]!))
                #expect(metrics.text.contains("costwise_budget_reservation_seconds_count 2"))
                let reservations = try fixture.store.reservations(requestID: try #require(response.header("x-costwise-request-id")))
                #expect(reservations.map(\.reservation.model) == ["acme/cheap", "acme/better"])
                #expect(reservations.map(\.state) == [.released, .settled])
                // 1,000 input and 500 output tokens at 1 and 2 USD per million.
                let usage = try #require(try fixture.store.keyUsage(at: Date().timeIntervalSince1970).first { $0.key.name == "team" })
                #expect(usage.spent == Picodollars(usd: 0.002) && usage.reserved == .zero)
            }
        }
    }

    @Test func aStreamIsSettledWhenItEnds() async throws {
        try await StubUpstream.run { _, port in
            let fixture = try GatewayFixture(upstreamPort: port, keys: [KeySpec(name: "team", budgetUSD: 1)])
            let token = fixture.tokens["team"]!
            try await fixture.test { client in
                let response = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token),
                                                        body: chatBody(model: "costwise/summarization", stream: true, extra: #","max_tokens":500"#))
                #expect(response.text.hasSuffix("data: [DONE]\n\n"))
                let usage = try #require(try fixture.store.keyUsage(at: Date().timeIntervalSince1970).first)
                #expect(usage.spent == Picodollars(usd: 0.0002) && usage.reserved == .zero)
            }
        }
    }

    /// A request that outlives its reservation's lifetime keeps the budget held: a second request that
    /// fits only if the first's reservation had lapsed is refused while the first runs.
    @Test func aRequestLongerThanTheReservationLifetimeKeepsItsBudgetHeld() async throws {
        let body = chatBody(model: "costwise/summarization", extra: #","max_tokens":500"#)
        let worst = Int64(Self.inputBound(body)) * Self.cheapInput + 500 * Self.cheapOutput
        let budget = Picodollars(worst + worst / 2)
        try await StubUpstream.run { stub, port in
            // Renewed every second, the first request's reservation must outlive its first 3 s to refuse the second at 4 s.
            stub.set("acme/cheap", .reports(promptTokens: 10, completionTokens: 100, after: .seconds(6)))
            let fixture = try GatewayFixture(upstreamPort: port, configText: """
                providers:
                  "*":
                    base_url: http://127.0.0.1:\(port)/v1
                    model_ids: full
                reservation_lifetime_s: 3
                """, keys: [KeySpec(name: "team", budgetUSD: budget.usd)])
            let token = fixture.tokens["team"]!
            try await fixture.test { client in
                async let long = client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token), body: body)
                try await Task.sleep(for: .seconds(4))
                let second = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token), body: body)
                #expect(second.status == .tooManyRequests && second.errorType == "budget_exceeded")
                #expect(try await long.status == .ok)
            }
            let usage = try #require(try fixture.store.keyUsage(at: Date().timeIntervalSince1970).first)
            #expect(usage.spent == Picodollars(10 * Self.cheapInput + 100 * Self.cheapOutput) && usage.reserved == .zero)
        }
    }

    @Test func anAnswerWhoseCostIsUnknownIsChargedItsWholeReservation() async throws {
        try await StubUpstream.run { stub, port in
            // A stream cut after its first chunk never reports usage; neither does this plain answer.
            stub.set("acme/cheap", .cutStream)
            stub.set("acme/better", .answer(usage: false))
            let fixture = try GatewayFixture(upstreamPort: port, keys: [KeySpec(name: "team", budgetUSD: 1)])
            let token = fixture.tokens["team"]!
            try await fixture.test { client in
                let cut = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token),
                                                   body: chatBody(model: "costwise/summarization", stream: true, extra: #","max_tokens":500"#))
                #expect(!cut.text.contains("[DONE]"))
                let plain = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token),
                                                     body: chatBody(model: "acme/better", extra: #","max_tokens":500"#))
                #expect(plain.status == .ok)
                var charged = Picodollars.zero
                for response in [cut, plain] {
                    let id = try #require(response.header("x-costwise-request-id"))
                    let reservation = try #require(try fixture.store.reservations(requestID: id).first)
                    #expect(reservation.state == .settled && reservation.charged == reservation.reservation.amount && !reservation.overrun)
                    charged = charged + reservation.reservation.amount
                }
                let usage = try #require(try fixture.store.keyUsage(at: Date().timeIntervalSince1970).first)
                #expect(usage.spent == charged && usage.reserved == .zero)
            }
        }
    }

    @Test func fitBudgetTakesTheCheapestQualifyingModelWhoseWorstCaseFits() async throws {
        try await StubUpstream.run { _, port in
            // acme/wordy is cheaper per token than acme/cheap, but with no output limit in the catalog
            // its worst case is 32,768 output tokens: 0.0033 USD, more than the budget of 0.001.
            let fixture = try GatewayFixture(upstreamPort: port, keys: [KeySpec(name: "team", budgetUSD: 0.001)])
            let token = fixture.tokens["team"]!
            try await fixture.test { client in
                // Written as another process would, so that the running gateway follows it.
                let other = try SQLiteStore(path: fixture.store.path)
                try other.setModel(ModelUpdate(id: "acme/wordy", inputUSDPerMTok: 0.05, outputUSDPerMTok: 0.1, tier: 1), source: "test")
                try GatewayFixture.results(other, "acme/wordy", passes: 9, of: 10)
                var listed = false
                for _ in 0..<100 where !listed {
                    try await Task.sleep(for: .milliseconds(20))
                    listed = try await client.execute(uri: "/v1/models", method: .get, headers: headers(bearer: token)).text.contains("acme/wordy")
                }
                try #require(listed)
                let plain = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token),
                                                     body: chatBody(model: "costwise/summarization"))
                #expect(plain.status == .tooManyRequests && plain.errorType == "budget_exceeded")
                #expect(plain.errorMessage?.contains("acme/wordy") == true)
                let fitted = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers(bearer: token),
                                                      body: chatBody(model: "costwise/summarization", extra: #","costwise":{"fit_budget":true}"#))
                #expect(fitted.status == .ok && fitted.header("x-costwise-model") == "acme/cheap")
                #expect(fitted.header("x-costwise-reason")?.hasSuffix("; cheaper candidates' worst cases exceed the key's budget") == true)
            }
        }
    }
}

/// The statuses and error types of concurrent responses.
final class Outcomes: Sendable {
    private let state = Mutex<(counts: [Int: Int], types: Set<String>)>(([:], []))

    func add(_ status: Int, type: String?) {
        state.withLock { state in
            state.counts[status, default: 0] += 1
            if let type { state.types.insert(type) }
        }
    }

    var counts: [Int: Int] { state.withLock { $0.counts } }
    var types: Set<String> { state.withLock { $0.types } }
}
