"""Describes a workbook as JSON, read with openpyxl and the zip's own parts (not libxlsxwriter).

usage: inspect_xlsx.py FILE.xlsx
"""
import json, re, sys, zipfile
import openpyxl

path = sys.argv[1]
wb = openpyxl.load_workbook(path)
cached = openpyxl.load_workbook(path, data_only=True)
z = zipfile.ZipFile(path)
names = z.namelist()
# Charts per sheet: sheetN.xml → drawing → charts.
workbook_xml = z.read("xl/workbook.xml").decode()
rels = z.read("xl/_rels/workbook.xml.rels").decode()
sheet_targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="(worksheets/sheet\d+\.xml)"', rels))
sheet_ids = re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', workbook_xml)
charts = {}
for name, rid in sheet_ids:
    target = sheet_targets.get(rid)
    count = 0
    if target:
        rel = "xl/worksheets/_rels/" + target.split("/")[1] + ".rels"
        if rel in names:
            for drawing in re.findall(r'Target="\.\./drawings/(drawing\d+\.xml)"', z.read(rel).decode()):
                drel = "xl/drawings/_rels/" + drawing + ".rels"
                if drel in names:
                    count += len(re.findall(r'charts/chart\d+\.xml', z.read(drel).decode()))
    charts[name] = count
out = {
    "sheets": wb.sheetnames,
    "defined_names": sorted(wb.defined_names.keys()) if hasattr(wb.defined_names, "keys") else sorted(d.name for d in wb.defined_names.definedName),
    "charts": charts,
    "title": wb.properties.title,
    "created": wb.properties.created.isoformat() if wb.properties.created else None,
    "freeze": {ws.title: ws.freeze_panes for ws in wb.worksheets},
    "comments": {ws.title: sum(1 for row in ws.iter_rows() for c in row if c.comment) for ws in wb.worksheets},
    "landscape": {ws.title: ws.page_setup.orientation for ws in wb.worksheets},
    "cells": {ws.title: {c.coordinate: (c.value if not hasattr(c.value, "isoformat") else c.value.isoformat())
                         for row in cached[ws.title].iter_rows() for c in row if c.value is not None}
              for ws in wb.worksheets if ws.title in (sys.argv[2:] or [])},
    # Drop-down lists: where, and the list (a range or inline values).
    "validations": {ws.title: [{"cells": str(dv.sqref), "type": dv.type, "list": dv.formula1}
                               for dv in ws.data_validations.dataValidation] for ws in wb.worksheets},
    # Conditional formats: range, rule and the fill it draws.
    "conditional": {ws.title: [{"cells": str(cf.sqref), "type": rule.type, "operator": rule.operator,
                                "formula": list(rule.formula or []),
                                "fill": (rule.dxf.fill.bgColor.rgb if rule.dxf and rule.dxf.fill is not None else None)}
                               for cf in ws.conditional_formatting for rule in cf.rules] for ws in wb.worksheets},
    # Fixed fills of the cells listed in the cell dump.
    "fills": {ws.title: {c.coordinate: c.fill.fgColor.rgb for row in ws.iter_rows() for c in row
                         if c.fill is not None and c.fill.fill_type == "solid"}
              for ws in wb.worksheets if ws.title in (sys.argv[2:] or [])},
}
print(json.dumps(out, ensure_ascii=False, default=str))
