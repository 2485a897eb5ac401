import CostwiseGateway
import Logging
import Synchronization
import Testing

/// The gateway's log handler defers formatting metadata to the lines it writes; what it writes is
/// swift-log's own format.
@Suite struct GatewayLogHandlerTests {
    /// Lines written, kept in memory.
    final class Lines: TextOutputStream, Sendable {
        private let text = Mutex("")
        func write(_ string: String) { text.withLock { $0 += string } }
        /// The lines without their leading timestamps.
        var untimed: [String] { text.withLock { $0 }.split(separator: "\n").map { String($0.split(separator: " ", maxSplits: 1).last ?? "") } }
    }

    /// What a request's logger does: an id set as metadata, a line below the level, one above it.
    private func logRequest(_ logger: Logger) {
        var logger = logger
        logger[metadataKey: "hb.request.id"] = "7f3a"
        logger.debug("below the level")
        logger.warning("upstream slow", metadata: ["model": "a/cheap"])
    }

    @Test func linesCarryTheMetadataAsStreamLogHandlerWritesThem() {
        let ours = Lines(), reference = Lines()
        logRequest(Logger(label: "costwise.gateway") { GatewayLogHandler(label: $0, stream: ours, metadataProvider: nil) })
        logRequest(Logger(label: "costwise.gateway") { StreamLogHandler(label: $0, stream: reference, metadataProvider: nil) })
        #expect(ours.untimed.count == 1)
        #expect(ours.untimed == reference.untimed)
        #expect(ours.untimed.first?.contains("hb.request.id=7f3a") == true)
    }
}
