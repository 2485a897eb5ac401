#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Database {
    /// How long an operation keeps being retried while another connection holds a lock it needs.
    ///
    /// Each attempt already waits up to the busy timeout inside SQLite, so a writer queued behind
    /// several long imports gets this long in all before it gives up with `database is locked`.
    static let busyPatience: Duration = .seconds(60)

    /// Runs `body`, and runs it again after a growing, randomized pause for as long as it fails with
    /// `SQLITE_BUSY` and ``busyPatience`` has not run out.
    ///
    /// The busy timeout makes SQLite wait for a lock, but not in every case: switching a new store to
    /// WAL while another process does the same returns `SQLITE_BUSY` at once, and a write transaction
    /// can queue behind more work than one timeout covers. The pause doubles from 1 ms up to 250 ms,
    /// and a random part of it keeps processes that collided from retrying in step.
    ///
    /// - precondition: `body` can run again after failing: a whole transaction (rolled back on
    ///   error), or statements outside one that change nothing when they fail.
    static func retryingWhileBusy<T>(_ body: () throws -> T) throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: busyPatience)
        var pauseMicroseconds: UInt32 = 1_000
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where error.isBusy && clock.now < deadline {
                usleep(pauseMicroseconds / 2 + UInt32.random(in: 0...(pauseMicroseconds / 2)))
                pauseMicroseconds = min(pauseMicroseconds * 2, 250_000)
            }
        }
    }
}
