/// The candidates for one task type, ordered the way the selection rule considers them at their
/// default tokens, with a precomputed frontier for the commonest question.
struct TaskRoute: Sendable {
    let task: TaskType
    /// Enabled models with a quality estimate for the task, by default cost, then higher mean, then id.
    let candidates: [Candidate]
    /// Indices into `candidates` of those that fit their default tokens and have a higher mean than
    /// every one before them. The cheapest candidate with mean ≥ Q is the first frontier entry with
    /// mean ≥ Q, so a plain request is a binary search.
    let frontier: [Int]
    /// The fewest samples any frontier candidate has: a request asking for no more can use the frontier.
    let frontierMinSamples: Double

    init(task: TaskType, candidates unordered: [Candidate]) {
        self.task = task
        candidates = unordered.sorted { Candidate.precedes(cost: $0.defaultCost, $0, costOf: $1.defaultCost, $1) }
        var frontier: [Int] = []
        var bestMean = -Double.infinity
        var minSamples = Double.infinity
        for (index, candidate) in candidates.enumerated()
        where candidate.fits(inputTokens: candidate.defaultInputTokens, outputTokens: candidate.defaultOutputTokens)
            && candidate.quality.mean > bestMean {
            frontier.append(index)
            bestMean = candidate.quality.mean
            minSamples = min(minSamples, candidate.quality.samples)
        }
        self.frontier = frontier
        frontierMinSamples = minSamples
    }

    /// The first frontier candidate whose mean is at least `threshold`.
    func cheapestOnFrontier(meetingMean threshold: Double) -> Int? {
        var low = 0
        var high = frontier.count
        while low < high {
            let middle = (low + high) / 2
            if candidates[frontier[middle]].quality.mean >= threshold { high = middle } else { low = middle + 1 }
        }
        return low < frontier.count ? frontier[low] : nil
    }
}
