/// Per provider, the candidates of one task type that a request naming providers can get: in the
/// selection rule's order, each one that no candidate of the same provider before it matches or
/// beats on both quality and latency.
///
/// A candidate left out has one before it that is at least as good and at least as fast, so it
/// passes every latency and cost limit the one before it fails, and falls short of every threshold
/// the one before it misses. The cheapest candidate within a request's limits that clears its
/// threshold is therefore on the skyline, and so is the best one within them when none clears it.
/// A provider's skyline holds a few dozen of its candidates, read in one pass up to the answer,
/// where a walk over all of them would check each one above the threshold in turn.
///
/// An excluded model changes that only where it is on the skyline, within the limits, and no later
/// than the answer: the candidates it hid may then be the answer. Those matched or beaten by no
/// more candidates than the request excludes are kept too, in the provider's band; past
/// ``excludedModelsHandled`` excluded models, the caller searches the provider's candidates.
final class Skyline: Sendable {
    /// What a pass reads of one entry, side by side.
    struct Entry: Sendable {
        var cost: Double
        /// The mean or the 95% lower bound, whichever this skyline is over.
        var value: Double
        /// The p95 latency, +∞ where none was measured: it then passes no latency limit, and only
        /// requests without one can get it, as the rule says.
        var latency: Double
        var position: Int
    }

    /// Every provider's entries, one provider after the other, each in the rule's order.
    private let entries: [Entry]
    /// Provider `p`'s entries are those from `starts[p]` up to `starts[p + 1]`.
    private let starts: [Int32]
    /// Each model's entry, by its number in the snapshot's ``CatalogIndex``; −1 for none.
    private let entryByModel: [Int32]

    /// The most excluded models a request may name for its answer to come from here.
    static let excludedModelsHandled = 3

    /// Per provider, the candidates no more than ``excludedModelsHandled`` candidates before them
    /// match or beat on both quality and latency: with at most that many excluded, the answer is
    /// among those not excluded, whatever the skyline meets.
    private let band: [BandEntry]
    private let bandStarts: [Int32]

    struct BandEntry: Sendable {
        var entry: Entry
        var model: Int32
    }

    /// The skylines of the candidates `eligible` takes, with `values` the quality each is judged by,
    /// all in the rule's order, and `positionsByProvider` each provider's positions in that order.
    /// `modelNumbers` holds each candidate's number among the snapshot's `modelCount` models.
    init(facts: [TaskRoute.Facts], values: [Double], modelNumbers: [Int32], modelCount: Int,
         positionsByProvider: [[Int]], eligible: (Int) -> Bool) {
        var entries: [Entry] = []
        var starts: [Int32] = [0]
        var entryByModel = [Int32](repeating: -1, count: modelCount)
        var band: [BandEntry] = []
        var bandStarts: [Int32] = [0]
        for providerPositions in positionsByProvider {
            let firstInBand = band.count
            for position in providerPositions where eligible(position) {
                let entry = Entry(cost: facts[position].cost, value: values[position],
                                  latency: facts[position].latency.isNaN ? .infinity : facts[position].latency, position: position)
                // Counting those in the band is enough: a candidate matched or beaten by more than
                // the band allows is matched or beaten by that many in it.
                var matchedOrBeaten = 0
                for index in firstInBand..<band.count where band[index].entry.value >= entry.value && band[index].entry.latency <= entry.latency {
                    matchedOrBeaten += 1
                    if matchedOrBeaten > Self.excludedModelsHandled { break }
                }
                guard matchedOrBeaten <= Self.excludedModelsHandled else { continue }
                band.append(BandEntry(entry: entry, model: modelNumbers[position]))
                if matchedOrBeaten == 0 {
                    entryByModel[Int(modelNumbers[position])] = Int32(entries.count)
                    entries.append(entry)
                }
            }
            starts.append(Int32(entries.count))
            bandStarts.append(Int32(band.count))
        }
        self.entries = entries
        self.starts = starts
        self.entryByModel = entryByModel
        self.band = band
        self.bandStarts = bandStarts
    }

    /// What one pass over a provider's skyline found.
    enum Pass {
        /// The provider's cheapest candidate that qualifies: its position.
        case chosen(Int)
        /// None qualifies: the best candidate within the limits, if any.
        case best(position: Int, value: Double)
        case nothing
        /// An excluded model within the limits may hide the answer, and the request excludes more
        /// models than the band allows for: the caller must search the provider's candidates.
        case metExcluded
    }

    /// Provider `provider`'s cheapest candidate within `maxCost` and `maxLatency` whose value clears
    /// `threshold`, not one of the `excluded` models (by number); when none does, the best within
    /// those limits (by value, then the earlier).
    func pass(provider: Int, threshold: Double, maxCost: Double, maxLatency: Double,
              excluded: UnsafeBufferPointer<Int32>) -> Pass {
        entries.withUnsafeBufferPointer { entries in
            let start = Int(starts[provider])
            let end = Int(starts[provider + 1])
            var chosen = -1
            var best = -1
            var bestValue = -Double.infinity
            // Entries before `read` are within the cost limit and were read.
            var read = start
            while read < end {
                let entry = entries[read]
                // Entries are in cost order: the first over the limit ends the pass.
                if entry.cost > maxCost { break }
                let isWithin = entry.latency <= maxLatency
                if isWithin && entry.value >= threshold {
                    chosen = read
                    read += 1
                    break
                }
                // Kept by selects rather than branches, whose outcomes no predictor could guess.
                let isBetter = isWithin && entry.value > bestValue
                best = isBetter ? read : best
                bestValue = isBetter ? entry.value : bestValue
                read += 1
            }
            // An excluded one read within the limits may hide the answer.
            for model in excluded {
                let index = Int(entryByModel[Int(model)])
                if index >= start && index < read && entries[index].latency <= maxLatency {
                    return bandPass(provider: provider, threshold: threshold, maxCost: maxCost, maxLatency: maxLatency,
                                    excluded: excluded)
                }
            }
            if chosen >= 0 { return .chosen(entries[chosen].position) }
            return best >= 0 ? .best(position: entries[best].position, value: bestValue) : .nothing
        }
    }

    /// The pass over provider `provider`'s band, when one over its skyline met an excluded model:
    /// each candidate checked in turn, the excluded ones passed over.
    private func bandPass(provider: Int, threshold: Double, maxCost: Double, maxLatency: Double,
                          excluded: UnsafeBufferPointer<Int32>) -> Pass {
        guard excluded.count <= Self.excludedModelsHandled else { return .metExcluded }
        var best: Entry?
        for candidate in band[Int(bandStarts[provider])..<Int(bandStarts[provider + 1])] {
            let entry = candidate.entry
            if entry.cost > maxCost { break }
            if !(entry.latency <= maxLatency) || excluded.contains(candidate.model) { continue }
            if entry.value >= threshold { return .chosen(entry.position) }
            if best.map({ entry.value > $0.value }) ?? true { best = entry }
        }
        return best.map { .best(position: $0.position, value: $0.value) } ?? .nothing
    }
}
