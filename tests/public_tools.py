"""The built site as the public-site tests see it, and the outside tools they run on it:
axe-core, the W3C Nu HTML Checker (vnu-jar) and Lighthouse over Debian's Chromium, all
installed by scripts/setup.sh (the Chromium that Playwright drives is the session's,
tests/conftest.py). A missing tool is a failure naming what installs it, never a skip.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from searchindex.browser import CHROMIUM as BROWSER_EXECUTABLE, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
NODE_BIN = ROOT / "node_modules" / ".bin"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_BIN / "lighthouse"
CHROMIUM = Path(BROWSER_EXECUTABLE)
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def require(path: Path, installed_by: str) -> Path:
    assert path.exists(), f"{path} is missing: {installed_by} installs it (run scripts/setup.sh)"
    return path


def require_command(name: str, installed_by: str) -> str:
    found = shutil.which(name)
    assert found, f"'{name}' is not on PATH: {installed_by}"
    return found


# -- the built site ------------------------------------------------------------------------------
class _Doc(HTMLParser):
    """What the tests read in a page: elements with their attributes, ids, text of a few parts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {k: (v if v is not None else "") for k, v in attrs}
        self.elements.append((tag, attributes))
        for key in ("id", "name"):
            if key in attributes and (key == "id" or tag == "a"):
                self.ids.add(attributes[key])
        if tag == "script":
            self._script, self._script_text = attributes, []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)


@dataclasses.dataclass
class BuiltPage:
    file: Path  # in the site folder
    rel: str  # "fr/cancel/index.html"
    url_path: str  # site-relative address: "fr/cancel/", "fr/404.html"
    language: str
    not_found: bool
    _doc: _Doc | None = None

    @property
    def doc(self) -> _Doc:
        if self._doc is None:
            self._doc = _Doc()
            self._doc.feed(self.file.read_text("utf-8"))
        return self._doc

    def all(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.doc.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def one(self, tag: str, **attrs) -> dict:
        found = self.all(tag, **attrs)
        assert len(found) == 1, f"{self.rel}: expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def json_ld(self) -> list[dict]:
        return [json.loads(text) for attrs, text in self.doc.scripts if attrs.get("type") == "application/ld+json"]

    def schema_types(self) -> set[str]:
        return {node["@type"] for data in self.json_ld() for node in data.get("@graph", [data])}

    @property
    def kind(self) -> str:
        """The kind of page, for picking one of each: from what its structured data says it is."""
        if self.not_found:
            return "not-found"
        types = self.schema_types()
        for kind, schema_type in (("home", "WebSite"), ("faq", "FAQPage"), ("howto", "HowTo")):
            if schema_type in types:
                return kind
        return "article"


def built_pages(site_dir: Path) -> list[BuiltPage]:
    """Every HTML page of the built site (theme assets aside), 404 pages included."""
    pages = []
    for file in sorted(site_dir.rglob("*.html")):
        rel = file.relative_to(site_dir).as_posix()
        if rel.startswith(("assets/", "pagefind/")):
            continue
        url_path = rel.removesuffix("index.html") if rel.endswith("index.html") else rel
        text = file.read_text("utf-8")
        start = text.find('<html lang="')
        assert start >= 0, f"{rel}: no <html lang>"
        language = text[start + 12 : text.find('"', start + 12)]
        pages.append(BuiltPage(file, rel, url_path, language, rel.endswith("404.html")))
    return pages


def one_of_each_kind(pages: list[BuiltPage]) -> list[BuiltPage]:
    """One page of each kind in each language (the first by address)."""
    chosen: dict[tuple[str, str], BuiltPage] = {}
    for page in pages:
        chosen.setdefault((page.language, page.kind), page)
    return [chosen[key] for key in sorted(chosen)]


# -- tools ---------------------------------------------------------------------------------------
def vnu_errors(files: list[Path]) -> list[dict]:
    """The Nu HTML Checker's errors on ``files``, in one run of the checker."""
    require_command("java", "the Debian package 'openjdk-17-jre-headless' (scripts/system-packages.txt)")
    require(VNU, "npm ci (package.json: vnu-jar)")
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    errors = [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    assert errors or run.returncode == 0, f"vnu failed without reporting an error:\n{run.stdout}\n{run.stderr}"
    return errors


LIGHTHOUSE_MANY = Path(__file__).resolve().parent / "lighthouse_many.mjs"
LIGHTHOUSE_CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


class Lighthouse:
    """Lighthouse's reports on pages, made in the background while other tests run: ``start``,
    then ``reports`` waits for them (url -> report). Lighthouse's defaults (mobile, simulated
    throttling), as its command line runs them, through tests/lighthouse_many.mjs: the pages are
    shared among ``parallel`` Node processes, each with one Chromium for all its pages.

    What is asserted (accessibility, best practices, SEO) does not depend on the machine's speed;
    the performance score, only reported, is lower when audits share the processors.
    On a loaded machine Lighthouse sometimes loses its trace of the page load and reports
    a runtime error (NO_NAVSTART, NO_FCP) instead of any result: that page is audited again,
    up to ``attempts`` in all. A report with low scores is never made again."""

    def __init__(self, runs: list[tuple[str, Path]], parallel: int = 2, timeout: float = 900, attempts: int = 3):
        require(LIGHTHOUSE, "npm ci (package.json: lighthouse)")
        require(CHROMIUM, "the Debian package 'chromium' (scripts/system-packages.txt)")
        require_command("node", "the Debian package 'nodejs' (scripts/system-packages.txt)")
        self.parallel, self.timeout, self.attempts = parallel, timeout, attempts
        self.pending, self.attempt = list(runs), 0
        self.running: list[tuple[list[tuple[str, Path]], subprocess.Popen, Path]] = []
        self.done: dict[str, dict] = {}
        self.errors: dict[str, str] = {}

    def start(self) -> "Lighthouse":
        self.attempt += 1
        groups = [self.pending[i :: self.parallel] for i in range(self.parallel) if self.pending[i :: self.parallel]]
        for number, group in enumerate(groups):
            for _, output in group:
                output.unlink(missing_ok=True)
            spec = group[0][1].with_name(f"lighthouse-jobs-{self.attempt}-{number}.json")
            spec.write_text(
                json.dumps(
                    {
                        "chromePath": str(CHROMIUM),
                        "chromeFlags": ["--headless=new", *CHROMIUM_ARGS],
                        "categories": LIGHTHOUSE_CATEGORIES,
                        "jobs": [{"url": url, "output": str(output)} for url, output in group],
                    }
                )
            )
            log = spec.with_suffix(".log")
            with log.open("w") as sink:  # a file, not a pipe: nobody reads while the audits run
                process = subprocess.Popen(
                    ["node", str(LIGHTHOUSE_MANY), str(spec)], cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT
                )
            self.running.append((group, process, log))
        self.pending = []
        return self

    def reports(self) -> dict[str, dict]:
        while self.running:
            try:
                for _, process, _ in self.running:
                    process.wait(timeout=self.timeout)
            finally:
                for _, process, _ in self.running:
                    if process.poll() is None:
                        process.kill()
            for group, _, log in self.running:
                for url, output in group:
                    assert output.exists(), f"lighthouse wrote no report for {url}:\n{log.read_text()[-3000:]}"
                    report = json.loads(output.read_text("utf-8"))
                    if "runtimeError" in report:
                        self.errors[url] = (
                            f"{report['runtimeError'].get('code')}: {report['runtimeError'].get('message')}"
                        )
                        self.pending.append((url, output))
                    else:
                        report["attempts"] = self.attempt
                        self.done[url] = report
            self.running = []
            if self.pending:
                assert self.attempt < self.attempts, f"lighthouse failed ({self.attempt} attempts):\n" + "\n".join(
                    f"{url}: {self.errors[url]}" for url, _ in self.pending
                )
                self.start()
        return self.done

    def stop(self) -> None:
        for _, process, _ in self.running:
            if process.poll() is None:
                process.kill()
                process.wait()


def failing_audits(report: dict, category: str) -> list[str]:
    out = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            items = audit.get("details", {}).get("items", [])
            detail = "; ".join(
                str(i.get("node", {}).get("snippet") or i.get("url") or i.get("description") or "")[:160]
                for i in items[:3]
            )
            out.append(f"{ref['id']} ({audit['score']}): {audit.get('title')} {detail}")
    return out
