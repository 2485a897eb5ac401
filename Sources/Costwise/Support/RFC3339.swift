import FoundationEssentials

/// RFC 3339 timestamps (`2026-11-29T12:00:00Z`, with optional fractional seconds and offset).
public enum RFC3339 {
    /// Seconds since 1970-01-01 UTC, or nil when `text` is not an RFC 3339 time.
    public static func seconds(from text: String) -> Double? {
        let normalized = text.replacing(" ", with: "T", maxReplacements: 1)
        for style in [Date.ISO8601FormatStyle(), Date.ISO8601FormatStyle(includingFractionalSeconds: true)] {
            if let date = try? style.parse(normalized) { return date.timeIntervalSince1970 }
        }
        return nil
    }

    /// Seconds since 1970-01-01 UTC of an RFC 3339 time, or of a date such as `2026-11-01` (its
    /// midnight UTC); nil when `text` is neither.
    public static func seconds(fromDateOrTime text: String) -> Double? {
        seconds(from: text) ?? seconds(from: text + "T00:00:00Z")
    }

    /// The time as `2026-11-29T12:00:00Z`.
    public static func string(fromSeconds seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle())
    }

    /// The current time in seconds since 1970-01-01 UTC.
    public static var now: Double { Date().timeIntervalSince1970 }
}
