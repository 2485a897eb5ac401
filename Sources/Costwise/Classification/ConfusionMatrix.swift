import FoundationEssentials

/// How often each true task type was classified as each task type: `counts[i][j]` examples of
/// `labels[i]` were classified as `labels[j]`, so the diagonal holds the correct answers.
public struct ConfusionMatrix: Sendable, Hashable, Codable {
    /// The task types that occur as truth or as answer, in name order.
    public var labels: [String]
    public var counts: [[Int]]

    /// The matrix of (truth, answer) pairs.
    public init(pairs: [(truth: String, answer: String)]) {
        labels = Set(pairs.flatMap { [$0.truth, $0.answer] }).sorted()
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($0.element, $0.offset) })
        counts = Array(repeating: Array(repeating: 0, count: labels.count), count: labels.count)
        for pair in pairs { counts[index[pair.truth]!][index[pair.answer]!] += 1 }
    }

    /// The examples whose answer was their truth.
    public var correct: Int { labels.indices.reduce(0) { $0 + counts[$1][$1] } }
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// `{"labels": […], "counts": [[…], …]}`: rows are the truth, columns the answer.
    public var json: JSONValue {
        .object([
            ("labels", .array(labels.map { .string($0) })),
            ("counts", .array(counts.map { row in .array(row.map { .integer($0) }) })),
        ])
    }

    /// The matrix as the store keeps it: ``json`` in one line.
    var storedText: String {
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Reads ``storedText`` back.
    static func stored(_ text: String) throws -> ConfusionMatrix {
        let matrix: ConfusionMatrix
        do {
            matrix = try JSONDecoder().decode(ConfusionMatrix.self, from: Data(text.utf8))
        } catch {
            throw InputError(field: "confusion", "a stored confusion matrix is not {\"labels\", \"counts\"}: \(error)")
        }
        guard matrix.counts.count == matrix.labels.count, matrix.counts.allSatisfy({ $0.count == matrix.labels.count }) else {
            throw InputError(field: "confusion", "a stored confusion matrix is not square in its labels")
        }
        return matrix
    }
}
