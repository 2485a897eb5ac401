#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two Zstandard functions the `.eval` importer needs, from the system's shared library
/// (`libzstd.so.1`), loaded with `dlopen` when the first compressed member is read.
///
/// Not linked: linking needs the library's headers and link name (libzstd-dev), which a machine with
/// only the runtime library lacks, and every `costwise` start would pay for loading it, also the
/// commands that never read a `.eval` archive.
///
/// `@unchecked Sendable`: it holds only function pointers into a library that stays loaded.
final class ZstdLibrary: @unchecked Sendable {
    #if canImport(Darwin)
    static let fileName = "libzstd.1.dylib"
    #else
    static let fileName = "libzstd.so.1"
    #endif

    /// The library, loaded on first use and kept for the process; or why it could not be loaded.
    static let shared: Result<ZstdLibrary, LoadError> = {
        do throws(LoadError) {
            return .success(try ZstdLibrary())
        } catch {
            return .failure(error)
        }
    }()

    /// Why the library could not be used, naming its file.
    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    private typealias Decompress = @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeRawPointer?, Int) -> Int
    private typealias IsError = @convention(c) (Int) -> UInt32

    private let decompressFunction: Decompress
    private let isErrorFunction: IsError

    private init() throws(LoadError) {
        guard let library = dlopen(Self.fileName, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            throw LoadError(description: "reading Zstandard needs the shared library \(Self.fileName) (Debian and Ubuntu: "
                + "apt-get install libzstd1), which could not be loaded: \(reason)")
        }
        func symbol(_ name: String) throws(LoadError) -> UnsafeMutableRawPointer {
            guard let address = dlsym(library, name) else {
                throw LoadError(description: "the shared library \(Self.fileName) has no function \(name)")
            }
            return address
        }
        decompressFunction = unsafeBitCast(try symbol("ZSTD_decompress"), to: Decompress.self)
        isErrorFunction = unsafeBitCast(try symbol("ZSTD_isError"), to: IsError.self)
    }

    /// Decompresses the whole frame `input` into `output`: the number of bytes written, or nil when
    /// the input is not a valid frame or does not fit.
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        let written = decompressFunction(output.baseAddress, output.count, input.baseAddress, input.count)
        return isErrorFunction(written) == 0 ? written : nil
    }
}
