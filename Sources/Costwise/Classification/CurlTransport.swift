import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// HTTP through the system's libcurl, loaded with `dlopen` on the first request.
///
/// Not linked: a `costwise` that links libcurl loads it and the TLS, LDAP and Kerberos libraries it
/// depends on at every start, which would slow down every command for the sake of one that rarely
/// runs. Nor Foundation's networking, which would link all of Foundation.
public struct CurlTransport: HTTPTransport {
    /// Answers larger than this are cut off as a failure: a chat completion naming a task type is tiny.
    static let maximumResponseBytes = 1 << 20

    public init() {}

    public func post(_ url: String, headers: [String], body: [UInt8], timeoutMs: Int) throws -> HTTPResponse {
        let curl = try CurlLibrary.shared.get()
        guard let handle = curl.easyInit() else { throw HTTPTransportError(.failed, "libcurl could not make a request handle") }
        defer { curl.easyCleanup(handle) }

        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl.slistFreeAll(headerList) }
        for header in headers { headerList = curl.slistAppend(headerList, header) }

        let response = ResponseBuffer()
        let responsePointer = Unmanaged.passRetained(response)
        defer { responsePointer.release() }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE))

        let code: CURLcode = url.withCString { urlPointer in
            body.withUnsafeBufferPointer { bodyPointer in
                errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
                    var options: [CURLcode] = [
                        curl.setLong(handle, CURLOPT_NOSIGNAL, 1),
                        curl.setPointer(handle, CURLOPT_URL, urlPointer),
                        curl.setLong(handle, CURLOPT_POST, 1),
                        curl.setPointer(handle, CURLOPT_POSTFIELDS, bodyPointer.baseAddress),
                        curl.setLong(handle, CURLOPT_POSTFIELDSIZE, body.count),
                        curl.setPointer(handle, CURLOPT_HTTPHEADER, headerList),
                        curl.setLong(handle, CURLOPT_TIMEOUT_MS, timeoutMs),
                        curl.setLong(handle, CURLOPT_CONNECTTIMEOUT_MS, timeoutMs),
                        curl.setPointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress),
                        curl.setPointer(handle, CURLOPT_WRITEDATA, responsePointer.toOpaque()),
                        curl.setWriteFunction(handle, ResponseBuffer.append),
                    ]
                    options.removeAll { $0 == CURLE_OK }
                    return options.first ?? curl.perform(handle)
                }
            }
        }
        guard code == CURLE_OK else {
            let message = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            if code == CURLE_OPERATION_TIMEDOUT {
                throw HTTPTransportError(.timeout, "timed out after \(timeoutMs) ms")
            }
            if response.overflowed {
                throw HTTPTransportError(.failed, "the answer is larger than \(Self.maximumResponseBytes) bytes")
            }
            throw HTTPTransportError(.failed, message.isEmpty ? "libcurl error \(code.rawValue)" : message)
        }
        return HTTPResponse(status: curl.responseCode(handle), body: response.bytes)
    }
}

/// Collects the body libcurl hands over in pieces.
private final class ResponseBuffer {
    var bytes: [UInt8] = []
    var overflowed = false

    /// libcurl's write callback: returning less than it was given makes it stop with an error.
    static let append: curl_write_callback = { data, size, count, context in
        guard let data, let context else { return 0 }
        let buffer = Unmanaged<ResponseBuffer>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        guard buffer.bytes.count + length <= CurlTransport.maximumResponseBytes else {
            buffer.overflowed = true
            return 0
        }
        data.withMemoryRebound(to: UInt8.self, capacity: length) { buffer.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: length)) }
        return length
    }
}

/// The libcurl functions Costwise calls, resolved once per process from the shared library.
///
/// `@unchecked Sendable`: it holds only function pointers into a library that stays loaded.
private final class CurlLibrary: @unchecked Sendable {
    static let shared: Result<CurlLibrary, HTTPTransportError> = {
        do throws(HTTPTransportError) {
            return .success(try CurlLibrary())
        } catch {
            return .failure(error)
        }
    }()

    private typealias EasyInit = @convention(c) () -> UnsafeMutableRawPointer?
    private typealias EasyHandleFunction = @convention(c) (UnsafeMutableRawPointer?) -> CURLcode
    private typealias EasyCleanup = @convention(c) (UnsafeMutableRawPointer?) -> Void
    private typealias SlistAppend = @convention(c) (UnsafeMutablePointer<curl_slist>?, UnsafePointer<CChar>?) -> UnsafeMutablePointer<curl_slist>?
    private typealias SlistFreeAll = @convention(c) (UnsafeMutablePointer<curl_slist>?) -> Void

    private let easyInitFunction: EasyInit
    private let easyPerformFunction: EasyHandleFunction
    private let easyCleanupFunction: EasyCleanup
    private let slistAppendFunction: SlistAppend
    private let slistFreeAllFunction: SlistFreeAll
    private let setopt: UnsafeMutableRawPointer
    private let getinfo: UnsafeMutableRawPointer

    private init() throws(HTTPTransportError) {
        #if canImport(Darwin)
        let names = ["libcurl.4.dylib", "libcurl.dylib"]
        #else
        let names = ["libcurl.so.4", "libcurl.so"]
        #endif
        guard let library = names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else {
            throw HTTPTransportError(.failed, "libcurl is not installed (apt-get install libcurl4)")
        }
        func symbol(_ name: String) throws(HTTPTransportError) -> UnsafeMutableRawPointer {
            guard let address = dlsym(library, name) else { throw HTTPTransportError(.failed, "libcurl has no \(name)") }
            return address
        }
        easyInitFunction = unsafeBitCast(try symbol("curl_easy_init"), to: EasyInit.self)
        easyPerformFunction = unsafeBitCast(try symbol("curl_easy_perform"), to: EasyHandleFunction.self)
        easyCleanupFunction = unsafeBitCast(try symbol("curl_easy_cleanup"), to: EasyCleanup.self)
        slistAppendFunction = unsafeBitCast(try symbol("curl_slist_append"), to: SlistAppend.self)
        slistFreeAllFunction = unsafeBitCast(try symbol("curl_slist_free_all"), to: SlistFreeAll.self)
        setopt = try symbol("curl_easy_setopt")
        getinfo = try symbol("curl_easy_getinfo")
    }

    func easyInit() -> UnsafeMutableRawPointer? { easyInitFunction() }
    func perform(_ handle: UnsafeMutableRawPointer) -> CURLcode { easyPerformFunction(handle) }
    func easyCleanup(_ handle: UnsafeMutableRawPointer) { easyCleanupFunction(handle) }
    func slistAppend(_ list: UnsafeMutablePointer<curl_slist>?, _ text: String) -> UnsafeMutablePointer<curl_slist>? {
        slistAppendFunction(list, text)
    }
    func slistFreeAll(_ list: UnsafeMutablePointer<curl_slist>?) { slistFreeAllFunction(list) }

    func setLong(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: Int) -> CURLcode {
        costwise_curl_setopt_long(setopt, handle, option, value)
    }
    func setPointer(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ value: UnsafeRawPointer?) -> CURLcode {
        costwise_curl_setopt_pointer(setopt, handle, option, value)
    }
    func setWriteFunction(_ handle: UnsafeMutableRawPointer, _ callback: curl_write_callback) -> CURLcode {
        costwise_curl_setopt_write_function(setopt, handle, callback)
    }
    func responseCode(_ handle: UnsafeMutableRawPointer) -> Int {
        var code = 0
        _ = costwise_curl_getinfo_long(getinfo, handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }
}
