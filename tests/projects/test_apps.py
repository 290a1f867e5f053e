"""The projects app's start-up: the worker cluster's parent warmed before it forks."""

import subprocess
import sys

from tests.processes import ROOT, child_env

WARM = """
import gc
import django
django.setup()
from projects.apps import worker_warm
worker_warm()
print(gc.get_freeze_count())
"""


def test_the_warmed_cluster_parent_freezes_what_it_loaded():
    # In a process of its own: freezing is for the process's life.
    done = subprocess.run(
        [sys.executable, "-c", WARM],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    # Django, the URL patterns and WeasyPrint: well over a hundred thousand objects.
    assert int(done.stdout.split()[-1]) > 50_000
