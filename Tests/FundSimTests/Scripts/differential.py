"""Recalculates workbooks in LibreOffice and in Gnumeric and compares every formula cell with FundSim's cached value.

usage: differential.py OUTDIR FILE.xlsx...   (prints one JSON object on stdout; exit status 0 when it ran)

- Numbers must agree within 0.01, or 1e-9 relative for cells formatted as a ratio (`%`); beyond
  10^12 within 1e-14 relative, since LibreOffice stores 15 significant digits in an xlsx. Money is
  compared to the fen in the workbook's display unit: a money format with n > 0 optional places
  (`#,##0.00##`, to the yuan in 萬元) means the cell holds units of 10^(n+2) yuan, so it must agree within
  0.01 / 10^(n+2) (a 萬元 cell within 0.000001).
- Check cells (number format `[=1]…`) must be the number 1 or 0 in the cache and after recalculation:
  equal in type and value.
- Text results (the titles of the failing checks on the Checks sheet and the Summary) must be equal strings.
- Control: a copy of the first CONTROL files with every cached formula value set to 0 is recalculated too;
  each engine must bring back the original caches, which proves that it recalculated.
- Readers: openpyxl (data_only), python-calamine, pandas and LibreOffice without recalculation must read
  each check cell of the first READERS files as the number the engines compute.
"""
import json, os, re, shutil, subprocess, sys, tempfile, threading, time, zipfile
import openpyxl

CONTROL = 12
READERS = 4

XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>%d</value></prop></item>
</oor:items>
"""

def libreoffice(outdir, files, recalc):
    """Converts files to xlsx with LibreOffice; recalc=True always recalculates, False never does."""
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    os.makedirs(os.path.join(profile, "user"), exist_ok=True)
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
        f.write(XCU % (0 if recalc else 1))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    os.makedirs(outdir, exist_ok=True)
    r = subprocess.run([soffice, "-env:UserInstallation=file://" + profile, "--headless", "--norestore",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", outdir] + files,
                       capture_output=True, text=True, timeout=900)
    shutil.rmtree(profile, ignore_errors=True)
    return r

def gnumeric(outdir, files):
    os.makedirs(outdir, exist_ok=True)
    failures = []
    for f in files:
        r = subprocess.run(["ssconvert", "--recalc", f, os.path.join(outdir, os.path.basename(f))],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            failures.append(os.path.basename(f) + ": " + r.stderr[-300:])
    return failures

def zero_caches(src, dst):
    """Copies an xlsx with the cached value of every formula cell set to 0."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                text = re.sub(r'(<f>[^<]*</f>)<v>[^<]*</v>', r'\1<v>0</v>', text)
                text = re.sub(r'<c ([^>]*?) t="str"(\s*[^>]*)>(<f>[^<]*</f>)<v>', r'<c \1\2>\3<v>', text)
                data = text.encode("utf-8")
            zout.writestr(item, data)

def formula_cells(path):
    """(sheet, coordinate, formula, number format) of every formula cell."""
    wb = openpyxl.load_workbook(path, read_only=True)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if getattr(c, "data_type", None) == "f":
                    out.append((ws.title, c.coordinate, str(c.value), c.number_format or ""))
    wb.close()
    return out

def values(path):
    """Every cell's stored value as python-calamine reads it (bool, int, float, str), by (sheet, A1)."""
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(path)
    out = {}
    for name in wb.sheet_names:
        grid = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for r, row in enumerate(grid):
            for c, v in enumerate(row):
                if v != "":
                    out[(name, openpyxl.utils.cell.get_column_letter(c + 1) + str(r + 1))] = v
    return out

def agrees(cached, fresh, fmt):
    is_check = "[=1]" in fmt
    if is_check:
        return type(fresh) in (int, float) and type(cached) in (int, float) and not isinstance(fresh, bool) \
            and not isinstance(cached, bool) and cached in (0, 1) and fresh == cached
    if isinstance(cached, bool) or isinstance(fresh, bool):
        return type(cached) == type(fresh) and cached == fresh
    if isinstance(cached, (int, float)) and isinstance(fresh, (int, float)):
        if "%" in fmt:
            return abs(cached - fresh) <= 1e-9 * max(1.0, abs(cached))
        money = re.match(r"#,##0\.00(#*)$", fmt)
        places = len(money.group(1)) if money else 0
        fen = 0.01 / 10 ** (places + 2) if places else 0.01
        return abs(cached - fresh) <= max(fen, 1e-14 * abs(cached))
    return cached == fresh

def compare(original, recalculated, cells, cached):
    if not os.path.exists(recalculated):
        return {"error": "no recalculated copy"}
    fresh = values(recalculated)
    bad = []
    for sheet, coord, formula, fmt in cells:
        a, b = cached.get((sheet, coord)), fresh.get((sheet, coord))
        if not agrees(a, b, fmt):
            bad.append({"file": os.path.basename(original), "sheet": sheet, "cell": coord, "formula": formula,
                        "cached": repr(a), "recalculated": repr(b)})
    return {"formulas": len(cells), "mismatches": bad}

def readers(path, cells, cached):
    """Type and value of every check cell as each reader sees it without recalculating."""
    from python_calamine import CalamineWorkbook
    import pandas as pd
    checks = [(s, c) for s, c, _, fmt in cells if "[=1]" in fmt]
    problems = []
    cal = CalamineWorkbook.from_path(path)
    frames = pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
    book = openpyxl.load_workbook(path, data_only=True)
    for sheet, coord in checks:
        col, row = openpyxl.utils.cell.coordinate_from_string(coord)
        r, c = row - 1, openpyxl.utils.cell.column_index_from_string(col) - 1
        expected = cached.get((sheet, coord))
        grid = cal.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        got = {"openpyxl": book[sheet][coord].value, "calamine": grid[r][c], "pandas": frames[sheet].iat[r, c]}
        for reader, v in got.items():
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v not in (0, 1):
                if not (hasattr(v, "item") and not isinstance(v.item(), bool) and v.item() in (0, 1)):
                    problems.append({"reader": reader, "sheet": sheet, "cell": coord, "value": repr(v)})
    return len(checks), problems

def main():
    outdir, files = sys.argv[1], sys.argv[2:]
    os.makedirs(outdir, exist_ok=True)
    control_dir = os.path.join(outdir, "zeroed")
    os.makedirs(control_dir, exist_ok=True)
    controls = []
    for f in files[:CONTROL]:
        z = os.path.join(control_dir, os.path.basename(f))
        zero_caches(f, z)
        controls.append(z)

    lo_out, gn_out = os.path.join(outdir, "lo"), os.path.join(outdir, "gn")
    lo_ctl, gn_ctl = os.path.join(outdir, "lo", "zeroed"), os.path.join(outdir, "gn-zeroed")
    results = {}
    started = time.time()
    def run_lo():
        # One LibreOffice start for the workbooks and their zeroed copies (same names, another folder).
        results["lo"] = libreoffice(lo_out, files, True)
        results["lo-ctl"] = libreoffice(lo_ctl, controls, True)
        results["lo-plain"] = libreoffice(os.path.join(outdir, "lo-plain"), files[:READERS], False)
        print("libreoffice: %.1f s" % (time.time() - started), file=sys.stderr)
    def run_gn(part):
        results["gn", part] = gnumeric(gn_out, files[part::2])
    threads = [threading.Thread(target=run_lo), threading.Thread(target=run_gn, args=(0,)), threading.Thread(target=run_gn, args=(1,))]
    for t in threads: t.start()
    results["gn-ctl"] = gnumeric(gn_ctl, controls)
    for t in threads: t.join()
    results["gn"] = results["gn", 0] + results["gn", 1]
    print("engines: %.1f s" % (time.time() - started), file=sys.stderr)

    report = {"files": len(files), "formulas": 0, "checks": 0, "texts": 0, "engines": {}, "control": {}, "readers": {}}
    per_file = {}
    for f in files:
        cells = formula_cells(f)
        cached = values(f)
        per_file[f] = (cells, cached)
        report["formulas"] += len(cells)
        report["checks"] += sum(1 for *_, fmt in cells if "[=1]" in fmt)
        report["texts"] += sum(1 for sheet, coord, *_ in cells if isinstance(cached.get((sheet, coord)), str))
    for engine, out in (("libreoffice", lo_out), ("gnumeric", gn_out)):
        mismatches, missing = [], []
        for f in files:
            cells, cached = per_file[f]
            r = compare(f, os.path.join(out, os.path.basename(f)), cells, cached)
            if "error" in r:
                missing.append(os.path.basename(f))
            else:
                mismatches += r["mismatches"]
        report["engines"][engine] = {"missing": missing, "mismatches": len(mismatches), "examples": mismatches[:15]}
    for engine, out in (("libreoffice", lo_ctl), ("gnumeric", gn_ctl)):
        restored, nonzero, missing = 0, 0, []
        for f in files[:CONTROL]:
            cells, cached = per_file[f]
            path = os.path.join(out, os.path.basename(f))
            if not os.path.exists(path):
                missing.append(os.path.basename(f))
                continue
            fresh = values(path)
            for sheet, coord, formula, fmt in cells:
                a = cached.get((sheet, coord))
                # Zeroing turns a cached text into the number 0 too, so a restored text proves a recalculation.
                if (isinstance(a, (int, float)) and a != 0) or (isinstance(a, str) and a != ""):
                    nonzero += 1
                    if agrees(a, fresh.get((sheet, coord)), fmt):
                        restored += 1
        report["control"][engine] = {"files": CONTROL, "nonzero_caches": nonzero, "restored": restored, "missing": missing}
    problems, checked = [], 0
    for f in files[:READERS]:
        cells, cached = per_file[f]
        n, p = readers(f, cells, cached)
        checked += n
        problems += p
        plain = os.path.join(outdir, "lo-plain", os.path.basename(f))
        shown = values(plain) if os.path.exists(plain) else {}
        for sheet, coord, _, fmt in cells:
            if "[=1]" in fmt:
                v = shown.get((sheet, coord))
                if isinstance(v, bool) or v != cached.get((sheet, coord)):
                    problems.append({"reader": "libreoffice-no-recalc", "sheet": sheet, "cell": coord, "value": repr(v)})
    report["readers"] = {"checks": checked, "problems": problems[:15], "count": len(problems)}
    print("compared: %.1f s" % (time.time() - started), file=sys.stderr)
    report["gnumeric_failures"] = results["gn"][:5] + results["gn-ctl"][:5]
    print(json.dumps(report, ensure_ascii=False))

if __name__ == "__main__":
    main()
