import Foundation
import Testing
@testable import Costwise

/// Results are inserted a hundred to a statement; what fails still reads as one result's INSERT.
struct ResultInsertTests {
    @Test("A result SQLite refuses fails the whole batch, with an error quoting one result's INSERT")
    func refusedResultFailsBatchReadably() throws {
        let fixture = try TemporaryStore()
        try fixture.task("reasoning")
        try fixture.model("acme/a", input: 1, output: 2)
        // SQLite stores NaN as NULL, which the score column refuses.
        let batch = (0..<250).map { EvaluationResult(model: "acme/a", task: "reasoning", score: $0 == 120 ? .nan : 1, run: "r", item: "\($0)") }
        let error = try #require(throws: DatabaseError.self) { try fixture.store.recordResults(batch, lines: nil, file: nil) }
        #expect(error.message.contains("results.score"))
        #expect(error.description.hasPrefix("\(fixture.path): SQLite error"))
        #expect(error.sql?.components(separatedBy: "?").count == 11)
        #expect(try fixture.rawInteger("SELECT count(*) FROM results") == 0)
    }
}
