"""Audit rows and emails that follow pipeline events (hooks run after commit)."""

import logging

import pytest
from django.core import mail

from pipeline import runner, services
from projects.models import AuditLog


@pytest.fixture
def execute(django_capture_on_commit_callbacks):
    def run_it(project, user, **options):
        # Not enqueued (nothing commits here): the run is executed right here instead.
        run = services.run_create(
            subject=project, pipeline_name="toy", options=options, requested_by=user
        )
        with django_capture_on_commit_callbacks(execute=True):
            runner.run_execute(run_id=run.pk)
        run.refresh_from_db()
        return run

    return run_it


def test_audit_rows_for_each_step_and_the_completion(project_file, alice, execute):
    run = execute(project_file.project, alice)
    # The run's rows: the upload before it has its own (file_uploaded).
    rows = AuditLog.objects.filter(run_id=run.pk).order_by("id")
    actions = list(rows.values_list("action", flat=True))
    assert actions[:2] == ["pipeline_process", "pipeline_extract_start"]
    assert AuditLog.objects.get(action="pipeline_process").actor == alice
    assert "pipeline_extract_complete" in actions
    assert "pipeline_generate_complete" in actions
    assert actions[-1] == "pipeline_complete"
    complete = AuditLog.objects.get(action="pipeline_complete")
    assert complete.detail["duration_ms"] >= 0
    assert complete.detail["failures"] == {}
    assert complete.run_id == run.pk
    assert complete.actor == alice
    assert complete.firm == project_file.project.firm


def test_review_needed_mails_the_firms_cas_only(project_file, alice, bob, olga, dave, execute):
    execute(project_file.project, alice, toy_review=4)
    assert AuditLog.objects.filter(action="pipeline_review_needed", detail__count=4).exists()
    [message] = mail.outbox
    assert sorted(message.to) == ["bob@acme.test", "olga@acme.test"]
    assert "4 items" in message.subject
    assert "http://127.0.0.1:8000/admin/" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_no_review_mail_when_notify_is_off(project_file, alice, bob, execute):
    execute(project_file.project, alice, toy_review=4, notify_on_review=False)
    assert mail.outbox == []


def test_report_ready_mails_the_requester(project_file, alice, bob, execute):
    execute(project_file.project, alice)
    [message] = mail.outbox
    assert message.to == ["alice@acme.test"]
    assert message.subject == "Report ready: CC renewal"
    assert f"http://127.0.0.1:8000/projects/{project_file.project_id}/" in message.body


def test_run_failed_mails_the_reason(project_file, alice, execute):
    execute(project_file.project, alice, toy_fail="classify")
    [message] = mail.outbox
    assert message.subject == "Processing failed: CC renewal"
    assert "classify cannot read the books" in message.body
    assert AuditLog.objects.filter(action="pipeline_failed").exists()


def test_a_failing_mail_server_never_fails_the_run(
    project_file, alice, execute, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp is down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with caplog.at_level(logging.ERROR):
        run = execute(project_file.project, alice)
    assert run.status == "completed"
    assert "report_ready" in caplog.text


def test_a_resume_is_audited_with_who_resumed(project_file, alice, bob, execute):
    execute(project_file.project, alice, toy_review=2)
    services.run_resume(subject=project_file.project, decided_by=bob)
    resumed = AuditLog.objects.get(action="pipeline_resume")
    assert resumed.actor == bob
