/// Median time per operation over batches, so that one slow batch (a page fault, a context switch)
/// does not move the figure.
enum BatchTimer {
    struct Result {
        var nanosecondsPerOperation: Double
        var batches: Int
        var batchSize: Int
        /// Folded from every operation's output, and printed, so the optimizer cannot drop the work.
        var checksum: Int
    }

    /// Runs `operation(i)` for i = 0, 1, 2, … in batches until `budget` is spent (at least 15 batches).
    /// Fast operations run 1,000 to a batch; slow ones fewer, so a batch takes about 5 ms.
    static func measure(budget: Duration, _ operation: (Int) -> Int) -> Result {
        let clock = ContinuousClock()
        var index = 0
        var checksum = 0
        // Calibrate (and warm caches) with a short batch.
        let probe = 200
        let probeTime = clock.measure { for _ in 0..<probe { checksum &+= operation(index); index &+= 1 } }
        let perOperation = max(1, nanoseconds(probeTime) / Double(probe))
        let batchSize = min(1_000, max(10, Int(5_000_000 / perOperation)))

        var samples: [Double] = []
        let start = clock.now
        while samples.count < 15 || (clock.now - start < budget && samples.count < 5_000) {
            let elapsed = clock.measure {
                for _ in 0..<batchSize { checksum &+= operation(index); index &+= 1 }
            }
            samples.append(nanoseconds(elapsed) / Double(batchSize))
        }
        samples.sort()
        return Result(nanosecondsPerOperation: samples[samples.count / 2], batches: samples.count,
                      batchSize: batchSize, checksum: checksum)
    }

    /// Times `operation(i)` one call at a time over `count` calls (after a warm-up pass) and returns the
    /// median and 90th percentile in nanoseconds. Each figure includes one clock read (`timerOverhead`).
    static func perOperation(count: Int, _ operation: (Int) -> Int) -> (median: Double, p90: Double, checksum: Int) {
        let clock = ContinuousClock()
        var checksum = 0
        for index in 0..<count { checksum &+= operation(index) }
        var samples: [Double] = []
        samples.reserveCapacity(count * 3)
        for round in 0..<3 {
            for index in 0..<count {
                let start = clock.now
                checksum &+= operation(index &+ round)
                samples.append(nanoseconds(clock.now - start))
            }
        }
        samples.sort()
        return (samples[samples.count / 2], samples[samples.count * 9 / 10], checksum)
    }

    /// What one clock read costs, to read the per-operation figures against.
    static var timerOverhead: Double { perOperation(count: 10_000) { $0 & 1 }.median }

    static func nanoseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
    }

    /// Runs `body` once and returns its value with the seconds it took.
    static func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let clock = ContinuousClock()
        var value: T?
        let elapsed = try clock.measure { value = try body() }
        return (value!, nanoseconds(elapsed) / 1e9)
    }
}
