"""`manage.py supervise`: the sweep outside the worker cluster, and its watchdog.

See pipeline/supervisor.py. With `--cluster` it also runs the worker cluster (qcluster)
and restarts it when it froze or died; `serve` and the Procfile's worker run it so.
"""

import logging
import signal
import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from pipeline.supervisor import SWEEP_SECONDS, Cluster, Supervisor
from projects.models import Output

log = logging.getLogger(__name__)

OUTPUTS_DIR = "outputs"
# A workbook is written before its row commits; younger files may be on their way in.
ORPHAN_MIN_AGE_SECONDS = 600


def outputs_orphans_remove(*, min_age_seconds: float = ORPHAN_MIN_AGE_SECONDS) -> dict[str, int]:
    """Deletes files under MEDIA_ROOT/outputs that no Output references (a kill between
    writing a workbook and committing its row leaves one), once they are old enough."""
    root = Path(settings.MEDIA_ROOT)
    folder = root / OUTPUTS_DIR
    if not folder.is_dir():
        return {"orphans_removed": 0}
    cutoff = time.time() - min_age_seconds
    candidates = {}
    for path in folder.rglob("*"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                candidates[path.relative_to(root).as_posix()] = path
        except OSError:
            continue  # removed meanwhile
    if not candidates:
        return {"orphans_removed": 0}
    known = set(Output.objects.filter(file__in=list(candidates)).values_list("file", flat=True))
    removed = 0
    for name, path in candidates.items():
        if name in known:
            continue
        try:
            path.unlink()
            removed += 1
            log.info("Removed orphan output %s", name)
        except FileNotFoundError:
            pass
    return {"orphans_removed": removed}


class Command(BaseCommand):
    help = (
        "Recovers runs every few seconds outside the worker cluster; with --cluster also "
        "runs the cluster (qcluster) and restarts it when it is stuck or died."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--cluster", action="store_true", help="run and watch qcluster")
        parser.add_argument("--interval", type=float, default=SWEEP_SECONDS)

    def handle(self, *args: Any, **options: Any) -> None:
        cluster = None
        if options["cluster"]:
            cluster = Cluster(
                [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "qcluster"],
                cwd=str(settings.BASE_DIR),
            )
        supervisor = Supervisor(
            cluster=cluster, housekeeping=[outputs_orphans_remove], interval=options["interval"]
        )

        def stop(signum: int, frame: object) -> None:
            supervisor.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(
            f"Supervising runs every {options['interval']:g} s"
            + (f", with {settings.Q_WORKERS} workers." if cluster else ".")
        )
        supervisor.run()
