"""inspect_upload and sanitize_filename: helpers and the sample books' paths."""

import io
import zipfile
import zlib
from pathlib import Path

import pytest

from projects.uploads import UploadRejected, inspect_upload
from projects.uploads import workbooks as upload_workbooks

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "samples"
SGP = SAMPLES / "shree-ganesh-polymers-private-limited"
MEHTA = SAMPLES / "mehta-traders"
MIB = 1024 * 1024
LIMIT = 25 * MIB


class Reader(io.BytesIO):
    """An upload stream that starts somewhere in the middle, as a half-read one would."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.seek(min(3, len(data)))


def inspect(name, data, *, max_bytes=LIMIT, size=None):
    stream = Reader(data)
    result = inspect_upload(
        name=name, fileobj=stream, size=len(data) if size is None else size, max_bytes=max_bytes
    )
    assert stream.tell() == 0
    return result


def refusal(name, data, *, max_bytes=LIMIT, size=None):
    stream = Reader(data)
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(
            name=name,
            fileobj=stream,
            size=len(data) if size is None else size,
            max_bytes=max_bytes,
        )
    assert stream.tell() == 0
    assert str(caught.value) == caught.value.detail
    return caught.value


@pytest.fixture
def no_parsing(monkeypatch):
    """Call it once the test input is built: from then on, nothing may inflate an archive."""

    def refuse(*args, **kwargs):
        raise AssertionError("the archive was inflated or parsed")

    def activate():
        monkeypatch.setattr(
            upload_workbooks, "CalamineWorkbook", type("Refused", (), {"from_filelike": refuse})
        )
        monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
        monkeypatch.setattr(zlib, "decompressobj", refuse)

    return activate
