"""Each bad upload gets its clear error, and nothing of it is stored (row or bytes)."""

import io
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import MEHTA_CSV, SGP_TB_2024, api_client, login, sample


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Trial Balance")
    sheet.write_row(0, 0, ["Ledger", "Debit", "Credit"])
    sheet.write_row(1, 0, ["Cash", 100, 0])
    book.close()
    return buffer.getvalue()


def zip_bomb() -> bytes:
    # An "xlsx" whose one member inflates from well under 1 MB to 300 MB of zeros.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/workbook.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * 2**20
            for _ in range(300):
                member.write(chunk)
    return buffer.getvalue()


def stored_bytes(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


BAD_UPLOADS = {
    "empty": (SimpleUploadedFile("tb.xlsx", b""), "empty"),
    "corrupt xlsx": (SimpleUploadedFile("tb.xlsx", xlsx_bytes()[:900]), "corrupt"),
    "random bytes named xlsx": (
        SimpleUploadedFile("tb.xlsx", bytes(range(256)) * 8),
        "unsupported_type",
    ),
    "png named csv": (
        SimpleUploadedFile("tb.csv", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        "unsupported_type",
    ),
    "plain prose": (SimpleUploadedFile("notes.txt", b"just some words\n" * 3), "unsupported_type"),
    "truncated pdf": (SimpleUploadedFile("fs.pdf", b"%PDF-1.4\n1 0 obj\n<<"), "corrupt"),
}


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=str)
def test_bad_upload_is_refused_with_its_reason(project, alice, settings, case):
    upload, code = BAD_UPLOADS[case]
    response = api_client(alice).post(
        reverse("api-project-files", args=[project.pk]), {"files": [upload]}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_files"
    [problem] = body["files"]
    assert problem["error"] == code
    assert problem["name"] == upload.name
    assert upload.name in problem["detail"]
    assert not project.files.exists()
    assert stored_bytes(settings) == []


def test_zip_bomb_is_refused_before_parsing(project, alice, settings):
    settings.MAX_UPLOAD_MB = 25
    response = api_client(alice).post(
        reverse("api-project-files", args=[project.pk]),
        {"files": [SimpleUploadedFile("tb.xlsx", zip_bomb())]},
    )
    assert response.status_code == 400
    assert response.json()["files"][0]["error"] == "archive_too_large"
    assert not project.files.exists()


def test_too_large_file_is_413(project, alice, settings):
    settings.MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.csv", b"Ledger,Amount\n" + b"Cash,1\n" * 200_000)
    response = api_client(alice).post(
        reverse("api-project-files", args=[project.pk]), {"files": [big]}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "file_too_large"
    assert "1 MB" in response.json()["files"][0]["detail"]
    assert not project.files.exists()
    assert stored_bytes(settings) == []


def test_duplicate_of_a_stored_file_is_refused(project_file, alice, settings):
    before = stored_bytes(settings)
    response = api_client(alice).post(
        reverse("api-project-files", args=[project_file.project_id]),
        {"files": [sample(MEHTA_CSV)]},
    )
    assert response.status_code == 400
    [problem] = response.json()["files"]
    assert problem["error"] == "duplicate"
    assert project_file.project.files.count() == 1
    assert stored_bytes(settings) == before


def test_duplicate_within_one_upload_is_refused(project, alice, settings):
    response = api_client(alice).post(
        reverse("api-project-files", args=[project.pk]),
        {"files": [sample(MEHTA_CSV), SimpleUploadedFile("copy.csv", sample(MEHTA_CSV).read())]},
    )
    assert response.status_code == 400
    [problem] = response.json()["files"]
    assert problem == {
        "name": "copy.csv",
        "error": "duplicate",
        "detail": "copy.csv is the same file as trial-balance.csv.",
    }
    assert not project.files.exists()


def test_one_bad_file_stores_none_of_the_upload(project, alice, settings):
    response = api_client(alice).post(
        reverse("api-project-files", args=[project.pk]),
        {"files": [sample(SGP_TB_2024), SimpleUploadedFile("empty.csv", b"")]},
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["files"]] == ["empty.csv"]
    assert not project.files.exists()
    assert stored_bytes(settings) == []


def test_no_files_is_a_400(project, alice):
    response = api_client(alice).post(reverse("api-project-files", args=[project.pk]), {})
    assert response.status_code == 400
    assert response.json()["error"] == "no_files"


def test_too_many_files_at_once_is_refused(project, alice, settings):
    settings.MAX_UPLOAD_FILES = 2
    files = [
        SimpleUploadedFile(f"t{i}.csv", f"Ledger,Amount\nCash,{i}\n".encode()) for i in range(3)
    ]
    response = api_client(alice).post(
        reverse("api-project-files", args=[project.pk]), {"files": files}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "too_many_files"
    assert not project.files.exists()


def test_names_are_sanitized(project, alice, settings):
    upload = SimpleUploadedFile("../../etc/<tb>\x00 2024.csv", b"Ledger,Amount\nCash,1\nBank,2\n")
    response = api_client(alice).post(
        reverse("api-project-files", args=[project.pk]), {"files": [upload]}
    )
    assert response.status_code == 201, response.json()
    name = response.json()["files"][0]["name"]
    assert "/" not in name and "<" not in name and "\x00" not in name and ".." not in name
    assert name.endswith(".csv")
    [stored] = stored_bytes(settings)
    assert Path(settings.MEDIA_ROOT) in stored.parents
    assert "tb" not in stored.name  # the stored name is ours, not the client's


def test_page_upload_shows_each_reason_and_stores_nothing(project, alice, settings):
    client = login(alice)
    response = client.post(
        reverse("project-upload", args=[project.pk]),
        {"files": [SimpleUploadedFile("empty.xlsx", b"")]},
        follow=True,
    )
    assert response.status_code == 200
    assert "empty.xlsx is empty" in response.text
    assert "Nothing from this upload was stored" in response.text
    assert not project.files.exists()
    assert stored_bytes(settings) == []
