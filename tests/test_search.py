"""The site search, as readers use it: the built site served on 127.0.0.1 under its
``site_url`` path, the header's search box driven in Debian's Chromium by Playwright
(fill the box, then press a key), the results read off the page. The build, the host and
the browser are the session's (tests/conftest.py).

The judged queries are ``search/queries.yml``; the phone-number queries are every
notation of every retired number of the registry, plus the notations the issue lists.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

import phonenumbers
import pytest

from conftest import ROOT, free_port, mkdocs_serve
from factengine import Registry
from factengine.project import REGISTRY_FILE
from searchindex import INDEX_ONLY, SYNONYMS_FILE, PageAugmenter, PhoneBook, Synonyms, SynonymsError, notations
from searchindex.browser import SearchPage, judged_queries, phone_notations, retired_phone_queries, search
from searchindex.bundle import BUNDLE_DIR, bundle_sizes
from searchindex.pages import indexed_pages

QUERIES_FILE = ROOT / "search" / "queries.yml"
REGISTRY = Registry.load(ROOT / REGISTRY_FILE)
LANGUAGES = REGISTRY.languages
DEFAULT = REGISTRY.site.default_language
SUB_PATH = urlsplit(re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M).group(1)).path
# The notations the issue asks for, as a reader would type them.
ISSUE_NOTATIONS = [
    "0120-999-373",
    "0120999373",
    "0120 999 373",
    "+81 120 999 373",
    "+81120999373",
    "０１２０－９９９－３７３",
]

JUDGED = [(lang, query, article) for lang, rows in judged_queries(QUERIES_FILE).items() for query, article in rows]
PHONES = sorted(
    {
        (lang, notation)
        for lang in LANGUAGES
        for notation in [q for q, _ in retired_phone_queries(REGISTRY)] + ISSUE_NOTATIONS
    }
)


def article_url(root: str, lang: str, article: str) -> str:
    return root + ("" if lang == DEFAULT else f"{lang}/") + ("" if article == "index" else f"{article}/")


def built_language(site: Path, root: str, url: str) -> str:
    """The language a result's page declares (<html lang>), read from the built file."""
    assert url.startswith(root), f"{url} is outside the site ({root})"
    page = site / url[len(root) :] / "index.html"
    assert page.is_file(), f"{url} is not a page of the built site"
    return re.search(r'<html[^>]*\blang="([^"]+)"', page.read_text("utf-8")).group(1)


@pytest.fixture(scope="module")
def server(served):
    return served


@pytest.fixture(scope="module")
def context(chromium):
    ctx = chromium.new_context()
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def open_page(context, server):
    """A page of the site, kept open with its search box for the queries that start there."""
    pages: dict[tuple[str, str], SearchPage] = {}

    def get(lang: str, article: str) -> SearchPage:
        if (lang, article) not in pages:
            pages[lang, article] = SearchPage(context, server, article_url(server.url, lang, article))
        return pages[lang, article]

    yield get
    for page in pages.values():
        page.close()


def check_outcome(outcome, site, server, lang, expected):
    shown = [u[len(server.url) :] or "/" for u in outcome.results]
    assert outcome.results, f"{outcome.query!r} ({lang}): no result"
    assert outcome.top == expected, (
        f"{outcome.query!r} ({lang}): first result {shown[0]}, expected {expected[len(server.url) :]}; all: {shown}"
    )
    languages = {url: built_language(site, server.url, url) for url in outcome.results}
    assert set(languages.values()) == {lang}, f"{outcome.query!r} ({lang}): results in other languages: {languages}"
    leaked = [e for e in outcome.excerpts if INDEX_ONLY[0] in e or INDEX_ONLY[1] in e]
    assert not leaked, f"index-only words shown to the reader: {leaked}"
    assert not outcome.failed_requests, outcome.failed_requests
    assert outcome.shown, f"{outcome.query!r} ({lang}): the results are in the page but not on screen"


@pytest.mark.browser
@pytest.mark.parametrize("lang,query,article", JUDGED, ids=[f"{l}-{q}" for l, q, _ in JUDGED])
def test_a_reader_finds_the_article_in_their_language(built_site, server, open_page, lang, query, article):
    outcome = open_page(lang, "index").search(query)
    check_outcome(outcome, built_site, server, lang, article_url(server.url, lang, article))


@pytest.mark.browser
@pytest.mark.parametrize("lang,notation", PHONES, ids=[f"{l}-{n}" for l, n in PHONES])
def test_any_notation_of_a_retired_number_finds_the_retired_numbers_page(built_site, server, open_page, lang, notation):
    outcome = open_page(lang, "cancel").search(notation)
    check_outcome(outcome, built_site, server, lang, article_url(server.url, lang, "retired-numbers"))


def test_the_issue_notations_are_notations_of_a_registry_number():
    """The issue's notations are tested above; they must be of a number the site states."""
    known = {
        phonenumbers.format_number(
            phonenumbers.parse(f.number, REGISTRY.region_of(f)), phonenumbers.PhoneNumberFormat.E164
        )
        for f in REGISTRY.facts.values()
        if getattr(f, "kind", None) == "phone" and f.status == "retired"
    }
    for notation in ISSUE_NOTATIONS:
        number = phonenumbers.parse(unicodedata.normalize("NFKC", notation), "JP")
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) in known, notation


@pytest.mark.browser
def test_the_search_box_answers_input_without_a_key(built_site, server, context):
    """Pasting or an IME commit fires `input`, not `keyup`: results must come all the same."""
    page = context.new_page()
    try:
        page.goto(article_url(server.url, "ja", "index"))
        box = page.locator("input[data-site-search-query]")
        box.click()
        box.fill("返金")  # no key pressed
        page.wait_for_selector("[data-site-search][data-site-search-state=done]", state="attached", timeout=15000)
        first = page.eval_on_selector("[data-site-search-result]", "a => a.href")
        assert first == article_url(server.url, "ja", "refunds")
    finally:
        page.close()


def language_files(paths: list[str]) -> dict[str, list[str]]:
    """Pagefind files that belong to one language, by the language they belong to."""
    owners: dict[str, list[str]] = {}
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        match = re.match(
            r"(?:pagefind\.)?([a-z]{2,3}(?:-[A-Za-z]+)?)_[0-9a-f]+\.pf_(?:meta|index|fragment)$", name
        ) or re.match(r"wasm\.([a-z]+)\.pagefind$", name)
        if match:
            owners.setdefault(match.group(1), []).append(path)
    return owners


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_reader_downloads_only_their_language_index(built_site, server, chromium, lang):
    ctx = chromium.new_context()  # an empty cache: everything a first search needs is downloaded
    try:
        query = next(q for l, q, _ in JUDGED if l == lang)
        outcome = search(ctx, server, article_url(server.url, lang, "index"), query)
    finally:
        ctx.close()
    owners = language_files(outcome.search_requests)
    sizes = bundle_sizes(built_site / BUNDLE_DIR)
    entry = json.loads((built_site / BUNDLE_DIR / "pagefind-entry.json").read_text("utf-8"))
    wasm = entry["languages"][lang]["wasm"] or "unknown"  # Japanese has no stemmer: the language-neutral WASM
    assert set(owners) <= {lang, wasm}, f"{lang} reader downloaded other languages' files: {owners}"
    assert lang in owners, f"no {lang} index file downloaded: {outcome.search_requests}"
    assert not any("search_index" in p for p in outcome.search_requests), "Material's all-language index was loaded"
    own_script = (ROOT / "docs" / "javascripts" / "search.js").stat().st_size
    assert 0 < outcome.search_bytes <= sizes[lang].total_bytes + own_script
    print(
        f"\n{lang}: first search {outcome.query!r}: {outcome.search_bytes} bytes in "
        f"{len(outcome.search_requests)} requests, first result after {outcome.first_result_ms:.0f} ms; "
        f"the language's whole bundle: {sizes[lang].total_bytes} bytes"
    )


def test_the_site_ships_no_all_language_index_and_no_index_only_words(built_site):
    assert not (built_site / "search" / "search_index.json").exists()
    for page in built_site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert INDEX_ONLY[0] not in text and INDEX_ONLY[1] not in text, page


def test_every_article_word_of_the_synonyms_list_is_in_an_article(built_site):
    synonyms = Synonyms.load(ROOT / SYNONYMS_FILE, LANGUAGES)
    augmenter = PageAugmenter(synonyms.concepts, PhoneBook.from_registry(REGISTRY))
    for path, url in indexed_pages(built_site):
        augmenter.read(path, url)
    unused = [f"{c.language}: {c.article_word}" for c in synonyms.concepts if c not in augmenter.used]
    assert not unused, f"{SYNONYMS_FILE}: no article uses {unused}"
    assert set(synonyms.languages) == set(LANGUAGES)


def test_readers_words_rank_where_the_article_word_stands():
    synonyms = Synonyms.load(ROOT / SYNONYMS_FILE, LANGUAGES)
    augmenter = PageAugmenter(synonyms.concepts, PhoneBook.from_registry(REGISTRY))
    concept = next(c for c in synonyms.for_language("fr") if c.article_word == "résilier")
    text, added = augmenter.augment("<h1>La résiliation</h1><p>Pour résilier, rien d’autre.</p>", "fr")
    words = " ".join(concept.readers_words)
    assert text.count(words) == 2 and added["synonyms"] == 2
    assert re.search(rf"<h1>La résiliation \W{re.escape(words)}\W </h1>", text), text
    text, _ = augmenter.augment("<p>プライムを解約するには</p>", "ja")
    ja = next(c for c in synonyms.for_language("ja") if c.article_word == "解約")
    assert f"解約{INDEX_ONLY[0]}{' '.join(ja.readers_words)}{INDEX_ONLY[1]}する" in text


def test_every_notation_reduces_to_digits_the_index_holds():
    """The search box keeps only the digits of a phone-shaped query (after NFKC); those
    digits must be one of the strings the build wrote for the number."""
    for fact in REGISTRY.facts.values():
        if getattr(fact, "kind", None) != "phone":
            continue
        number = phonenumbers.parse(fact.number, REGISTRY.region_of(fact))
        indexed = set(notations(number))
        country = str(number.country_code)
        significant = phonenumbers.national_significant_number(number)
        mixed = f"+{country} (0){significant}"  # the "+81 (0)120..." habit
        for notation in [*phone_notations(fact.number, REGISTRY.region_of(fact)), mixed]:
            digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", notation))
            assert digits in indexed, f"{notation!r} -> {digits} is not indexed for {fact.number}: {sorted(indexed)}"


@pytest.mark.parametrize(
    "text,problem",
    [
        ("en: [cancel\n", "not valid YAML"),
        ("de:\n  kündigen: [beenden]\n", "'de' is not one of the site's languages"),
        ("en:\n  cancel: unsubscribe\n", "en.cancel: expected a non-empty list"),
        ("en:\n  cancel: [cancel, stop]\n", "lists the article word itself"),
        ("- en\n", "expected a mapping of language codes"),
    ],
)
def test_a_bad_synonyms_file_is_an_error_naming_the_file(tmp_path, text, problem):
    path = tmp_path / "synonyms.yml"
    path.write_text(text, "utf-8")
    with pytest.raises(SynonymsError) as error:
        Synonyms.load(path, LANGUAGES)
    assert str(path) in str(error.value) and problem in str(error.value)


@pytest.mark.browser
@pytest.mark.slow
def test_search_works_under_mkdocs_serve(chromium):
    """`mkdocs serve` builds into a temporary folder and serves it under site_url's path."""
    port = free_port()
    root = f"http://127.0.0.1:{port}{SUB_PATH}"
    with mkdocs_serve(
        ["--no-livereload", "--dirty", "-a", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    ) as serving:
        deadline = time.monotonic() + 240
        while True:
            assert serving.poll() is None, f"mkdocs serve stopped: {serving.stderr.read().decode()[-3000:]}"
            try:
                with urlopen(root + "pagefind/pagefind-entry.json", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "mkdocs serve did not serve the search bundle in 240 s"
                time.sleep(0.5)
        ctx = chromium.new_context()
        page = ctx.new_page()
        try:
            page.goto(root + "ja/")
            box = page.locator("input[data-site-search-query]")
            box.click()
            box.fill("0120 999 373")
            box.press("End")
            page.wait_for_selector("[data-site-search][data-site-search-state=done]", state="attached", timeout=15000)
            first = page.eval_on_selector("[data-site-search-result]", "a => a.href")
            assert first == root + "ja/retired-numbers/"
        finally:
            ctx.close()


def test_a_page_read_before_is_indexed_from_the_memo_exactly_as_read_afresh(built_site, tmp_path):
    """The post-build step keeps each page's reading by its bytes (factengine.memo): what the index
    is given, the words added and the concepts found are the same as without it (an edited page is
    read again: the verifier's memo test, the same keys)."""
    from factengine.memo import Memo
    from searchindex import memo_salt

    registry = Registry.load(ROOT / REGISTRY_FILE)
    synonyms = Synonyms.load(ROOT / SYNONYMS_FILE, registry.languages)
    salt = memo_salt(registry, synonyms)

    def readings(memo=None, page_file=None):
        augmenter = PageAugmenter(synonyms.concepts, PhoneBook.from_registry(registry))
        pages = [
            augmenter.read(path, url, memo)
            for path, url in indexed_pages(built_site if page_file is None else page_file)
        ]
        if memo is not None:
            memo.save()
        return [(p.url, p.language, p.html, dict(p.added)) for p in pages if p], augmenter.used

    afresh = readings()
    assert afresh[1], "no concept found: the comparison would prove nothing"
    assert readings(Memo(tmp_path, salt)) == afresh  # the memo is written
    memo = Memo(tmp_path, salt)
    assert memo._old and readings(memo) == afresh  # and read
    assert Memo(tmp_path, salt + "other")._old == {}


@pytest.mark.slow  # Pagefind over the whole built site seven times (about 6 s)
def test_a_language_whose_pages_did_not_change_is_not_indexed_again(built_site, tmp_path, monkeypatch):
    """Each language is one Pagefind run, kept in the cache by its documents: after an edit to one
    English page, only the English pages are indexed again, and the bundle is byte for byte the
    one a build with nothing kept writes."""
    from searchindex import bundle

    registry = Registry.load(ROOT / REGISTRY_FILE)
    augmenter = PageAugmenter(
        Synonyms.load(ROOT / SYNONYMS_FILE, LANGUAGES).concepts, PhoneBook.from_registry(registry)
    )
    pages = [page for page in (augmenter.read(path, url) for path, url in indexed_pages(built_site)) if page]
    runs: list[set[str]] = []  # the languages of each Pagefind run's documents
    real_run = bundle.subprocess.run

    def counted(command, **kwargs):
        documents = Path(command[command.index("--site") + 1]).rglob("*.html")
        runs.append({re.search(r'<html lang="([^"]+)"', d.read_text("utf-8")).group(1) for d in documents})
        return real_run(command, **kwargs)

    monkeypatch.setattr(bundle.subprocess, "run", counted)

    def files(site: Path) -> dict[str, bytes]:
        folder = site / BUNDLE_DIR
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    cache = tmp_path / "cache"
    bundle.write_bundle(pages, tmp_path / "first", cache)
    assert sorted(runs, key=sorted) == sorted(({lang} for lang in LANGUAGES), key=sorted)  # one run per language
    edited = next(i for i, p in enumerate(pages) if p.language == DEFAULT and p.url.endswith("/cancel/"))
    heading = '<h1 id="cancel-amazon-prime">'  # the page as indexed: its title, then its text
    page = pages[edited]
    pages[edited] = dataclasses.replace(page, html=page.html.replace(heading, f"<p>Edit.</p>{heading}"))
    assert pages[edited].html.count("Edit.") == 1, "the edit must reach the document"
    runs.clear()
    sizes = bundle.write_bundle(pages, tmp_path / "second", cache)
    assert runs == [{DEFAULT}], f"Pagefind's runs after one {DEFAULT} page changed: {runs}"
    assert sorted(sizes) == sorted(LANGUAGES)
    assert sorted(p.name.split("-")[0] for p in (cache / bundle.CACHE_SUBDIR).iterdir() if p.is_dir()) == sorted(
        LANGUAGES
    ), "one bundle kept per language"
    bundle.write_bundle(pages, tmp_path / "afresh")  # nothing kept
    assert files(tmp_path / "second") == files(tmp_path / "afresh")
    assert files(tmp_path / "second") != files(tmp_path / "first")
