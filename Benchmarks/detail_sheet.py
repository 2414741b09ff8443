"""The same detail sheet written by Python XlsxWriter (constant_memory), as an analyst would script it.

usage: detail_sheet.py GRID.csv OUT.xlsx   (prints the time spent writing; parsing is not counted)
"""
import csv, sys, time
import xlsxwriter

with open(sys.argv[1], newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = [(r[:4], [float(x) for x in r[4:]]) for r in reader]

t0 = time.monotonic()
wb = xlsxwriter.Workbook(sys.argv[2], {"constant_memory": True, "use_zip64": True})
ws = wb.add_worksheet("detail")
bold = wb.add_format({"bold": True})
money = wb.add_format({"num_format": "#,##0.00"})
for c, h in enumerate(header):
    ws.write_string(0, c, h, bold)
for r, (texts, numbers) in enumerate(rows, start=1):
    for c, t in enumerate(texts):
        ws.write_string(r, c, t)
    for c, v in enumerate(numbers, start=4):
        ws.write_number(r, c, v, money)
wb.close()
print("write_seconds %.3f rows %d columns %d" % (time.monotonic() - t0, len(rows), len(header)))
