"""Shared helpers and fixtures.

- fixture sites and the two front doors: ``factcheck`` (its ``main``, in this process) and a
  real ``mkdocs build --strict`` (a process of its own);
- the session's one build of the real site (``built_site``), the one loopback host that serves
  it (``served``) and the one Chromium every browser test drives (``chromium``).

The tiers (README, "Tests"): ``-m "not browser and not slow and not books"`` is ``make test-fast``.
Both tiers run on pytest-xdist workers with ``--dist loadgroup``: the tests of the session's build
share one worker (``pytest_collection_modifyitems``).
"""

from __future__ import annotations

import contextlib
import signal
import socket
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from factengine import cli as factcheck_cli
from sitemeta.build import configured_site_url

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HOOK = ROOT / "hooks" / "facts.py"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

sys.path.insert(0, str(Path(__file__).resolve().parent))
from public_server import StaticHost  # noqa: E402
from public_tools import Lighthouse, built_pages, one_of_each_kind  # noqa: E402
from searchindex.browser import Browser  # noqa: E402

# The loopback host of the session, bound now (not yet serving): the real site is built for its
# address, so that canonical and hreflang URLs point at the server that answers (Lighthouse
# compares them with the address a page was loaded from). The path is mkdocs.yml's site_url's.
HOST = StaticHost(urlsplit(configured_site_url(ROOT)).path)
SITE_URL = HOST.url  # the built site's site_url: http://127.0.0.1:PORT/prime-help/


def factcheck(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``factcheck ARGS`` run in ``cwd``, in this process (``factengine.cli.main``, the console
    script's own function): its exit status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(cwd)  # reports name paths relative to the working folder
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = factcheck_cli.main(list(args))
            except SystemExit as exc:  # argparse, on bad usage
                code = exc.code
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(["factcheck", *args], code, out.getvalue(), err.getvalue())


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def mkdocs_serve(args: list[str], cwd: Path = ROOT, **popen):
    """``mkdocs serve ARGS`` in ``cwd``, in a process group of its own, stopped (the group: MkDocs'
    builder and its children) when the block ends."""
    serving = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", *args], cwd=cwd, env=ENV, start_new_session=True, **popen
    )
    try:
        yield serving
    finally:
        os.killpg(serving.pid, signal.SIGTERM)
        try:
            serving.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(serving.pid, signal.SIGKILL)
            serving.wait()


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
        return factcheck(*args, cwd=self.path)

    def factcheck_json(self) -> tuple[int, dict]:
        run = self.factcheck("--json")
        return run.returncode, json.loads(run.stdout)

    def build(self, out: str = "site") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", out],
            cwd=self.path,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=300,
        )


def copy_site(name: str, dest: Path) -> Site:
    shutil.copytree(FIXTURES / name, dest)
    config = dest / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("HOOKS", str(HOOK)), "utf-8")
    return Site(dest)


@pytest.fixture
def site(tmp_path) -> Site:
    return copy_site("clean", tmp_path / "site-src")


def real_site_config(books: bool = True) -> str:
    """The configuration the session builds the real site with: mkdocs.yml INHERITed, site_url moved
    to the session's loopback host (as ``python -m sitemeta.build`` does), and, without ``books``,
    the printable books' hook left out (the build's longest part: WeasyPrint prints three books)."""
    config = f"INHERIT: mkdocs.yml\nsite_url: {SITE_URL}\n"
    if not books:
        block = re.search(r"^hooks:\n((?:[ \t]+-[^\n]*\n)+)", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M)
        assert block, "mkdocs.yml: no hooks list"
        listed = re.findall(r"^\s+-\s*(\S+)", block.group(1), re.M)
        hooks = [hook for hook in listed if hook != "hooks/pdf.py"]
        assert len(hooks) == len(listed) - 1, f"mkdocs.yml: hooks/pdf.py is not one of the hooks {listed}"
        config += "hooks:\n" + "".join(f"  - {hook}\n" for hook in hooks)
    return config


BUILT_SITE_GROUP = "built-site"


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the groups into the test ids
def pytest_collection_modifyitems(config, items):
    """With pytest-xdist's ``--dist loadgroup`` (``make test``, ``make test-fast``), every test that
    reads the session's build of the real site (``built_site``, and through it the host, the
    Lighthouse audits) runs on one worker: the site is built once, for the one loopback host
    that serves it, while the other worker runs everything else."""
    for item in items:
        if "built_site" in item.fixturenames:
            item.add_marker(pytest.mark.xdist_group(BUILT_SITE_GROUP))


@pytest.fixture(scope="session")
def built_site(request, tmp_path_factory) -> Path:
    """The real site, built once per test session with ``mkdocs build --strict`` (configured by
    ``real_site_config``), for the tests that only read it. The printable books are printed when a
    selected test reads them (marker ``books``): ``make test`` has them, ``make test-fast`` not."""
    books = any(item.get_closest_marker("books") for item in request.session.items)
    out = tmp_path_factory.mktemp("built") / "site"
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "-", "-d", str(out)],
        input=real_site_config(books),
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-6000:]
    assert "Traceback" not in run.stderr
    assert any(out.rglob("*.pdf")) == books, f"books printed: {any(out.rglob('*.pdf'))}, expected {books}"
    return out


@pytest.fixture(scope="session")
def host(built_site) -> StaticHost:
    """The built site on the session's loopback host, under its site_url path, as a static host serves it."""
    HOST.start(built_site)
    yield HOST
    HOST.stop()


@pytest.fixture(scope="session")
def served(request, host) -> StaticHost:
    """The session's host; when a selected test reads Lighthouse's audits, they start now, in the
    background (see ``lighthouse``), while the other tests run."""
    if any("lighthouse" in item.fixturenames for item in request.session.items):
        request.getfixturevalue("lighthouse")
    return host


@pytest.fixture(scope="session")
def lighthouse(host, built_site, tmp_path_factory) -> Lighthouse:
    """Lighthouse's audits of one page of each kind in each language of the served site, started as soon
    as the site is served and made while the other tests run; ``.reports()`` waits for them.
    A 404 page is audited at its own address (status 200): served with status 404, as readers get it,
    Lighthouse's SEO audit fails any page by design."""
    folder = tmp_path_factory.mktemp("lighthouse")
    chosen = one_of_each_kind(built_pages(built_site))
    audits = Lighthouse([(HOST.url + page.url_path, folder / f"{page.rel.replace('/', '_')}.json") for page in chosen])
    audits.chosen = chosen
    audits.started = time.monotonic()
    yield audits.start()
    audits.stop()


@pytest.fixture(scope="session")
def chromium():
    """The session's one Chromium (Debian's, driven by Playwright): tests open contexts and pages in it."""
    with Browser() as running:  # no chromium: FileNotFoundError naming the package, a failure
        yield running.browser
