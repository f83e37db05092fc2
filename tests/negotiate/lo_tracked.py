"""Open DOCX files in LibreOffice, accept or reject every tracked change, and save
each as plain text (``NAME.accept.txt`` / ``NAME.reject.txt`` / ``NAME.txt``).

Run with the Python that has LibreOffice's UNO bridge (Debian: python3-uno, so
/usr/bin/python3), not the project's venv:

    /usr/bin/python3 tests/negotiate/lo_tracked.py PROFILE_DIR OUT_DIR MODE:FILE.docx...

MODE is ``accept``, ``reject`` or ``keep`` (save as it is). This is what a lawyer does
in Word or Writer with "Accept All Changes" / "Reject All Changes".
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

COMMANDS = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}


def _prop(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def main(profile: str, out_dir: str, jobs: list[str]) -> int:
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
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        for job in jobs:
            mode, _, name = job.partition(":")
            url = Path(name).resolve().as_uri()
            doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
            if mode in COMMANDS:
                frame = doc.getCurrentController().getFrame()
                dispatcher.executeDispatch(frame, COMMANDS[mode], "", 0, ())
            suffix = "" if mode == "keep" else f".{mode}"
            target = Path(out_dir) / f"{Path(name).stem}{suffix}.txt"
            doc.storeToURL(
                target.resolve().as_uri(),
                (_prop("FilterName", "Text (encoded)"), _prop("FilterOptions", "UTF8,LF")),
            )
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
