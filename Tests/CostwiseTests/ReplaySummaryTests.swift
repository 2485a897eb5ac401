import Foundation
import Testing
@testable import Costwise

/// Replaying per-data-set summaries (FrugalGPT's layout): the selector's choice on training figures,
/// scored on test figures, beside the cascade point chosen the same way.
struct ReplaySummaryTests {
    static let summary = """
        dataset,method,provider,test_acc,test_cost_usd_per_query,test_size,train_acc,train_cost_usd_per_query,train_size,budget_usd_per_query
        D,big,p,0.91,0.01,100,0.90,0.011,100,
        D,mid,p,0.88,0.001,100,0.895,0.0012,100,
        D,small,p,0.80,0.0001,100,0.85,0.0001,100,
        D,FrugalGPT,FrugalGPT,0.86,0.0003,100,0.88,0.0003,100,0.0005
        D,FrugalGPT,FrugalGPT,0.905,0.002,100,0.899,0.0021,100,0.003
        D,FrugalGPT,FrugalGPT,0.91,0.004,100,0.9,0.004,100,0.005
        E,only,p,0.5,0.2,10,0.5,0.2,10,

        """

    @Test("The cheapest model within the tolerance of the best training accuracy, scored on test figures")
    func choice() throws {
        let entries = try SummaryReplay.parse(Array(Self.summary.utf8), file: "s.csv")
        #expect(SummaryReplay.isSummary(Array(Self.summary.utf8)))
        let outcomes = try SummaryReplay.replay(entries, tolerance: 0.01)
        #expect(outcomes.map(\.task) == ["D", "E"])
        let d = outcomes[0]
        // Best on training: big (0.90). Within 0.01: mid (0.895, 0.0012 a query); small (0.85) is not.
        #expect(d.best.model == "big" && d.chosen.model == "mid")
        #expect(isClose(d.threshold, 0.89))
        #expect(isClose(d.saving(d.chosen), 0.9))
        // Cascade points with training accuracy >= 0.89: 0.899 for 0.0021 and 0.9 for 0.004; the cheaper is chosen.
        #expect(d.cascade?.budgetUSD == 0.003 && d.cascade?.quality == 0.905)
        #expect(outcomes[1].chosen.model == "only" && outcomes[1].cascade == nil)

        let strict = try SummaryReplay.replay(entries, tolerance: 0)
        #expect(strict[0].chosen.model == "big")
    }

    @Test("A model listed twice for one data set is refused, naming both lines")
    func duplicate() throws {
        let text = Self.summary + "D,mid,p,0.8,0.001,100,0.8,0.001,100,\n"
        #expect(throws: InputError(file: "s.csv", line: 9, field: "method", "'mid' is listed twice for 'D' (first on line 3)")) {
            try SummaryReplay.parse(Array(text.utf8), file: "s.csv")
        }
    }

    @Test("On FrugalGPT's published AGNEWS summary, Gemini 1.5 Flash is within a point of GPT-4 Turbo at under 1% of its cost")
    func publishedSummary() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("data/evals/frugalgpt_2024_summary.csv").path
        let outcomes = try SummaryReplay.replay(SummaryReplay.parse(InputFile.bytes(atPath: file), file: file), tolerance: 0.01)
        #expect(outcomes.map(\.task) == ["AGNEWS", "COQA", "HEADLINES", "OVERRULING", "SCIQ"])
        let agnews = outcomes[0]
        #expect(agnews.best.model == "gpt-4-turbo" && agnews.chosen.model == "gemini-1.5-flash")
        #expect(agnews.saving(agnews.chosen) > 0.99)
    }
}
