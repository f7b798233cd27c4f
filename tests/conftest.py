"""Shared helpers and fixtures.

- fixture sites and the two front doors: ``factcheck`` (its ``main``, in this process) and a
  real ``mkdocs build --strict`` (a process of its own);
- the session's one build of the real site (``built_site``), the one loopback host that serves
  it (``served``) and the one Chromium every browser test drives (``chromium``).

The tiers (README, "Tests"): ``-m "not browser and not slow and not books"`` is ``make test-fast``.
Both tiers run on pytest-xdist workers with ``--dist loadgroup``: the tests that use the session's
host share one worker, the workers share the one build, and the order of the tests keeps both
busy (``pytest_collection_modifyitems``).
"""

from __future__ import annotations

import contextlib
import fcntl
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
from public_server import StaticHost, reserve_port  # noqa: E402
from public_tools import Lighthouse, built_pages, one_of_each_kind  # noqa: E402
from searchindex.browser import Browser  # noqa: E402

# The loopback host of the session: the real site is built for its address, so that canonical and
# hreflang URLs point at the server that answers (Lighthouse compares them with the address a page
# was loaded from). The path is mkdocs.yml's site_url's. Its port is chosen once, by the pytest
# process that starts the session, which keeps it reserved until the session ends; the
# pytest-xdist workers it starts inherit it through the environment, so the build and every
# test, on whichever worker, agree on one address.
SITE_PORT_VARIABLE = "PRIME_HELP_TESTS_SITE_PORT"
if not os.environ.get(SITE_PORT_VARIABLE):
    _PORT_RESERVATION = reserve_port()
    os.environ[SITE_PORT_VARIABLE] = str(_PORT_RESERVATION.getsockname()[1])
HOST = StaticHost(urlsplit(configured_site_url(ROOT)).path, port=int(os.environ[SITE_PORT_VARIABLE]))
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


SERVED_SITE_GROUP = "served-site"
BUILT_SITE_GROUP = "built-site"
BOOK_READERS_GROUP = "book-readers"


# The fixtures through which a test uses the session's host. "served" is named too: a module may
# override it with a fixture that wraps it (test_public_site.py), and pytest's closure of an item's
# fixtures then stops at the override, without "host".
HOST_FIXTURES = frozenset({"host", "served", "lighthouse"})


def _tier(item) -> int:
    """0: uses the session's host (served with its build); 1: needs no build; 2: reads the build's files."""
    names = set(item.fixturenames)
    return 0 if names & HOST_FIXTURES else 2 if "built_site" in names else 1


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the groups into the test ids
def pytest_collection_modifyitems(config, items):
    """With pytest-xdist's ``--dist loadgroup`` (``make test``, ``make test-fast``), every test that
    uses the session's loopback host (``host``, and through it ``served``, the browser visits,
    Lighthouse's audits) runs on one worker, the one that serves the site. The other tests of the
    session's build only read its files: they go to any worker, and the workers share the one build
    (``built_site``).

    The order makes the two workers finish together: the served tests first (their worker builds
    the site at once, and Lighthouse's audits start early), then the tests that need no build, then
    the ones that read it, which the other worker reaches once the build is done. Among those, the
    readers of the printable books come first, as a group of their own: each book's text is read
    once (pypdf, about 10 s a book, kept in the process), where two workers would read it twice.
    ``make test`` keeps this order with ``--no-loadscope-reorder`` (by default xdist sends the
    largest groups first, and the books' worker would wait for the build from the start).

    When no selected test uses the host (``make test-fast``), the readers of the build are the
    group instead, and xdist's default order sends it first, the largest unit: one worker builds
    the site from the start while the other runs the rest, rather than both meeting the build at
    the end."""
    served = any(_tier(item) == 0 for item in items)

    def order(item) -> tuple[int, bool]:
        return _tier(item), not (_tier(item) == 2 and item.get_closest_marker("books"))

    items.sort(key=order)
    for item in items:
        if _tier(item) == 0:
            item.add_marker(pytest.mark.xdist_group(SERVED_SITE_GROUP))
        elif _tier(item) == 2 and not served:
            item.add_marker(pytest.mark.xdist_group(BUILT_SITE_GROUP))
        elif _tier(item) == 2 and item.get_closest_marker("books"):
            item.add_marker(pytest.mark.xdist_group(BOOK_READERS_GROUP))


def _session_folder(tmp_path_factory) -> Path:
    """A folder of this test session, shared by its pytest-xdist workers (each has its own basetemp
    under it), or the basetemp itself without xdist."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def built_site(request, tmp_path_factory) -> Path:
    """The real site, built once per test session with ``mkdocs build --strict`` (configured by
    ``real_site_config``), for the tests that only read it. The printable books are printed when a
    selected test reads them (marker ``books``): ``make test`` has them, ``make test-fast`` not.

    The first worker that needs it builds it, under a lock (``fcntl.flock``: the tests run on Linux,
    and the standard library's lock is released by the kernel if a worker dies); another worker waits
    for that build and uses it, or fails with its report."""
    books = any(item.get_closest_marker("books") for item in request.session.items)
    folder = _session_folder(tmp_path_factory) / "built-site"
    folder.mkdir(exist_ok=True)
    out, report = folder / "site", folder / "build.json"
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not report.exists():
            run = subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "-", "-d", str(out)],
                input=real_site_config(books),
                cwd=ROOT,
                env=ENV,
                capture_output=True,
                text=True,
                timeout=900,
            )
            made = {"returncode": run.returncode, "stdout": run.stdout[-3000:], "stderr": run.stderr[-6000:]}
            report.write_text(json.dumps({**made, "books": books}), "utf-8")
        made = json.loads(report.read_text("utf-8"))
    assert made["returncode"] == 0, made["stdout"] + made["stderr"]
    assert "Traceback" not in made["stderr"]
    assert made["books"] == books, f"the session's workers disagree on the books: {made['books']} and {books}"
    assert any(out.rglob("*.pdf")) == books, f"books printed: {any(out.rglob('*.pdf'))}, expected {books}"
    return out


@pytest.fixture(scope="session")
def host(built_site, tmp_path_factory) -> StaticHost:
    """The built site on the session's loopback host, under its site_url path, as a static host serves it.
    One worker of the session serves it: the port is bound with ``SO_REUSEPORT``, so a second
    server would bind it too, without an error, and half of the requests would go to each."""
    with open(_session_folder(tmp_path_factory) / "host.lock", "w") as serving:
        try:
            fcntl.flock(serving, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pytest.fail(
                f"another pytest-xdist worker serves the session's host already: a test that uses it must be"
                f" in the {SERVED_SITE_GROUP!r} group (conftest.py: HOST_FIXTURES names the fixtures that use it)"
            )
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
