/// Per provider, the candidates of one task type that a request naming providers can get: in the
/// selection rule's order, each one that no candidate of the same provider before it matches or
/// beats on both quality and latency.
///
/// A candidate left out has one before it that is at least as good and at least as fast, so it
/// passes every latency and cost limit the one before it fails, and falls short of every threshold
/// the one before it misses. The cheapest candidate within a request's limits that clears its
/// threshold is therefore on the skyline, and so is the best one within them when none clears it.
/// A provider's skyline holds a few dozen of its candidates, read in cost order up to the first
/// that qualifies, where a walk over all of them would check each one above the threshold in turn.
/// The best within the limits is wanted only when no allowed provider has a candidate that
/// qualifies, so it is found in a second pass, only then.
///
/// An excluded model changes that only where it is the skyline's answer: leaving other candidates
/// out cannot make another one cheaper or better, but the candidates it hid may then be the answer.
/// Those matched or beaten by no more candidates than the request excludes are kept too, in the
/// provider's band; past ``excludedModelsHandled`` excluded models, the caller searches the
/// provider's candidates.
final class Skyline: Sendable {
    /// One entry's exact figures: read where rounding leaves a limit undecided, and for the best's value.
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
    /// The same entries' cost, latency and negated value rounded to `Float`, and their position: a
    /// pass reads these, four to a cache line, and checks every limit at once. Rounding keeps
    /// order, so an entry within a limit is within it rounded too, and one within it rounded is
    /// within it unless it is on it; the exact figures are read only then.
    private let rounded: [SIMD4<Float>]
    /// Provider `p`'s entries are those from `starts[p]` up to `starts[p + 1]`.
    private let starts: [Int32]
    /// Each entry's model number in the snapshot's ``CatalogIndex``: an answer is checked against
    /// the excluded models, and named, by this number. Side by side with the entries, so that the
    /// first entries' reads bring in their numbers too, where a candidate's number, by position,
    /// would be one more wait after the pass.
    private let models: [Int32]
    /// For each entry, the entry with the highest value among its provider's up to it (the first
    /// where several have it), with that value, and the same among those up to it that are faster
    /// than that one: the second pass's answer whenever the first, or else the second, is within the
    /// latency limit, read without their exact figures.
    private let bestSoFar: [Leader]

    struct Leader: Sendable {
        var value: Double
        var entry: Int32
        /// −1 where no entry up to here is faster than `entry`: then none is within a latency limit
        /// that `entry` is over.
        var fasterEntry: Int32
        var fasterValue: Double
    }

    /// The most excluded models a request may name for its answer to come from here.
    static let excludedModelsHandled = 3

    /// Per provider, the candidates no more than ``excludedModelsHandled`` candidates before them
    /// match or beat on both quality and latency: with at most that many excluded, the answer is
    /// among those not excluded, whatever the skyline meets.
    private let band: [BandEntry]
    /// The band's figures rounded as ``rounded`` holds the skyline's: a first pass over the band
    /// reads these, four to a cache line, where a band entry takes most of one.
    private let bandRounded: [SIMD4<Float>]
    private let bandStarts: [Int32]
    /// Each entry's place in its provider's band.
    private let bandIndexByEntry: [Int32]

    struct BandEntry: Sendable {
        var entry: Entry
        var model: Int32
    }

    /// The skylines of the candidates `eligible` takes, with `values` the quality each is judged by,
    /// all in the rule's order, and `positionsByProvider` each provider's positions in that order.
    /// `modelNumbers` holds each candidate's number in the snapshot's ``CatalogIndex``.
    init(facts: [TaskRoute.Facts], values: [Double], modelNumbers: [Int32], positionsByProvider: [[Int]], eligible: (Int) -> Bool) {
        var entries: [Entry] = []
        var starts: [Int32] = [0]
        var band: [BandEntry] = []
        var bandStarts: [Int32] = [0]
        var bandIndexByEntry: [Int32] = []
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
                    entries.append(entry)
                    bandIndexByEntry.append(Int32(band.count - 1))
                }
            }
            starts.append(Int32(entries.count))
            bandStarts.append(Int32(band.count))
        }
        self.entries = entries
        // `Float` holds every position exactly, below 2²⁴.
        precondition(facts.count < 1 << 24, "more candidates than a skyline can number")
        rounded = entries.map(Self.rounded)
        self.starts = starts
        models = entries.map { modelNumbers[$0.position] }
        var bestSoFar: [Leader] = []
        bestSoFar.reserveCapacity(entries.count)
        for provider in 0..<starts.count - 1 {
            let start = Int(starts[provider])
            var leader = Leader(value: -.infinity, entry: -1, fasterEntry: -1, fasterValue: -.infinity)
            for index in start..<Int(starts[provider + 1]) {
                if leader.entry < 0 || entries[index].value > leader.value {
                    leader.value = entries[index].value
                    leader.entry = Int32(index)
                    // A new leader: those faster than it are read again. Quadratic in the
                    // skyline's length at worst, which is a provider's few dozen candidates.
                    (leader.fasterEntry, leader.fasterValue) = (-1, -.infinity)
                    for other in start..<index where entries[other].latency < entries[index].latency && entries[other].value > leader.fasterValue {
                        (leader.fasterEntry, leader.fasterValue) = (Int32(other), entries[other].value)
                    }
                } else if entries[index].latency < entries[Int(leader.entry)].latency && entries[index].value > leader.fasterValue {
                    (leader.fasterEntry, leader.fasterValue) = (Int32(index), entries[index].value)
                }
                bestSoFar.append(leader)
            }
        }
        self.bestSoFar = bestSoFar
        self.band = band
        bandRounded = band.map { Self.rounded($0.entry) }
        self.bandStarts = bandStarts
        self.bandIndexByEntry = bandIndexByEntry
    }

    /// An entry's cost, latency, negated value and position, rounded to `Float`.
    private static func rounded(_ entry: Entry) -> SIMD4<Float> {
        SIMD4(Float(entry.cost), Float(entry.latency), -Float(entry.value), Float(entry.position))
    }

    /// What a pass over a provider's skyline found.
    enum Pass: Equatable {
        /// The provider's cheapest candidate that qualifies: its position and model number.
        case chosen(Int, model: Int32)
        /// None of the provider's candidates qualifies, and the pass read all its entries before
        /// `readTo`: those within the cost limit once rounded, or up to one over it exactly.
        case noneQualifies(readTo: Int)
        /// None qualifies: the best candidate within the limits.
        case best(position: Int, value: Double, model: Int32)
        case nothing
        /// An excluded model may hide the answer, and the request excludes more models than the
        /// band allows for: the caller must search the provider's candidates.
        case metExcluded
    }

    /// A request's limits as ``rounded`` holds an entry's figures, with `before` the position an
    /// answer must come before: an entry within them all has every rounded lane at most the limit's,
    /// and its position below `before`.
    static func limits(threshold: Double, maxCost: Double, maxLatency: Double, before: Int) -> SIMD4<Float> {
        SIMD4(Float(maxCost), Float(maxLatency), -Float(threshold), before == .max ? .infinity : Float(before))
    }

    /// The cost and model number of the first entry of each of `providers`, read one after the
    /// other so that the memory reads, which a random task type's entries usually need, overlap
    /// instead of each waiting for the pass before it.
    func touchFirstEntries(of providers: UnsafeBufferPointer<Int32>) -> Float {
        var sum: Float = 0
        for provider in providers where starts[Int(provider)] < starts[Int(provider) + 1] {
            let first = Int(starts[Int(provider)])
            sum += rounded[first][0] + Float(models[first])
        }
        return sum
    }

    /// Provider `provider`'s cheapest candidate within `maxCost` and `maxLatency` whose value clears
    /// `threshold`, before position `before` and not one of the `excluded` models (by number):
    /// `.chosen`, or `.noneQualifies` when none does (`.nothing` where the band answered). Read
    /// from entry `first`, where an earlier pass with the same limits stopped, or from the
    /// provider's first entry.
    func cheapestQualifying(provider: Int, from first: Int? = nil, threshold: Double, maxCost: Double, maxLatency: Double,
                            before: Int, excluded: UnsafeBufferPointer<Int32>) -> Pass {
        let limits = Self.limits(threshold: threshold, maxCost: maxCost, maxLatency: maxLatency, before: before)
        let start = first ?? Int(starts[provider])
        let (read, qualifies) = rounded.withUnsafeBufferPointer { rounded in
            Self.firstQualifying(in: rounded, from: start, to: Int(starts[provider + 1]), limits: limits,
                                 threshold: threshold, maxCost: maxCost, maxLatency: maxLatency) { entries[$0] }
        }
        guard qualifies else { return .noneQualifies(readTo: read) }
        let position = Int(rounded[read][3])
        let model = models[read]
        // Excluded models met before it do not matter: what they hide falls short of the
        // threshold or of the latency limit, as they do.
        if !excluded.isEmpty && excluded.contains(model) {
            // No candidate before it qualifies: each one is matched or beaten by an entry before it,
            // which does not. So the band is read from it on.
            return bandCheapestQualifying(provider: provider, from: Int(bandIndexByEntry[read]), limits: limits,
                                          threshold: threshold, maxCost: maxCost, maxLatency: maxLatency, excluded: excluded)
        }
        return .chosen(position, model: model)
    }

    /// Reads `rounded`, entries rounded as ``rounded`` holds them, from `start` up to `end`: where the
    /// pass stopped, and whether it stopped at an entry that qualifies. Entries are in cost order:
    /// the first over the cost limit, rounded, or after `before` ends the pass (none is at `before`,
    /// another provider's answer). `exact` gives an entry's exact figures, read where rounding
    /// leaves a limit undecided.
    @inline(__always)
    private static func firstQualifying(in rounded: UnsafeBufferPointer<SIMD4<Float>>, from start: Int, to end: Int,
                                        limits: SIMD4<Float>, threshold: Double, maxCost: Double, maxLatency: Double,
                                        exact: (Int) -> Entry) -> (read: Int, qualifies: Bool) {
        let stops = SIMD4(limits[0], .infinity, .infinity, limits[3])
        var read = start
        while read < end {
            let figures = rounded[read]
            // Whole-vector checks, each one compare: reading single lanes of a comparison costs
            // more than the comparison.
            if any(figures .> stops) { return (read, false) }
            if all(figures .<= limits) {
                if all(figures .< limits) { return (read, true) }
                let entry = exact(read)
                if entry.cost > maxCost { return (read, false) }
                if entry.latency <= maxLatency && entry.value >= threshold { return (read, true) }
            }
            read += 1
        }
        return (end, false)
    }

    /// Provider `provider`'s best candidate within `maxCost` and `maxLatency` (by value, then the
    /// earlier), not one of the `excluded` models, asked for when no allowed candidate clears the
    /// request's threshold; `readTo` is where a first pass with the same limits found none, and
    /// saves finding the end of the entries within the cost limit again.
    func bestWithinLimits(provider: Int, maxCost: Double, maxLatency: Double, excluded: UnsafeBufferPointer<Int32>,
                          readTo: Int?) -> Pass {
        let end = end(ofEntriesOf: provider, within: maxCost, readTo: readTo)
        guard let best = bestEntry(of: provider, before: end, maxLatency: maxLatency) else { return .nothing }
        let position = Int(rounded[best.entry][3])
        let model = models[best.entry]
        // The best of all stays the best of those left unless it is excluded itself.
        if !excluded.isEmpty && excluded.contains(model) {
            return bandBestWithinLimits(provider: provider, maxCost: maxCost, maxLatency: maxLatency, excluded: excluded)
        }
        return .best(position: position, value: best.value, model: model)
    }

    /// The end of provider `provider`'s entries within `maxCost`. Entries are in cost order: those
    /// within it once rounded come first, found by binary search unless a first pass read up to
    /// their end (`readTo`); and of them, the exact figures tell whether the last few, on it once
    /// rounded, are within.
    private func end(ofEntriesOf provider: Int, within maxCost: Double, readTo: Int?) -> Int {
        let start = Int(starts[provider])
        let costLimit = Float(maxCost)
        return rounded.withUnsafeBufferPointer { rounded in
            var end: Int
            if let readTo {
                end = readTo
            } else {
                var (low, high) = (start, Int(starts[provider + 1]))
                while low < high {
                    let middle = (low + high) / 2
                    if rounded[middle][0] <= costLimit { low = middle + 1 } else { high = middle }
                }
                end = low
            }
            while end > start && rounded[end - 1][0] == costLimit && entries[end - 1].cost > maxCost { end -= 1 }
            return end
        }
    }

    /// The best of provider `provider`'s entries before `end` within `maxLatency` (by value, then the
    /// earlier), with its value; nil for none. That is usually the best of them all, latency aside,
    /// or else the best of those faster than it, both of which ``bestSoFar`` holds; otherwise the
    /// entries are read in turn.
    private func bestEntry(of provider: Int, before end: Int, maxLatency: Double) -> (entry: Int, value: Double)? {
        let start = Int(starts[provider])
        guard end > start else { return nil }
        let latencyLimit = Float(maxLatency)
        let leader = bestSoFar[end - 1]
        func isWithinLimit(_ entry: Int32) -> Bool {
            let latency = rounded[Int(entry)][1]
            return latency < latencyLimit || (latency == latencyLimit && entries[Int(entry)].latency <= maxLatency)
        }
        if isWithinLimit(leader.entry) { return (Int(leader.entry), leader.value) }
        // Every entry within the limit is faster than the leader, which is over it.
        guard leader.fasterEntry >= 0 else { return nil }
        if isWithinLimit(leader.fasterEntry) { return (Int(leader.fasterEntry), leader.fasterValue) }
        // The highest value within the limit, rounded and negated; and whether some entry is on the
        // limit once rounded, so that only its exact latency tells whether it is within.
        var lowestNegated = Float.infinity
        var isOnLimit = false
        rounded.withUnsafeBufferPointer { rounded in
            for index in start..<end {
                let figures = rounded[index]
                isOnLimit = isOnLimit || figures[1] == latencyLimit
                lowestNegated = min(lowestNegated, figures[1] <= latencyLimit ? figures[2] : .infinity)
            }
        }
        var best = -1
        var bestValue = -Double.infinity
        entries.withUnsafeBufferPointer { entries in
            rounded.withUnsafeBufferPointer { rounded in
                for index in start..<end {
                    // On the limit, every entry within it is a contender; otherwise only those whose
                    // rounded value is the highest, usually one.
                    let isContender = isOnLimit ? entries[index].latency <= maxLatency
                        : rounded[index][2] == lowestNegated && rounded[index][1] <= latencyLimit
                    if isContender && entries[index].value > bestValue {
                        best = index
                        bestValue = entries[index].value
                    }
                }
            }
        }
        return best < 0 ? nil : (best, bestValue)
    }

    /// A first pass over provider `provider`'s band from band entry `first`, when one over its
    /// skyline met an excluded model there: as over the skyline, the excluded ones passed over.
    /// `.nothing` when none qualifies.
    private func bandCheapestQualifying(provider: Int, from first: Int, limits: SIMD4<Float>, threshold: Double, maxCost: Double,
                                        maxLatency: Double, excluded: UnsafeBufferPointer<Int32>) -> Pass {
        guard excluded.count <= Self.excludedModelsHandled else { return .metExcluded }
        let end = Int(bandStarts[provider + 1])
        return bandRounded.withUnsafeBufferPointer { rounded in
            var start = first
            while true {
                let (read, qualifies) = Self.firstQualifying(in: rounded, from: start, to: end, limits: limits, threshold: threshold,
                                                             maxCost: maxCost, maxLatency: maxLatency) { band[$0].entry }
                guard qualifies else { return .nothing }
                let candidate = band[read]
                if !excluded.contains(candidate.model) { return .chosen(candidate.entry.position, model: candidate.model) }
                start = read + 1
            }
        }
    }

    /// A second pass over provider `provider`'s band, when the best of its skyline is an excluded
    /// model: each candidate checked in turn, the excluded ones passed over. None of them clears the
    /// threshold (else a first pass would have found it), so the best is all that is wanted.
    private func bandBestWithinLimits(provider: Int, maxCost: Double, maxLatency: Double,
                                      excluded: UnsafeBufferPointer<Int32>) -> Pass {
        guard excluded.count <= Self.excludedModelsHandled else { return .metExcluded }
        var best: BandEntry?
        for candidate in band[Int(bandStarts[provider])..<Int(bandStarts[provider + 1])] {
            let entry = candidate.entry
            if entry.cost > maxCost { break }
            if !(entry.latency <= maxLatency) || excluded.contains(candidate.model) { continue }
            if best.map({ entry.value > $0.entry.value }) ?? true { best = candidate }
        }
        return best.map { .best(position: $0.entry.position, value: $0.entry.value, model: $0.model) } ?? .nothing
    }
}
