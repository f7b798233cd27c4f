"""The linter and the formatter, as `make lint` runs them: ruff with pyproject.toml's [tool.ruff] over the whole tree."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from conftest import ROOT


def test_ruff_finds_nothing():
    assert importlib.util.find_spec("ruff"), "ruff is not installed: requirements.txt pins it (run scripts/setup.sh)"
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_tree_is_formatted_as_ruff_format_makes_it():
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, "run `make format`:\n" + run.stdout + run.stderr
