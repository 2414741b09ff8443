"""Recalculates workbooks with LibreOffice and compares every formula cell with its cached value.

usage: recalc.py OUTDIR FILE.xlsx...   (prints one JSON object per file on stdout; exits 1 when LibreOffice
could not recalculate a file, or is missing)

LibreOffice only recalculates an xlsx on load when its profile says so (OOXMLRecalcMode = 0, "always"),
so this script makes a private profile that does, converts each file to xlsx (recalculated), and reads
both the original (cached values, as FundSim wrote them) and the recalculated copy with openpyxl.
"""
import json, os, subprocess, sys, tempfile, shutil
import openpyxl

XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

def recalc(outdir, files):
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    os.makedirs(os.path.join(profile, "user"), exist_ok=True)
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
        f.write(XCU)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) not found")
    r = subprocess.run([soffice, "-env:UserInstallation=file://" + profile, "--headless", "--norestore",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", outdir] + files,
                       capture_output=True, text=True, timeout=600)
    shutil.rmtree(profile, ignore_errors=True)
    return r

def agrees(cached, fresh, fmt):
    """Whether two numbers agree, with a tolerance by what the cell holds (its number format says).

    A check (format `[=1]…`) must be exact. A ratio (a `%` format) agrees to 1e-9 of itself, as
    differential.py has it. Any other figure may be in yuan, 萬元 or 億元 (the format does not say which),
    so it agrees to 1e-8 of a unit (0.0001 yuan in 萬元, 1 yuan in 億元) or 1e-12 of itself when larger:
    a fixed 0.01 would allow 100 yuan on a 萬元 cell and a whole percentage point on a ratio.
    """
    if "[=1]" in fmt:
        return cached == fresh
    if "%" in fmt:
        return abs(cached - fresh) <= 1e-9 * max(1.0, abs(cached))
    return abs(cached - fresh) <= max(1e-8, 1e-12 * abs(cached))

def compare(original, recalculated):
    formulas = openpyxl.load_workbook(original)
    cached = openpyxl.load_workbook(original, data_only=True)
    fresh = openpyxl.load_workbook(recalculated, data_only=True)
    checked, mismatches = 0, []
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f" and not (isinstance(cell.value, str) and cell.value.startswith("=")):
                    continue
                a = cached[ws.title][cell.coordinate].value
                b = fresh[ws.title][cell.coordinate].value
                checked += 1
                ok = False
                if isinstance(a, bool) or isinstance(b, bool):
                    # Typed: a truth value must be cached as what the spreadsheet computes (FundSim caches 1/0).
                    ok = type(a) == type(b) and a == b
                elif isinstance(a, (int, float)) and isinstance(b, (int, float)):
                    ok = agrees(a, b, cell.number_format or "")
                elif isinstance(a, (str, type(None))) and isinstance(b, (str, type(None))):
                    # A text result (the failing checks' titles): equal as strings; an empty text is read
                    # back as no value.
                    ok = (a or "") == (b or "")
                if not ok and len(mismatches) < 20:
                    mismatches.append({"sheet": ws.title, "cell": cell.coordinate, "formula": str(cell.value), "cached": repr(a), "recalculated": repr(b)})
                elif not ok:
                    mismatches.append(None)
    return {"file": os.path.basename(original), "formulas": checked, "mismatches": len(mismatches),
            "examples": [m for m in mismatches if m][:20]}

if __name__ == "__main__":
    outdir, files = sys.argv[1], sys.argv[2:]
    r = recalc(outdir, files)
    failed = 0
    for f in files:
        out = os.path.join(outdir, os.path.basename(f))
        if not os.path.exists(out):
            message = "LibreOffice wrote nothing: " + r.stderr[-500:]
            print(json.dumps({"file": os.path.basename(f), "error": message}))
            print(f"{f}: {message}", file=sys.stderr)
            failed += 1
            continue
        print(json.dumps(compare(f, out), ensure_ascii=False))
    # A file LibreOffice could not recalculate is a failure of the check, not a result.
    sys.exit(1 if failed else 0)
