"""The firm owner's audit page: who did what and when, filters, CSV, sign-in unlocks."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pipeline.services import run_create
from projects.audit import (
    FILE_DOWNLOADED,
    FILE_UPLOADED,
    MEMBER_UNLOCKED,
    OUTPUT_DOWNLOADED,
    lockouts_for_firm,
)
from projects.models import AuditLog, Output
from projects.services import plan_save, project_file_delete
from tests.conftest import PASSWORD, login, make_user

LIMIT = 3


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


@pytest.fixture
def oscar(db):
    """The other firm's owner."""
    return make_user("oscar@brij.test", "Brij & Co", "owner")


def _csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@dataclass(frozen=True)
class Row:
    action: str
    text: str


def _rows(response) -> list[Row]:
    """The audit table's rows: each one's action and its text without tags."""
    html = response.content.decode()
    found = re.findall(r'<tr data-action="([^"]+)">(.*?)</tr>', html, re.S)
    return [Row(action, " ".join(re.sub(r"<[^>]+>", " ", body).split())) for action, body in found]


def _actions(response) -> list[str]:
    return [row.action for row in _rows(response)]


def test_owner_sees_who_uploaded_what(project_file, olga):
    response = login(olga).get(reverse("audit"))
    assert response.status_code == 200
    [row] = _rows(response)
    assert row.action == FILE_UPLOADED
    assert "alice@acme.test" in row.text
    assert "Uploaded trial-balance.csv" in row.text
    assert "CC renewal" in row.text


@pytest.mark.parametrize("who", ["alice", "bob"])
@pytest.mark.parametrize("name", ["audit", "audit-export"])
def test_staff_and_cas_are_refused(project_file, name, who, request):
    user = request.getfixturevalue(who)
    assert login(user).get(reverse(name)).status_code == 403


def test_a_user_without_a_firm_is_refused(db, django_user_model):
    loner = django_user_model.objects.create_user("loner@x.test", password="pw")
    assert login(loner).get(reverse("audit")).status_code == 403


def test_the_nav_links_the_page_for_owners_only(project, olga, alice):
    assert 'href="/audit/"' in login(olga).get(reverse("project-list")).text
    assert 'href="/audit/"' not in login(alice).get(reverse("project-list")).text


def test_other_firm_owner_sees_only_their_own_firm(project_file, oscar):
    client = login(oscar)
    assert _rows(client.get(reverse("audit"))) == []
    # Naming the other firm's project or person filters to nothing, it reveals nothing.
    query = {"project": project_file.project_id, "who": project_file.uploaded_by_id}
    assert _rows(client.get(reverse("audit"), query)) == []
    assert _csv(client.get(reverse("audit-export"), query)) == []


def test_downloads_deletes_and_plan_saves_are_recorded(project_file, alice, olga, charlie):
    project = project_file.project
    run = run_create(subject=project, pipeline_name="toy", options={}, requested_by=alice)
    output = Output(project=project, run=run, name="cma.xlsx", size=2, sha256="0")
    output.file.save("cma.xlsx", ContentFile(b"PK"), save=False)
    output.save()
    client = login(alice)
    file_url = reverse("project-file-download", args=[project.pk, project_file.pk])
    assert client.get(file_url).status_code == 200
    assert client.get(reverse("output-download", args=[output.pk])).status_code == 200
    assert client.get(reverse("api-output-download", args=[output.pk])).status_code == 200
    # Refused downloads are not downloads.
    assert login(charlie).get(file_url).status_code == 404

    downloads = AuditLog.objects.filter(action__in=[FILE_DOWNLOADED, OUTPUT_DOWNLOADED])
    assert sorted(downloads.values_list("action", "actor__username", "detail__name")) == [
        (FILE_DOWNLOADED, "alice@acme.test", "trial-balance.csv"),
        (OUTPUT_DOWNLOADED, "alice@acme.test", "cma.xlsx"),
        (OUTPUT_DOWNLOADED, "alice@acme.test", "cma.xlsx"),
    ]
    assert downloads.get(action=FILE_DOWNLOADED).project == project

    run.delete()  # no active run: files may change again
    project_file_delete(project_file=project_file, user=alice)
    plan_save(project=project, user=alice, data={"notes": {"x": "bank wants 3 years"}})
    page = login(olga).get(reverse("audit"), {"what": "files"})
    assert _actions(page) == ["file_deleted", FILE_UPLOADED]
    page = login(olga).get(reverse("audit"), {"what": "downloads"})
    texts = [row.text for row in _rows(page)]
    assert any("Downloaded the report cma.xlsx" in t for t in texts)
    assert any("Downloaded the uploaded file trial-balance.csv" in t for t in texts)
    assert _actions(login(olga).get(reverse("audit"), {"what": "plan"})) == ["plan_saved"]


def _entry(firm, *, actor, action, days_ago=0, project=None, **detail):
    entry = AuditLog.objects.create(
        firm=firm, project=project, actor=actor, action=action, detail=detail
    )
    # created_at is set on insert; a row of another day is moved there afterwards.
    AuditLog.objects.filter(pk=entry.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return entry


def test_filters_by_who_what_project_and_dates(project, make_project, alice, bob, olga):
    firm = project.firm
    other = make_project(alice, name="Term loan")
    _entry(firm, actor=alice, action="pipeline_process", project=project, days_ago=10)
    _entry(firm, actor=bob, action="review_approved", project=project, days_ago=5, label="Rent")
    _entry(firm, actor=bob, action="line_item_corrected", project=other, days_ago=1, label="Tea")
    _entry(firm, actor=olga, action="plan_saved", project=other, version=2, changes=3)
    client = login(olga)

    def actions(**query):
        return _actions(client.get(reverse("audit"), query))

    assert actions() == [
        "plan_saved",
        "line_item_corrected",
        "review_approved",
        "pipeline_process",
    ]
    assert actions(who=bob.pk) == ["line_item_corrected", "review_approved"]
    assert actions(what="review") == ["review_approved"]
    assert actions(what="moves") == ["line_item_corrected"]
    assert actions(what="runs") == ["pipeline_process"]
    assert actions(project=other.pk) == ["plan_saved", "line_item_corrected"]
    today = timezone.localdate()
    since, until = today - timedelta(days=6), today - timedelta(days=1)
    assert actions(since=since.isoformat(), until=until.isoformat()) == [
        "line_item_corrected",
        "review_approved",
    ]
    assert actions(who=bob.pk, project=project.pk) == ["review_approved"]


def test_a_bad_filter_says_so_and_filters_nothing(project_file, olga):
    response = login(olga).get(reverse("audit"), {"since": "yesterday", "what": "nonsense"})
    assert response.status_code == 400
    assert "is not a date like 2026-11-30" in response.text
    assert _actions(response) == [FILE_UPLOADED]


def test_the_page_is_paginated(project, olga):
    for n in range(55):
        _entry(project.firm, actor=olga, action="plan_saved", project=project, version=n, changes=1)
    client = login(olga)
    first = client.get(reverse("audit"), {"what": "plan"})
    assert len(_rows(first)) == 50
    assert "Page 1 of 2" in first.text
    assert "what=plan&amp;page=2" in first.text
    assert len(_rows(client.get(reverse("audit"), {"what": "plan", "page": 2}))) == 5


def test_csv_has_every_filtered_row_and_defuses_formulas(project, alice, bob, olga):
    for n in range(60):
        _entry(project.firm, actor=bob, action="review_approved", project=project, label=f"L{n}")
    _entry(project.firm, actor=alice, action=FILE_UPLOADED, project=project, name="=HYPERLINK(1)")
    response = login(olga).get(reverse("audit-export"), {"who": bob.pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = _csv(response)
    assert len(rows) == 60  # not one page: all of them
    assert {r["who"] for r in rows} == {"bob@acme.test"}
    assert rows[0]["action"] == "review_approved"
    assert rows[0]["project"] == "CC renewal"
    assert rows[0]["what"].startswith("Approved “L59”")

    [upload] = _csv(login(olga).get(reverse("audit-export"), {"what": "files"}))
    assert upload["what"] == "Uploaded =HYPERLINK(1)"
    # A cell starting with "=" would be a formula in a spreadsheet; it is quoted.
    _entry(project.firm, actor=alice, action="custom", project=project)
    rows = _csv(login(olga).get(reverse("audit-export"), {"who": alice.pk}))
    assert all(not value.startswith("=") for row in rows for value in row.values())


def _fail_logins(email: str, times: int, address: str = "127.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    for _ in range(times):
        client.post("/accounts/login/", {"username": email, "password": "wrong"})
    return client


def test_owner_sees_a_locked_member_and_unlocks_them(alice, olga, charlie):
    _fail_logins("Alice@acme.test ", LIMIT)
    _fail_logins(charlie.email, LIMIT)  # another firm's member: not Acme's business
    locked = Client(REMOTE_ADDR="192.0.2.9")
    response = locked.post("/accounts/login/", {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 429

    owner = login(olga)
    page = owner.get(reverse("audit"))
    assert "alice@acme.test" in page.text and "Locked out" in page.text
    assert "charlie@brij.test" not in page.text

    response = owner.post(reverse("audit-unlock"), {"user": alice.pk})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="alice@acme.test").exists()
    # Same address, another firm's account: its count is not Acme's owner's to clear.
    assert AccessAttempt.objects.filter(username="charlie@brij.test").exists()
    # From another address (127.0.0.1 still counts charlie's failures).
    response = locked.post("/accounts/login/", {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 302
    entry = AuditLog.objects.get(action=MEMBER_UNLOCKED)
    assert entry.actor == olga and entry.firm == olga.membership.firm
    assert entry.detail["member"] == "alice@acme.test"
    assert entry.detail["addresses"] == ["127.0.0.1", "192.0.2.9"]
    assert "Unlocked sign-in for alice@acme.test" in owner.get(reverse("audit")).text


def test_unlocking_clears_the_address_a_member_was_locked_out_by(alice, bob, olga):
    # Someone in the office guessed at bob's account; alice, behind the same address,
    # is locked out too (by address) after one mistyped password of her own.
    _fail_logins(bob.email, LIMIT, address="198.51.100.7")
    _fail_logins("nobody@acme.test", 1, address="198.51.100.7")
    _fail_logins(alice.email, 1, address="198.51.100.7")
    page = login(olga).get(reverse("audit"))
    assert page.text.count("Locked out") == 2
    login(olga).post(reverse("audit-unlock"), {"user": alice.pk})
    assert not AccessAttempt.objects.filter(ip_address="198.51.100.7").exists()
    response = Client(REMOTE_ADDR="198.51.100.7").post(
        "/accounts/login/", {"username": alice.email, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_only_the_owner_unlocks_and_only_their_own_members(alice, bob, olga, oscar, charlie):
    _fail_logins(charlie.email, LIMIT)
    # Another firm's owner cannot name Acme's people, nor Acme's owner Brij's.
    assert login(olga).post(reverse("audit-unlock"), {"user": charlie.pk}).status_code == 404
    assert login(olga).post(reverse("audit-unlock"), {"user": "x"}).status_code == 404
    assert login(bob).post(reverse("audit-unlock"), {"user": charlie.pk}).status_code == 403
    assert AccessAttempt.objects.filter(username="charlie@brij.test").exists()
    assert not AuditLog.objects.filter(action=MEMBER_UNLOCKED).exists()
    # The form's CSRF token is required, as for every other POST.
    client = Client(enforce_csrf_checks=True)
    client.force_login(oscar)
    assert client.post(reverse("audit-unlock"), {"user": charlie.pk}).status_code == 403
    assert AccessAttempt.objects.filter(username="charlie@brij.test").exists()
    assert login(oscar).post(reverse("audit-unlock"), {"user": charlie.pk}).status_code == 302
    assert not AccessAttempt.objects.filter(username="charlie@brij.test").exists()


def test_the_lockouts_are_read_in_the_same_queries_however_many_members_failed(alice, bob, olga):
    firm = olga.membership.firm
    _fail_logins(alice.email, 1, address="192.0.2.1")
    with CaptureQueriesContext(connection) as one:
        assert [e.user for e in lockouts_for_firm(firm=firm)] == [alice]

    _fail_logins(bob.email, 1, address="192.0.2.2")
    _fail_logins(olga.email, LIMIT, address="192.0.2.3")
    with CaptureQueriesContext(connection) as three:
        lockouts = lockouts_for_firm(firm=firm)

    assert [(e.user, e.locked) for e in lockouts] == [(olga, True), (alice, False), (bob, False)]
    assert len(three.captured_queries) == len(one.captured_queries)
