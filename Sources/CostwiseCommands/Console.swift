#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Costwise

/// Where commands write: results to standard output, diagnostics to standard error.
enum Console {
    static func print(_ text: String) {
        Swift.print(text)
    }

    static func printJSON(_ value: JSONValue) {
        Swift.print(value.text())
    }

    static func error(_ text: String) {
        let line = "costwise: " + text + "\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }
}
