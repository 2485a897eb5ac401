/// Formats numbers in plain decimal notation, as the shortest text that reads back as the same
/// `Double`: `0.15` stays `0.15` (never `0.15000000000000002` or `1.5e-07`), `10` prints as `10`.
public enum DecimalFormat {
    public static func string(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        if value == 0 { return "0" }
        let shortest = "\(value)"
        guard let exponentIndex = shortest.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return shortest.hasSuffix(".0") ? String(shortest.dropLast(2)) : shortest
        }
        return expand(mantissa: shortest[..<exponentIndex], exponent: Int(shortest[shortest.index(after: exponentIndex)...]) ?? 0)
    }

    /// The value rounded to `places` decimals first, for figures meant for reading.
    public static func string(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return string((value * scale).rounded() / scale)
    }

    /// The value of a plain decimal such as `0.75`, `-12` or `3.` (no exponent, at most 15 digits),
    /// read without the C library: the digits make an exact integer and a power of ten divides it,
    /// which rounds exactly as `Double(text)` does. Nil for anything else, which `Double(text)` reads.
    static func parsePlain(_ text: String) -> Double? {
        var mantissa = 0
        var digits = 0
        var fractionDigits = 0
        var seenPoint = false
        var negative = false
        var index = 0
        for byte in text.utf8 {
            defer { index += 1 }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                if digits > 15 { return nil }
                mantissa = mantissa * 10 + Int(byte - UInt8(ascii: "0"))
                if seenPoint { fractionDigits += 1 }
            case UInt8(ascii: "."):
                if seenPoint { return nil }
                seenPoint = true
            case UInt8(ascii: "-") where index == 0:
                negative = true
            default:
                return nil
            }
        }
        guard digits > 0 else { return nil }
        let value = Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...15).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    private static func expand(mantissa: Substring, exponent: Int) -> String {
        var digits = mantissa
        let negative = digits.first == "-"
        if negative { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        let integerDigits = String(parts[0])
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        if fraction == "0" { fraction = "" }
        let allDigits = integerDigits + fraction
        let pointPosition = integerDigits.count + exponent
        var text: String
        if pointPosition <= 0 {
            text = "0." + String(repeating: "0", count: -pointPosition) + allDigits
        } else if pointPosition >= allDigits.count {
            text = allDigits + String(repeating: "0", count: pointPosition - allDigits.count)
        } else {
            let index = allDigits.index(allDigits.startIndex, offsetBy: pointPosition)
            text = allDigits[..<index] + "." + allDigits[index...]
        }
        return negative ? "-" + text : text
    }
}
