import Costwise

/// One request as it goes through the gateway: what was planned, tried and answered, and the
/// timings, gathered on the way and turned into its ``RequestRecord`` at the end.
struct Exchange: Sendable {
    let id: String
    let at: Double
    let started: ContinuousClock.Instant
    var stream = false
    var plan: RoutePlan?
    /// The model tried last (the one that answered, when one did).
    var model: String?
    var reason: String?
    var estimatedCostUSD: Double?
    var attempts: [RequestRecord.Attempt] = []
    var status = RequestRecord.Status.failed
    var httpStatus = 500
    var usage: Usage?
    var costUSD: Double?
    /// From sending to the answering upstream to its last byte.
    var upstreamLatencyMs: Double?
    var timeToFirstTokenMs: Double?
    /// The time spent waiting on attempts that failed.
    var upstreamNanoseconds: Int64 = 0
    /// The key the request was made with, and its reservation; nil while the store holds no key.
    var keyed: KeyedRequest?

    init(id: String, at: Double, started: ContinuousClock.Instant) {
        self.id = id
        self.at = at
        self.started = started
    }

    /// The record of the request, with what the premium tier would have cost for the tokens the
    /// upstream reported (unknown when it reported none).
    func record(premium: (TokenUsage) -> (model: String, costUSD: Double)?) -> RequestRecord {
        let elapsedMs = started.millisecondsAgo
        let overheadMs = max(0, elapsedMs - Double(upstreamNanoseconds) / 1e6 - (upstreamLatencyMs ?? 0))
        var alternative: (model: String, costUSD: Double)?
        if let usage, let input = usage.promptTokens, let output = usage.completionTokens {
            alternative = premium(TokenUsage(promptTokens: input, completionTokens: output,
                                             cachedTokens: usage.cachedTokens, reasoningTokens: usage.reasoningTokens))
        }
        return RequestRecord(
            id: id, at: at, task: plan?.task, model: model, status: status, httpStatus: httpStatus, stream: stream,
            attempts: attempts, threshold: plan?.threshold, inputTokens: usage?.promptTokens, outputTokens: usage?.completionTokens,
            cachedTokens: usage?.cachedTokens, reasoningTokens: usage?.reasoningTokens, estimatedCostUSD: estimatedCostUSD,
            costUSD: costUSD, upstreamLatencyMs: upstreamLatencyMs, timeToFirstTokenMs: timeToFirstTokenMs, overheadMs: overheadMs,
            premiumModel: alternative?.model, premiumCostUSD: alternative?.costUSD)
    }
}

/// Request ids: `cw-`, the time in milliseconds (12 hex digits) and 64 random bits (16 hex digits).
///
/// Ids sort by the time they were made, to the millisecond, so that a store adds each record at the
/// end of its primary key's index rather than at a random place in it: with random ids every record
/// of a batch dirtied a page of its own, and on a store of 500,000 requests writing the records
/// took twice the CPU time (see benchmarks/RESULTS.md). The random part keeps ids unique without
/// coordination between gateways, and unguessable.
enum RequestID {
    /// An id for a request that arrived at `at` (seconds since 1970).
    static func make(at: Double) -> String {
        var random = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, at * 1_000)) & 0xFFFF_FFFF_FFFF
        let noise = random.next() as UInt64
        let digits: StaticString = "0123456789abcdef"
        // Written into the string's own storage: one allocation per id, on every request.
        return String(unsafeUninitializedCapacity: 31) { text in
            for (index, byte) in "cw-".utf8.enumerated() { text[index] = byte }
            digits.withUTF8Buffer { digits in
                for index in 0..<12 { text[3 + index] = digits[Int(milliseconds >> (44 - 4 * UInt64(index)) & 0xF)] }
                for index in 0..<16 { text[15 + index] = digits[Int(noise >> (60 - 4 * UInt64(index)) & 0xF)] }
            }
            return 31
        }
    }
}
