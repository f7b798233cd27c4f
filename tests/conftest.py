"""Shared helpers: the project root, fixture sites, and running the two front doors
(the standalone ``factcheck`` and a real ``mkdocs build --strict``)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HOOK = ROOT / "hooks" / "facts.py"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


class Site:
    """A copy of a fixture site that a test may damage."""

    def __init__(self, path: Path):
        self.path = path

    def file(self, rel: str) -> Path:
        return self.path / rel

    def read(self, rel: str) -> str:
        return self.file(rel).read_text("utf-8")

    def write(self, rel: str, text: str) -> None:
        self.file(rel).parent.mkdir(parents=True, exist_ok=True)
        self.file(rel).write_text(text, "utf-8")

    def replace(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"fixture {rel} does not contain {old!r}"
        self.write(rel, text.replace(old, new, 1))

    def line_of(self, rel: str, needle: str) -> int:
        """The line where ``needle`` stands in a file: tests name places by their text, not by number."""
        data = self.file(rel).read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(data.splitlines(), 1):
            if needle in line:
                return number
        raise AssertionError(f"{needle!r} is not in {rel}")

    def factcheck(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "factengine", *args], cwd=self.path, env=ENV,
                              capture_output=True, text=True, timeout=60)

    def factcheck_json(self) -> tuple[int, dict]:
        run = self.factcheck("--json")
        return run.returncode, json.loads(run.stdout)

    def build(self, out: str = "site") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", out], cwd=self.path,
                              env=ENV, capture_output=True, text=True, timeout=300)


def copy_site(name: str, dest: Path) -> Site:
    shutil.copytree(FIXTURES / name, dest)
    config = dest / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("HOOKS", str(HOOK)), "utf-8")
    return Site(dest)


@pytest.fixture
def site(tmp_path) -> Site:
    return copy_site("clean", tmp_path / "site-src")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per test session with ``mkdocs build --strict``."""
    out = tmp_path_factory.mktemp("built") / "site"
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=ROOT, env=ENV,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    return out
