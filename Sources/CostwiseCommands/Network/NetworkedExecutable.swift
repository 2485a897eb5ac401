#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Costwise

/// The `costwise` executable's network stack: it has none, so a command that needs one runs again,
/// with the same arguments and environment, as `costwise-net` from the same folder.
///
/// The hand-over happens where the need shows (the llm classifier chosen, `serve` started, a
/// PostgreSQL store opened), not by
/// reading the command line ahead of the parser, so the two executables cannot disagree on which
/// commands need the network. Nothing a command did before the hand-over is lost: the only earlier
/// step is opening the store, which `costwise-net` repeats.
public struct NetworkedExecutable: NetworkStack {
    /// The executable that links the networking stack.
    public static let name = "costwise-net"

    public init() {}

    public func withTransport<Answer>(_ body: (any HTTPTransport) async throws -> Answer) async throws -> Answer {
        try handOver()
    }

    public func serve(_ request: ServeRequest) async throws {
        try handOver()
    }

    public func openStore(postgres url: PostgresURL, seed: SQLiteStore.Seed) throws -> SQLiteStore {
        try handOver()
    }

    /// Replaces this process with `costwise-net`; returns only by throwing.
    private func handOver() throws -> Never {
        let path = Self.siblingPath()
        execv(path, CommandLine.unsafeArgv)
        let reason = String(cString: strerror(errno))
        throw CommandError(description: """
            error: this command needs \(Self.name), which could not be started from \(path) (\(reason)); \
            it is built with costwise (`swift build -c release` builds both) and must stay in the same folder
            """)
    }

    /// `costwise-net` in the folder of the running executable (symbolic links resolved).
    static func siblingPath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let executable = length > 0 ? String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                                    : CommandLine.arguments[0]
        let folder = executable.lastIndex(of: "/").map { String(executable[..<$0]) } ?? "."
        return folder + "/" + name
    }
}
