"""Recalculating a workbook with a real spreadsheet engine: Debian's LibreOffice, headless.

LibreOffice keeps the cached values of an xlsx it opens unless told otherwise (Tools >
Options > Calc > Formula > "Recalculation on file load", Excel 2007 and newer: "Never" by
default). A private user profile with that option set to "Always"
(``/org.openoffice.Office.Calc/Formula/Load/OOXMLRecalcMode`` = 0) makes the
``--convert-to xlsx`` round trip recalculate every formula; the profile also keeps the
test away from any real user's LibreOffice settings.
"""

import atexit
import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"

REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop>
</item>
</oor:items>
"""


def require_soffice() -> None:
    """Skips without LibreOffice locally; fails under CI, which must install it."""
    if not Path(SOFFICE).exists():
        if os.getenv("CI"):
            pytest.fail(f"{SOFFICE} is missing: .ci/run must install libreoffice-calc-nogui")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")


@cache
def profile() -> Path:
    """The private profile, one for the test session: LibreOffice spends half a second
    or more filling a new profile on its first start, and every recalculation after the
    first reuses what it wrote (the option above stays set)."""
    folder = Path(tempfile.mkdtemp(prefix="cma-lo-profile-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / "user").mkdir()
    (folder / "user" / "registrymodifications.xcu").write_text(REGISTRY)
    return folder


def recalculated(path: Path, work: Path) -> Path:
    """A copy of the workbook as LibreOffice saves it after recalculating every formula."""
    out = work / "recalculated"
    out.mkdir(exist_ok=True)
    source = work / f"in-{path.name}"
    shutil.copyfile(path, source)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = out / source.name
    assert result.exists(), f"LibreOffice wrote nothing for {path.name}"
    return result
