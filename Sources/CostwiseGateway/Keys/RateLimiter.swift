import Costwise
import Synchronization

/// Each key's requests and tokens per minute, over a sliding window of the last 60 seconds.
///
/// A chat completion counts as a request when it is admitted; its tokens count when its answer
/// reports them (prompt plus completion; for an answer without usage, the bound it was reserved
/// for). A request is admitted while the window holds fewer requests than the key's `rpm` and
/// fewer tokens than its `tpm`; otherwise it gets 429 `rate_limited` with `retry-after`, the whole
/// seconds until enough of the window has passed.
///
/// The window lives in the gateway's memory: each gateway process limits a key on its own. Budgets,
/// which are about money, are kept in the store and hold across processes.
final class RateLimiter: Sendable {
    static let window: Duration = .seconds(60)

    private struct Usage {
        var requests: [ContinuousClock.Instant] = []
        var tokens: [(at: ContinuousClock.Instant, count: Int)] = []

        mutating func drop(before start: ContinuousClock.Instant) {
            if let keep = requests.firstIndex(where: { $0 > start }) { requests.removeFirst(keep) } else { requests = [] }
            if let keep = tokens.firstIndex(where: { $0.at > start }) { tokens.removeFirst(keep) } else { tokens = [] }
        }
    }

    private let usage = Mutex<[Int: Usage]>([:])

    /// Admits one request of `key` now, or says when to come back.
    func admit(_ key: APIKey) throws(GatewayError) {
        guard key.requestsPerMinute != nil || key.tokensPerMinute != nil else { return }
        let now = ContinuousClock.now
        let refusal: GatewayError? = usage.withLock { all in
            var entry = all[key.id] ?? Usage()
            entry.drop(before: now - Self.window)
            defer { all[key.id] = entry }
            if let rpm = key.requestsPerMinute, entry.requests.count >= rpm {
                // One more fits once the request `rpm` places from the newest has left the window.
                let wait = Self.seconds(until: entry.requests[entry.requests.count - rpm] + Self.window, from: now)
                return GatewayError(status: 429, type: .rateLimited, code: "requests_per_minute",
                                    "the key '\(key.name)' has made its \(rpm) requests of the last minute; retry in \(wait) s",
                                    retryAfterSeconds: wait)
            }
            if let tpm = key.tokensPerMinute {
                let used = entry.tokens.reduce(0) { $0 + $1.count }
                if used >= tpm {
                    // One more fits once enough of the oldest tokens have left the window.
                    var left = used
                    var frees = now
                    for counted in entry.tokens where left >= tpm {
                        left -= counted.count
                        frees = counted.at + Self.window
                    }
                    let wait = Self.seconds(until: frees, from: now)
                    return GatewayError(status: 429, type: .rateLimited, code: "tokens_per_minute",
                                        "the key '\(key.name)' has used \(used) tokens in the last minute, of \(tpm) it may; retry in \(wait) s",
                                        retryAfterSeconds: wait)
                }
            }
            entry.requests.append(now)
            return nil
        }
        if let refusal { throw refusal }
    }

    /// Counts `tokens` that an answer to `key` reported.
    func count(tokens: Int, for key: APIKey) {
        guard key.tokensPerMinute != nil, tokens > 0 else { return }
        let now = ContinuousClock.now
        usage.withLock { all in all[key.id, default: Usage()].tokens.append((now, tokens)) }
    }

    /// Whole seconds from `now` to `instant`, at least 1.
    private static func seconds(until instant: ContinuousClock.Instant, from now: ContinuousClock.Instant) -> Int {
        let wait = instant - now
        let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
        return max(1, Int(seconds.rounded(.up)))
    }
}
