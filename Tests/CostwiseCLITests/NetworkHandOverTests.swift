import Foundation
import Testing

/// `costwise` links no networking stack: `serve` and the llm classifier run in `costwise-net`, which
/// must stand beside it (`ClassifyCommandTests` and `GatewayClientTests` go through the hand-over).
struct NetworkHandOverTests {
    /// A copy of `costwise` alone in a folder of the sandbox.
    func loneCopy(in cw: Sandbox) throws -> String {
        let folder = cw.path("lone")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let copy = folder + "/costwise"
        try FileManager.default.copyItem(atPath: CostwiseBinary.path, toPath: copy)
        return copy
    }

    @Test("without costwise-net beside it, serve and the llm classifier say what is missing; the rest works")
    func aLoneCostwiseNamesWhatIsMissing() throws {
        let cw = try Sandbox()
        let lone = try loneCopy(in: cw)

        let select = try cw.runRaw(["select", "--task", "classification", "--min-quality", "0.8", "--db", cw.db], binary: lone)
        #expect(select.status == 0, "\(select)")

        let serve = try cw.runRaw(["serve", "--port", "0", "--db", cw.db], binary: lone)
        #expect(serve.status == 1, "\(serve)")
        #expect(serve.stderr.contains("costwise-net") && serve.stderr.contains(cw.path("lone")), "\(serve)")

        let llm = try cw.runRaw(["classify", "summarize this", "--classifier", "llm", "--db", cw.db], binary: lone)
        #expect(llm.status == 1, "\(llm)")
        #expect(llm.stderr.contains("costwise-net"), "\(llm)")
        #expect(llm.stdout.isEmpty, "\(llm)")
    }
}
