import Foundation
import FundSimModel

/// The commented starter scenario `fundsim new` writes.
public enum Starter {
    /// The starter text; the schema comment points at docs/scenario.schema.json when a FundSim project is above `path`.
    public static func text(for path: String) -> String {
        var schema = ""
        if let rel = schemaPath(from: path) { schema = "# yaml-language-server: $schema=\(rel)\n" }
        return schema + body
    }

    static func schemaPath(from path: String) -> String? {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        var probe = dir
        var ups = 0
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: probe.appendingPathComponent("docs/scenario.schema.json").path) {
                return String(repeating: "../", count: ups) + "docs/scenario.schema.json"
            }
            probe = probe.deletingLastPathComponent()
            ups += 1
        }
        return nil
    }

    static let body = """
# A FundSim scenario: what a commitment costs year by year, who pays, and whether the budget covers it.
# Reference: docs/scenario-format.md. Run it with `fundsim run THIS_FILE`.
fundsim: 1
title: 示例市 基層黨建經費承諾 2016–2020
region: 示例市
years: 2016-2020          # the projection years (columns of the workbook)
unit: 萬元                 # reports show money in 元, 萬元 or 億元
language: zh-Hans          # zh-Hans, zh-Hant or en

# Every figure needs provenance: `cite:` with the exact words of a document in seeds/
# (FundSim checks that the quote is there), or `assumption:` with your reason.
inputs:
  村數:
    value: 500
    assumption: 示例:全市行政村數,請用台賬數字替換
  村主職人數:
    expr: 村數 * 2        # an expression of other inputs
  村主職報酬:
    path: {from: 3.0萬, start: 2015, to: 4.2萬, by: 2017}   # from 3.0萬 in the base year 2015 to 4.2萬 by 2017, linear
    assumption: 示例:基年報酬3.0萬元,2017年達到4.2萬元
    # cite: 確保村主職、副職工作報酬分別達到4.2萬元/年   # a quote from seeds/ would go here

sources:                   # who pays; an envelope is the budget announced for it
  市財政:
    title: 市級財政
    envelope: {value: 2000萬, assumption: 示例:市財政每年安排2000萬元}
  縣級財政:
    title: 縣級財政

commitments:
  - id: principal_pay
    title: 村主職干部報酬
    kind: cadre_pay         # \(CommitmentKindSpec.all.map(\.key).joined(separator: ", "))
    headcount: 村主職人數
    pay: 村主職報酬
    funding: {市財政: 50%, 縣級財政: rest, assumption: 示例:市縣各半}
  - id: centres
    title: 新建黨員群眾服務中心
    kind: construction
    target: {stock: 100, by: 2018, assumption: 示例:2018年前建成100個}
    unit_cost: {value: 20萬, assumption: 示例:每個中心造價20萬元}
    award: {per_unit: 10萬, source: 市財政, assumption: 示例:每個中心以獎代補10萬元}
    funding: 縣級財政        # the rest of the unit cost
  - id: village_funds
    title: 村級運轉經費
    kind: operating_fund
    count: 村數
    rate: {value: 2萬, assumption: 示例:每村每年2萬元}
    funding: 市財政

checks:
  - id: pay_target
    title: 村主職報酬2017年起不低於4.2萬元
    assert: principal_pay.pay >= 4.2萬
    from: 2017
    assumption: 示例目標
"""
}
