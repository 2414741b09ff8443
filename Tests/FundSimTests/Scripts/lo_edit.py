"""Edits cells of a workbook in LibreOffice itself, as a person would, and saves it as xlsx.

usage: lo_edit.py SRC.xlsx DST.xlsx SHEET_INDEX!CELL=VALUE...   (SHEET_INDEX is 0-based; VALUE a number)

A Basic macro in a private LibreOffice profile opens the workbook, types each figure into its cell,
recalculates (as LibreOffice does when a cell changes) and stores the document with LibreOffice's own xlsx
filter, which rewrites every part: shared strings, styles, defined names. No Python-UNO bridge is needed:
the macro takes its arguments from environment variables.
"""
import os, shutil, subprocess, sys, tempfile

MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub EditFromEnv
  On Error Goto Failed
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(Environ(&quot;LO_SRC&quot;)), &quot;_blank&quot;, 0, args())
  edits = Split(Environ(&quot;LO_EDITS&quot;), &quot;;&quot;)
  For i = LBound(edits) To UBound(edits)
    parts = Split(edits(i), &quot;=&quot;)
    place = Split(parts(0), &quot;!&quot;)
    c = doc.Sheets.getByIndex(CInt(place(0))).getCellRangeByName(place(1))
    c.setValue(Val(parts(1)))
  Next i
  doc.calculateAll()
  Dim sargs(0) As New com.sun.star.beans.PropertyValue
  sargs(0).Name = &quot;FilterName&quot;
  sargs(0).Value = &quot;Calc MS Excel 2007 XML&quot;
  doc.storeToURL(ConvertToURL(Environ(&quot;LO_DST&quot;)), sargs())
  doc.close(True)
  Exit Sub
Failed:
  n = FreeFile
  Open Environ(&quot;LO_DST&quot;) &amp; &quot;.error&quot; For Output As #n
  Print #n, Err &amp; &quot; &quot; &amp; Error$ &amp; &quot; at line &quot; &amp; Erl
  Close #n
End Sub
</script:module>
"""

def main():
    src, dst, edits = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3:]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) not found")
    profile = tempfile.mkdtemp(prefix="lo-edit-")
    try:
        url = "-env:UserInstallation=file://" + profile
        # A first start lays out the profile (it would replace a macro library written before it).
        subprocess.run([soffice, url, "--headless", "--terminate_after_init"], capture_output=True, timeout=300)
        with open(os.path.join(profile, "user", "basic", "Standard", "Module1.xba"), "w") as f:
            f.write(MODULE)
        env = dict(os.environ, LO_SRC=src, LO_DST=dst, LO_EDITS=";".join(edits))
        r = subprocess.run([soffice, url, "--headless", "--norestore", "macro:///Standard.Module1.EditFromEnv"],
                           capture_output=True, text=True, timeout=300, env=env)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if os.path.exists(dst + ".error"):
        raise SystemExit("the LibreOffice macro failed: " + open(dst + ".error").read())
    if not os.path.exists(dst):
        raise SystemExit("LibreOffice wrote nothing: " + r.stderr[-500:])

if __name__ == "__main__":
    main()
