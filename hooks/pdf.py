"""MkDocs hooks: the printable books, per language (``printbook`` does the work).

Each section of the navigation is a book (``printbook/plan.py``: a long section in
volumes of at most ``MAX_CHAPTERS`` articles), and the whole site is one more book
while it is small (``prime-help-{lang}.pdf``). Every page links, in the reader's
language, to the book of its section and to the whole site's book when there is one.
A reader gets the part of the help they are reading; printing stays bounded in memory
however large the site, and a book whose content did not change is taken from the cache
(``.cache/printbook/``, keyed by content: ``printbook/cache.py``).

static-i18n builds the default language, then, inside its own ``on_post_build``,
rebuilds the whole site once per other language into the same ``site_dir``. So
everything here is kept per language, and each language writes its own files:
``site/prime-help-en.pdf``, ``site/books/prime-help-en-2-contact-and-safety.pdf``,
``site/ja/prime-help-ja.pdf``, ``site/ja/books/prime-help-ja-2.pdf``…

- ``on_pre_build``: where the language's books go (the config changes with every language's build);
- ``on_nav``: which books the language's nav makes, and which pages each holds, in nav order;
- ``on_page_content``: each page's rendered content (facts filled in); once the last
  page of a book is in, the book goes to a worker process (``printbook.Press``) and
  the build goes on while it is printed;
- ``on_page_context``: the links to the page's books, for ``overrides/partials/actions.html``;
- ``on_post_build``: once the whole site is built, wait for every book and report.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from factengine.diagnostics import display_path
from factengine.edition import Edition as FactEdition, edition_for
from printbook import Book, BookError, Chapter, Press, messages
from printbook.cache import BookCache
from printbook.plan import MAX_CHAPTERS, PlannedBook, plan
from sitebuild import SESSION, project_cache

log = logging.getLogger("mkdocs.hooks.pdf")

BOOK_FILE = "prime-help-{language}.pdf"  # the whole site, in the language's folder
SECTION_BOOK_FILE = "books/prime-help-{language}-{key}.pdf"  # a section's book (or one volume of it)
CACHE_DIR = "printbook"  # under the project's .cache/ (sitebuild.project_cache)
# The site's own fact styles (struck-through retired numbers…) apply to the book too.
FACT_STYLESHEET = "stylesheets/facts.css"


@dataclasses.dataclass
class _Volume:
    """One book of one language: the whole site, or a section (or a volume of it)."""

    plan: PlannedBook
    path: str  # inside the site: "prime-help-en.pdf", "ja/books/prime-help-ja-2.pdf"


@dataclasses.dataclass
class _Edition:
    """One language's books, as that language's build configures them."""

    language: str
    folder: str  # the language's folder in the site ("" for the default language)
    title: str
    description: str
    site_url: str
    site_dir: Path
    pages: list[str] = dataclasses.field(default_factory=list)  # page sources, in nav order
    books: list[_Volume] = dataclasses.field(default_factory=list)
    by_page: dict[str, list[_Volume]] = dataclasses.field(default_factory=dict)  # page source -> its books
    rendered: set[str] = dataclasses.field(default_factory=set)  # pages rendered in this build
    engine: FactEdition | None = None  # the fact engine's edition: the pages' analyses, the renderers
    facts: dict[str, set[str]] = dataclasses.field(default_factory=dict)  # page source -> the facts it states


@dataclasses.dataclass
class Books:
    """This hook's part of a build (``sitebuild.Build.part``): every language's books."""

    press: Press | None = None  # the worker processes, from the first language's build to the end
    editions: dict[str, _Edition] = dataclasses.field(default_factory=dict)
    contents: dict[str, dict[str, Chapter]] = dataclasses.field(default_factory=dict)  # language -> page -> chapter


def _books() -> Books:
    return SESSION.current().part(Books)


# What printing the books depends on besides printbook's own code: this hook.
_SALT = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _current(config: MkDocsConfig) -> tuple[str, str, list[str]]:
    """The language being built, its folder in the site ("" for the default), and every language built."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        language = config.theme["language"]
        return language, "", [language]
    language = i18n.current_language or i18n.default_language
    built = [lang.locale for lang in i18n.config.languages if lang.build]
    return language, "" if language == i18n.default_language else language, built


def _inner_build(config: MkDocsConfig) -> bool:
    """True inside static-i18n's rebuild of another language, when the site is not complete yet."""
    i18n = config.plugins.get("i18n")
    return bool(i18n is not None and getattr(i18n, "building", False))


def on_pre_build(config: MkDocsConfig) -> None:
    """Where this language's books go. ``mkdocs serve`` makes no book (hooks/facts.py says so on each rebuild)."""
    if SESSION.preview:
        return
    language, folder, built = _current(config)
    books = _books()
    if books.press is None:  # the first language of a build
        books.press = Press(workers=os.cpu_count() or 1, cache_dir=project_cache(config) / CACHE_DIR, salt=_SALT)
    books.editions[language] = _Edition(
        language=language,
        folder=folder,
        title=config.site_name,
        description=config.site_description or "",
        site_url=config.site_url or "",
        site_dir=Path(config.site_dir),
        engine=edition_for(Path(config.config_file_path).parent, Path(config.docs_dir)),
    )
    books.contents.setdefault(language, {})


@event_priority(-200)  # after static-i18n's on_nav (-100), which builds the language's nav
def on_nav(nav: Navigation, config: MkDocsConfig, files) -> Navigation:
    if SESSION.preview:
        return nav
    edition = _books().editions[_current(config)[0]]
    placed = _sections(nav.items, ())
    edition.pages = [src for src, _ in placed]
    edition.books, edition.by_page = [], {}
    for planned in plan(placed, MAX_CHAPTERS):
        name = (
            BOOK_FILE.format(language=edition.language)
            if planned.whole_site
            else SECTION_BOOK_FILE.format(language=edition.language, key=planned.key)
        )
        volume = _Volume(planned, f"{edition.folder}/{name}" if edition.folder else name)
        edition.books.append(volume)
        for src in planned.pages:
            edition.by_page.setdefault(src, []).append(volume)
    return nav


def _sections(items, chain: tuple) -> list[tuple[str, tuple]]:
    """Every page of the nav in order, each with its sections: (position among siblings, title)."""
    placed = []
    for position, item in enumerate(items, 1):
        if isinstance(item, Section):
            placed += _sections(item.children, chain + ((position, item.title or ""),))
        elif isinstance(item, Page) and item.file is not None:
            placed.append((item.file.src_uri, chain))
    return placed


def on_page_content(html: str, page: Page, config: MkDocsConfig, files) -> str:
    if SESSION.preview:
        return html
    language, _, _ = _current(config)
    books = _books()
    edition = books.editions[language]
    src = page.file.src_uri
    books.contents[language][src] = Chapter(
        url=page.url, title=page.title or "", html=html, source=display_path(Path(page.file.abs_src_path))
    )
    analysis = edition.engine.analysis(Path(page.file.abs_src_path))
    edition.facts[src] = analysis.fact_ids if analysis else set()
    edition.rendered.add(src)
    for volume in edition.by_page.get(src, ()):  # a book goes to the press as soon as its last page is in
        if _key(edition, volume) not in books.press.submitted and edition.rendered.issuperset(volume.plan.pages):
            _submit(books, edition, volume)
    return html


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    if SESSION.preview:
        return context
    edition = _books().editions[_current(config)[0]]
    words = _words(edition.language)
    links = []
    # The section's book first (what the reader is reading), then the whole site's.
    for volume in sorted(edition.by_page.get(page.file.src_uri, ()), key=lambda v: v.plan.whole_site):
        if volume.plan.whole_site:
            label = words["download"]
        else:
            named = Book(
                edition.language,
                edition.title,
                (),
                _build_date(),
                section=volume.plan.section,
                volume=volume.plan.volume,
                volumes=volume.plan.volumes,
            )
            label = words["download-section"].format(section=named.section_name(words))
        links.append(
            {
                "href": get_relative_url(volume.path, page.url),
                "label": label,
                "language": edition.language,
                "kind": "site" if volume.plan.whole_site else "section",
            }
        )
    context["printbook"] = links
    return context


# Last of all: after static-i18n's on_post_build (-100), which builds the other languages,
# and after the search index (-110), which is built while the books are printed.
@event_priority(-200)
def on_post_build(config: MkDocsConfig) -> None:
    if SESSION.preview:
        return
    language, _, built = _current(config)
    books = _books()
    if books.press is None:
        return
    _submit_the_rest(books, books.editions[language])  # a dirty build: not every page was rendered
    if _inner_build(config):
        return
    for lang in built:  # the default language, in a dirty build: its pages were not all rendered
        _submit_the_rest(books, books.editions[lang])
    waiting = time.perf_counter()
    press, books.press = books.press, None
    try:
        printed = press.finish()
    except BookError as exc:
        raise PluginError(f"printable book: {exc}") from None
    waited = time.perf_counter() - waiting
    refused = [f"{item} ({key} book)" for key, book in printed.items() for item in book.refused]
    refused += [
        f"printable book ({key}): [local-file] refused to read {url}: only files of the built site are read"
        for key, book in printed.items()
        for url in book.refused_urls
    ]
    if refused:
        for item in refused:
            log.error(item)
        raise PluginError(f"printable book: {len(refused)} file(s) refused; the site is not published")
    for key, book in printed.items():
        for message in book.warnings:
            log.warning(f"printable book ({key}): WeasyPrint: {message}")
        log.debug(
            f"printable book ({key}): {book.path}, {book.pages} pages, "
            + ("from the cache" if book.cached else f"printed in {book.seconds:.2f} s")
        )
    for lang in built:
        made = [printed[_key(books.editions[lang], volume)] for volume in books.editions[lang].books]
        fresh = [book for book in made if not book.cached]
        log.info(
            f"printable books ({lang}): {len(made)} books, {sum(b.pages for b in made)} pages, "
            f"{len(made) - len(fresh)} from the cache, {len(fresh)} printed"
        )
    cpu = sum(book.cpu_seconds for book in printed.values())
    log.info(
        f"printable books: {len(printed)} in {press.workers} worker processes alongside the site's "
        f"build ({waiting - SESSION.current().started:.2f} s), {cpu:.2f} s of processor time; the build then waited "
        f"{waited:.2f} s for them"
    )
    if press.cache_dir is not None:
        BookCache(press.cache_dir).prune()


def on_build_error(error: Exception) -> None:
    """A failed build prints no book: stop the workers, start afresh next time (mkdocs serve)."""
    if SESSION.build is None:
        return
    books = _books()
    press, books.press = books.press, None
    if press is not None:
        try:
            press.finish()
        except Exception:  # the build's own error is the one to report
            pass


def _key(edition: _Edition, volume: _Volume) -> str:
    return f"{edition.language}:{volume.plan.key}"


def _submit_the_rest(books: Books, edition: _Edition) -> None:
    for volume in edition.books:
        if _key(edition, volume) not in books.press.submitted:
            _submit(books, edition, volume)


def _book(books: Books, edition: _Edition, volume: _Volume) -> Book:
    contents = books.contents[edition.language]
    chapters = tuple(contents[src] for src in volume.plan.pages if src in contents)
    return Book(
        language=edition.language,
        title=edition.title,
        chapters=chapters,
        built_on=_build_date(),
        facts_as_of=_facts_as_of(edition, volume.plan.pages),
        site_url=edition.site_url,
        description=edition.description,
        section=volume.plan.section,
        volume=volume.plan.volume,
        volumes=volume.plan.volumes,
    )


def _submit(books: Books, edition: _Edition, volume: _Volume) -> None:
    # Static files are copied before pages are built: facts.css is already in the site.
    stylesheets = [path for path in [edition.site_dir / FACT_STYLESHEET] if path.is_file()]
    books.press.submit(
        _key(edition, volume),
        _book(books, edition, volume),
        edition.site_dir / volume.path,
        edition.site_dir,
        stylesheets,
    )


def _words(language: str) -> dict[str, str]:
    try:
        return messages(language)
    except BookError as exc:
        raise PluginError(str(exc)) from None


def _build_date() -> dt.date:
    """Today, or SOURCE_DATE_EPOCH's day for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def _facts_as_of(edition: _Edition, pages) -> str | None:
    """The cover's line on the age of the facts the book states (from the fact check's analysis
    of each of its pages), in the words the pages use: the fact engine renders it."""
    fact_ids = set().union(*(edition.facts.get(src, set()) for src in pages))
    return edition.engine.renderer(edition.language).page_notice(sorted(fact_ids))
