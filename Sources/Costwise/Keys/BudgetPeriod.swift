/// How often a key's budget starts afresh: each UTC day, each UTC calendar month, or never.
///
/// Spend is kept per period (the period's start identifies it), so a new period starts at zero
/// without anything having to run at midnight; a reservation counts against the period in which
/// it was made, even when it is settled after the period has turned.
public enum BudgetPeriod: String, Sendable, Hashable, CaseIterable {
    case day
    case month
    case total

    /// What a key gets when no period is named: the budget is a total that never starts afresh,
    /// so that a budget never grows back unless asked to.
    public static let `default` = BudgetPeriod.total

    /// The start of the period holding `seconds` (since 1970-01-01 UTC); 0 for ``total``.
    public func start(containing seconds: Double) -> Double {
        let day = (seconds / 86_400).rounded(.down)
        switch self {
        case .total:
            return 0
        case .day:
            return day * 86_400
        case .month:
            let (year, month, _) = Self.civilDate(daysSinceEpoch: Int(day))
            return Double(Self.daysSinceEpoch(year: year, month: month, day: 1)) * 86_400
        }
    }

    /// The start of the period after the one holding `seconds`; nil for ``total``.
    public func end(containing seconds: Double) -> Double? {
        switch self {
        case .total:
            return nil
        case .day:
            return start(containing: seconds) + 86_400
        case .month:
            let (year, month, _) = Self.civilDate(daysSinceEpoch: Int((seconds / 86_400).rounded(.down)))
            let next = month == 12 ? (year + 1, 1) : (year, month + 1)
            return Double(Self.daysSinceEpoch(year: next.0, month: next.1, day: 1)) * 86_400
        }
    }

    /// The proleptic Gregorian date of a day counted from 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civilDate(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
