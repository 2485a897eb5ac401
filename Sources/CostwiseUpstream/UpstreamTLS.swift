import NIOSSL
import Synchronization

/// The TLS settings of https upstreams: the system's trust roots, and the certificate's name checked
/// against the host. Made on first use, since loading the trust roots takes milliseconds that an
/// http-only gateway need not spend.
final class UpstreamTLS: Sendable {
    private let made = Mutex<NIOSSLContext?>(nil)

    func context() throws -> NIOSSLContext {
        try made.withLock { made in
            if let made { return made }
            let context = try NIOSSLContext(configuration: .makeClientConfiguration())
            made = context
            return context
        }
    }
}
