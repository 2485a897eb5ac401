extension SelectionRequest {
    /// What a request asks beyond its task type, threshold and fewest samples: each limit it sets,
    /// its own token counts, a confidence level, an explanation. Every search path declares the
    /// demands it answers exactly (``SearchPath/answers``) and declines a request with any other,
    /// so a limit a path does not know sends the request to a path that does.
    public struct Demands: OptionSet, Sendable, Hashable {
        public let rawValue: UInt16

        public init(rawValue: UInt16) {
            self.rawValue = rawValue
        }

        public static let providers = Demands(rawValue: 1 << 0)
        public static let excludedModels = Demands(rawValue: 1 << 1)
        public static let maxCost = Demands(rawValue: 1 << 2)
        public static let maxLatency = Demands(rawValue: 1 << 3)
        /// A confidence level: the threshold applies to a lower bound instead of the mean.
        public static let confidence = Demands(rawValue: 1 << 4)
        /// Its own input or output tokens (and so the models' output limits).
        public static let requestTokens = Demands(rawValue: 1 << 5)
        public static let capabilities = Demands(rawValue: 1 << 6)
        /// Every candidate judged, in order.
        public static let explanation = Demands(rawValue: 1 << 7)
    }

    /// The demands this request makes.
    public var demands: Demands {
        var demands: Demands = []
        if !providers.isEmpty { demands.insert(.providers) }
        if !excludedModels.isEmpty { demands.insert(.excludedModels) }
        if maxCostUSD != nil { demands.insert(.maxCost) }
        if maxLatencyMs != nil { demands.insert(.maxLatency) }
        if confidence != nil { demands.insert(.confidence) }
        if inputTokens != nil || outputTokens != nil { demands.insert(.requestTokens) }
        if !requiredCapabilities.isEmpty { demands.insert(.capabilities) }
        if explain { demands.insert(.explanation) }
        return demands
    }
}
