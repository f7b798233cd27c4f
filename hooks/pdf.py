"""MkDocs hooks: the printable book, one PDF per language (``printbook`` does the work).

static-i18n builds the default language, then, inside its own ``on_post_build``,
rebuilds the whole site once per other language into the same ``site_dir``. So
everything here is kept per language, and each language writes its own file:
``site/prime-help-en.pdf``, ``site/ja/prime-help-ja.pdf``, ``site/fr/prime-help-fr.pdf``.

- ``on_pre_build``: what the language's book is called and where it goes (the
  config changes with every language's build);
- ``on_nav``: which pages make the book, in nav order;
- ``on_page_content``: each page's rendered content (facts filled in); once the
  last page of the nav is in, the book goes to a worker process (``printbook.Press``)
  and the build goes on with the next language while it is printed;
- ``on_page_context``: the link to the book, for ``overrides/partials/actions.html``;
- ``on_post_build``: once the whole site is built, wait for every book and report.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from factengine.diagnostics import display_path
from factengine.edition import Edition as FactEdition, edition_for
from printbook import Book, BookError, Chapter, Press, messages

log = logging.getLogger("mkdocs.hooks.pdf")

BOOK_FILE = "prime-help-{language}.pdf"
# The site's own fact styles (struck-through retired numbers…) apply to the book too.
FACT_STYLESHEET = "stylesheets/facts.css"


@dataclasses.dataclass
class _Edition:
    """One language's book, as that language's build configures it."""

    language: str
    path: str            # inside the site: "prime-help-en.pdf", "ja/prime-help-ja.pdf"
    title: str
    description: str
    site_url: str
    site_dir: Path
    pages: list[str] = dataclasses.field(default_factory=list)     # page sources, in nav order
    rendered: set[str] = dataclasses.field(default_factory=set)    # pages rendered in this build
    engine: FactEdition | None = None  # the fact engine's edition: the pages' analyses, the renderers
    facts: dict[str, set[str]] = dataclasses.field(default_factory=dict)  # page source -> the facts it states


_press: Press | None = None
_started = 0.0
_editions: dict[str, _Edition] = {}
# language -> page source -> chapter; kept across builds, since `mkdocs serve --dirty`
# renders only the pages that changed.
_contents: dict[str, dict[str, Chapter]] = {}


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


_preview = False  # mkdocs serve: no book (hooks/facts.py says so on each rebuild)


def on_startup(*, command: str, dirty: bool) -> None:
    global _preview
    _preview = command == "serve"


def on_pre_build(config: MkDocsConfig) -> None:
    global _press, _started
    if _preview:
        return
    language, folder, built = _current(config)
    if _press is None:  # the first language of a build (a new one for each `mkdocs serve` rebuild)
        _press = Press(workers=min(len(built), os.cpu_count() or 1))
        _started = time.perf_counter()
    name = BOOK_FILE.format(language=language)
    _editions[language] = _Edition(
        language=language,
        path=f"{folder}/{name}" if folder else name,
        title=config.site_name,
        description=config.site_description or "",
        site_url=config.site_url or "",
        site_dir=Path(config.site_dir),
        engine=edition_for(Path(config.config_file_path).parent, Path(config.docs_dir)),
    )
    _contents.setdefault(language, {})


@event_priority(-200)  # after static-i18n's on_nav (-100), which builds the language's nav
def on_nav(nav: Navigation, config: MkDocsConfig, files) -> Navigation:
    if _preview:
        return nav
    _editions[_current(config)[0]].pages = [page.file.src_uri for page in nav.pages]
    return nav


def on_page_content(html: str, page: Page, config: MkDocsConfig, files) -> str:
    if _preview:
        return html
    language, _, _ = _current(config)
    edition = _editions[language]
    _contents[language][page.file.src_uri] = Chapter(url=page.url, title=page.title or "", html=html,
                                                     source=display_path(Path(page.file.abs_src_path)))
    analysis = edition.engine.analysis(Path(page.file.abs_src_path))
    edition.facts[page.file.src_uri] = analysis.fact_ids if analysis else set()
    edition.rendered.add(page.file.src_uri)
    if language not in _press.submitted and edition.rendered >= set(edition.pages):
        _submit(edition)
    return html


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    if _preview:
        return context
    edition = _editions[_current(config)[0]]
    context["printbook"] = {
        "href": get_relative_url(edition.path, page.url),
        "label": _words(edition.language)["download"],
        "language": edition.language,
    }
    return context


# Last of all: after static-i18n's on_post_build (-100), which builds the other languages,
# and after the search index (-110), which is built while the books are printed.
@event_priority(-200)
def on_post_build(config: MkDocsConfig) -> None:
    global _press
    if _preview:
        return
    language, _, built = _current(config)
    if _press is not None and language not in _press.submitted:
        _submit(_editions[language])  # a dirty build, or a nav with no page (the book says so)
    if _press is None or _inner_build(config):
        return
    for lang in built:  # the default language, in a dirty build: its pages were not all rendered
        if lang not in _press.submitted:
            _submit(_editions[lang])
    waiting = time.perf_counter()
    press, _press = _press, None
    try:
        printed = press.finish()
    except BookError as exc:
        raise PluginError(f"printable book: {exc}") from None
    waited = time.perf_counter() - waiting
    refused = [f"{item} ({lang} book)" for lang, book in printed.items() for item in book.refused]
    refused += [f"printable book ({lang}): [local-file] refused to read {url}: only files of the built site are read"
                for lang, book in printed.items() for url in book.refused_urls]
    if refused:
        for item in refused:
            log.error(item)
        raise PluginError(f"printable book: {len(refused)} file(s) refused; the site is not published")
    for lang, book in printed.items():
        for message in book.warnings:
            log.warning(f"printable book ({lang}): WeasyPrint: {message}")
        log.info(f"printable book ({lang}): {_editions[lang].path}, {book.pages} pages, "
                 f"printed in {book.seconds:.2f} s ({book.cpu_seconds:.2f} s of processor time)")
    cpu = sum(book.cpu_seconds for book in printed.values())
    log.info(f"printable books: {len(printed)} printed in {press.workers} worker processes alongside the site's "
             f"build ({waiting - _started:.2f} s), {cpu:.2f} s of processor time; the build then waited "
             f"{waited:.2f} s for them")


def on_build_error(error: Exception) -> None:
    """A failed build prints no book: stop the workers, start afresh next time (mkdocs serve)."""
    global _press
    press, _press = _press, None
    if press is not None:
        try:
            press.finish()
        except Exception:  # the build's own error is the one to report
            pass


def _submit(edition: _Edition) -> None:
    contents = _contents[edition.language]
    chapters = tuple(contents[src] for src in edition.pages if src in contents)
    book = Book(
        language=edition.language,
        title=edition.title,
        chapters=chapters,
        built_on=_build_date(),
        facts_as_of=_facts_as_of(edition, chapters),
        site_url=edition.site_url,
        description=edition.description,
    )
    # Static files are copied before pages are built: facts.css is already in the site.
    stylesheets = [path for path in [edition.site_dir / FACT_STYLESHEET] if path.is_file()]
    _press.submit(edition.language, book, edition.site_dir / edition.path, edition.site_dir, stylesheets)


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


def _facts_as_of(edition: _Edition, chapters) -> str | None:
    """The cover's line on the age of the facts the book states (from the fact check's analysis
    of each page), in the words the pages use: the fact engine renders it."""
    fact_ids = set().union(*(edition.facts.get(src, set()) for src in edition.pages))
    return edition.engine.renderer(edition.language).page_notice(sorted(fact_ids))
