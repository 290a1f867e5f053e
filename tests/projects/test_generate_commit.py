"""The workbook and its PDF are written, then registered in the step's commit: an Output
row never points to a missing file, and a fault between the two leaves no file for good."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models.signals import pre_save

from pipeline.models import Run, RunStatus
from pipeline.runner import run_execute
from pipeline.services import run_create
from projects.management.commands.supervise import outputs_orphans_remove
from projects.models import Output
from tests.processes import ROOT, child_env

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")

# Run in a child process: kills itself at the first Output row, after the files are
# written and before anything is registered, as the OOM killer or a SIGKILL would.
KILLED_AT_REGISTRATION = """
import os, signal, sys
import django
django.setup()
from django.db.models.signals import pre_save
from pipeline.runner import run_execute
from projects.models import Output

def kill(**kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

pre_save.connect(kill, sender=Output, weak=False)
run_execute(run_id=int(sys.argv[1]))
"""


def output_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix() for p in (root / "outputs").rglob("*") if p.is_file()}


def started(project_file, user) -> Run:
    return run_create(
        subject=project_file.project,
        pipeline_name="cma",
        options={"skip_review": True},
        requested_by=user,
    )


def test_every_output_of_a_run_is_a_file_that_exists_and_nothing_else_is(project_file, alice):
    run = started(project_file, alice)
    run_execute(run_id=run.pk)

    assert Run.objects.get(pk=run.pk).status == RunStatus.COMPLETED
    names = set(Output.objects.filter(run=run).values_list("file", flat=True))
    assert names and {name.rsplit(".", 1)[1] for name in names} <= {"xlsx", "pdf"}
    assert output_files() == names


def test_a_run_taken_away_at_the_commit_leaves_no_file_and_no_output(project_file, alice):
    run = started(project_file, alice)

    def taken_by_another_worker(**kwargs: object) -> None:
        # Another worker claims the run while this one registers its files: the step's
        # commit must fail (ClaimLost) and roll back.
        Run.objects.filter(pk=run.pk).update(claim="another-worker")

    pre_save.connect(taken_by_another_worker, sender=Output)
    try:
        run_execute(run_id=run.pk)
    finally:
        pre_save.disconnect(taken_by_another_worker, sender=Output)

    assert not Output.objects.exists()
    assert output_files() == set()


def test_a_worker_killed_between_writing_and_registering_leaves_a_stray_the_sweep_removes(
    project_file, alice
):
    run = started(project_file, alice)

    child = subprocess.run(
        [sys.executable, "-c", KILLED_AT_REGISTRATION, str(run.pk)],
        cwd=ROOT,
        env=child_env(MEDIA_ROOT=str(settings.MEDIA_ROOT)),
        capture_output=True,
        timeout=300,
    )

    assert child.returncode == -9, child.stderr.decode()[-2000:]
    assert not Output.objects.exists()  # nothing points to a file that is not there
    strays = output_files()
    # The workbook (and its PDF where Pango is installed), written, never registered.
    assert any(name.endswith(".xlsx") for name in strays)
    assert outputs_orphans_remove(min_age_seconds=0) == {"orphans_removed": len(strays)}
    assert output_files() == set()
