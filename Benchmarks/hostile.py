#!/usr/bin/env python3
"""Large and hostile scenarios for `make bench` (issue 19): validation and runs must stay linear.

    hostile.py DIR   writes into DIR:
      commitments.yaml  12,000 commitments (about 1.3 MB)
      checks.yaml       38,000 checks over one input
      aliases.yaml      a 1,000,000-character anchored scalar aliased 20,000 times (refused quickly)
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
