"""A file that contradicts the rest of the project is set aside with a message naming it,
until the user accepts it; what every file said reaches the page, the report, the
workbook and the email, under the names the user uploaded."""

import html
import io

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from pipeline.runner import run_execute
from projects.models import AuditLog, FileStatus, LineItem
from tests.conftest import MEHTA_CSV, SGP_TB_2025, api_client, login, sample

# Mehta's own books of an earlier year, with no period line: the year is the one typed.
OLD_YEAR_CSV = (
    "Mehta Traders\n"
    "Trial Balance\n"
    "Particulars,Debit,Credit\n"
    "Partner Capital - Rajesh Mehta,,50000.00\n"
    "Sales,,150000.00\n"
    "Purchases,120000.00,\n"
    "Cash in Hand,80000.00,\n"
)
NOT_A_TRIAL_BALANCE = (
    "Date,Narration,Cheque No,Withdrawal,Deposit,Balance\n"
    "01/04/2024,Opening balance,,,,10000.00\n"
    "02/04/2024,NEFT from customer,,,5000.00,15000.00\n"
)


def upload(client, project_id, files, **data):
    response = client.post(
        reverse("api-project-files", args=[project_id]), {"files": files, **data}
    )
    assert response.status_code == 201, response.json()
    return response.json()["files"]


def process(client, project_id, on_commit=None, **options):
    """Runs the project's pipeline in this process; with ``on_commit`` (pytest-django's
    capture fixture) the hooks that wait for a commit run too: the emails."""
    started = client.post(
        reverse("api-process", args=[project_id]),
        {"skip_review": True, **options},
        content_type="application/json",
    )
    assert started.status_code == 202, started.json()
    if on_commit is None:
        run_execute(run_id=started.json()["run_id"])
    else:
        with on_commit(execute=True):
            run_execute(run_id=started.json()["run_id"])
    return client.get(reverse("api-progress", args=[project_id])).json()


def files_by_name(client, project_id):
    listed = client.get(reverse("api-project-files", args=[project_id])).json()["results"]
    return {f["name"]: f for f in listed}


def test_a_second_companys_books_are_set_aside_naming_both_companies(project, alice):
    client = api_client(alice)
    upload(client, project.pk, [sample(MEHTA_CSV), sample(SGP_TB_2025)])
    progress = process(client, project.pk)
    assert progress["status"] == "completed"
    files = files_by_name(client, project.pk)
    other = files["trial-balance-2024-25.xlsx"]
    assert other["status"] == FileStatus.FAILED
    assert other["acceptable"] is True
    assert "Shree Ganesh" in other["error"].title() and "Mehta Traders" in other["error"]
    assert files["trial-balance.csv"]["status"] == FileStatus.EXTRACTED
    # Only Mehta's figures were used.
    assert not LineItem.objects.filter(project=project, file_id=other["id"]).exists()
    report = client.get(reverse("api-report", args=[project.pk])).json()
    messages = [w["message"] for w in report["validation"]["warnings"]]
    assert any(
        m.startswith("Not used: trial-balance-2024-25.xlsx is the books of") for m in messages
    )


def test_an_accepted_file_is_used_and_its_reason_stays_as_a_warning(project, alice):
    client = api_client(alice)
    upload(client, project.pk, [sample(MEHTA_CSV), sample(SGP_TB_2025)])
    process(client, project.pk)
    other = files_by_name(client, project.pk)["trial-balance-2024-25.xlsx"]

    accepted = client.post(reverse("api-file-accept", args=[project.pk, other["id"]]))
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["accepted_at"] is not None
    assert AuditLog.objects.filter(action="file_accepted", project=project).count() == 1
    again = client.post(reverse("api-file-accept", args=[project.pk, other["id"]]))
    assert again.status_code == 409 and again.json()["error"] == "nothing_to_accept"

    progress = process(client, project.pk)
    assert progress["status"] == "completed"
    used = files_by_name(client, project.pk)["trial-balance-2024-25.xlsx"]
    assert used["status"] == FileStatus.EXTRACTED
    assert any(w.startswith("Accepted as it is:") for w in used["warnings"])
    report = client.get(reverse("api-report", args=[project.pk])).json()
    assert any("Accepted as it is" in w["message"] for w in report["validation"]["warnings"])


def test_a_file_of_a_far_year_is_set_aside_with_both_spans(project, alice):
    client = api_client(alice)
    upload(client, project.pk, [sample(MEHTA_CSV)])
    upload(
        client,
        project.pk,
        [SimpleUploadedFile("old-books.csv", OLD_YEAR_CSV.encode())],
        fiscal_year="2019-20",
    )
    progress = process(client, project.pk)
    assert progress["status"] == "completed"
    old = files_by_name(client, project.pk)["old-books.csv"]
    assert old["status"] == FileStatus.FAILED and old["acceptable"]
    assert "old-books.csv covers 2019-20" in old["error"]
    assert "2023-24 to 2024-25" in old["error"]
    assert set(LineItem.objects.filter(project=project).values_list("year", flat=True)) == {
        "2023-24",
        "2024-25",
    }


def test_what_the_files_said_reaches_the_page_workbook_and_email(
    project, alice, django_capture_on_commit_callbacks
):
    client = api_client(alice)
    upload(
        client,
        project.pk,
        [sample(MEHTA_CSV), SimpleUploadedFile("bank.csv", NOT_A_TRIAL_BALANCE.encode())],
    )
    progress = process(client, project.pk, on_commit=django_capture_on_commit_callbacks)
    assert progress["status"] == "completed"
    bank = files_by_name(client, project.pk)["bank.csv"]
    assert bank["status"] == FileStatus.FAILED and not bank["acceptable"]
    # Named as uploaded, never by the stored name.
    assert "bank.csv" in bank["error"] and "uploads/" not in bank["error"]

    page = login(alice).get(reverse("project-detail", args=[project.pk])).content.decode()
    assert html.escape(bank["error"]) in page  # on the file's row
    assert html.escape(f"Not used: {bank['error']}") in page  # in what the report asks to check

    report = client.get(reverse("api-report", args=[project.pk])).json()
    output = client.get(report["output"]["download_url"])
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(output.streaming_content)))
    validation = workbook.get_sheet_by_name("Validation").to_python()
    assert any("bank.csv" in str(cell) for row in validation for cell in row)

    [email] = [m for m in mail.outbox if m.subject.startswith("Report ready")]
    assert "bank.csv" in email.body


def test_the_file_page_lists_every_row_that_is_not_a_line_item(project, alice):
    client = api_client(alice)
    [stored] = upload(client, project.pk, [sample(MEHTA_CSV)])
    process(client, project.pk)
    rows = client.get(reverse("api-file-rows", args=[project.pk, stored["id"]])).json()
    assert rows["line_items"] == {
        year: LineItem.objects.filter(project=project, year=year).count()
        for year in ("2023-24", "2024-25")
    }
    # The title and the header rows are accounted for, with a reason each.
    assert len(rows["skipped_rows"]) >= 2
    assert all(row["reason"] for row in rows["skipped_rows"])
    page = login(alice).get(reverse("project-file-detail", args=[project.pk, stored["id"]]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rows not taken as line items" in text
    assert rows["skipped_rows"][0]["reason"] in text


def test_another_firm_cannot_see_or_accept_a_file(project, alice, charlie):
    client = api_client(alice)
    [stored] = upload(client, project.pk, [sample(MEHTA_CSV)])
    other = api_client(charlie)
    assert other.get(reverse("api-file-rows", args=[project.pk, stored["id"]])).status_code == 404
    assert (
        other.post(reverse("api-file-accept", args=[project.pk, stored["id"]])).status_code == 404
    )
    page = login(charlie).get(reverse("project-file-detail", args=[project.pk, stored["id"]]))
    assert page.status_code == 404


def test_a_file_with_nothing_to_accept_is_refused(project, alice):
    client = api_client(alice)
    [stored] = upload(client, project.pk, [sample(MEHTA_CSV)])
    response = client.post(reverse("api-file-accept", args=[project.pk, stored["id"]]))
    assert response.status_code == 409
    assert response.json()["error"] == "nothing_to_accept"


def test_a_year_typed_against_the_files_own_stops_the_file_until_confirmed(project, alice):
    client = api_client(alice)
    [stored] = upload(client, project.pk, [sample(SGP_TB_2025)], fiscal_year="2023-24")
    progress = process(client, project.pk)
    assert progress["status"] == "failed"
    refused = files_by_name(client, project.pk)["trial-balance-2024-25.xlsx"]
    assert refused["acceptable"]
    assert "2024-25" in refused["error"] and "2023-24" in refused["error"]
    assert "trial-balance-2024-25.xlsx" in progress["steps"][0]["error"]

    client.post(reverse("api-file-accept", args=[project.pk, stored["id"]]))
    retried = client.post(reverse("api-retry", args=[project.pk]))
    assert retried.status_code == 202, retried.json()
    run_execute(run_id=retried.json()["run_id"])
    used = files_by_name(client, project.pk)["trial-balance-2024-25.xlsx"]
    assert used["status"] == FileStatus.EXTRACTED
    assert any("2023-24" in warning for warning in used["warnings"])
    # The year the user confirmed is the one the figures are filed under.
    assert set(LineItem.objects.filter(project=project).values_list("year", flat=True)) == {
        "2023-24"
    }
