import Foundation
import CellReferences
import FundSimModel
import FundSimEngine

/// The Sources sheet: every quote with its document and line, and every assumption.
extension WorkbookBuilder {
    func writeSources() -> ReportSheet {
        var sheet = ReportSheet(name: labels.sources)
        sheet.set(0, 0, .text(labels[.whereFiguresComeFrom]), .title)
        sheet.set(1, 0, .text(labels[.everyQuoteWasCheckedOccurs]), .subtitle)
        let h = 3
        for (c, t) in [labels[.no], labels[.quote], labels[.document], labels[.line], labels[.usedBy]].enumerated() {
            sheet.set(h, c, .text(t), .header)
        }
        var usedBy: [Int: [String]] = [:]
        for row in model.rows {
            for p in row.provenance {
                if case .cite(var c) = p { c.location = nil; if let n = citationNumber[c] { usedBy[n, default: []].append(row.id) } }
            }
        }
        for ch in model.checks {
            for p in ch.provenance { if case .cite(var c) = p { c.location = nil; if let n = citationNumber[c] { usedBy[n, default: []].append("check " + ch.id) } } }
        }
        for c in model.commitments {
            for p in c.provenance { if case .cite(var x) = p { x.location = nil; if let n = citationNumber[x] { usedBy[n, default: []].append(c.id) } } }
        }
        for (k, c) in citations.enumerated() {
            let r = h + 1 + k
            sheet.set(r, 0, .number(Double(k + 1)), .count)
            sheet.set(r, 1, .text(c.quote), .text)
            sheet.set(r, 2, .text(c.document), .note)
            sheet.set(r, 3, .number(Double(c.line)), .count)
            sheet.set(r, 4, .text((usedBy[k + 1] ?? []).joined(separator: ", ")), .note)
        }
        var r = h + citations.count + 3
        sheet.set(r, 0, .text(labels[.assumptions]), .labelBold)
        r += 1
        for row in model.rows {
            for p in row.provenance {
                if case .assumption(let s, _) = p {
                    sheet.set(r, 1, .text(s), .text)
                    sheet.set(r, 4, .text(row.id), .note)
                    r += 1
                }
            }
        }
        sheet.columnWidths = [(0, 0, 6), (1, 1, 90), (2, 2, 32), (3, 3, 6), (4, 4, 40)]
        sheet.freeze = (h + 1, 0)
        sheet.printTitleRows = h...h
        return sheet
    }
}
