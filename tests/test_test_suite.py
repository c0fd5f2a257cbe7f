"""The suite itself: a test that hangs fails instead of stopping the run, and skipped
tests say why."""

import subprocess
import sys


def test_the_suite_gives_every_test_a_timeout(pytestconfig):
    assert 0 < float(pytestconfig.getini("timeout")) <= 600


def test_a_test_that_hangs_fails_when_its_time_is_up(tmp_path):
    hangs = "import time\n\n\ndef test_hangs():\n    time.sleep(60)\n"
    (tmp_path / "test_hangs.py").write_text(hangs)
    finished = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:django",
         "-o", "timeout=1", "test_hangs.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert finished.returncode == 1
    assert "Timeout" in finished.stdout


def test_skipped_tests_say_why(pytestconfig):
    assert "-rs" in pytestconfig.getini("addopts")
