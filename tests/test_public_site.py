"""The public website: what search engines, screen readers, validators and browsers get.

The session's one build of the real site (conftest: ``built_site``), made for the loopback
host's address (a configuration that INHERITs mkdocs.yml and sets only site_url, see
sitemeta/build.py) and served by it under mkdocs.yml's sub-path (``served``): Lighthouse
compares canonical and hreflang URLs with the address a page was loaded from, so they must
point at the server that answers.

- the head metadata, sitemaps, 404 pages, links and markup are read from the files;
- Chromium (the session's, ``browser`` marker) loads every page once in each colour scheme,
  policy enforced: requests, console, axe-core; keyboard use on one page;
- Lighthouse audits one page of each kind in each language (``browser`` marker).
"""

from __future__ import annotations

import dataclasses
import html as html_lib
import json
import re
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from factengine import Registry, Renderer
from factengine.references import PATTERN as REFERENCE
from sitemeta import security
from sitemeta.model import og_locale

from conftest import ROOT, SITE_URL
from public_server import StaticHost, parse_headers_file
from public_tools import AXE, WCAG_21_AA, BuiltPage, built_pages, failing_audits, one_of_each_kind, require, vnu_errors

REGISTRY = Registry.load(ROOT / "facts" / "registry.yaml")
LANGUAGES = REGISTRY.languages
DEFAULT = REGISTRY.site.default_language
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.S)


def _language_of(url_path: str) -> str:
    first = url_path.split("/", 1)[0]
    return first if first in LANGUAGES and first != DEFAULT else DEFAULT


def _article_of(url_path: str) -> str:
    """ "fr/cancel/" -> "cancel"; "" or "ja/" -> "index"."""
    language = _language_of(url_path)
    rest = url_path.removeprefix(f"{language}/") if language != DEFAULT else url_path
    return rest.strip("/") or "index"


def _source(page: BuiltPage) -> Path:
    return ROOT / "docs" / f"{_article_of(page.url_path)}.{page.language}.md"


def _front_matter(path: Path) -> dict:
    match = FRONT_MATTER.match(path.read_text("utf-8"))
    assert match, f"{path}: no front matter"
    return yaml.safe_load(match.group(1)) or {}


@pytest.fixture(scope="module")
def pages(built_site) -> list[BuiltPage]:
    found = built_pages(built_site)
    assert {p.language for p in found} == set(LANGUAGES), "every language has pages"
    return found


@pytest.fixture(scope="module")
def articles(pages) -> list[BuiltPage]:
    return [p for p in pages if not p.not_found]


# -- head metadata ---------------------------------------------------------------------------------
def test_every_article_has_canonical_description_and_open_graph_in_its_language(articles):
    for page in articles:
        canonical = SITE_URL + page.url_path
        assert page.one("link", rel="canonical")["href"] == canonical, page.rel
        assert page.language == _language_of(page.url_path), f"{page.rel}: <html lang> is {page.language}"
        description = _front_matter(_source(page)).get("description")
        assert description, f"{_source(page)}: no description in the front matter"
        assert page.one("meta", name="description")["content"] == description, page.rel
        og = {a["property"]: a["content"] for a in page.all("meta") if a.get("property", "").startswith("og:")}
        assert og["og:url"] == canonical and og["og:description"] == description, page.rel
        assert og["og:locale"] == og_locale(page.language) and og["og:locale"].startswith(page.language + "_")
        assert og["og:title"] and og["og:site_name"] and og["og:type"] in ("website", "article")


def test_hreflang_is_absolute_complete_reciprocal_with_x_default(built_site, articles):
    """The sitemap states every page's alternates; reciprocity is that every version of an
    article lists the same set."""
    entries = _sitemap(built_site / "sitemap.xml")
    by_url = {SITE_URL + p.url_path: p for p in articles}
    for page in articles:
        links = entries[SITE_URL + page.url_path]
        assert set(links) == {*LANGUAGES, "x-default"}, f"{page.rel}: hreflang {sorted(links)}"
        assert links[page.language] == SITE_URL + page.url_path, f"{page.rel}: no self-reference"
        article = _article_of(page.url_path)
        for lang in LANGUAGES:
            target = by_url.get(links[lang])
            assert target is not None, f"{page.rel}: hreflang {lang} -> {links[lang]} is not a page of the site"
            assert target.language == lang and _article_of(target.url_path) == article, f"{page.rel} -> {target.rel}"
            assert entries[links[lang]] == links, f"{page.rel} and {target.rel} disagree on their alternates"
        assert links["x-default"] == links[DEFAULT]


def test_structured_data_states_the_page_language_and_its_procedures_from_the_registry(articles):
    # Only procedures still in force are offered to search engines as instructions; a superseded
    # route (the old call-in line) is history on the page, not a HowTo.
    procedures = {fid for fid, fact in REGISTRY.facts.items() if fact.kind == "procedure" and fact.ongoing}
    for page in articles:
        graphs = page.json_ld()
        assert len(graphs) == 1 and graphs[0]["@context"] == "https://schema.org", page.rel
        nodes = graphs[0]["@graph"]
        assert all(node["inLanguage"] == page.language for node in nodes), page.rel
        webpage = next(n for n in nodes if n["@type"] in ("WebPage", "FAQPage"))
        assert webpage["url"] == SITE_URL + page.url_path
        referenced = [
            m.group("body").split()[-1]
            for m in REFERENCE.finditer(_source(page).read_text("utf-8"))
            if len(m.group("body").split()) == 1
        ]
        expected = list(dict.fromkeys(f for f in referenced if f in procedures))
        howtos = [n for n in nodes if n["@type"] == "HowTo"]
        assert len(howtos) == len(expected), f"{page.rel}: HowTo for {expected}, got {len(howtos)}"
        renderer = Renderer(REGISTRY, page.language)
        text = _visible_text(page.file.read_text("utf-8"))
        for howto, fact_id in zip(howtos, expected):
            steps = [s["text"] for s in sorted(howto["step"], key=lambda s: s["position"])]
            assert steps == [
                " ".join(renderer.plain_text(step[page.language]).split()) for step in REGISTRY.facts[fact_id].steps
            ], f"{page.rel}: {fact_id}"
            for step in steps:  # what the structured data says is what the reader sees
                assert step in text, f"{page.rel}: HowTo step not shown on the page: {step}"
        if page.url_path == ("" if page.language == DEFAULT else f"{page.language}/"):
            assert any(n["@type"] == "WebSite" for n in nodes), f"{page.rel}: the home page describes the site"


def _visible_text(html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", body)).split())


# -- sitemaps ------------------------------------------------------------------------------------
def _sitemap(path: Path) -> dict[str, dict[str, str]]:
    tree = ET.parse(path)
    return {
        url.findtext("s:loc", namespaces=SITEMAP_NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", SITEMAP_NS)
        }
        for url in tree.getroot().findall("s:url", SITEMAP_NS)
    }


def test_sitemap_lists_every_article_and_no_head_names_an_alternate(built_site, articles):
    """Material's script fetches sitemap.xml relative to every <link rel=alternate> of a page:
    from any host but site_url that is a blocked cross-origin request on every page load.
    So the alternates are stated in the sitemap only, and there is one sitemap."""
    entries = _sitemap(built_site / "sitemap.xml")
    assert set(entries) == {SITE_URL + p.url_path for p in articles}
    for page in articles:
        assert not page.all("link", rel="alternate"), f"{page.rel}: an alternate in <head>"
    assert sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("sitemap.xml")) == ["sitemap.xml"]


# -- 404 pages -----------------------------------------------------------------------------------
def test_a_404_page_in_each_language_pointing_to_every_home(pages):
    not_found = {p.language: p for p in pages if p.not_found}
    assert set(not_found) == set(LANGUAGES)
    base = urlsplit(SITE_URL).path
    for language, page in not_found.items():
        assert page.rel == ("404.html" if language == DEFAULT else f"{language}/404.html")
        assert not page.all("link", rel="canonical"), f"{page.rel}: a 404 page has no canonical URL"
        assert page.one("meta", name="description")["content"]
        homes = {
            a.get("hreflang", page.language): a["href"]
            for a in page.all("a")
            if a.get("href") in {base + ("" if lang == DEFAULT else f"{lang}/") for lang in LANGUAGES}
            and "md-select__link" not in a.get("class", "")
        }
        assert set(homes) == set(LANGUAGES), f"{page.rel}: links to the homes {homes}"
        other_lines = {a["lang"] for a in page.all("p") if "lang" in a}
        assert other_lines == set(LANGUAGES) - {language}, f"{page.rel}: lines in other languages {other_lines}"


# -- markup --------------------------------------------------------------------------------------
def test_no_inline_script_style_or_event_handler(pages):
    for page in pages:
        for attrs, text in page.doc.scripts:
            assert "src" in attrs or attrs.get("type") in ("application/json", "application/ld+json"), (
                f"{page.rel}: inline script {text[:80]!r}"
            )
        for tag, attrs in page.doc.elements:
            handlers = [name for name in attrs if name.startswith("on")]
            assert not handlers, f"{page.rel}: <{tag}> has inline event handlers {handlers}"
            assert "style" not in attrs, f"{page.rel}: <{tag}> has a style attribute"
            assert tag != "style", f"{page.rel}: <style> element"


def test_every_page_sets_the_content_security_policy_first(pages):
    for page in pages:
        metas = page.all("meta", **{"http-equiv": "Content-Security-Policy"})
        assert [m["content"] for m in metas] == [security.policy()], page.rel
        first = [t for t, a in page.doc.elements if t in ("script", "link", "style", "meta")][:2]
        assert first == ["meta", "meta"], f"{page.rel}: the policy comes right after the charset"


def test_the_early_scripts_are_materials_own(built_site):
    """The scripts served as files for the CSP are the ones the installed Material inlines."""
    import material

    partials = Path(material.__file__).parent / "templates" / "partials" / "javascripts"
    inline = {
        name: re.findall(r"<script>(.*?)</script>", (partials / name).read_text("utf-8"), re.S)
        for name in ("base.html", "palette.html", "content.html")
    }
    ours = {
        name: "".join(
            line
            for line in (built_site / "assets/javascripts/early" / name).read_text("utf-8").splitlines(keepends=True)
            if not line.startswith("//")
        ).strip()
        for name in ("scope.js", "palette.js", "tabs-link.js", "tabs-anchor.js")
    }
    scope = 'new URL("{{ config.extra.scope | d(base_url) }}",location)'
    assert ours["scope.js"] == inline["base.html"][0].replace(scope, 'new URL("../../..",document.currentScript.src)')
    assert ours["palette.js"] == inline["palette.html"][0]
    assert [ours["tabs-link.js"], ours["tabs-anchor.js"]] == inline["content.html"]


def test_phrases_in_another_language_carry_their_lang(articles):
    labels = {fid: fact for fid, fact in REGISTRY.facts.items() if fact.kind == "label"}
    checked = 0
    for page in articles:
        html = page.file.read_text("utf-8")
        for fact_id in set(re.findall(r'class="fact fact-label" data-fact="([^"]+)"', html)):
            fact = labels[fact_id]
            if fact.language == page.language:
                continue
            shown = html.count(f'class="fact fact-label" data-fact="{fact_id}">')
            marked = len(
                re.findall(
                    rf'data-fact="{re.escape(fact_id)}">[^<]*<span lang="{fact.language}">'
                    rf"{re.escape(html_lib.escape(fact.text))}</span>",
                    html,
                )
            )
            assert marked == shown, f"{page.rel}: {fact_id} shown {shown} times, {marked} with lang={fact.language}"
            checked += 1
        for link in page.all("a"):
            if "md-select__link" in link.get("class", ""):
                assert link.get("lang") == link.get("hreflang"), f"{page.rel}: language switcher link {link}"
    assert checked, "no page quotes an interface label in another language: nothing was checked"


@pytest.mark.slow
def test_html_is_valid_for_the_nu_checker(pages):
    errors = vnu_errors([p.file for p in pages])
    assert not errors, "\n".join(f"{e.get('url')}:{e.get('lastLine')}: {e.get('message')}" for e in errors[:30])


def test_no_broken_internal_link_or_anchor(built_site, pages):
    by_file = {p.file.resolve(): p for p in pages}
    broken = []
    for page in pages:
        base = SITE_URL + page.url_path
        for tag, attrs in page.doc.elements:
            for attr in ("href", "src"):
                value = attrs.get(attr)
                if not value or tag in ("base",) or value.startswith(("mailto:", "tel:", "data:", "javascript:")):
                    continue
                url = urljoin(base, value)
                if page.not_found and value.startswith("/"):
                    url = urljoin(SITE_URL, value)
                if not url.startswith(SITE_URL) and urlsplit(url).netloc == urlsplit(SITE_URL).netloc:
                    broken.append(f"{page.rel}: {value} is outside the site")
                if not url.startswith(SITE_URL):
                    continue  # another website: a link, not a request
                path, _, fragment = url.removeprefix(SITE_URL).partition("#")
                target = built_site / path.split("?")[0]
                target = target / "index.html" if target.is_dir() else target
                if not target.is_file():
                    broken.append(f"{page.rel}: <{tag} {attr}={value!r}> -> {path} does not exist")
                    continue
                if fragment and target.resolve() in by_file:
                    if unquote(fragment) not in by_file[target.resolve()].doc.ids:
                        broken.append(f"{page.rel}: {value} -> no #{unquote(fragment)} in {path or 'index.html'}")
    assert not broken, "\n".join(broken[:40])


def test_headers_file_caches_hashed_assets_for_a_year_and_sets_the_policy(built_site):
    base = urlsplit(SITE_URL).path
    rules = parse_headers_file((built_site / "_headers").read_text("utf-8"))
    hashed = security.hashed_assets(built_site)
    assert any(re.search(r"/bundle\.[0-9a-f]{8}\.min\.js$", p) for p in hashed), hashed
    matched = {
        rel: [v for pat, vals in rules if pat.match(base + rel) for k, v in vals if k == "Cache-Control"]
        for rel in hashed
    }
    assert all(v == [security.IMMUTABLE] for v in matched.values()), matched
    html_rules = [dict(vals) for pat, vals in rules if pat.match(base + "fr/index.html")]
    assert [r["Content-Security-Policy"] for r in html_rules if "Content-Security-Policy" in r] == [
        security.policy(header=True)
    ]
    assert not any("Cache-Control" in r for r in html_rules), "pages keep the host's revalidating default"


# -- in a browser, on the loopback server ------------------------------------------------------------
class Served:
    def __init__(self, host: StaticHost, site_dir: Path):
        self.host, self.site_dir = host, site_dir
        self.pages = built_pages(site_dir)

    def address(self, page: BuiltPage) -> str:
        """Where a reader meets the page: a 404 page at a missing address under its language."""
        if page.not_found:
            return self.host.url + page.url_path.removesuffix("404.html") + "no-such-page/"
        return self.host.url + page.url_path


@pytest.fixture(scope="module")
def served(served, built_site) -> Served:
    """The session's host (conftest's ``served``, which this one wraps) with the built pages."""
    return Served(served, built_site)


def test_the_server_answers_like_a_static_host(served):
    missing = served.host.url + "fr/no-such-page/"
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(missing, timeout=10)
    assert caught.value.code == 404 and '<html lang="fr"' in caught.value.read().decode("utf-8")
    with urllib.request.urlopen(served.host.url + "fr/", timeout=10) as response:
        assert response.headers["Content-Security-Policy"] == security.policy(header=True)
        assert "immutable" not in response.headers["Cache-Control"]
    asset = security.hashed_assets(served.site_dir)[0]
    with urllib.request.urlopen(served.host.url + asset, timeout=10) as response:
        assert response.headers["Cache-Control"] == security.IMMUTABLE


def _search_box(page) -> bool:
    """Open the search box and type a query, so that the search's own requests are made too."""
    query = page.locator("input[name=query], [data-site-search-query]").first
    if not query.count():
        return False
    if not query.is_visible():  # narrow screens: the box opens from its header button
        page.locator("label[for=__search]").first.click()
    query.click()
    query.fill("amazon")
    query.press("n")
    page.wait_for_timeout(800)
    return True


@dataclasses.dataclass
class Visit:
    """A page of the site loaded in Chromium, the policy enforced, and what happened."""

    built: BuiltPage
    scheme: str
    status: int = 0
    color_scheme: str | None = None  # <body data-md-color-scheme>
    requests: list[str] = dataclasses.field(default_factory=list)
    console: list[str] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)  # page errors, failed responses
    violations: list[str] = dataclasses.field(default_factory=list)  # axe-core's
    searched: bool = False


CONCURRENT_PAGES = 6  # tabs loading at once: their network waits and axe-core's runs overlap
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}


class _Tab:
    """A tab of the context, navigated from page to page: a tab that stays open keeps its
    renderer process, so the site's code is not started again in a new process for every page
    (a new tab per page took 55 s where 36 s do for the same 33 pages). Its listeners write
    into the visit under way."""

    def __init__(self, context):
        self.page = context.new_page()
        self.visit: Visit | None = None
        self.page.on("request", lambda r: self.visit.requests.append(r.url))
        self.page.on(
            "console",
            lambda m: self.visit.console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None,
        )
        self.page.on("pageerror", lambda e: self.visit.problems.append(f"{self.visit.built.rel}: {e}"))
        self.page.on("response", self._response)

    def _response(self, response) -> None:
        visit = self.visit
        if response.status >= 400 and not (visit.built.not_found and response.request.resource_type == "document"):
            visit.problems.append(f"{visit.built.rel}: {response.status} {response.url}")


def _settle(page) -> None:
    """The page loaded (its scripts run), then no request for 500 ms. make test once read a dark
    page's scheme, in a tab that held another page, as the theme's default: most likely the
    network was idle (its files from the tab's memory cache) before the page's scripts had run.
    So the document's own readyState is awaited first."""
    page.wait_for_function("() => document.readyState === 'complete'")
    page.wait_for_load_state("networkidle")


def _visit(chromium, served: Served, pages: list[BuiltPage], scheme: str, axe: str | None) -> list[Visit]:
    """``pages`` in ``scheme``, each loaded once (until the network is idle), then checked by
    axe-core (unless ``axe`` is None). axe-core comes as an init script of the context, through
    the DevTools protocol, which the page's policy does not govern (an injected <script> would
    be refused); it makes no request and logs nothing. On each language's home in the light
    scheme the search box is used, after axe-core's run. A tab goes on to its next page only
    when the network has been idle, so no request of one page is counted as another's."""
    context = chromium.new_context(color_scheme=scheme)
    if axe is not None:
        context.add_init_script(axe)
    visits = []
    try:
        tabs = [_Tab(context) for _ in range(min(CONCURRENT_PAGES, len(pages)))]
        for start in range(0, len(pages), len(tabs)):
            opened = list(zip(tabs, pages[start : start + len(tabs)]))
            for tab, built in opened:
                tab.visit = Visit(built, scheme)
                response = tab.page.goto(served.address(built), wait_until="commit")  # the others load meanwhile
                tab.visit.status = response.status
            for tab, _ in opened:
                _settle(tab.page)
                tab.visit.color_scheme = tab.page.get_attribute("body", "data-md-color-scheme")
                if axe is not None:
                    start_axe = "opts => { window.__axe_result = axe.run(document, opts); }"  # not awaited
                    tab.page.evaluate(start_axe, AXE_OPTIONS)
            for tab, _ in opened:
                visit = tab.visit
                if axe is None:
                    visits.append(visit)
                    continue
                result = tab.page.evaluate("() => window.__axe_result")
                for v in result["violations"]:
                    targets = "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
                    visit.violations.append(f"{visit.built.rel} [{scheme}] {v['id']}: {v['help']} ({targets})")
                if scheme == "light" and visit.built.kind == "home":
                    visit.searched = _search_box(tab.page)
                    tab.page.wait_for_load_state("networkidle")
                visits.append(visit)
    finally:
        context.close()
    return visits


def dark_pages(served: Served) -> list[BuiltPage]:
    """The pages visited in the dark scheme: one of each kind in each language. The scheme changes
    the theme's colours, the same on every page of a kind; the pages' own content is checked on
    every page in the light scheme. (Every page in both schemes took 70 s more of `make test`.)"""
    return one_of_each_kind(served.pages)


@pytest.fixture(scope="module")
def visits(served, chromium) -> dict[str, list[Visit]]:
    axe = require(AXE, "npm ci (package.json: axe-core)").read_text("utf-8")
    return {
        "light": _visit(chromium, served, served.pages, "light", axe),
        "dark": _visit(chromium, served, dark_pages(served), "dark", axe),
    }


@pytest.mark.browser
def test_every_page_requests_only_the_site_itself(served, visits):
    """Every page, loaded in Chromium with the policy enforced (and one of each kind in each
    language again in the dark scheme): every request goes to the loopback server, nothing fails, the console stays clean. The search
    box is used on each language's home, so its index and code are loaded too."""
    origin = served.host.origin
    problems, requests_seen, searched = [], 0, set()
    for visit in visits["light"] + visits["dark"]:
        built, console = visit.built, list(visit.console)
        assert visit.status == (404 if built.not_found else 200), built.rel
        # a tab serves many pages: what it recorded for this one begins with this page itself
        assert visit.requests[:1] == [served.address(built)], f"{built.rel}: {visit.requests[:2]}"
        problems += visit.problems
        if visit.scheme == "light" and built.kind == "home" and built.language not in searched:
            searched.add(built.language) if visit.searched else problems.append(f"{built.rel}: no search box")
        if built.not_found:  # Chromium logs the 404 of the page itself; other failures are logged too
            document_404 = next((m for m in console if "status of 404" in m), None)
            assert document_404, f"{built.rel}: served without its 404 status"
            console.remove(document_404)
        problems += [f"{built.rel} [{visit.scheme}]: console {m}" for m in console]
        for url in visit.requests:
            if not (url.startswith(origin + "/") or url.startswith("data:")):
                problems.append(f"{built.rel}: request to another host: {url}")
        requests_seen += len(visit.requests)
    assert requests_seen > len(served.pages), "the recorder saw no requests"
    assert searched == set(LANGUAGES), f"searched in {searched}"
    assert not problems, "\n".join(problems[:40])


@pytest.mark.browser
def test_the_site_built_for_its_public_address_works_from_any_other_host(built_site, chromium):
    """A preview deploy, a local copy, a mirror: the site built for its site_url (the session's
    host), served by a second loopback host on another port, another origin. No page makes a
    request to site_url's origin or logs a console error."""
    host = StaticHost(urlsplit(SITE_URL).path)
    assert not SITE_URL.startswith(host.origin + "/"), "the mirror must be another origin than site_url"
    host.start(built_site)
    try:
        mirror = Served(host, built_site)
        visits = _visit(chromium, mirror, one_of_each_kind([p for p in mirror.pages if not p.not_found]), "light", None)
    finally:
        host.stop()
    problems = []
    for visit in visits:
        rel = visit.built.rel
        assert visit.status == 200, rel
        assert visit.requests[:1] == [mirror.address(visit.built)], f"{rel}: {visit.requests[:2]}"
        problems += visit.problems + [f"{rel}: console {m}" for m in visit.console]
        problems += [
            f"{rel}: request to another host: {url}"
            for url in visit.requests
            if not (url.startswith(host.origin + "/") or url.startswith("data:"))
        ]
    assert not problems, "\n".join(problems[:40])


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_21_aa_violation(served, visits, scheme):
    expected_scheme = {"light": "default", "dark": "slate"}[scheme]
    assert len(visits[scheme]) == len(served.pages if scheme == "light" else dark_pages(served))
    for visit in visits[scheme]:
        assert visit.color_scheme == expected_scheme, visit.built.rel
    violations = [v for visit in visits[scheme] for v in visit.violations]
    assert not violations, "\n".join(violations[:40])


@pytest.mark.browser
def test_language_switcher_works_from_the_keyboard(served, chromium):
    french = next(p for p in served.pages if p.language == "fr" and p.kind == "howto")
    english_url = served.host.url + french.url_path.removeprefix("fr/")
    page = chromium.new_page()
    page.goto(served.address(french), wait_until="networkidle")
    _tab_to(page, "e.closest('.md-select') !== null")
    page.keyboard.press("Tab")  # into the list, which opens on focus
    focused = page.evaluate(
        "[document.activeElement.getAttribute('hreflang'), document.activeElement.textContent.trim()]"
    )
    assert focused[0] in LANGUAGES, f"focus left the switcher: {focused}"
    # The list fades in (a CSS transition of a quarter of a second) when the focus enters it.
    opacity = "getComputedStyle(document.activeElement.closest('.md-select__inner')).opacity"
    deadline = time.monotonic() + 3
    while page.evaluate(opacity) != "1" and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert page.evaluate(opacity) == "1", "the list stays invisible while a link in it has the focus"
    for _ in range(len(LANGUAGES)):
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == DEFAULT:
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('hreflang')") == DEFAULT
    page.keyboard.press("Enter")
    page.wait_for_url(english_url)
    assert page.evaluate("document.documentElement.lang") == DEFAULT
    page.close()


def _tab_to(page, condition: str, limit: int = 300) -> None:
    """Press Tab until ``condition`` (a JavaScript expression on ``document.activeElement``) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(e => Boolean({condition}))(document.activeElement)"):
            return
    pytest.fail(f"Tab never reaches an element where {condition}")


@pytest.mark.browser
def test_content_tabs_work_from_the_keyboard(served, chromium):
    with_tabs = [p for p in served.pages if "tabbed-set" in p.file.read_text("utf-8")]
    assert with_tabs, "no page has content tabs: the keyboard test has nothing to check"
    page = chromium.new_page()
    page.goto(served.address(with_tabs[0]), wait_until="networkidle")
    _tab_to(page, "e.matches('.tabbed-set > input')")
    tab_set = "document.activeElement.closest('.tabbed-set')"
    before = page.evaluate(f"[...{tab_set}.querySelectorAll(':scope > input')].findIndex(i => i.checked)")
    count = page.evaluate(f"{tab_set}.querySelectorAll(':scope > input').length")
    assert count >= 2, "a tab set has two tabs at least"
    page.keyboard.press("ArrowRight")
    after = page.evaluate(f"[...{tab_set}.querySelectorAll(':scope > input')].findIndex(i => i.checked)")
    assert after == (before + 1) % count, "ArrowRight selects the next tab"
    shown = page.evaluate(f"[...{tab_set}.querySelectorAll('.tabbed-block')].map(b => b.offsetParent !== null)")
    assert shown == [i == after for i in range(count)], f"only the selected tab's content is shown: {shown}"
    # Material marks the focused tab by colouring its label: compare it focused and not,
    # once the colour transition (a quarter of a second) is over.
    colour_of = "id => getComputedStyle(document.querySelector(`label[for='${id}']`)).color"
    focused_id = page.evaluate("document.activeElement.id")
    page.wait_for_timeout(500)
    focused = page.evaluate(colour_of, focused_id)
    page.evaluate("document.activeElement.blur()")
    page.wait_for_timeout(500)
    unfocused = page.evaluate(colour_of, focused_id)
    assert focused != unfocused, f"the focused tab looks the same as when it is not focused ({focused})"
    page.close()


@pytest.mark.browser
def test_lighthouse_scores_one_page_of_each_kind_in_each_language(served, lighthouse):
    """100 in accessibility, best practices and SEO; performance reported (target 95).

    The audits (conftest's ``lighthouse``) started when the site was first served: a 404 page
    is audited at its own address (status 200): served with status 404, as readers get it,
    Lighthouse's SEO audit fails any page by design."""
    chosen = lighthouse.chosen
    kinds = {p.kind for p in chosen}
    assert {"home", "not-found"} <= kinds and len(chosen) >= 2 * len(LANGUAGES), kinds
    waited = time.monotonic()
    reports = lighthouse.reports()
    rows, failures = [], []
    for built in chosen:
        url = served.host.url + built.url_path
        report = reports[url]
        scores = {
            c: report["categories"][c]["score"] for c in ("performance", "accessibility", "best-practices", "seo")
        }
        rows.append(
            f"{built.language} {built.kind:10} {built.url_path or '/':24} "
            + " ".join(f"{c[:4]}={round(s * 100)}" for c, s in scores.items())
            + (f" ({report['attempts']} attempts)" if report["attempts"] > 1 else "")
        )
        for category in ("accessibility", "best-practices", "seo"):
            if scores[category] != 1:
                failures.append(f"{url} {category} {scores[category]}: " + " | ".join(failing_audits(report, category)))
    now = time.monotonic()
    summary = "\n".join(
        [
            "Lighthouse (mobile; audits in the background, two at a time: performance is indicative):",
            *rows,
            f"{len(chosen)} audits in {now - lighthouse.started:.0f}s, of which this test waited {now - waited:.0f}s",
        ]
    )
    print(summary)
    (served.site_dir.parent / "lighthouse-summary.txt").write_text(summary + "\n", "utf-8")
    assert not failures, "\n".join(failures) + "\n" + summary


# -- sitemeta, without a build ---------------------------------------------------------------------
def test_the_quick_count_of_question_headings_never_hides_an_faq(pages):
    """sitemeta.faq reads a page in full only when a quick count finds two question headings:
    on every built page, and on FAQs written with markup in their headings, the result is the
    full reading's."""
    from sitemeta import faq

    link = '<a class="headerlink" href="#q">¶</a>'
    written = [
        f"<h2 id='a'>Can I <code>cancel</code>?{link}</h2><p>Yes.</p><h2>Refund&#63;</h2><p>Partly.</p>",
        f"<h2>解約できますか<span>？</span>{link}</h2><p>はい。</p><h2 class='x'>\n返金は？\n</h2><ul><li>一部</li></ul>",
    ]
    documents = [built.file.read_text("utf-8") for built in pages] + written
    for html in documents:
        full = faq.questions(html, declared=True)
        assert faq.questions(html) == (full if len(full) >= faq.MIN_QUESTIONS else []), html[:200]
    assert all(len(faq.questions(html)) == 2 for html in written)
    assert any(faq.questions(html, declared=True) for html in documents[: len(pages)]), "no question heading at all"


def test_faq_needs_two_question_headings_unless_the_front_matter_says():
    from sitemeta import faq

    two = (
        '<h1>FAQ</h1><h2 id="a">Can I cancel?<a class="headerlink" href="#a">¶</a></h2><p>Yes, <b>any</b> time.</p>'
        "<h2>Steps</h2><p>None.</p><h2>払い戻しは？</h2><ul><li>はい</li><li>全額</li></ul>"
    )
    found = faq.questions(two)
    assert [(q.question, q.answer) for q in found] == [
        ("Can I cancel?", "Yes, any time."),
        ("払い戻しは？", "はい\n全額"),
    ]
    one = "<h2>Free trial or paid?</h2><p>Either.</p><h2>Steps</h2><p>Do it.</p>"
    assert faq.questions(one) == []
    assert [q.question for q in faq.questions(one, declared=True)] == ["Free trial or paid?"]
    assert faq.questions(two, declared=False) == []


def test_json_ld_cannot_close_its_script_element():
    from sitemeta import structured

    markup = structured.script({"text": "</script><script>alert(1)</script>"})
    assert markup.count("</script>") == 1 and json.loads(markup[35:-9]) == {
        "text": "</script><script>alert(1)</script>"
    }


def test_bad_settings_are_errors_naming_what_to_fix():
    from sitemeta import Site, SiteError, notfound

    with pytest.raises(SiteError, match="site_url must be an absolute"):
        Site("/prime-help/", "en", ("en",), {"en": "Help"})
    site = Site("https://example.org/help", "en", ("en", "de"), {"en": "Help"})
    assert site.url == "https://example.org/help/" and site.absolute("de/x/") == "https://example.org/help/de/x/"
    with pytest.raises(SiteError, match=r"sitemeta/messages.yaml: the 404 page has no .* in 'de'"):
        notfound.context(site, "en")
    with pytest.raises(ValueError, match="_headers:2"):
        parse_headers_file("/*\n  no colon here\n")
