"""The printable books: per language, the whole site's book and one per nav section, built with
the site (hooks/pdf.py over printbook/), and a clean browser print of any page
(docs/stylesheets/print.css).

Everything expected is derived from the inputs: the languages, titles and nav order from
mkdocs.yml and the article sources, the facts from the built web pages and the registry,
the book's own words from printbook/messages.yaml. The PDFs are the ones the session's
``built_site`` build wrote; their text is read with pypdf, their fonts with poppler's
``pdffonts``, and page 1 is drawn with ``pdftoppm`` for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

import markdown
import pytest
from babel import Locale
from babel.dates import format_date
from bs4 import BeautifulSoup
from mkdocs.config import load_config
from pypdf import PdfReader

from conftest import ENV, ROOT
from factengine import Project, Registry, Renderer, check
from factengine.project import REGISTRY_FILE
from factengine.articles import read_article as read_page
from factengine.render import message
from printbook import Book, BookError, Chapter, assemble, messages, print_book

REGISTRY = Registry.load(ROOT / REGISTRY_FILE)
KANGXI_AND_RADICALS = re.compile("[\u2e80-\u2fdf]")  # what Type 3 CJK fonts extract as
PAGE_FOOTER = re.compile(r"^(\d+) / (\d+)$")
LIST_MARKER = re.compile(r"•|\d+\.")


# --- What the sources say the books must hold ---------------------------------------------------
@dataclass(frozen=True)
class Article:
    source: str  # the nav entry, e.g. "cancel.md"
    title: str  # its H1 (or front-matter title) in the edition's language
    url: str  # the built page, e.g. "ja/cancel/"


@dataclass(frozen=True)
class Edition:
    language: str
    folder: str  # "" for the default language
    site_name: str
    articles: tuple[Article, ...]


def _nav_sources(nav) -> list[str]:
    found = []
    for item in nav or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found += _nav_sources(value)
        elif isinstance(value, str) and value.endswith(".md"):
            found.append(value)
    return found


def _source_title(path: Path, language: str) -> str:
    page, problems = read_page(path, ROOT / "docs", REGISTRY.languages)
    assert page is not None, f"{path}: {problems}"
    h1 = re.search(r"^# (.+)$", page.body, re.M)
    if h1 and not page.awaiting_translation:
        rendered = markdown.markdown(h1.group(1).strip())
        return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()
    assert page.meta.get("title"), f"{path}: no H1 and no front-matter title"
    return page.meta["title"]


@functools.cache
def editions() -> tuple[Edition, ...]:
    config = load_config(str(ROOT / "mkdocs.yml"))
    i18n = config.plugins["i18n"].config
    sources = _nav_sources(config.nav)
    assert sources, "mkdocs.yml's nav lists no page"
    found = []
    for lang in (lang for lang in i18n.languages if lang.build):
        folder = "" if lang.default else lang.locale
        articles = []
        for source in sources:
            stem = PurePosixPath(source).with_suffix("")
            path = ROOT / "docs" / f"{stem}.{lang.locale}.md"
            assert path.is_file(), f"{path} is missing"
            page_dir = "" if stem.name == "index" else f"{stem}/"
            if stem.name == "index" and str(stem.parent) != ".":
                page_dir = f"{stem.parent}/"
            url = f"{folder}/{page_dir}" if folder else page_dir
            articles.append(Article(source, _source_title(path, lang.locale), url))
        found.append(Edition(lang.locale, folder, lang.site_name or config.site_name, tuple(articles)))
    return tuple(found)


LANGUAGES = [e.language for e in editions()]


def edition(language: str) -> Edition:
    return next(e for e in editions() if e.language == language)


def squeeze(text: str) -> str:
    """Text with no white space at all: a PDF breaks lines where the web page does not."""
    return re.sub(r"\s+", "", text)


def page_html(site: Path, article: Article) -> BeautifulSoup:
    return BeautifulSoup((site / article.url / "index.html").read_text("utf-8"), "html.parser")


def page_article(site: Path, article: Article):
    """The web page's content, as the reader sees it (without the content buttons)."""
    content = page_html(site, article).select_one("article.md-content__inner")
    assert content is not None, f"{article.url}: no article element"
    return content


# --- The books as built ---------------------------------------------------------------------------
def book_file(site: Path, language: str) -> Path:
    """The book a language's home page links to (the link the reader follows)."""
    home = edition(language).articles[0]
    link = page_html(site, home).select_one('a.printbook-link[data-book="site"]')
    assert link is not None, f"{home.url}: no link to the printed book"
    path = urlsplit(urljoin("/" + home.url, link["href"])).path
    return site / path.lstrip("/")


@functools.cache
def _reader(path: Path) -> PdfReader:
    assert path.is_file(), f"{path}: the book was not written"
    return PdfReader(path)


@pytest.fixture(params=LANGUAGES)
def book(request, built_site):
    language = request.param
    return language, _reader(book_file(built_site, language))


@functools.cache
def page_texts(path: Path) -> tuple[str, ...]:
    return tuple(page.extract_text() for page in _reader(path).pages)


def poppler_page_texts(path: Path) -> tuple[str, ...]:
    """Each page's text as poppler's pdftotext reads it: a hundred times faster than pypdf's
    extract_text, with the same lines, but it joins a word hyphenated at the end of a line
    (a URL "se-faire-/rembourser" reads "se-fairerembourser"), so it serves only the tests that
    read titles and page furniture."""
    assert path.is_file(), f"{path}: the book was not written"
    run = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
    pages = run.stdout.split("\f")
    if pages and not pages[-1].strip():  # pdftotext ends every page, the last one too, with a form feed
        pages.pop()
    return tuple(page.strip("\n") for page in pages)


@functools.cache
def body_text(path: Path, language: str) -> str:
    """The book's text without page furniture (footer page number, running title), squeezed."""
    titles = {a.title for a in edition(language).articles}
    kept = []
    for text in page_texts(path):
        lines = text.splitlines()
        if lines and PAGE_FOOTER.match(lines[-1].strip()):
            lines.pop()
        if lines and lines[-1].strip() in titles:
            lines.pop()
        # List markers ("•", "1.") come out after the page's text, wherever their items are.
        while lines and LIST_MARKER.fullmatch(lines[-1].strip()):
            lines.pop()
        kept.append("\n".join(lines))
    return squeeze("\n".join(kept))


def outline_entries(reader: PdfReader) -> list[tuple[str, int]]:
    """Top-level bookmarks: (title, 1-based page)."""
    return [
        (entry.title, reader.get_destination_page_number(entry) + 1)
        for entry in reader.outline
        if not isinstance(entry, list)
    ]


# --- Every web page links the book in its language -------------------------------------------------
@pytest.mark.books
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_links_the_book_in_the_readers_language(built_site, language):
    words = messages(language)
    book = book_file(built_site, language)
    assert book.is_file(), f"{book} does not exist"
    for article in edition(language).articles:
        links = page_html(built_site, article).select('a.printbook-link[data-book="site"]')
        assert len(links) == 1, f"{article.url}: {len(links)} links to the book"
        link = links[0]
        assert link.get_text(strip=True) == words["download"], article.url
        assert link["hreflang"] == language
        target = built_site / urlsplit(urljoin("/" + article.url, link["href"])).path.lstrip("/")
        assert target == book, f"{article.url} links {target}, not {book}"


@pytest.mark.books
def test_each_language_writes_its_own_file(built_site):
    files = {language: book_file(built_site, language) for language in LANGUAGES}
    assert len(set(files.values())) == len(LANGUAGES), files
    for language, path in files.items():
        assert path.parent == (built_site / edition(language).folder), f"{path} is outside its language's folder"


# --- One book per nav section, linked from the section's pages ---------------------------------------
@dataclass(frozen=True)
class NavSection:
    title: str  # in the edition's language (static-i18n's nav_translations)
    articles: tuple[Article, ...]


@functools.cache
def nav_sections(language: str) -> tuple[NavSection, ...]:
    """mkdocs.yml's nav sections that hold pages, in nav order, with their pages in this language."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    lang = next(l for l in config.plugins["i18n"].config.languages if l.locale == language)
    translations = lang.nav_translations or {}
    by_source = {a.source: a for a in edition(language).articles}
    found = []

    def walk(items, chain):
        pages = []
        for item in items or []:
            title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
            if isinstance(value, list):
                walk(value, chain + [translations.get(title, title)])
            elif chain:
                pages.append(by_source[value])
        if pages:
            found.append(NavSection(" › ".join(chain), tuple(pages)))

    walk(config.nav, [])
    assert found, "mkdocs.yml's nav has no section"
    return tuple(found)


def section_link(site: Path, article: Article):
    links = page_html(site, article).select('a.printbook-link[data-book="section"]')
    assert len(links) == 1, f"{article.url}: {len(links)} links to its section's book"
    return links[0], site / urlsplit(urljoin("/" + article.url, links[0]["href"])).path.lstrip("/")


@pytest.mark.books
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_of_a_section_links_that_sections_book_in_the_readers_language(built_site, language):
    words = messages(language)
    books = set()
    for section in nav_sections(language):
        files = set()
        for article in section.articles:
            link, target = section_link(built_site, article)
            assert link.get_text(strip=True) == words["download-section"].format(section=section.title), article.url
            assert link["hreflang"] == language
            assert target.is_file(), f"{article.url} links {target}, which was not written"
            assert target.parent.parent == built_site / edition(language).folder, (
                f"{target} is outside {language}'s folder"
            )
            files.add(target)
        assert len(files) == 1, f"{language} {section.title!r}: its pages link different books {files}"
        books |= files
    assert len(books) == len(nav_sections(language)), "two sections share a book"
    in_sections = {a.source for section in nav_sections(language) for a in section.articles}
    for article in edition(language).articles:
        if article.source not in in_sections:  # the home page: no section, the whole site's book only
            assert not page_html(built_site, article).select('a.printbook-link[data-book="section"]'), article.url


@pytest.mark.books
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_sections_book_holds_its_articles_in_nav_order_numbered_and_titled(built_site, language):
    words = messages(language)
    for section in nav_sections(language):
        _, path = section_link(built_site, section.articles[0])
        reader = _reader(path)
        assert [title for title, _ in outline_entries(reader)] == [a.title for a in section.articles]
        assert reader.metadata.title == words["section-title"].format(
            site=edition(language).site_name, section=section.title
        )
        assert reader.trailer["/Root"]["/Lang"] == language
        assert "/StructTreeRoot" in reader.trailer["/Root"]
        texts = poppler_page_texts(path)
        assert squeeze(section.title) in squeeze(texts[0]), f"{path}: the cover does not name the section"
        for number, text in enumerate(texts, 1):
            assert text.splitlines()[-1].strip() == f"{number} / {len(texts)}", f"{path}: page {number}"
        section_text = squeeze("\n".join(texts[1:]))
        whole = body_text(book_file(built_site, language), language)
        for article in section.articles:  # the same chapters as in the whole book
            assert squeeze(article.title) in section_text
            assert squeeze(article.title) in whole


# --- The PDF itself ----------------------------------------------------------------------------------
@pytest.mark.books
def test_the_book_is_a_tagged_pdf_in_its_language(book):
    language, reader = book
    root = reader.trailer["/Root"]
    assert root["/Lang"] == language
    assert reader.metadata.title == edition(language).site_name
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp, "not marked PDF/UA-1"


@pytest.mark.books
def test_every_font_is_embedded_with_a_unicode_map_and_none_is_type_3(built_site):
    pdffonts = shutil.which("pdffonts")
    assert pdffonts, "pdffonts is missing: install poppler-utils (scripts/system-packages.txt)"
    for language in LANGUAGES:
        path = book_file(built_site, language)
        run = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, timeout=60, check=True)
        header, rule, *rows = run.stdout.splitlines()
        assert rows, f"{path}: no font at all"
        # Fixed-width columns, as wide as the dashes under the header (a type may hold spaces).
        spans = [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]
        columns = [header[start:end].strip() for start, end in spans]
        assert columns[:6] == ["name", "type", "encoding", "emb", "sub", "uni"], header
        for row in rows:
            name, kind, _, emb, sub, uni = (row[start:end].strip() for start, end in spans[:6])
            assert "Type 3" not in kind, f"{path}: {name} is a Type 3 font"
            assert emb == "yes", f"{path}: {name} is not embedded"
            assert sub == "yes", f"{path}: {name} is embedded whole, not subset"
            assert uni == "yes", f"{path}: {name} has no ToUnicode map"
        if language == "ja":
            assert any("Noto-Sans-CJK-JP" in row for row in rows), f"{path}: Japanese not set in Noto Sans CJK JP"


@pytest.mark.books
def test_the_text_holds_every_title_and_the_retired_numbers_in_its_language(book, built_site):
    language, reader = book
    path = book_file(built_site, language)
    text = body_text(path, language)
    for article in edition(language).articles:
        assert squeeze(article.title) in text, f"{language}: title {article.title!r} is not in the book"
    renderer = Renderer(REGISTRY, language)
    retired = [fact for fact in REGISTRY.facts.values() if fact.kind == "phone" and fact.status == "retired"]
    assert len(retired) == 4, "the registry should list four retired numbers"
    marker = message("retired", language)
    for fact in retired:
        # The number, then its marker, as text: what a reader of the paper copy sees.
        assert squeeze(renderer.phone_text(fact) + marker) in text, f"{language}: {fact.number} unmarked or missing"
    raw = "".join(page_texts(path))
    strays = sorted(set(KANGXI_AND_RADICALS.findall(raw)))
    assert not strays, f"{language}: CJK radicals in the text (a Type 3 font?): {strays}"


@pytest.mark.books
def test_a_page_whose_facts_are_older_than_the_horizon_carries_its_notice_into_the_book(book, built_site):
    """The stale notice is part of the page's content: the paper copy warns its reader too."""
    language, reader = book
    title = message("stale-title", language)
    pages = [a for a in edition(language).articles if title in page_article(built_site, a).get_text()]
    assert pages, f"{language}: no page shows the stale notice (the real registry has stale facts)"
    path = book_file(built_site, language)
    cover = squeeze(page_texts(path)[0])
    assert squeeze(title) in cover, f"{language}: the cover (its facts are the book's) does not warn"
    said = body_text(path, language).count(squeeze(title))
    assert said == len(pages) + 1, f"{language}: {len(pages)} pages and the cover warn; the book says it {said} times"


@pytest.mark.books
def test_the_outline_has_one_entry_per_article_in_nav_order(book):
    language, reader = book
    titles = [title for title, _ in outline_entries(reader)]
    assert titles == [a.title for a in edition(language).articles]


@pytest.mark.books
def test_the_contents_give_the_page_each_article_starts_on(book, built_site):
    language, reader = book
    contents = page_texts(book_file(built_site, language))[1]
    assert messages(language)["contents"] in contents
    lines = {squeeze(line).rstrip("0123456789").rstrip("."): squeeze(line) for line in contents.splitlines()}
    for title, page in outline_entries(reader):
        line = lines.get(squeeze(title))
        assert line is not None, f"{language}: {title!r} is not in the contents"
        assert re.fullmatch(rf"{re.escape(squeeze(title))}\.*{page}", line), (
            f"{language}: {line!r}, expected page {page}"
        )
        assert squeeze(title) in squeeze(page_texts(book_file(built_site, language))[page - 1])


@pytest.mark.books
def test_every_page_has_its_number_in_the_footer(book, built_site):
    language, reader = book
    texts = page_texts(book_file(built_site, language))
    for number, text in enumerate(texts, 1):
        assert text.splitlines()[-1].strip() == f"{number} / {len(texts)}", f"{language}: page {number}"


@pytest.mark.books
def test_the_cover_names_the_book_its_language_build_date_and_facts_date(book, built_site):
    language, reader = book
    cover = squeeze(page_texts(book_file(built_site, language))[0])
    words = messages(language)
    assert squeeze(edition(language).site_name) in cover
    name = Locale.parse(language).get_display_name(language)
    assert squeeze(words["language"] + name[:1].upper() + name[1:]) in cover
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    built_on = dt.date.fromisoformat(re.search(r"<xmp:CreateDate>([\d-]+)</xmp:CreateDate>", xmp).group(1))
    assert squeeze(words["built-on"] + format_date(built_on, "long", locale=language)) in cover
    # The facts the book's articles reference, as the fact check reads them from the sources.
    result = check(Project(ROOT))
    fact_ids = sorted(
        set().union(
            *(
                result.analysis(ROOT / "docs" / a.source.replace(".md", f".{language}.md")).fact_ids
                for a in edition(language).articles
            )
        )
    )
    notice = Renderer(REGISTRY, language).page_notice(fact_ids)
    assert squeeze(html.unescape(re.sub(r"<[^>]+>", "", notice))) in cover


@pytest.mark.books
def test_facts_read_exactly_as_on_the_web(book, built_site):
    language, _ = book
    text = body_text(book_file(built_site, language), language)
    checked = 0
    for article in edition(language).articles:
        for fact in page_article(built_site, article).select("[data-fact]"):
            shown = squeeze(fact.get_text())
            assert shown in text, (
                f"{article.url}: fact {fact['data-fact']} reads {fact.get_text()!r} on the web, not so in print"
            )
            checked += 1
    assert checked, f"{language}: no fact on any page"


@pytest.mark.books
def test_both_marketplace_tabs_are_printed_in_full(book, built_site):
    language, _ = book
    text = body_text(book_file(built_site, language), language)
    tab_sets = 0
    for article in edition(language).articles:
        for tab_set in page_article(built_site, article).select("div.tabbed-set"):
            tab_sets += 1
            labels = tab_set.select(".tabbed-labels > label")
            panels = tab_set.select(".tabbed-content > .tabbed-block")
            assert len(labels) == len(panels) >= 2, f"{article.url}: a tab set of {len(labels)} tabs"
            for label in labels:
                assert squeeze(label.get_text()) in text, f"{article.url}: tab {label.get_text()!r} not printed"
            for panel in panels:
                for block in panel.find_all(["p", "li"]):
                    if block.find(["p", "ul", "ol"]):
                        continue  # its own paragraphs are checked
                    for piece in _text_between_outbound_links(block):
                        assert squeeze(piece) in text, f"{article.url}: {piece!r} not printed"
    assert tab_sets, f"{language}: no page has marketplace tabs"


def _text_between_outbound_links(block) -> list[str]:
    """A paragraph's text, cut after each link out of the site (print adds its address there)."""
    block = BeautifulSoup(str(block), "html.parser")
    for link in block.select('a[href^="http"]'):
        link.append("\x00")
    return [piece for piece in block.get_text().split("\x00") if piece.strip()]


@pytest.mark.books
def test_link_addresses_are_printed_after_the_link_text(book, built_site):
    language, _ = book
    text = body_text(book_file(built_site, language), language)
    template = messages(language)["url-ref"]
    checked = 0
    for article in edition(language).articles:
        for link in page_article(built_site, article).select('a[href^="http"]'):
            label = link.get_text()
            if squeeze(label) == squeeze(link["href"]):
                continue
            assert squeeze(label + template.format(url=link["href"])) in text, f"{article.url}: {link['href']}"
            checked += 1
    assert checked, f"{language}: no link out of the site to check"


@pytest.mark.books
def test_page_one_drawn_for_a_person_to_look_at(book, built_site, tmp_path):
    language, _ = book
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is missing: install poppler-utils (scripts/system-packages.txt)"
    stem = tmp_path / f"book-{language}-page"
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(book_file(built_site, language)),
            str(stem),
        ],
        check=True,
        timeout=60,
    )
    png = stem.with_suffix(".png")
    print(f"\npage 1 of the {language} book: {png}")
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG"), png
    assert len(data) > 10_000, f"{png} is nearly empty ({len(data)} bytes)"


# --- printbook on its own -----------------------------------------------------------------------------
def test_a_language_without_the_books_words_is_an_error_naming_the_file():
    with pytest.raises(BookError, match=r"printbook/messages\.yaml: no 'de' text"):
        messages("de")


def _tiny_book(*chapters: Chapter) -> Book:
    return Book(
        language="en",
        title="Tiny",
        chapters=chapters,
        built_on=dt.date(2024, 5, 1),
        site_url="https://example.org/help/",
    )


def test_links_between_articles_point_into_the_book(tmp_path):
    first = Chapter("a/", "A", '<h1 id="a">A</h1><p><a href="../b/#later">to B</a> <a href="#a">top</a></p>')
    second = Chapter("b/", "B", '<h1 id="b">B</h1><h2 id="later">Later</h2><p><a href="../c.zip">file</a></p>')
    document = BeautifulSoup(assemble(_tiny_book(first, second), tmp_path), "html.parser")
    ids = {tag["id"] for tag in document.find_all(id=True)}
    hrefs = [a["href"] for a in document.select("article a")]
    assert hrefs[:2] == ["#chapter-2--later", "#chapter-1--a"]
    assert {"chapter-2--later", "chapter-1--a"} <= ids
    assert hrefs[2] == "https://example.org/help/c.zip"
    assert "(https://example.org/help/c.zip)" in document.get_text()


def test_a_tab_set_that_does_not_add_up_is_an_error_naming_the_page(tmp_path):
    broken = (
        '<h1>T</h1><div class="tabbed-set tabbed-alternate"><div class="tabbed-labels">'
        '<label>One</label><label>Two</label></div><div class="tabbed-content">'
        '<div class="tabbed-block">only one</div></div></div>'
    )
    with pytest.raises(BookError, match="ja/broken/: a tab set has 2 labels for 1 panels"):
        assemble(_tiny_book(Chapter("ja/broken/", "T", broken)), tmp_path)


def test_the_book_reads_no_network(tmp_path):
    chapter = Chapter(
        "a/",
        "A",
        '<h1>A</h1><p><img alt="remote" src="http://127.0.0.1:9/x.png">'
        '<img alt="remote" src="https://example.org/y.png"></p>',
        source="docs/a.en.md",
    )
    printed = print_book(_tiny_book(chapter), tmp_path / "tiny.pdf", tmp_path)
    assert [item.split(" outside the site ")[-1] for item in printed.refused] == [
        "'http://127.0.0.1:9/x.png'",
        "'https://example.org/y.png'",
    ]
    assert all(item.startswith("docs/a.en.md: [local-file]") for item in printed.refused)
    assert PdfReader(printed.path).pages, "the book is still printed, without the images"


def _count_printing(monkeypatch) -> list[str]:
    """The books WeasyPrint lays out from now on (in this process), by target file name."""
    import printbook.press

    printed = []
    real = printbook.press.write_pdf

    def counting(document, target, *args, **kwargs):
        printed.append(Path(target).name)
        return real(document, target, *args, **kwargs)

    monkeypatch.setattr(printbook.press, "write_pdf", counting)
    return printed


def test_a_book_whose_content_did_not_change_comes_from_the_cache(tmp_path, monkeypatch):
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    sheet = site / "facts.css"
    sheet.write_text(".fact { color: #000 }", "utf-8")
    book = _tiny_book(Chapter("a/", "A", "<h1>A</h1><p>Cancel from the account page.</p>"))
    printing = _count_printing(monkeypatch)
    first = print_book(book, site / "one.pdf", site, [sheet], cache_dir=cache)
    assert (printing, first.cached) == (["one.pdf"], False)
    # Touched, not changed; the same site built into another folder: the same content.
    sheet.write_text(".fact { color: #000 }", "utf-8")
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(site, elsewhere)
    again = print_book(book, elsewhere / "two.pdf", elsewhere, [elsewhere / "facts.css"], cache_dir=cache)
    assert printing == ["one.pdf"], "the unchanged book was laid out again"
    assert again.cached and again.pages == first.pages
    assert (elsewhere / "two.pdf").read_bytes() == (site / "one.pdf").read_bytes()


@pytest.mark.parametrize("change", ["page", "stylesheet", "image", "salt"])
def test_a_change_of_a_page_a_stylesheet_an_image_or_the_code_prints_the_book_again(tmp_path, monkeypatch, change):
    site, cache = tmp_path / "site", tmp_path / "cache"
    (site / "a").mkdir(parents=True)
    shutil.copy(_any_png(), site / "a" / "figure.png")
    sheet = site / "facts.css"
    sheet.write_text(".fact { color: #000 }", "utf-8")
    html = '<h1>A</h1><p>Cancel from the account page.</p><p><img alt="f" src="figure.png"></p>'
    printing = _count_printing(monkeypatch)
    print_book(_tiny_book(Chapter("a/", "A", html)), site / "book.pdf", site, [sheet], cache_dir=cache, salt="hook 1")
    salt = "hook 1"
    if change == "page":
        html = html.replace("account page", "account page, then confirm")
    elif change == "stylesheet":
        sheet.write_text(".fact { color: #111 }", "utf-8")
    elif change == "image":
        (site / "a" / "figure.png").write_bytes((site / "a" / "figure.png").read_bytes() + b"\0")
    else:
        salt = "hook 2"
    again = print_book(
        _tiny_book(Chapter("a/", "A", html)), site / "book.pdf", site, [sheet], cache_dir=cache, salt=salt
    )
    assert not again.cached and printing == ["book.pdf", "book.pdf"], f"a changed {change} did not print the book again"


@pytest.mark.slow  # imports printbook (WeasyPrint) in fresh interpreters: the full tier
def test_the_cache_key_changes_with_printbooks_own_code_and_words(tmp_path):
    """A copy of printbook, then the same copy with book.css and messages.yaml edited: each
    fingerprint computed in a fresh interpreter that imports that copy."""
    import sys

    def fingerprint(edit: str | None) -> str:
        copy = tmp_path / (edit or "unchanged")
        shutil.copytree(ROOT / "printbook", copy / "printbook", ignore=shutil.ignore_patterns("__pycache__"))
        if edit:
            with (copy / "printbook" / edit).open("a", encoding="utf-8") as out:
                out.write("\n# edited\n")
        run = subprocess.run(
            [sys.executable, "-c", "import printbook.cache as c; print(c.__file__); print(c.code_fingerprint())"],
            cwd=copy,
            env={**ENV, "PYTHONPATH": str(copy)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        where, value = run.stdout.split()
        assert Path(where).is_relative_to(copy), f"imported {where}, not the copy"
        return value

    unchanged = fingerprint(None)
    assert fingerprint("book.css") != unchanged
    assert fingerprint("messages.yaml") != unchanged


def test_a_long_section_is_printed_in_volumes_and_a_large_site_has_no_whole_book():
    from printbook.plan import plan

    kb = ((2, "Kb"), (1, "Topic 01"))
    pages = [("index.md", ())] + [(f"kb/a{i:03d}.md", kb) for i in range(60)] + [("about.md", ((3, "About"),))]
    books = plan(pages, max_chapters=25)
    assert not any(b.whole_site for b in books), "a 62-page site printed as one book"
    assert all(len(b.pages) <= 25 for b in books)
    volumes = [b for b in books if b.section == ("Kb", "Topic 01")]
    assert [(b.volume, b.volumes, len(b.pages)) for b in volumes] == [(1, 3, 20), (2, 3, 20), (3, 3, 20)]
    assert [p for b in volumes for p in b.pages] == [src for src, chain in pages if chain == kb]
    assert len({b.key for b in books}) == len(books)
    small = plan(pages[:5] + pages[-1:], max_chapters=25)
    assert small[0].whole_site and small[0].pages == tuple(src for src, _ in pages[:5] + pages[-1:])
    assert [b.section for b in small[1:]] == [("Kb", "Topic 01"), ("About",)]


@pytest.mark.slow  # prints books in worker processes: the full tier
def test_the_press_prints_books_in_parallel_and_names_the_book_that_fails(tmp_path):
    from printbook import Press

    broken = (
        '<h1>T</h1><div class="tabbed-set tabbed-alternate"><div class="tabbed-labels">'
        '<label>One</label><label>Two</label></div><div class="tabbed-content">'
        '<div class="tabbed-block">only one</div></div></div>'
    )
    press = Press(workers=2, cache_dir=tmp_path / "cache")
    for n in range(3):
        press.submit(
            f"en:{n}", _tiny_book(Chapter("a/", "A", f"<h1>A</h1><p>Book {n}</p>")), tmp_path / f"{n}.pdf", tmp_path
        )
    printed = press.finish()
    assert sorted(printed) == ["en:0", "en:1", "en:2"]
    assert all(PdfReader(book.path).pages and not book.cached for book in printed.values())
    # Printed before: copied by the press itself, no worker process started.
    press.submit("en:1", _tiny_book(Chapter("a/", "A", "<h1>A</h1><p>Book 1</p>")), tmp_path / "1-again.pdf", tmp_path)
    assert press._thread is None
    assert press.finish()["en:1"].cached
    press.submit("en:0", _tiny_book(Chapter("a/", "A", "<h1>A</h1><p>Book 0</p>")), tmp_path / "0.pdf", tmp_path)
    press.submit("ja:broken", _tiny_book(Chapter("ja/broken/", "T", broken)), tmp_path / "b.pdf", tmp_path)
    with pytest.raises(BookError, match=r"the book ja:broken: ja/broken/: a tab set has 2 labels for 1 panels"):
        press.finish()


# Every way an article's HTML can ask WeasyPrint to read or embed a file, and whether the book
# refuses it (a relative path that climbs above the site is clamped to the site's root by URL
# resolution: it names a file inside the site, which does not exist).
LOCAL_FILE_VECTORS = [
    ('<a rel="attachment" href="file:///etc/passwd">attached</a>', True),
    ('<link rel="attachment" href="file:///etc/hostname">', True),
    ('<a rel="attachment" href="../../../../../../etc/passwd">climbing</a>', True),
    ('<img alt="a" src="file:///etc/passwd">', True),
    ('<img alt="b" src="../../../../../../../etc/passwd">', False),
    ('<img alt="c" src="leak.png">', True),  # a symbolic link in the site, to /etc/passwd
    ('<img alt="d" srcset="file:///etc/passwd 2x" src="ok.png">', True),
    ('<object data="file:///etc/passwd"></object>', True),
    ('<embed src="file:///etc/passwd">', True),
    ('<iframe src="file:///etc/passwd"></iframe>', True),
    ('<p style="background: url(file:///etc/passwd)">styled</p>', True),
    ("<style>@import url(file:///etc/passwd); p { background: url(file:///etc/hostname) }</style>", True),
    ('<svg width="10" height="10"><image href="file:///etc/passwd" width="10" height="10"/></svg>', True),
    ('<a href="file:///etc/passwd">a local link</a>', True),
]


def test_nothing_outside_the_site_gets_into_the_book(tmp_path):
    """An article holding every local-file vector: the book names the article for each it refuses,
    embeds no file, and none of those files' text is in the PDF; the site's own image is printed."""
    site = tmp_path / "site"
    (site / "vectors").mkdir(parents=True)
    shutil.copy(_any_png(), site / "vectors" / "ok.png")
    (site / "vectors" / "leak.png").symlink_to("/etc/passwd")
    html = '<h1 id="t">Vectors</h1><p><img alt="ok" src="ok.png"></p>' + "".join(
        f"<p>{v}</p>" for v, _ in LOCAL_FILE_VECTORS
    )
    chapter = Chapter("vectors/", "Vectors", html, source="docs/vectors.en.md")
    printed = print_book(_tiny_book(chapter), tmp_path / "vectors.pdf", site)

    assert len(printed.refused) == sum(refused for _, refused in LOCAL_FILE_VECTORS), printed.refused
    assert all(item.startswith("docs/vectors.en.md: [local-file] the printed book refuses") for item in printed.refused)
    assert printed.refused_urls == [], "nothing reached the fetcher that it had to refuse"
    detach = subprocess.run(["pdfdetach", "-list", str(printed.path)], capture_output=True, text=True, check=True)
    assert detach.stdout.strip() == "0 embedded files", detach.stdout
    text = subprocess.run(["pdftotext", str(printed.path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Vectors" in text
    secrets = Path("/etc/passwd").read_text().splitlines()[:3] + [Path("/etc/hostname").read_text().strip()]
    for secret in filter(None, secrets):
        assert secret not in text
    images = subprocess.run(["pdfimages", "-list", str(printed.path)], capture_output=True, text=True, check=True)
    assert len(images.stdout.strip().splitlines()) == 2 + 2, (
        "the site's own image is printed (twice: ok.png, srcset's src)"
    )


def test_the_fetcher_reads_only_files_of_the_site(tmp_path):
    """The second lock, on its own: whatever address reaches WeasyPrint, only the site's files are read."""
    from printbook.safety import SiteFetcher

    site = tmp_path / "site"
    site.mkdir()
    (site / "in.css").write_text("p {}", "utf-8")
    (site / "out.css").symlink_to("/etc/passwd")
    fetcher = SiteFetcher(site)
    assert fetcher.fetch((site / "in.css").as_uri()).read() == b"p {}"
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    for url in [
        "file:///etc/passwd",
        (site / "out.css").as_uri(),
        (site / ".." / ".." / "etc" / "passwd").as_uri(),
        f"file://{site}/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "file://localhost/etc/passwd",
        "http://127.0.0.1:9/x",
    ]:
        with pytest.raises(Exception):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 6


def _any_png() -> Path:
    found = next(Path("/usr/share").rglob("*.png"), None)
    assert found is not None, "no PNG on this machine to stand for a site image"
    return found


# --- A page printed from the browser ----------------------------------------------------------------
def _page_with_tabs(site: Path, language: str) -> Article:
    for article in edition(language).articles:
        if page_article(site, article).select("div.tabbed-set") and page_article(site, article).select(
            'a[href^="http"]'
        ):
            return article
    raise AssertionError(f"{language}: no page with marketplace tabs and a link out")


@pytest.mark.books
@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_printed_from_the_browser_is_clean(built_site, served, chromium, language):
    article = _page_with_tabs(built_site, language)
    page = chromium.new_page()
    try:
        page.goto(served.url + article.url, wait_until="load")
        whole = page.locator('a.printbook-link[data-book="site"]')
        assert whole.is_visible(), "the link to the book is not shown on screen"
        assert whole.inner_text().strip() == messages(language)["download"]
        assert page.locator('a.printbook-link[data-book="section"]').is_visible(), "no link to the section's book"
        page.emulate_media(media="print")
        for furniture in [
            ".md-header",
            ".md-search",
            ".md-sidebar--primary",
            ".md-sidebar--secondary",
            ".md-footer",
            "a.printbook-link",
            ".headerlink",
        ]:
            shown = page.locator(furniture).evaluate_all("els => els.filter(e => e.checkVisibility()).length")
            assert shown == 0, f"{article.url}: {furniture} is printed"
        labels = page.locator(".tabbed-labels > label")
        panels = page.locator(".tabbed-content > .tabbed-block")
        assert labels.count() >= 2
        assert labels.evaluate_all("els => els.every(e => e.checkVisibility())"), "a tab label is not printed"
        assert panels.evaluate_all("els => els.every(e => e.checkVisibility() && e.innerText.trim())"), (
            "a tab panel is not printed"
        )
        after = page.locator('article a[href^="http"]').first.evaluate(
            "a => [a.getAttribute('href'), getComputedStyle(a, '::after').content]"
        )
        assert after[0] in after[1], f"{article.url}: the link's address is not printed after it"
        retired = page.locator(".fact-phone--retired .fact-status")
        if retired.count():
            assert retired.first.is_visible()
            assert retired.first.inner_text().strip() == message("retired", language)
    finally:
        page.close()
