import Dispatch
import Foundation
import Synchronization
import Testing
@testable import Costwise

/// Keys, budgets and reservations in the store, below the gateway.
struct BudgetStoreTests {
    static let start = 1_796_083_200.0 // 2026-12-01T00:00:00Z

    @Test("Budget periods start on UTC days and calendar months, leap days included")
    func periods() {
        let leapDay = 1_709_208_000.0 // 2024-02-29T12:00:00Z
        #expect(BudgetPeriod.day.start(containing: leapDay) == 1_709_164_800)
        #expect(BudgetPeriod.day.end(containing: leapDay) == 1_709_251_200)
        #expect(BudgetPeriod.month.start(containing: leapDay) == 1_706_745_600) // 2024-02-01
        #expect(BudgetPeriod.month.end(containing: leapDay) == 1_709_251_200) // 2024-03-01
        #expect(BudgetPeriod.month.end(containing: Self.start + 86_400) == 1_798_761_600) // 2027-01-01
        #expect(BudgetPeriod.total.start(containing: leapDay) == 0 && BudgetPeriod.total.end(containing: leapDay) == nil)
    }

    @Test("Picodollars add exactly where dollars as Double drift")
    func exactMoney() {
        let cost = Picodollars(usd: 0.0002)
        #expect(cost.value == 200_000_000)
        #expect((0..<7).reduce(Picodollars.zero) { sum, _ in sum + cost }.usd == 0.0014)
        #expect((0..<7).reduce(0.0) { sum, _ in sum + 0.0002 } != 0.0014)
        #expect(Picodollars.cost(inputTokens: 1_000, outputTokens: 500, at: Price(inputUSDPerMTok: 0.15, outputUSDPerMTok: 0.6)).usd == 0.00045)
        #expect(Picodollars.cost(of: Int.max, at: Picodollars(2)) == .max)
    }

    @Test("Concurrent reservations from two connections never hold more than the budget", arguments: StoreEngine.allCases)
    func concurrentReservations(engine: StoreEngine) throws {
        let fixture = try TemporaryStore(engine: engine)
        let amount = Picodollars(usd: 0.0003)
        let key = try fixture.store.createKey(KeySpec(name: "team", budgetUSD: 7 * 0.0003 + 0.0001), token: .generate(), at: Self.start)
        let stores = [fixture.store, try fixture.openAgain()]
        let made = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: 40) { index in
            let outcome = try? stores[index % 2].reserve(keyID: key.id, requestID: "r\(index)", model: "m", amount: amount, inputTokensBound: 1,
                                                          outputTokensBound: 1, at: Self.start + 1, lifetime: 60)
            if case .success = outcome { made.add(1, ordering: .relaxed) }
        }
        #expect(made.load(ordering: .relaxed) == 7)
        let usage = try #require(try fixture.store.keyUsage(at: Self.start + 1).first)
        #expect(usage.reserved == Picodollars(7 * amount.value) && usage.remaining == Picodollars(usd: 0.0001))
    }

    @Test("Settling charges once, releasing charges nothing, and spend is kept per period", arguments: StoreEngine.allCases)
    func settleAndRelease(engine: StoreEngine) throws {
        let fixture = try TemporaryStore(engine: engine)
        let key = try fixture.store.createKey(KeySpec(name: "team", budgetUSD: 1, period: .day), token: .generate(), at: Self.start)
        func reserve(_ id: String, at time: Double) throws -> BudgetReservation {
            try fixture.store.reserve(keyID: key.id, requestID: id, model: "m", amount: Picodollars(usd: 0.5), inputTokensBound: 10,
                                      outputTokensBound: 10, at: time, lifetime: 60).get()
        }
        let first = try reserve("a", at: Self.start + 10)
        let second = try reserve("b", at: Self.start + 20)
        guard case .failure(.budgetExceeded(let remaining, _)) = try fixture.store.reserve(
            keyID: key.id, requestID: "c", model: "m", amount: Picodollars(1), inputTokensBound: 1, outputTokensBound: 1, at: Self.start + 30,
            lifetime: 60) else {
            Issue.record("a third reservation passed a budget held whole")
            return
        }
        #expect(remaining == .zero)
        try fixture.store.settle(first, charged: Picodollars(usd: 0.1), inputTokens: 5, outputTokens: 5, overrun: false, at: Self.start + 40)
        try fixture.store.settle(first, charged: Picodollars(usd: 0.1), inputTokens: 5, outputTokens: 5, overrun: false, at: Self.start + 41)
        try fixture.store.release(second, at: Self.start + 42)
        try fixture.store.settle(second, charged: Picodollars(usd: 0.5), inputTokens: 5, outputTokens: 5, overrun: false, at: Self.start + 43)
        let usage = try #require(try fixture.store.keyUsage(at: Self.start + 50).first)
        #expect(usage.spent == Picodollars(usd: 0.1) && usage.reserved == .zero && usage.remaining == Picodollars(usd: 0.9))
        // The next UTC day starts at zero; the reservation made today still counts today.
        let tomorrow = try #require(try fixture.store.keyUsage(at: Self.start + 86_400).first)
        #expect(tomorrow.spent == .zero && tomorrow.periodStart == Self.start + 86_400)
    }

    @Test("A revoked key gets no reservation, and a taken name leaves the store as it was", arguments: StoreEngine.allCases)
    func revokedAndDuplicate(engine: StoreEngine) throws {
        let fixture = try TemporaryStore(engine: engine)
        let key = try fixture.store.createKey(KeySpec(name: "team"), token: .generate(), at: Self.start)
        try fixture.store.revokeKey(named: "team", at: Self.start + 1)
        let outcome = try fixture.store.reserve(keyID: key.id, requestID: "r", model: "m", amount: Picodollars(1), inputTokensBound: 1,
                                                outputTokensBound: 1, at: Self.start + 2, lifetime: 60)
        #expect(outcome == .failure(.revoked))
        #expect(throws: InputError.self) { try fixture.store.createKey(KeySpec(name: "team"), token: .generate(), at: Self.start) }
        #expect(try fixture.store.keys().count == 1)
    }
}
