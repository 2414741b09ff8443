#!/usr/bin/env python3
"""Dump an xlsx file as JSON using openpyxl, a reader independent of libxlsxwriter.

Usage: read_xlsx.py FILE.xlsx  ->  JSON on standard output.
Exit status 3 when openpyxl cannot be imported (the Swift tests report that case).

Output:
  sheets        sheet names in tab order
  cells         {sheet: {"B3": {"value": cached value, "formula": "=..." or null, "type": openpyxl data_type}}}
  definedNames  {name: formula}
  properties    core properties (created as ISO 8601) and custom properties
  sheetInfo     {sheet: {freeze, columnWidths, rowHeights, merged, comments, validations, charts, ...}}
"""
import json
import sys

try:
    import openpyxl
except ImportError as error:  # pragma: no cover - reported by the Swift test
    print(f"openpyxl is not importable: {error}", file=sys.stderr)
    sys.exit(3)


def chart_title(title):
    """The plain text of a chart or axis title, or its cell reference."""
    if title is None or title.tx is None:
        return None
    if title.tx.strRef is not None:
        return "=" + title.tx.strRef.f
    if title.tx.rich is not None:
        return "".join(run.t for p in title.tx.rich.p for run in (p.r or []))
    return None


def ref(data):
    """The formula of a series' categories or values."""
    if data is None:
        return None
    for attr in ("numRef", "strRef"):
        r = getattr(data, attr, None)
        if r is not None:
            return r.f
    return None


def series_name(series):
    if series.tx is None:
        return None
    if series.tx.strRef is not None:
        return "=" + series.tx.strRef.f
    return series.tx.v


def chart_info(chart):
    return {
        "type": type(chart).__name__,
        "title": chart_title(chart.title),
        "grouping": getattr(chart, "grouping", None),
        "xAxisTitle": chart_title(chart.x_axis.title) if getattr(chart, "x_axis", None) else None,
        "yAxisTitle": chart_title(chart.y_axis.title) if getattr(chart, "y_axis", None) else None,
        "series": [
            {"name": series_name(s), "categories": ref(s.cat) or ref(s.xVal),
             "values": ref(s.val) or ref(s.yVal)}
            for s in chart.series
        ],
    }


def main(path):
    values = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path, data_only=False)
    out = {"sheets": values.sheetnames, "cells": {}, "sheetInfo": {}}
    for ws_v in values.worksheets:
        ws_f = formulas[ws_v.title]
        cells = {}
        comments = {}
        for row in ws_f.iter_rows():
            for cell in row:
                if cell.comment is not None:
                    comments[cell.coordinate] = {"text": cell.comment.text, "author": cell.comment.author}
                if cell.value is None:
                    continue
                cached = ws_v[cell.coordinate].value
                is_formula = cell.data_type == "f"
                cells[cell.coordinate] = {
                    "value": cached,
                    "formula": cell.value if is_formula else None,
                    "type": ws_v[cell.coordinate].data_type,
                    "bold": bool(cell.font.b),
                    "fontColor": cell.font.color.rgb
                    if cell.font.color is not None and cell.font.color.type == "rgb" else None,
                    "fill": cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None,
                    "numberFormat": cell.number_format,
                    "hyperlink": cell.hyperlink.target if cell.hyperlink is not None else None,
                }
        out["cells"][ws_v.title] = cells
        out["sheetInfo"][ws_v.title] = {
            "freeze": ws_f.freeze_panes,
            "columnWidths": {k: d.width for k, d in ws_f.column_dimensions.items() if d.customWidth},
            "rowHeights": {str(k): d.height for k, d in ws_f.row_dimensions.items() if d.height is not None},
            "merged": sorted(str(r) for r in ws_f.merged_cells.ranges),
            "comments": comments,
            "validations": [
                {"sqref": str(dv.sqref), "type": dv.type, "formula1": dv.formula1}
                for dv in ws_f.data_validations.dataValidation
            ],
            "charts": [chart_info(c) for c in ws_f._charts],
            "tabColor": ws_f.sheet_properties.tabColor.rgb if ws_f.sheet_properties.tabColor else None,
            "landscape": ws_f.page_setup.orientation == "landscape",
            "paperSize": ws_f.page_setup.paperSize,
            "zoom": ws_f.sheet_view.zoomScale,
            "gridlines": ws_f.sheet_view.showGridLines,
            "printTitleRows": ws_f.print_title_rows,
        }
    out["active"] = formulas.active.title
    out["definedNames"] = {name: dn.attr_text for name, dn in formulas.defined_names.items()}
    p = formulas.properties
    out["properties"] = {
        "title": p.title, "subject": p.subject, "creator": p.creator, "keywords": p.keywords,
        "description": p.description, "category": p.category,
        "created": p.created.isoformat() if p.created else None,
    }
    out["custom"] = {prop.name: prop.value for prop in formulas.custom_doc_props.props}
    json.dump(out, sys.stdout, ensure_ascii=False, default=str, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
