extension SQLiteStore {
    /// The dashboard's figures as the store holds them at `now`.
    ///
    /// Spend comes from the per-day sums the store keeps beside the requests (table `gateway_daily`),
    /// so reading it costs a row per day and task type however many requests there are; the latest
    /// requests come from the index by time. The task lines select as the gateway would for a
    /// request that names nothing but its task type. Revoked keys are left out: they spend no more.
    ///
    /// - Parameters:
    ///   - days: how many UTC days the chart covers, ending with the day of `now`.
    ///   - latest: how many of the latest requests to list.
    ///   - defaultMinQuality: the threshold of task types without one of their own (the gateway's
    ///     `default_min_quality`).
    ///   - providers: the providers the gateway reaches; empty for all.
    ///   - review: the review to show; nil reviews the store now, as `costwise review` does with its
    ///     defaults. A review reads every evaluation result, so a server that shows the page often may
    ///     keep one for a while and pass it in.
    public func dashboard(now: Double = RFC3339.now, days: Int = 30, latest: Int = 20,
                          defaultMinQuality: Double = Review.fallbackThreshold, providers: [String] = [],
                          review: Review? = nil) throws -> Dashboard {
        let today = Int((now / Dashboard.secondsPerDay).rounded(.down))
        let firstDay = today - max(1, days) + 1
        let sums = try read { database in
            let statement = try database.statement("""
                SELECT day, task, requests, priced_requests, spend_usd, premium_usd FROM gateway_daily WHERE requests > 0
                """)
            var byDay: [Int: Dashboard.Spend] = [:]
            var byTask: [String: Dashboard.Spend] = [:]
            while try statement.step() {
                let spend = Dashboard.Spend(requests: statement.int(2), pricedRequests: statement.int(3),
                                            spendUSD: statement.double(4), allPremiumUSD: statement.double(5))
                let day = statement.int(0)
                if day >= firstDay && day <= today { byDay[day] = (byDay[day] ?? .zero) + spend }
                byTask[statement.string(1)] = (byTask[statement.string(1)] ?? .zero) + spend
            }
            return (byDay: byDay, byTask: byTask)
        }
        let requests = try self.requests(limit: latest)
        let snapshot = try snapshot()
        let tasks = try snapshot.taskTypes.sorted { $0.name < $1.name }.map { task in
            let threshold = task.minQuality ?? defaultMinQuality
            let selection = try snapshot.select(SelectionRequest(task: task.name, minQuality: threshold, providers: providers))
            return Dashboard.TaskLine(task: task.name, threshold: threshold, thresholdIsDefault: task.minQuality == nil,
                                      chosen: selection.chosen, failureReason: selection.failureReason,
                                      spend: sums.byTask[task.name] ?? .zero)
        }
        let review = try review ?? Review(store: self, halfLifeDays: Review.defaultHalfLifeDays, windowDays: Review.defaultWindowDays, now: now)
        return Dashboard(
            at: now,
            days: (firstDay...today).map { Dashboard.Day(day: $0, spend: sums.byDay[$0] ?? .zero) },
            total: sums.byTask.values.reduce(.zero, +),
            namedModels: sums.byTask[""] ?? .zero,
            tasks: tasks,
            latest: requests.reversed(),
            review: review.findings,
            keys: try keyUsage(at: now).filter { !$0.key.isRevoked }.map(KeyBudgetUse.init))
    }
}
