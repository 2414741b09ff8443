import FundSimModel
import FundSimEngine
import FundSimReport
import FundSimWriters

/// The terminal summary of one projected scenario.
public func summary(_ scenario: Scenario, _ p: Projection) -> String {
    TerminalSummary.render(scenario, p)
}
