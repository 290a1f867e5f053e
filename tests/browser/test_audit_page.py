"""The firm's owner reads the audit log, filters it, exports it and unlocks a member."""

import csv
import io
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import Client
from playwright.sync_api import expect

from projects.models import AuditLog
from tests.browser.conftest import screenshot
from tests.browser.test_projects_pages import log_in

pytestmark = pytest.mark.browser


def test_owner_filters_exports_and_unlocks(page, live_server, settings, project_file, olga, bob):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        # From bob's own address: the owner signs in from 127.0.0.1.
        Client(REMOTE_ADDR="192.0.2.5").post(
            "/accounts/login/", {"username": bob.email, "password": "wrong"}
        )

    log_in(page, live_server, "olga@acme.test")
    page.get_by_role("link", name="Audit").click()
    expect(page.get_by_role("heading", name="Audit log · Acme Associates")).to_be_visible()
    table = page.locator("#audit-table")
    expect(table).to_contain_text("Uploaded trial-balance.csv")
    expect(table).to_contain_text("alice@acme.test")

    page.get_by_label("What").select_option(label="Downloads")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Nothing recorded that matches.")).to_be_visible()
    page.get_by_label("What").select_option(label="Uploads and files")
    page.get_by_role("button", name="Filter").click()
    expect(table.locator("tbody tr")).to_have_count(1)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [(r["who"], r["action"]) for r in rows] == [("alice@acme.test", "file_uploaded")]

    sign_ins = page.locator("#sign-ins")
    expect(sign_ins).to_contain_text("bob@acme.test")
    expect(sign_ins).to_contain_text("Locked out")
    screenshot(page, "audit-page")
    sign_ins.get_by_role("button", name="Unlock bob@acme.test").click()
    expect(page.get_by_text("Unlocked: the member can sign in again.")).to_be_visible()
    expect(page.locator("#sign-ins")).to_contain_text("No member has failed sign-ins")
    assert not AccessAttempt.objects.filter(username="bob@acme.test").exists()
    assert AuditLog.objects.filter(action="member_unlocked", actor=olga).exists()
