"""inspect_upload on archives that expand too much, refused without inflating them."""

import io
import zipfile

from projects.uploads import workbooks as upload_workbooks
from tests.projects.uploads.conftest import MIB, inspect, refusal
from tests.projects.uploads.files import lying_zip, xlsx, zip_of

# Archives that expand too much


def test_zip_bomb_is_refused_before_parsing(no_parsing):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/workbook.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(300):
            member.write(bytes(MIB))
    data = out.getvalue()
    assert len(data) < MIB
    no_parsing()
    rejected = refusal("tb.xlsx", data)
    assert rejected.code == "archive_too_large"
    assert "expands to far more data" in rejected.detail


def test_archive_that_compresses_over_100_times_is_refused(no_parsing):
    data = zip_of({"xl/workbook.xml": bytes(5 * MIB)})
    no_parsing()
    assert refusal("tb.xlsx", data).code == "archive_too_large"


def test_small_archive_may_compress_very_well():
    with zipfile.ZipFile(io.BytesIO(xlsx())) as original:
        members = {info.filename: original.read(info) for info in original.infolist()}
    members["xl/media/blank.bin"] = bytes(900 * 1024)
    assert inspect("tb.xlsx", zip_of(members)).kind == "xlsx"


def test_archive_with_too_many_members_is_refused(no_parsing):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for index in range(10_001):
            archive.writestr(f"m/{index}", b"")
    no_parsing()
    rejected = refusal("tb.xlsx", out.getvalue())
    assert rejected.code == "archive_too_large"
    assert "10,001 files" in rejected.detail


def test_zip_that_lies_about_its_size_is_refused_before_calamine(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("calamine was given the archive")

    monkeypatch.setattr(
        upload_workbooks, "CalamineWorkbook", type("Refused", (), {"from_filelike": refuse})
    )
    data = lying_zip(declared=1000, inflates_to=64 * MIB)
    rejected = refusal("tb.xlsx", data)
    assert rejected.code == "archive_too_large"
    assert "more data than it says it holds" in rejected.detail


def test_zip_member_shorter_than_it_says_is_corrupt():
    with zipfile.ZipFile(io.BytesIO(lying_zip(declared=1000, inflates_to=MIB))) as archive:
        assert archive.infolist()[0].file_size == 1000
    data = lying_zip(declared=5000, inflates_to=4000)
    assert refusal("tb.xlsx", data).code == "corrupt"
