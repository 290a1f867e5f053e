"""The project's figures computed and checked: a statement set aside for a year the trial
balance gave is checked against the computed balance sheet, in validate and generate."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pipeline.runner import run_execute
from tests.conftest import api_client
from tests.projects.cma.pdf_files import write_msme_statement_pdf

# The statement PDF's company, so the two files are taken as the same client's books.
TRIAL_BALANCE = b"""DEMO POLYMERS PRIVATE LIMITED
Trial Balance
1-Apr-2024 to 31-Mar-2025
Particulars,Debit,Credit
Share Capital,,1000000.00
Cash in Hand,1000000.00,
"""


def processed(client, project_id: int, files: list[SimpleUploadedFile]) -> dict:
    uploaded = client.post(reverse("api-project-files", args=[project_id]), {"files": files})
    assert uploaded.status_code == 201, uploaded.json()
    started = client.post(
        reverse("api-process", args=[project_id]),
        {"skip_review": True, "skip_validation": True},
        content_type="application/json",
    )
    assert started.status_code == 202, started.json()
    run_execute(run_id=started.json()["run_id"])
    return client.get(reverse("api-report", args=[project_id])).json()


def test_a_statement_set_aside_whose_total_assets_differ_is_a_warning_naming_it(
    project, alice, tmp_path
):
    statement = write_msme_statement_pdf(tmp_path / "fs.pdf")
    files = [
        SimpleUploadedFile("TB 2024-25.csv", TRIAL_BALANCE),
        SimpleUploadedFile("Financial statements.pdf", statement.read_bytes()),
    ]

    report = processed(api_client(alice), project.pk, files)

    mismatches = [w for w in report["validation"]["warnings"] if w["code"] == "statement_mismatch"]
    assert [(w["year"], w["message"]) for w in mismatches] == [
        (
            "2024-25",
            "Financial statements.pdf gives total assets of ₹40,850,000.00 for 2024-25, but "
            "the trial balance comes to ₹1,000,000.00.",
        )
    ]
