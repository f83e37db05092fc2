"""Open DOCX files in LibreOffice, update every field and index, save each as PDF
and as DOCX (``NAME.updated.docx``, to read the fields' new results back).

Run with the Python that has LibreOffice's UNO bridge (Debian: python3-uno, so
/usr/bin/python3), not the project's venv:

    /usr/bin/python3 tests/render/lo_update_fields.py PROFILE_DIR OUT_DIR FILE.docx...

This is what Word does when a user presses F9 on the whole document: cross-reference
fields and the contents are recomputed from the document as it is now.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _prop(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def main(profile: str, out_dir: str, files: list[str]) -> int:
    pipe = f"propgen_{uuid.uuid4().hex}"
    office = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            f"-env:UserInstallation={Path(profile).resolve().as_uri()}",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        for _ in range(300):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # NoConnectException until soffice listens
                time.sleep(0.2)
        else:
            print("LibreOffice did not start", file=sys.stderr)
            return 1
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        for name in files:
            url = Path(name).resolve().as_uri()
            doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
            doc.getTextFields().refresh()
            indexes = doc.getDocumentIndexes()
            for i in range(indexes.getCount()):
                indexes.getByIndex(i).update()
            doc.getTextFields().refresh()  # page numbers may move after the contents grew
            stem = Path(out_dir) / Path(name).stem
            for suffix, export in (
                (".pdf", "writer_pdf_Export"),
                (".updated.docx", "MS Word 2007 XML"),
            ):
                target = stem.with_name(stem.name + suffix)
                doc.storeToURL(target.resolve().as_uri(), (_prop("FilterName", export),))
            doc.close(True)
        desktop.terminate()
    finally:
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
