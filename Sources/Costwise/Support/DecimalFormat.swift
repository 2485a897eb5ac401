/// Formats numbers in plain decimal notation, as the shortest text that reads back as the same
/// `Double`: `0.15` stays `0.15` (never `0.15000000000000002` or `1.5e-07`), `10` prints as `10`.
public enum DecimalFormat {
    public static func string(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        if value == 0 { return "0" }
        // The shortest text that reads back as `value`: `0.15`, `2.0`, `2.5e-05`. The gateway
        // prints a cost or two with every answer, so this reads its bytes, not its Characters.
        let shortest = value.description
        let utf8 = shortest.utf8
        guard let exponentIndex = utf8.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else {
            return utf8.count > 2 && utf8.last == UInt8(ascii: "0") && utf8.dropLast().last == UInt8(ascii: ".")
                ? String(shortest.dropLast(2)) : shortest
        }
        var exponent = 0
        var exponentSign = 1
        for byte in utf8[utf8.index(after: exponentIndex)...] {
            switch byte {
            case UInt8(ascii: "-"): exponentSign = -1
            case UInt8(ascii: "0")...UInt8(ascii: "9"): exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
            default: break
            }
        }
        return expand(mantissa: utf8[..<exponentIndex], exponent: exponentSign * exponent)
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

    /// `mantissa` × 10^`exponent` in plain decimal notation; `mantissa` is `-1.5` or `2`.
    private static func expand(mantissa: Substring.UTF8View, exponent: Int) -> String {
        let zero = UInt8(ascii: "0")
        var negative = false
        var digits: [UInt8] = []
        digits.reserveCapacity(mantissa.count)
        var integerDigits = 0
        var seenPoint = false
        for byte in mantissa {
            switch byte {
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "."): seenPoint = true
            default:
                digits.append(byte)
                if !seenPoint { integerDigits += 1 }
            }
        }
        // `2.0e-05` has no fraction to print.
        if digits.count == integerDigits + 1, digits.last == zero { digits.removeLast() }
        let pointPosition = integerDigits + exponent
        var text: [UInt8] = []
        text.reserveCapacity(digits.count + abs(pointPosition) + 3)
        if negative { text.append(UInt8(ascii: "-")) }
        if pointPosition <= 0 {
            text += [zero, UInt8(ascii: ".")]
            text += repeatElement(zero, count: -pointPosition)
            text += digits
        } else if pointPosition >= digits.count {
            text += digits
            text += repeatElement(zero, count: pointPosition - digits.count)
        } else {
            text += digits[..<pointPosition]
            text.append(UInt8(ascii: "."))
            text += digits[pointPosition...]
        }
        return String(decoding: text, as: UTF8.self)
    }
}
