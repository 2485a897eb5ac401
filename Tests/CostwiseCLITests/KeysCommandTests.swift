import Foundation
import Testing

/// `costwise keys`: tokens shown once, kept only as a hash, listed with budgets and revoked.
@Suite struct KeysCommandTests {
    @Test func createPrintsTheTokenOnceAndTheStoreKeepsOnlyItsHash() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        let created = try cw.run("keys", "create", "alice", "--budget-usd", "5", "--period", "month", "--rpm", "60", "--tpm", "100000",
                                 "--scopes", "chat,admin", "--json")
        try expectSuccess(created)
        let object = try created.jsonObject()
        #expect(object.keys.sorted() == ["name", "token"])
        #expect(object["name"] as? String == "alice")
        let token = try #require(object["token"] as? String)
        #expect(token.hasPrefix("cwk_") && token.count == 68)
        #expect(token.dropFirst(4).allSatisfy { $0.isHexDigit })

        let listed = try cw.run("keys", "list", "--json")
        try expectSuccess(listed)
        #expect(!listed.stdout.contains(token))
        let key = try #require(try listed.jsonArray().first)
        #expect(key["name"] as? String == "alice")
        #expect(key["prefix"] as? String == String(token.prefix(12)))
        #expect(key["scopes"] as? [String] == ["chat", "admin"])
        #expect(number(key["budget_usd"]) == 5 && key["period"] as? String == "month")
        #expect(number(key["spent_usd"]) == 0 && number(key["reserved_usd"]) == 0 && number(key["remaining_usd"]) == 5)
        #expect(number(key["rpm"]) == 60 && number(key["tpm"]) == 100_000)
        #expect(isNull(key["revoked_at"]) && key["created_at"] is String)

        var stored = Data()
        for suffix in ["", "-wal"] { stored += (try? Data(contentsOf: URL(fileURLWithPath: cw.db + suffix))) ?? Data() }
        #expect(!String(decoding: stored, as: UTF8.self).contains(String(token.dropFirst(12))))

        let second = try cw.run("keys", "create", "bob")
        try expectSuccess(second)
        #expect(second.stdout.contains("created key bob (chat,feedback; no budget)"))
        #expect(second.lines.last?.hasPrefix("token (shown only now; send it as Authorization: Bearer): cwk_") == true)
    }

    @Test func revokedKeysStayListedAsRevoked() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try expectSuccess(cw.run("keys", "create", "ci", "--budget-usd", "0.25"))
        let revoked = try cw.run("keys", "revoke", "ci")
        try expectSuccess(revoked)
        #expect(revoked.stdout == "revoked key ci\n")
        let key = try #require(try cw.run("keys", "list", "--json").jsonArray().first)
        #expect(key["revoked_at"] is String)
        let table = try cw.run("keys", "list")
        #expect(table.lines.first?.hasPrefix("name  prefix") == true)
        #expect(table.lines.count == 2 && table.lines[1].hasPrefix("ci "))
    }

    @Test func badInputIsRefusedAndChangesNothing() throws {
        let cw = try Sandbox()
        try cw.initEmpty()
        try expectSuccess(cw.run("keys", "create", "alice"))
        let duplicate = try cw.run("keys", "create", "alice")
        #expect(duplicate.status == 1 && duplicate.stderr.contains("exists already"))
        let scope = try cw.run("keys", "create", "carol", "--scopes", "chat,root")
        #expect(scope.status == 1 && scope.stderr.contains("unknown scope 'root'"), "\(scope)")
        let period = try cw.run("keys", "create", "carol", "--period", "week")
        #expect(period.status == 1 && period.stderr.contains("the periods are day, month and total"))
        let budget = try cw.run("keys", "create", "carol", "--budget-usd=-1")
        #expect(budget.status == 1 && budget.stderr.contains("budget"))
        let unknown = try cw.run("keys", "revoke", "nobody")
        #expect(unknown.status == 1 && unknown.stderr.contains("no key named 'nobody'"))
        #expect(try cw.run("keys", "list", "--json").jsonArray().map { $0["name"] as? String } == ["alice"])
    }
}
