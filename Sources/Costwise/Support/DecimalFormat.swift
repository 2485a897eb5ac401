/// Formats numbers in plain decimal notation, as the shortest text that reads back as the same
/// `Double`: `0.15` stays `0.15` (never `0.15000000000000002` or `1.5e-07`), `10` prints as `10`.
public enum DecimalFormat {
    public static func string(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        if value == 0 { return "0" }
        // The shortest text that reads back as `value`, in ASCII bytes: `0.15`, `2.0`, `2.5e-05`.
        // The gateway prints a cost or two with every answer, so this stays on bytes, not Characters.
        let shortest = Array(value.description.utf8)
        guard let exponentIndex = shortest.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else {
            let plain = shortest.count > 2 && shortest[shortest.count - 2] == UInt8(ascii: ".") && shortest.last == UInt8(ascii: "0")
                ? shortest.dropLast(2) : shortest[...]
            return String(decoding: plain, as: UTF8.self)
        }
        let exponent = Int(String(decoding: shortest[(exponentIndex + 1)...], as: UTF8.self)) ?? 0
        return expand(mantissa: shortest[..<exponentIndex], exponent: exponent)
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
    private static func expand(mantissa: ArraySlice<UInt8>, exponent: Int) -> String {
        let zero = UInt8(ascii: "0")
        let negative = mantissa.first == UInt8(ascii: "-")
        let unsigned = negative ? mantissa.dropFirst() : mantissa
        let point = unsigned.firstIndex(of: UInt8(ascii: "."))
        let integerDigits = point.map { unsigned[..<$0] } ?? unsigned
        var fraction = point.map { unsigned[($0 + 1)...] } ?? []
        if fraction.elementsEqual([zero]) { fraction = [] }
        let allDigits = Array(integerDigits) + Array(fraction)
        let pointPosition = integerDigits.count + exponent
        var text: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        if pointPosition <= 0 {
            text += [zero, UInt8(ascii: ".")] + repeatElement(zero, count: -pointPosition) + allDigits
        } else if pointPosition >= allDigits.count {
            text += allDigits + repeatElement(zero, count: pointPosition - allDigits.count)
        } else {
            text += allDigits[..<pointPosition] + [UInt8(ascii: ".")] + allDigits[pointPosition...]
        }
        return String(decoding: text, as: UTF8.self)
    }
}
