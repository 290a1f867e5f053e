"""The forms' PDF laid out in a forked child while the generate step writes the workbook:
the same document as one laid out in the process, the child always reaped, a lost child
made up for, and no child on a machine with one core."""

import os
import signal

import pytest

from projects.reports.pdf import PendingPdf, core_to_spare, forms_pdf_start, render_forms_pdf
from tests.projects.reports.test_pdf import pages_text, render_kwargs


@pytest.fixture(scope="module", autouse=True)
def _pango() -> None:
    try:
        import weasyprint  # noqa: F401
    except OSError as error:  # WeasyPrint without Pango
        if os.getenv("CI"):
            pytest.fail(f"WeasyPrint cannot load Pango: {error}")
        pytest.skip(f"WeasyPrint cannot load Pango: {error}")


@pytest.fixture(scope="module")
def here(tmp_path_factory) -> list[str]:
    """The text of the PDF laid out in this process, which every PDF laid out another way
    must equal: laid out once for the module, as the tests only compare with it."""
    path = tmp_path_factory.mktemp("here") / "here.pdf"
    path.write_bytes(render_forms_pdf(**render_kwargs()))
    return pages_text(path)


def started() -> PendingPdf:
    pending = forms_pdf_start(beside=True, **render_kwargs())
    assert pending.child_pid is not None
    return pending


def reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def text_of(pdf: bytes, tmp_path, name: str) -> list[str]:
    path = tmp_path / name
    path.write_bytes(pdf)
    return pages_text(path)


def test_the_pdf_laid_out_beside_is_the_one_laid_out_here(tmp_path, here):
    with started() as pending:
        pid = pending.child_pid
        beside = pending.result()
        assert pending.child_pid is None
    assert beside.startswith(b"%PDF")
    assert text_of(beside, tmp_path, "beside.pdf") == here
    assert reaped(pid)


def test_a_child_killed_on_the_way_is_made_up_for_here(tmp_path, here):
    with started() as pending:
        pid = pending.child_pid
        os.kill(pid, signal.SIGKILL)
        pdf = pending.result()
    assert reaped(pid)
    assert text_of(pdf, tmp_path, "made-up.pdf") == here


def test_closed_before_its_result_the_child_is_stopped_and_reaped():
    pending = started()
    pid = pending.child_pid
    pending.close()
    assert pending.child_pid is None
    assert reaped(pid)


def test_with_one_core_the_pdf_is_laid_out_in_the_process(tmp_path, here):
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    try:
        assert not core_to_spare()
        with forms_pdf_start(**render_kwargs()) as pending:
            assert pending.child_pid is None
            pdf = pending.result()
    finally:
        os.sched_setaffinity(0, cores)
    assert text_of(pdf, tmp_path, "one-core.pdf") == here


def test_a_child_that_never_finishes_is_killed_and_the_pdf_made_here(tmp_path, here):
    with started() as pending:
        pid = pending.child_pid
        os.kill(pid, signal.SIGSTOP)  # as if stuck on a lock it inherited
        pdf = pending.result(timeout=0.5)
        assert pending.child_pid is None
    assert reaped(pid)
    assert text_of(pdf, tmp_path, "stuck.pdf") == here
