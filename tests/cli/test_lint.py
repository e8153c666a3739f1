"""The tree passes the linter requirements-dev.txt pins (ruff, configured in pyproject.toml)."""
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_ruff_finds_nothing():
    checked = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise"],
                             cwd=PROJECT, capture_output=True, text=True, timeout=120, check=False)
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-1000:]
