#!/usr/bin/env python3
"""Large and hostile scenarios for `make bench` (issue 19): validation and runs must stay linear.

    hostile.py DIR   writes into DIR:
      commitments.yaml  12,000 commitments (about 1.3 MB)
      checks.yaml       38,000 checks over one input
      aliases.yaml      a 1,000,000-character anchored scalar aliased 20,000 times (refused quickly)
      rows.yaml         a scenario naming rows.csv, a roster of 5,000,000 rows (over the 2,000,000 limit:
                        refused with one error, reading stopped at the limit)
"""
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
head = "title: 大量承諾\nyears: 2016-2020\nsources:\n  市財政: {}\ninputs:\n  x: {value: 100, assumption: 基準}\n"

with open(os.path.join(out, "commitments.yaml"), "w", encoding="utf-8") as f:
    f.write(head + "commitments:\n")
    for i in range(12_000):
        f.write(f"  - {{id: c{i}, title: 承諾{i}, kind: lump_sum, amount: {{value: {i % 97 + 1}萬, assumption: 示例}}, funding: 市財政}}\n")

with open(os.path.join(out, "checks.yaml"), "w", encoding="utf-8") as f:
    f.write(head + "commitments:\n  - {id: c, title: C, kind: lump_sum, amount: {value: 1萬, assumption: 示例}, funding: 市財政}\n")
    f.write("checks:\n")
    for i in range(38_000):
        f.write(f"  - {{id: k{i}, assert: x <= {i + 100}}}\n")

with open(os.path.join(out, "aliases.yaml"), "w", encoding="utf-8") as f:
    f.write(head + "description: &big \"" + "長" * 1_000_000 + "\"\n")
    f.write("notes:\n" + "".join("  - *big\n" for _ in range(20_000)))
    f.write("commitments:\n  - {id: c, title: C, kind: lump_sum, amount: {value: 1萬, assumption: 示例}, funding: 市財政}\n")

with open(os.path.join(out, "rows.csv"), "w", encoding="utf-8") as f:
    f.write("id,name,county,kind,income\n")
    for block in range(0, 5_000_000, 100_000):
        f.write("".join(f"V{i},村{i % 1000},縣{i % 2800},village,{i % 50000}\n" for i in range(block, block + 100_000)))

with open(os.path.join(out, "rows.yaml"), "w", encoding="utf-8") as f:
    f.write("title: 五百萬行\nyears: 2016-2020\nroster: rows.csv\nsources:\n  市財政: {}\n")
    f.write("commitments:\n  - {id: c, title: C, kind: lump_sum, amount: {value: 1萬, assumption: 示例}, funding: 市財政}\n")
