/// The candidates of one task type laid out for requests that give their own token counts, whose
/// costs, and so whose order, the snapshot cannot know in advance.
///
/// A scan would read every candidate's full record to price it. But such a request's answer is
/// among the candidates at or above its threshold, and when none of those is within its limits,
/// it is the best within them: the first from the threshold down. So the candidates are
/// kept from the highest quality down (by mean, and by 95% lower bound), each with its price and
/// context window beside its quality, and a select reads them in that order, only as far as its
/// answer needs, pricing each before it looks at anything else.
struct RequestTokenIndex: Sendable {
    /// The candidates in one descending order of quality.
    struct Ordered: Sendable {
        /// Positions among the route's candidates (the earlier first among equal qualities).
        let positions: [Int32]
        /// Each one's quality: its mean, or its 95% lower bound.
        let qualities: [Double]
        let prices: [Priced]
        /// Each one's tokens at its defaults, read only for a request that gives one count alone.
        let defaultTokens: [(input: Double, output: Double)]
    }

    struct Priced: Sendable {
        let price: Price
        /// +∞ where unknown, which holds any request.
        let contextWindow: Double
    }

    let byMean: Ordered
    let byLowerBound: Ordered

    init(candidates: [Candidate], facts: [TaskRoute.Facts]) {
        func ordered(by qualities: [Double]) -> Ordered {
            let positions = qualities.indices.sorted { qualities[$0] > qualities[$1] || (qualities[$0] == qualities[$1] && $0 < $1) }
            return Ordered(
                positions: positions.map(Int32.init), qualities: positions.map { qualities[$0] },
                prices: positions.map { Priced(price: candidates[$0].model.price,
                                               contextWindow: candidates[$0].model.contextWindow.map(Double.init) ?? .infinity) },
                defaultTokens: positions.map { (candidates[$0].defaultInputTokens, candidates[$0].defaultOutputTokens) })
        }
        byMean = ordered(by: facts.map(\.mean))
        byLowerBound = ordered(by: facts.map(\.lowerBound95))
    }
}
