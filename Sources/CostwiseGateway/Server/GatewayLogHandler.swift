import Logging

/// The log handler of the process that serves: swift-log's `StreamLogHandler` lines on standard
/// error, with metadata formatted only when a line is written.
///
/// `StreamLogHandler` formats all of its metadata again whenever any of it is set, and Hummingbird
/// sets a request id on every request's logger: 2% of a chat completion's CPU time went to
/// formatting ids no line ever printed. This handler keeps the metadata as it is set and hands it,
/// with the line, to a `StreamLogHandler` made for that line, so the output is the same.
public struct GatewayLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let label: String
    /// Where lines go; standard error when nil.
    private let stream: (any TextOutputStream & Sendable)?

    /// A handler for the logger labelled `label`, writing to `stream` (standard error unless given).
    public init(label: String, stream: (any TextOutputStream & Sendable)? = nil,
                metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.stream = stream
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = if let stream {
            StreamLogHandler(label: label, stream: stream, metadataProvider: metadataProvider)
        } else {
            StreamLogHandler.standardError(label: label, metadataProvider: metadataProvider)
        }
        line.logLevel = logLevel
        line.metadata = metadata
        line.log(event: event)
    }

    /// Makes this the handler of every logger the process creates from now on.
    public static func bootstrap() {
        LoggingSystem.bootstrap { GatewayLogHandler(label: $0) }
    }
}
