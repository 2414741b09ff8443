import FundSimModel

extension CompareBuilder {
    /// What a comparison calls each scenario: its title, as the reader knows it; its file name (slug) when it
    /// has no title or shares its title with another scenario of the comparison.
    public var scenarioNames: [String] {
        let titles = items.map { $0.scenario.title.trimmingCharacters(in: .whitespaces) }
        return items.indices.map { k in
            let t = titles[k]
            return t.isEmpty || titles.filter({ $0 == t }).count > 1 ? items[k].scenario.slug : t
        }
    }
}
