import NIOCore

/// Who may see the dashboard: it shows spend, models and requests, so a gateway reachable from
/// other machines must not show it to them. While no API key exists, only clients on this machine
/// may: loopback addresses and Unix domain sockets. A client whose address is unknown may not.
enum DashboardAccess {
    static func allows(_ address: SocketAddress?) -> Bool {
        switch address {
        case .v4(let address):
            // 127.0.0.0/8, in network byte order.
            return UInt32(bigEndian: address.address.sin_addr.s_addr) >> 24 == 127
        case .v6(let address):
            let bytes = withUnsafeBytes(of: address.address.sin6_addr) { Array($0) }
            let loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]
            // ::1, or an IPv4 loopback address mapped into IPv6 (::ffff:127.x.y.z).
            return bytes == loopback || (bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff && bytes[12] == 127)
        case .unixDomainSocket:
            return true
        case nil:
            return false
        }
    }
}
