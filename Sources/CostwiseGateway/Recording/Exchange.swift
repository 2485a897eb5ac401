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

/// Request ids: `cw-` and 24 random hex digits, unique without coordination between gateways.
enum RequestID {
    static func make() -> String {
        var random = SystemRandomNumberGenerator()
        let high = random.next() as UInt64
        let low = random.next() as UInt32
        let digits: StaticString = "0123456789abcdef"
        // Written into the string's own storage: one allocation per id, on every request.
        return String(unsafeUninitializedCapacity: 27) { text in
            for (index, byte) in "cw-".utf8.enumerated() { text[index] = byte }
            digits.withUTF8Buffer { digits in
                for index in 0..<16 { text[3 + index] = digits[Int(high >> (60 - 4 * UInt64(index)) & 0xF)] }
                for index in 0..<8 { text[19 + index] = digits[Int(low >> (28 - 4 * UInt32(index)) & 0xF)] }
            }
            return 27
        }
    }
}
