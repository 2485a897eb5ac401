#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's file size limit (`ulimit -f`).
enum FileSizeLimit {
    /// Makes a write past the limit fail with an error instead of ending the process.
    ///
    /// By default the kernel ends a process with SIGXFSZ when it writes past the limit, so an import
    /// would die half-way with no message. Ignoring the signal turns that write into an `EFBIG`
    /// error, which SQLite reports; the transaction is rolled back and the command fails cleanly.
    static func failWritesInsteadOfExiting() {
        signal(SIGXFSZ, SIG_IGN)
    }
}
