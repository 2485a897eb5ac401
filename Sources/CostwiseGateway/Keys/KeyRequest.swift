import Costwise

/// The body of `POST /v1/keys`: the options of `costwise keys create`.
struct KeyRequest: Decodable {
    var name: String
    var budgetUSD: Double?
    var period: String?
    var rpm: Int?
    var tpm: Int?
    var scopes: [String]?

    enum CodingKeys: String, CodingKey {
        case name, period, rpm, tpm, scopes
        case budgetUSD = "budget_usd"
    }

    func spec() throws -> KeySpec {
        var spec = KeySpec(name: name, budgetUSD: budgetUSD, requestsPerMinute: rpm, tokensPerMinute: tpm)
        if let period {
            guard let parsed = BudgetPeriod(rawValue: period) else {
                throw InputError(field: "period", "unknown period '\(period)'; the periods are day, month and total")
            }
            spec.period = parsed
        }
        if let scopes { spec.scopes = try KeyScope.parseList(scopes.joined(separator: ",")) }
        try spec.validate()
        return spec
    }
}
