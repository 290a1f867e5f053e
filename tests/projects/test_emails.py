"""The three emails of a run, and that their links land where they point after a login."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse

from pipeline.runner import run_execute
from projects.models import Output, ReviewItem
from projects.services import project_files_add
from tests.conftest import MEHTA_CSV, PASSWORD, api_client, sample

UNBALANCED = (
    "Trial Balance 1-Apr-2024 to 31-Mar-2025\n"
    "Particulars,Debit,Credit\n"
    "Capital Account,,50000.00\n"
    "Cash in Hand,75000.00,\n"
)


@pytest.fixture
def process(project, alice, django_capture_on_commit_callbacks):
    """Uploads, presses Process as alice, and lets the worker run it here."""

    def run_it(upload: SimpleUploadedFile, **options) -> int:
        project_files_add(project=project, uploads=[upload], user=alice)
        response = api_client(alice).post(
            reverse("api-process", args=[project.pk]), options, content_type="application/json"
        )
        with django_capture_on_commit_callbacks(execute=True):
            run_execute(run_id=response.json()["run_id"])
        return response.json()["run_id"]

    return run_it


def links(message: mail.EmailMultiAlternatives) -> list[str]:
    found = re.findall(r"https?://[^\s\"<>]+", message.body)
    html = message.alternatives[0][0]
    for link in found:
        assert f'href="{link.replace("&", "&amp;")}"' in html or f'href="{link}"' in html
    return found


def target(link: str) -> str:
    """The link as a path on this site; it must resolve to one of our URLs."""
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == settings.SITE_URL
    resolve(parts.path)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def follow_logged_out(path: str, user) -> tuple[Client, object]:
    """Opens the link without a session, logs in on the page it sends us to, follows on."""
    client = Client()
    bounce = client.get(path)
    assert bounce.status_code == 302
    login_url = bounce.url.partition("?")[0]
    assert login_url in {reverse("login"), reverse("admin:login")}
    page = client.get(bounce.url)
    assert page.status_code == 200
    landed = client.post(
        bounce.url,
        {"username": user.username, "password": PASSWORD, "next": page.context["next"]},
    )
    assert landed.status_code == 302
    assert landed.url == path
    return client, client.get(landed.url)


def test_review_needed_goes_to_the_firms_cas_and_lands_on_the_project_items(
    process, project, bob, olga, dave
):
    run_id = process(sample(MEHTA_CSV), auto_approve_above=0.99)
    pending = ReviewItem.objects.filter(run_id=run_id).count()
    [message] = mail.outbox
    assert sorted(message.to) == ["bob@acme.test", "olga@acme.test"]
    assert message.subject == f"Review needed: {project.name} ({pending} items)"
    review_link, project_link = links(message)
    path = target(review_link)
    assert path == f"/admin/projects/reviewitem/?project__id__exact={project.pk}"

    _, page = follow_logged_out(path, bob)
    assert page.status_code == 200
    assert page.context["cl"].result_count == pending
    _, page = follow_logged_out(target(project_link), bob)
    assert page.context["project"] == project


def test_report_ready_goes_to_the_requester_with_a_download_link(process, project, alice):
    run_id = process(sample(MEHTA_CSV))
    [message] = mail.outbox
    assert message.to == ["alice@acme.test"]
    assert message.subject == f"Report ready: {project.name}"
    output = Output.objects.get(run_id=run_id, name__endswith=".xlsx")
    download_link, project_link = links(message)
    path = target(download_link)
    assert path == reverse("output-download", args=[output.pk])

    _, download = follow_logged_out(path, alice)
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{output.name}"'
    assert b"".join(download.streaming_content)[:2] == b"PK"  # an xlsx is a zip
    assert target(project_link) == reverse("project-detail", args=[project.pk])


def test_run_failed_tells_the_reason_and_links_the_project(process, project, alice):
    process(SimpleUploadedFile("tb.csv", UNBALANCED.encode()))
    [message] = mail.outbox
    assert message.to == ["alice@acme.test"]
    assert message.subject == f"Processing failed: {project.name}"
    assert "75,000.00" in message.body  # the totals that do not agree
    [project_link] = links(message)
    _, page = follow_logged_out(target(project_link), alice)
    assert page.status_code == 200
    assert page.context["project"] == project


def test_a_link_of_another_firm_is_a_404_after_login(process, project, charlie):
    process(sample(MEHTA_CSV))
    download_link, _ = links(mail.outbox[0])
    client = Client()
    client.force_login(charlie)
    assert client.get(target(download_link)).status_code == 404
