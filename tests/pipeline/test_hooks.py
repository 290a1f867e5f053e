"""Hooks whose rows are written in the event's own transaction (the audit log's).

They return their rows unsaved and the engine inserts them with the events of the
change; whatever goes wrong with a hook is logged and never fails the run.
"""

import logging

import pytest

from pipeline import registry, runner, services
from pipeline.models import Run
from projects.models import AuditLog, Project

pytestmark = pytest.mark.django_db


def execute(project: Project, user) -> tuple[Run, str]:
    run = services.run_create(subject=project, pipeline_name="toy", options={}, requested_by=user)
    return run, runner.run_execute(run_id=run.pk)


@pytest.fixture
def hooks(monkeypatch) -> list:
    """This test's in-transaction hooks: the audit log's, and what the test adds."""
    hooks = registry.transaction_hooks()
    monkeypatch.setattr(registry, "_transaction_hooks", hooks)
    return hooks


def test_a_hook_that_raises_is_logged_and_the_run_and_the_audit_go_on(
    project_file, alice, hooks, caplog
):
    def broken(event_type, run, payload):
        raise RuntimeError("the ledger service is down")

    hooks.insert(0, broken)
    with caplog.at_level(logging.ERROR):
        run, outcome = execute(project_file.project, alice)

    assert outcome == "completed"
    assert "the ledger service is down" in caplog.text
    actions = AuditLog.objects.filter(run_id=run.pk).values_list("action", flat=True)
    assert {"pipeline_extract_complete", "pipeline_classify_start", "pipeline_complete"} <= set(
        actions
    )


def test_a_row_the_database_would_refuse_is_left_out_and_logged(project_file, alice, hooks, caplog):
    def too_long(event_type, run, payload):
        if event_type != "step.completed":
            return None
        # AuditLog.action holds 60 characters: PostgreSQL would refuse this row.
        return [AuditLog(firm_id=run.tenant_id, run_id=run.pk, action="x" * 61)]

    hooks.append(too_long)
    with caplog.at_level(logging.ERROR):
        run, outcome = execute(project_file.project, alice)

    assert outcome == "completed"
    assert "at most 60 characters" in caplog.text
    assert not AuditLog.objects.filter(action__startswith="xxx").exists()
    assert AuditLog.objects.filter(run_id=run.pk, action="pipeline_extract_complete").exists()
