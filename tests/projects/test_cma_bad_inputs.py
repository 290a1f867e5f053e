"""Bad books through the whole pipeline: each gets its reason, the rest goes on."""

import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from pipeline.runner import run_execute
from projects.models import LineItem
from tests.conftest import MEHTA_CSV, api_client, sample

BALANCED_CSV = (
    "Trial Balance 1-Apr-2024 to 31-Mar-2025\n"
    "Particulars,Debit,Credit\n"
    "Capital Account,,50000.00\n"
    "Sales,,150000.00\n"
    "Purchases,120000.00,\n"
    '"=HYPERLINK(""http://x"",""y"")",5000.00,\n'
    "Cash in Hand,75000.00,\n"
)

# A text PDF page with nothing but an image-like empty content stream: no text layer.
IMAGE_ONLY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
    b"4 0 obj<</Length 0>>stream\n\nendstream endobj\n"
    b"xref\n0 5\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \n0000000183 00000 n \ntrailer<</Size 5/Root 1 0 R>>\n"
    b"startxref\n232\n%%EOF\n"
)


def run(client, project_id: int, files: list, **options) -> dict:
    if files:
        uploaded = client.post(reverse("api-project-files", args=[project_id]), {"files": files})
        assert uploaded.status_code == 201, uploaded.json()
    started = client.post(
        reverse("api-process", args=[project_id]), options, content_type="application/json"
    )
    assert started.status_code == 202, started.json()
    run_execute(run_id=started.json()["run_id"])
    return client.get(reverse("api-progress", args=[project_id])).json()


def test_an_image_only_pdf_fails_alone_and_the_rest_goes_on(project, alice):
    client = api_client(alice)
    progress = run(
        client,
        project.pk,
        [sample(MEHTA_CSV), SimpleUploadedFile("scan.pdf", IMAGE_ONLY_PDF)],
        skip_review=True,
    )
    assert progress["status"] == "completed"
    failed = [d for d in progress["documents"] if d["phase"] == "failed"]
    assert [d["name"] for d in failed] == ["scan.pdf"]
    assert "scanned" in failed[0]["error"]
    files = client.get(reverse("api-project-files", args=[project.pk])).json()["results"]
    assert {f["name"]: f["status"] for f in files} == {
        "trial-balance.csv": "extracted",
        "scan.pdf": "failed",
    }


def test_a_trial_balance_that_does_not_balance_fails_with_both_totals(project, alice):
    unbalanced = BALANCED_CSV.replace("Cash in Hand,75000.00", "Cash in Hand,74000.00")
    progress = run(
        api_client(alice), project.pk, [SimpleUploadedFile("tb.csv", unbalanced.encode())]
    )
    assert progress["status"] == "failed"
    error = progress["steps"][0]["error"]
    assert "2,00,000.00" in error and "1,99,000.00" in error


def test_a_windows_1252_csv_is_read(project, alice):
    text = BALANCED_CSV.replace("Capital Account", "Café Capital \u2013 Partner")
    progress = run(
        api_client(alice),
        project.pk,
        [SimpleUploadedFile("tb.csv", text.encode("cp1252"))],
        skip_review=True,
        skip_validation=True,
    )
    assert progress["steps"][0]["status"] == "completed"
    assert LineItem.objects.filter(label="Café Capital \u2013 Partner").exists()


def test_a_ledger_that_looks_like_a_formula_stays_text_in_the_workbook(project, alice):
    client = api_client(alice)
    progress = run(
        client,
        project.pk,
        [SimpleUploadedFile("tb.csv", BALANCED_CSV.encode())],
        skip_review=True,
        skip_validation=True,
    )
    assert progress["status"] == "completed", progress
    report = client.get(reverse("api-report", args=[project.pk])).json()
    content = b"".join(client.get(report["output"]["download_url"]).streaming_content)
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    cells = [str(cell) for row in book.get_sheet_by_name("Line items").to_python() for cell in row]
    assert any('=HYPERLINK("http://x","y")' in cell for cell in cells)
    archive = zipfile.ZipFile(io.BytesIO(content))
    sheets = "".join(
        archive.read(name).decode() for name in archive.namelist() if "worksheets/" in name
    )
    assert "<f>" in sheets  # the figures are formulas
    # The ledger is a string (the Line items sheet's are inline), never a formula.
    assert not re.search(r"<f>[^<]*HYPERLINK", sheets)
    assert 't="inlineStr"><is><t>\'=HYPERLINK' in sheets


def test_an_absurd_figure_fails_its_file_alone_and_the_rest_goes_on(project, alice):
    huge = BALANCED_CSV.replace("Cash in Hand,75000.00", "Cash in Hand,100000000000000000000000000")
    client = api_client(alice)
    progress = run(
        client,
        project.pk,
        [sample(MEHTA_CSV), SimpleUploadedFile("huge.csv", huge.encode())],
        skip_review=True,
    )
    assert progress["status"] == "completed"
    files = client.get(reverse("api-project-files", args=[project.pk])).json()["results"]
    failed = {f["name"]: f for f in files if f["status"] == "failed"}
    assert list(failed) == ["huge.csv"]
    assert client.get(reverse("api-line-items", args=[project.pk])).status_code == 200
    # Its two sides cannot agree; accepted as it is, the figure itself is refused.
    accepted = client.post(reverse("api-file-accept", args=[project.pk, failed["huge.csv"]["id"]]))
    assert accepted.status_code == 200
    run(client, project.pk, [], skip_review=True)
    files = client.get(reverse("api-project-files", args=[project.pk])).json()["results"]
    error = next(f["error"] for f in files if f["name"] == "huge.csv")
    assert "Cash in Hand" in error and "more than any real book" in error
