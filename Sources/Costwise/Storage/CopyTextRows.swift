/// Rows in PostgreSQL's COPY text format, built byte by byte: each value followed by a tab, each row
/// ended by a newline, NULL as `\N`, and in text the backslash, tab, newline and carriage return
/// escaped with a backslash. Numbers are written as PostgreSQL reads them back exactly: integers in
/// decimal, doubles in Swift's shortest form that round-trips, NaN as NULL (as ``Statement`` binds it).
struct CopyTextRows {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    mutating func append(text: ArraySlice<UInt8>) {
        for byte in text {
            switch byte {
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\t"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case UInt8(ascii: "\n"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\t"))
    }

    mutating func append(_ value: Int64?) {
        guard let value else { return appendNull() }
        // Digits from the last, into a small buffer: no String per number.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var magnitude = value.magnitude
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(contentsOf: buffer[(24 - count)...])
        }
        bytes.append(UInt8(ascii: "\t"))
    }

    mutating func append(_ value: Double?) {
        guard let value, !value.isNaN else { return appendNull() }
        if value.isInfinite {
            bytes.append(contentsOf: (value < 0 ? "-Infinity" : "Infinity").utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
        bytes.append(UInt8(ascii: "\t"))
    }

    private mutating func appendNull() {
        bytes += [UInt8(ascii: "\\"), UInt8(ascii: "N"), UInt8(ascii: "\t")]
    }

    /// Ends the row: its last value's tab becomes the newline.
    mutating func endRow() {
        bytes[bytes.count - 1] = UInt8(ascii: "\n")
    }
}
