"""bandit finds nothing in the apps; each accepted finding is marked `# nosec BNNN # why` where it is."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def test_bandit_finds_nothing():
    bandit = shutil.which("bandit", path=str(Path(sys.executable).parent))
    if bandit is None:
        pytest.skip("bandit is not installed (a dev dependency)")
    result = subprocess.run(
        [bandit, "-c", "pyproject.toml", "-r", ".", "-x", "./tests,./bench,./.venv,./static,./var,./locale", "-q",
         "-f", "custom", "--msg-template", "{relpath}:{line} {test_id} {msg}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
