/// When a conditional format applies to a cell; see ``Worksheet/conditionalFormat(firstRow:firstCol:lastRow:lastCol:when:_:)``.
public enum ConditionalRule: Hashable, Sendable {
    /// The cell's value equals this number.
    case equalTo(Double)
    /// The cell's value differs from this number.
    case notEqualTo(Double)
    /// A formula (leading `=`, US syntax) is true; relative references move with each cell of the range
    /// from its top-left cell.
    case formula(String)
}
