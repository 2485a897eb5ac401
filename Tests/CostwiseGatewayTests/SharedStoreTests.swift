import Costwise
import CostwiseGateway
import CostwisePostgres
import Foundation
import HummingbirdTesting
import Testing

/// Two gateways on one PostgreSQL store, as two machines would run them: a key's budget is shared
/// and never overrun, whichever gateway its requests reach.
@Suite struct SharedStoreTests {
    @Test func twoGatewaysOnOnePostgresStoreServeSevenOfAHundredRequestsOnABudgetForSeven() async throws {
        let database = try SharedPostgresDatabase()
        let body = chatBody(model: "costwise/summarization", extra: #","max_tokens":500"#)
        let input = BudgetTests.inputBound(body)
        let cost = Int64(input) * BudgetTests.cheapInput + 500 * BudgetTests.cheapOutput
        let budget = Picodollars(7 * cost + cost / 2)
        try await StubUpstream.run { stub, port in
            stub.set("acme/cheap", .reports(promptTokens: input, completionTokens: 500, after: .milliseconds(20)))
            let fixture = try GatewayFixture(upstreamPort: port, keys: [KeySpec(name: "team", budgetUSD: budget.usd)],
                                             emptyStore: try database.openStore())
            let second = try GatewayFixture.gateway(config: fixture.config, store: try database.openStore())
            let token = fixture.tokens["team"]!
            let outcomes = Outcomes()
            try await fixture.test { first in
                try await GatewayFixture.test(second) { other in
                    await withTaskGroup(of: Void.self) { group in
                        for index in 0..<100 {
                            let client = index % 2 == 0 ? first : other
                            group.addTask {
                                guard let response = try? await client.execute(uri: "/v1/chat/completions", method: .post,
                                                                               headers: headers(bearer: token), body: body) else { return }
                                outcomes.add(response.status.code, type: response.errorType)
                            }
                        }
                    }
                    await second.flushRecords()
                }
                await fixture.gateway.flushRecords()
            }
            #expect(outcomes.counts[200] == 7)
            #expect(outcomes.counts[429] == 93)
            let usage = try #require(try fixture.store.keyUsage(at: Date().timeIntervalSince1970).first)
            #expect(usage.spent == Picodollars(7 * cost))
            #expect(usage.reserved == .zero)
            #expect(try fixture.store.reservations(keyID: usage.key.id).count == 7)
            #expect(try fixture.store.requests().filter { $0.status == .ok }.count == 7)
        }
    }
}

/// A database of its own on the server `COSTWISE_TEST_POSTGRES` names, dropped at the end; without
/// it the test is skipped saying why, or fails when `CI` is set (as the store tests' helper does).
/// Used from one test at a time.
final class SharedPostgresDatabase: @unchecked Sendable {
    let url: PostgresURL
    private let admin: PostgresSQLConnection

    init() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let adminURL = environment["COSTWISE_TEST_POSTGRES"], !adminURL.isEmpty else {
            let reason = "no PostgreSQL server: set COSTWISE_TEST_POSTGRES to an admin URL (scripts/postgres-test-cluster.sh start DIR prints one)"
            if environment["CI"] != nil { throw CostwiseTestError(description: reason) }
            try Test.cancel(Comment(rawValue: reason))
        }
        admin = try PostgresSQLConnection(url: try PostgresURL(adminURL))
        var url = admin.url
        url.database = "costwise_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try admin.execute(script: "CREATE DATABASE \(url.database)")
        self.url = url
    }

    deinit { try? admin.execute(script: "DROP DATABASE IF EXISTS \(url.database) WITH (FORCE)") }

    /// The store on a connection of its own, created empty by the first to open it.
    func openStore() throws -> SQLiteStore {
        try SQLiteStore(remote: try PostgresSQLConnection(url: url), seed: .empty)
    }
}

struct CostwiseTestError: Error, CustomStringConvertible {
    var description: String
}
