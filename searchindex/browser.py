"""Searching the built site as a reader does, in a real browser: the shared harness of
``tests/test_search.py`` and ``python -m searchindex.compare``.

- :func:`serve` serves a built site on 127.0.0.1 under the path of ``site_url``
  (``/prime-help/``), and nothing outside it, as the production host does;
- :class:`Browser` drives Debian's Chromium through Playwright (no browser download);
- :func:`search` types a query into the header's search box (fill, then a key:
  Material's search listens to ``keyup`` only) and reads the results, the time
  to the first result and the bytes the search downloaded;
- :func:`phone_notations` and :func:`judged_queries` give the queries.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import http.server
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import phonenumbers
import yaml
from phonenumbers import PhoneNumberFormat

CHROMIUM = "/usr/bin/chromium"  # Debian's; the browser tests, Lighthouse and the benchmark launch it with CHROMIUM_ARGS
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FULL_WIDTH = str.maketrans("0123456789+-() ", "０１２３４５６７８９＋－（）　")
# Requests that belong to the search: the Pagefind bundle and box, or Material's worker, lunr and index.
SEARCH_REQUESTS = (
    "/pagefind/",
    "/javascripts/search.js",
    "/search/search_index",
    "/assets/javascripts/workers/",
    "/assets/javascripts/lunr/",
)


# -- queries -----------------------------------------------------------------------------------
def judged_queries(path: Path) -> dict[str, list[tuple[str, str]]]:
    """``search/queries.yml``: per language, (query, article that must come first)."""
    data = yaml.safe_load(Path(path).read_text("utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of languages to lists of [query, article]")
    judged = {}
    for language, rows in data.items():
        if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == 2 for r in rows):
            raise ValueError(f"{path}: {language}: every entry must be [query, article]")
        judged[language] = [(str(q), str(a)) for q, a in rows]
    return judged


def phone_notations(number: str, region: str) -> list[str]:
    """The ways readers write ``number``: as shown, digits only, spaced, international
    with and without spaces, E.164, in full-width characters, and ``+81 (0)…``."""
    parsed = phonenumbers.parse(number, region)
    national = phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)
    found = [
        national,
        national.replace("-", ""),
        national.replace("-", " "),
        international.replace("-", " "),
        international,
        phonenumbers.format_number(parsed, PhoneNumberFormat.E164),
        national.translate(FULL_WIDTH),
    ]
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(phonenumbers.region_code_for_number(parsed))
    if metadata is not None and metadata.national_prefix:  # the "+81 (0)120 999 373" habit
        country = f"+{parsed.country_code} "
        found.append(international.replace(country, f"{country}({metadata.national_prefix})", 1).replace("-", " "))
    return list(dict.fromkeys(found))


def retired_phone_queries(registry) -> list[tuple[str, str]]:
    """Every notation of every retired number of the registry, with its fact id."""
    return [
        (notation, fact_id)
        for fact_id, fact in registry.facts.items()
        if getattr(fact, "kind", None) == "phone" and fact.status == "retired"
        for notation in phone_notations(fact.number, registry.region_of(fact))
    ]


# -- serving -----------------------------------------------------------------------------------
class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path):
        path = urlsplit(path).path
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "\0-outside-the-site")  # a 404
        return super().translate_path("/" + path[len(self.prefix) :])

    def copyfile(self, source, outputfile):
        # Counted here, at the server, what the browser really downloaded (a worker's fetches included).
        start = source.tell()
        super().copyfile(source, outputfile)
        self.server.served.append((unquote(urlsplit(self.path).path), source.tell() - start))

    def send_error(self, code, *args, **kwargs):
        self.server.served.append((unquote(urlsplit(self.path).path), -code))
        super().send_error(code, *args, **kwargs)

    def log_message(self, *args):  # quiet: the tests report what matters
        pass


@dataclasses.dataclass
class Server:
    root: str  # the site's root URL, e.g. http://127.0.0.1:PORT/prime-help/
    served: list[tuple[str, int]]  # (path, bytes) of every answer, bytes < 0 for an HTTP error


@contextlib.contextmanager
def serve(site_dir: Path, prefix: str = "/"):
    """Serve ``site_dir`` on a free loopback port under ``prefix``; yields a :class:`Server`."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = functools.partial(type("Handler", (_SubPathHandler,), {"prefix": prefix}), directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.served = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{server.server_address[1]}{prefix}", server.served)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- the browser -------------------------------------------------------------------------------
class Browser:
    """Playwright's Chromium API over Debian's chromium binary."""

    def __init__(self, executable: str = CHROMIUM):
        if not Path(executable).exists():
            raise FileNotFoundError(
                f"{executable} is missing: install Debian's chromium "
                f"(scripts/system-packages.txt; `make test` installs it when run as root)"
            )
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)

    def close(self) -> None:
        self.browser.close()
        self._playwright.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@dataclasses.dataclass
class Outcome:
    query: str
    results: list[str]  # result URLs, best first (section anchors dropped)
    excerpts: list[str]  # the text shown under each result
    first_result_ms: float  # from filling the box to the results on screen
    search_bytes: int  # served for the search since the page was opened (at the server)
    search_requests: list[str]  # their paths
    failed_requests: list[str]  # search requests that answered an HTTP error
    shown: bool = True  # the first result is visible on screen (not only in the DOM)

    @property
    def top(self) -> str | None:
        return self.results[0] if self.results else None


class SearchPage:
    """A page of the site with its search box, kept open for several queries."""

    def __init__(self, context, server: Server, url: str, ui: str = "pagefind", timeout_ms: float = 15000):
        self.server, self.ui, self.timeout_ms = server, ui, timeout_ms
        self.page = context.new_page()
        self.page.goto(url, wait_until="load")
        if ui == "pagefind":
            self.box = self.page.locator("input[data-site-search-query]")
            self.links = "[data-site-search-result]"
        else:  # Material's own search
            self.box = self.page.locator("[data-md-component=search-query]")
            self.links = ".md-search-result__item > a.md-search-result__link"
        if not self.box.is_visible():
            self.page.locator("label.md-header__button[for=__search]").click()
        self.box.click()

    def _wait(self) -> None:
        if self.ui == "pagefind":
            # A selector, not a JS predicate: waiting on a predicate needs eval, which the site's CSP forbids.
            self.page.wait_for_selector(
                "[data-site-search][data-site-search-state=done]", state="attached", timeout=self.timeout_ms
            )
        else:
            # Material's count line reads "No matching documents", "1 matching document" or "# matching
            # documents" (localised) once it has answered; before, it says it is initialising.
            self.page.wait_for_function(
                "() => { const t = JSON.parse(document.getElementById('__config').textContent).translations;"
                " const text = document.querySelector('.md-search-result__meta').textContent.trim();"
                " const other = t['search.result.other'].replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&')"
                ".replace('#', '\\\\d+');"
                " return text === t['search.result.none'] || text === t['search.result.one']"
                " || new RegExp('^' + other + '$').test(text); }",
                timeout=self.timeout_ms,
            )

    def search(self, query: str) -> Outcome:
        before = len(self.server.served)
        if self.ui == "pagefind":
            self.box.fill("")  # clears the previous answer at once (data-site-search-state goes)
        started = time.perf_counter()
        self.box.fill(query)
        self.box.press("End")  # Material answers keyup only
        self._wait()
        elapsed = (time.perf_counter() - started) * 1000
        results = self.page.eval_on_selector_all(self.links, "els => els.map(e => e.href.split(/[?#]/)[0])")
        excerpts = self.page.eval_on_selector_all(self.links, "els => els.map(e => e.textContent)")
        shown = not results or self.page.locator(self.links).first.is_visible()
        self.page.wait_for_timeout(30)  # let the last answers be counted
        served = [(path, size) for path, size in self.server.served[before:] if any(p in path for p in SEARCH_REQUESTS)]
        return Outcome(
            query,
            list(dict.fromkeys(results)),
            excerpts,
            elapsed,
            sum(size for _, size in served if size > 0),
            [path for path, _ in served],
            [f"{path} ({-size})" for path, size in served if size < 0],
            shown,
        )

    def close(self) -> None:
        self.page.close()


def search(context, server: Server, url: str, query: str, ui: str = "pagefind", timeout_ms: float = 15000) -> Outcome:
    """Open ``url`` in a new page of ``context``, search for ``query`` once, read the results.
    Bytes are counted from the page's opening: what a reader landing there downloads to search."""
    before = len(server.served)
    page = SearchPage(context, server, url, ui, timeout_ms)
    try:
        outcome = page.search(query)
    finally:
        page.close()
    served = [(path, size) for path, size in server.served[before:] if any(p in path for p in SEARCH_REQUESTS)]
    outcome.search_bytes = sum(size for _, size in served if size > 0)
    outcome.search_requests = [path for path, _ in served]
    outcome.failed_requests = [f"{path} ({-size})" for path, size in served if size < 0]
    return outcome
