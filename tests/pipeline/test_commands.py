"""`process` and `cleanup_runs`, as API.md's command table describes them."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from pipeline import registry
from pipeline.context import PermanentError
from pipeline.models import Event, Run, StepRecord


@pytest.fixture(autouse=True)
def _toy(settings):
    settings.PIPELINE_DEFAULT = "toy"


def test_process_inline_runs_to_completion_with_a_bar(project_file, capsys):
    call_command("process", str(project_file.project_id), "--inline")
    out = capsys.readouterr().out
    assert "Started run" in out
    assert "100.0%" in out
    assert "completed" in out
    assert Run.objects.get().status == "completed"


def broken(ctx):
    raise PermanentError("the trial balance does not balance")


def pausing(ctx):
    ctx.pause_for_review(7)


@pytest.mark.parametrize(
    ("step", "expected"),
    [(broken, "failed: the trial balance does not balance"), (pausing, "review of 7 items")],
)
def test_process_says_how_the_run_ended(project_file, settings, capsys, step, expected):
    registry.register(registry.Pipeline(name="toy-one", steps=(registry.Step("one", step, 1),)))
    settings.PIPELINE_DEFAULT = "toy-one"
    try:
        call_command("process", str(project_file.project_id), "--inline")
    except CommandError as exc:
        assert expected in str(exc)
    else:
        assert expected in capsys.readouterr().out


def test_process_follows_the_active_run(project_file, capsys):
    call_command("process", str(project_file.project_id), "--no-follow")
    call_command("process", str(project_file.project_id), "--no-follow")
    assert "Following the active run" in capsys.readouterr().out
    assert Run.objects.count() == 1


def test_process_without_files_says_so(project_file):
    with pytest.raises(CommandError, match=r"Upload at least one file"):
        project_file.delete()
        call_command("process", str(project_file.project_id), "--inline")


def test_process_unknown_project(db):
    with pytest.raises(CommandError, match="no project 999"):
        call_command("process", "999")


def test_cleanup_runs_deletes_old_finished_runs_details_only(project_file, capsys):
    call_command("process", str(project_file.project_id), "--inline")
    old = Run.objects.get()
    Run.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=40))
    call_command("process", str(project_file.project_id), "--inline", "--force-reprocess")
    call_command("cleanup_runs", "--older-than", "30")
    assert "Cleaned 1 runs" in capsys.readouterr().out
    assert not Event.objects.filter(run=old).exists()
    assert not StepRecord.objects.filter(run=old).exists()
    assert Event.objects.exclude(run=old).exists()
    assert Run.objects.count() == 2
