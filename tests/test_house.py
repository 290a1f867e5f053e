"""The house rules a machine checks (`make lint`): here, that the module-size check fails
on a module past the limit and leaves migrations alone."""

import subprocess
import sys
from pathlib import Path

CHECK = Path(__file__).resolve().parent.parent / "tools" / "check_sizes.py"


def write_module(path: Path, lines: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x = 1\n" * lines)


def check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CHECK), str(root)], capture_output=True, text=True, check=False
    )


def test_a_module_past_600_lines_fails_the_check_and_is_named(tmp_path):
    write_module(tmp_path / "projects" / "big" / "views.py", 601)
    write_module(tmp_path / "pipeline" / "engine.py", 600)
    write_module(tmp_path / "projects" / "migrations" / "0001_initial.py", 2000)

    result = check(tmp_path)

    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "projects/big/views.py: 601 lines, over 600: make it a package"
    ]


def test_modules_within_the_limit_pass_the_check(tmp_path):
    write_module(tmp_path / "config" / "settings.py", 600)

    result = check(tmp_path)

    assert (result.returncode, result.stdout) == (0, "")
