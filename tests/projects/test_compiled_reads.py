"""The run's steps and documents (pipeline/selectors.run_steps, run_documents), read as
`CompiledRead.instances` reads (compiled once, sent with the run's id), give what the
run's related managers gave, field for field, and a change shows on the next read."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pipeline import selectors
from pipeline.models import DocProgress, Run, StepRecord
from pipeline.runner import run_execute
from pipeline.services import run_create
from pipeline.sql import CompiledRead
from projects.models import ApiToken
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.fixture
def processed(project_file, alice) -> Run:
    project = project_file.project
    run = run_create(
        subject=project, pipeline_name="cma", options={"skip_review": True}, requested_by=alice
    )
    run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def test_steps_and_documents_match_the_orm_field_for_field(processed):
    run = processed
    DocProgress.objects.create(run=run, file_id=10**12, name="later.pdf", phase="failed")

    steps, documents = selectors.run_steps(run), selectors.run_documents(run)

    expected_steps = list(run.steps.order_by("position"))
    expected_documents = list(run.documents.order_by("file_id"))
    assert len(steps) > 3 and len(documents) >= 2
    assert [_fields(s) for s in steps] == [_fields(s) for s in expected_steps]
    assert [_fields(d) for d in documents] == [_fields(d) for d in expected_documents]
    assert any(s.metadata for s in steps) and isinstance(steps[0].metadata, dict)
    with CaptureQueriesContext(connection) as captured:
        assert all(s.run is run for s in steps) and all(d.run is run for d in documents)
    assert captured.captured_queries == []


def test_the_progress_is_what_the_orm_reads_gave(processed, monkeypatch):
    run = processed
    progress = selectors.run_progress(run)

    monkeypatch.setattr(selectors, "run_steps", lambda r: list(r.steps.order_by("position")))
    monkeypatch.setattr(selectors, "run_documents", lambda r: list(r.documents.order_by("file_id")))
    assert selectors.run_progress(run) == progress


def test_each_change_shows_on_the_next_read(processed):
    run = processed
    first = selectors.run_steps(run)[0]
    StepRecord.objects.filter(pk=first.pk).update(
        status="failed", error="boom", started_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    )
    again = selectors.run_steps(run)[0]
    assert (again.status, again.error) == ("failed", "boom")
    assert again.started_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

    DocProgress.objects.filter(run=run).delete()
    assert selectors.run_documents(run) == []
    DocProgress.objects.create(run=run, file_id=3, name="b.pdf", phase="extracting")
    DocProgress.objects.create(run=run, file_id=1, name="a.pdf", phase="classified")
    assert [d.name for d in selectors.run_documents(run)] == ["a.pdf", "b.pdf"]

    other = Run.objects.create(project=run.project, tenant_id=run.tenant_id, pipeline="cma")
    assert selectors.run_steps(other) == [] and selectors.run_documents(other) == []


def test_the_progress_api_shows_a_change_on_the_next_request(processed, alice):
    run = processed
    client = api_client(alice)
    url = reverse("api-progress", args=[run.project_id])
    before = client.get(url).json()
    StepRecord.objects.filter(run=run, position=0).update(attempts=7)
    DocProgress.objects.create(run=run, file_id=10**9, name="new.pdf", phase="failed")

    after = client.get(url).json()

    assert before["steps"][0]["attempts"] != 7 and after["steps"][0]["attempts"] == 7
    assert after["documents"][-1] == {
        "file_id": 10**9,
        "name": "new.pdf",
        "phase": "failed",
        "error": None,
    }


def test_a_text_parameter_binds_as_the_orm_binds_it(alice):
    read = CompiledRead(
        ApiToken,
        lambda user_id, prefix: ApiToken.objects.filter(user_id=user_id, prefix=prefix),
        texts=1,
    )
    ApiToken.objects.create(user=alice, key_hash="a" * 64, prefix="abcdefgh")
    ApiToken.objects.create(user=alice, key_hash="b" * 64, prefix="zzzzzzzz")

    assert [t.key_hash for t in read.instances(alice.pk, "abcdefgh")] == ["a" * 64]
    assert read.instances(alice.pk, "abcdefg") == []
    assert read.instances(alice.pk + 1, "abcdefgh") == []
    assert [t.key_hash for t in read.objects(alice.pk, "zzzzzzzz")] == ["b" * 64]
