"""The web process: what it made while starting is out of the garbage collector's reach,
so a full collection under load walks only what requests made (config/asgi.py)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import gc, sys
import config.asgi
frozen = gc.get_freeze_count()
print(frozen, "config.urls" in sys.modules, "projects.views" in sys.modules)
gc.collect()
print(len(gc.get_objects()) < frozen / 4)
"""


def test_a_web_process_freezes_what_it_made_while_starting(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    frozen, urls, views = done.stdout.split("\n")[0].split()
    assert int(frozen) > 50_000  # Django, the apps and their modules
    assert (urls, views) == ("True", "True")  # the URL patterns came before the freeze
    assert done.stdout.split("\n")[1] == "True"  # a full collection walks a fraction
