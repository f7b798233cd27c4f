"""The built site, checked as a reader receives it: ``factcheck --site DIR``.

The source checks and the hooks make a wrong page impossible to build; this module
makes it impossible to publish, whatever built it (a generator that skips hooks, as
Zensical does today, would publish raw ``{{ … }}``). It reads the HTML pages, the
JSON-LD they carry, ``facts.json`` and the printable books, and reports:

- ``unrendered-reference``: a ``{{ … }}`` in a page's text, an attribute, its JSON-LD,
  ``facts.json`` or a book;
- ``hand-written-phone``: a ``tel:``/``sms:`` link that no phone fact made, or a phone
  number in a page's text, title, description or attributes outside a rendered fact
  (a phone in JSON-LD or a book must be one the registry knows);
- ``retired-call``: a retired number as a link anywhere, or shown without its marker;
- ``missing-alternates``: a page without the hreflang alternates of every language
  (and ``x-default``) in ``sitemap.xml`` (or its ``<head>``), or whose alternates
  point to no page of the site;
- ``missing-translation``: a page whose version in another language is missing;
- ``local-file``: a book that embeds a file, or a raw reference in a book's text.

Reported like the source checks, ``path:line: [rule] message``, the path inside the site.
"""

from __future__ import annotations

import dataclasses
import json
import os
import posixpath
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import phonenumbers

from . import literals, markup
from .diagnostics import Diagnostic, sort_diagnostics
from .memo import Memo
from .htmlnames import FACT_ATTRIBUTE, RETIRED_CLASS
from .registry import Registry
from .render import message

_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XHTML = "http://www.w3.org/1999/xhtml"

PHONE_SCHEMES = markup.PHONE_SCHEMES
_SKIPPED = {"script", "style", "template", "noscript"}
_BLOCKS = {
    "p",
    "div",
    "li",
    "td",
    "th",
    "tr",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dt",
    "dd",
    "section",
    "article",
    "nav",
    "header",
    "footer",
    "ul",
    "ol",
    "table",
    "label",
    "summary",
    "details",
    "title",
    "option",
}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_VISIBLE_META = {"description", "og:description", "og:title", "twitter:title", "twitter:description"}
_OPENING = re.compile(r"\{\{|\}\}")


@dataclasses.dataclass
class _Element:
    tag: str
    fact: str | None  # the fact it is part of: its own data-fact, else its nearest parent's
    skipped: bool  # it, or one of its parents, is text readers do not read (_SKIPPED)


class _Page(HTMLParser):
    """One HTML page: its text outside facts (by line), its phone links, facts, alternates and JSON-LD."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[_Element] = []
        self.text: list[tuple[int, str]] = []  # (line, text) outside any fact element
        self.attributes: list[tuple[int, str, str]] = []  # (line, name, value) readers see, outside facts
        self.links: list[tuple[int, str, str | None]] = []  # (line, href, data-fact of the link or its parents)
        self.retired: list[tuple[int, str, str]] = []  # (line, fact id, the element's text) for retired phones
        self.alternates: dict[str, str] = {}
        self.canonical: str | None = None
        self.language: str | None = None
        self.json_ld: list[tuple[int, str]] = []
        self._json: list[str] | None = None
        self._retired_text: list[str] | None = None
        self._retired_at: tuple[int, str] | None = None
        self._retired_depth = 0

    # -- where we are (each element carries what it inherits: no walk up the stack per tag and text)
    def _fact(self) -> str | None:
        return self.stack[-1].fact if self.stack else None

    def _skipped(self) -> bool:
        return self.stack[-1].skipped if self.stack else False

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        attributes = {k.lower(): v or "" for k, v in attrs}
        fact = attributes.get(FACT_ATTRIBUTE)
        if tag == "html":
            self.language = attributes.get("lang")
        if tag == "link" and "alternate" in attributes.get("rel", "").split() and attributes.get("hreflang"):
            self.alternates[attributes["hreflang"]] = attributes.get("href", "")
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes.get("href")
        if tag == "meta" and (attributes.get("name") or attributes.get("property")) in _VISIBLE_META:
            self.attributes.append(
                (line, attributes.get("name") or attributes.get("property"), attributes.get("content", ""))
            )
        if tag == "script" and attributes.get("type") == "application/ld+json":
            self._json = []
        inherited = fact or self._fact()
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            if name in attributes:
                self.links.append((line, attributes[name], inherited))
        if not inherited:
            for name, value in attributes.items():
                if name in markup.VISIBLE_ATTRIBUTES and tag != "meta":
                    self.attributes.append((line, name, value))
        for name, value in attributes.items():
            if _OPENING.search(value):
                self.attributes.append((line, name, value))  # a raw reference, in facts or not
        if tag in _BLOCKS and not self._skipped():
            self.text.append((line, "\n"))
        if tag in _VOID:
            return
        self.stack.append(_Element(tag, inherited, tag in _SKIPPED or self._skipped()))
        if fact and RETIRED_CLASS in attributes.get("class", "").split() and self._retired_text is None:
            self._retired_text, self._retired_at, self._retired_depth = [], (line, fact), len(self.stack)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack and self.stack[-1].tag == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "script" and self._json is not None:
            self.json_ld.append((self.getpos()[0], "".join(self._json)))
            self._json = None
        while self.stack:
            element = self.stack.pop()
            if self._retired_text is not None and len(self.stack) < self._retired_depth:
                self.retired.append((*self._retired_at, "".join(self._retired_text)))
                self._retired_text = None
            if element.tag == tag:
                break
        if tag in _BLOCKS:
            self.text.append((self.getpos()[0], "\n"))

    def handle_data(self, data):
        if self._json is not None:
            self._json.append(data)
            return
        if self._retired_text is not None:
            self._retired_text.append(data)
        if self._skipped():
            return
        if self._fact() is None or _OPENING.search(data):
            self.text.append((self.getpos()[0], data))


@dataclasses.dataclass(frozen=True)
class _PageReading:
    """What the rules found in one page, and what the rules over all pages need of it."""

    problems: tuple[Diagnostic, ...]
    canonical: str | None
    alternates: dict[str, str]


def verify_site(
    site_dir: Path, registry: Registry, memo: Memo | None = None, files: list[str] | None = None
) -> list[Diagnostic]:
    """Every problem of the built site in ``site_dir``. With a ``memo``, a page or book read before
    with the same bytes is not read again (``Memo``). ``files``: the site's ``site_files``, when the
    caller has listed them already (the post-build step lists the folder once for all its steps)."""
    site_dir = Path(site_dir)
    memo = memo or Memo(None, "")
    files = site_files(site_dir) if files is None else files
    problems: list[Diagnostic] = []
    phones = _phones(registry)
    regions = tuple(sorted({m.region for m in registry.marketplaces.values()}))
    languages = registry.languages
    pages = site_pages(files)
    if not pages:
        return [Diagnostic(str(site_dir), 1, "missing-translation", "no HTML page in the site")]
    readings: dict[str, _PageReading] = {}  # by the page's site-relative path
    for shown in pages:
        raw = (site_dir / shown).read_bytes()
        key = memo.key(shown, raw)
        reading = memo.get(key)
        if reading is None:
            parser = _Page()
            parser.feed(raw.decode("utf-8", errors="replace"))
            parser.close()
            found = _page_rules(shown, parser, phones, regions, registry)
            reading = _PageReading(tuple(found), parser.canonical, dict(parser.alternates))
            memo.put(key, reading)
        readings[shown] = reading
        problems += reading.problems
    problems += _alternates(site_dir, readings, languages, frozenset(files))
    problems += _facts_json(site_dir, phones, registry)
    problems += _books(site_dir, memo, [site_dir / rel for rel in files if rel.endswith(".pdf")])
    memo.save()
    return sort_diagnostics(problems)


def site_files(site_dir: Path) -> list[str]:
    """Every file of the built site, as sorted site-relative paths ("fr/cancel/index.html"): one walk
    of the folder, which the post-build steps share (each walked it again: 0.15 s per walk at 900 pages)."""
    site_dir = Path(site_dir)
    found = []
    for folder, _, names in os.walk(site_dir):
        rel = Path(folder).relative_to(site_dir).as_posix()
        prefix = "" if rel == "." else rel + "/"
        found += [prefix + name for name in names]
    return sorted(found)


def site_pages(files: list[str]) -> list[str]:
    """The pages among ``site_files``: the HTML files that are not assets."""
    return [rel for rel in files if rel.endswith(".html") and not is_asset_path(rel)]


def page_url(rel: str) -> str:
    """A page's address relative to the site's, from its site-relative path ("fr/cancel/index.html"
    -> "fr/cancel/")."""
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def is_asset_path(rel: str) -> bool:
    """A built file (site-relative path) that is not a page of the site: the theme's assets, the
    search bundles, dot folders."""
    parts = rel.split("/")
    return parts[0] in ("assets", "pagefind", "search") or any(part.startswith(".") for part in parts)


def _phones(registry: Registry) -> dict[str, tuple[str, object]]:
    """E.164 -> (fact id, fact) of every phone fact (a short number by its digits alone)."""
    found = {}
    for fact_id, fact in registry.facts.items():
        if fact.kind == "phone":
            found[fact.number.lstrip("#") if fact.short else registry.phone_key(fact)] = (fact_id, fact)
    return found


def _page_rules(shown: str, page: _Page, phones, regions, registry: Registry) -> list[Diagnostic]:
    problems = []
    language = page.language or registry.site.default_language
    # Raw references anywhere.
    for line, text in page.text:
        if _OPENING.search(text):
            problems.append(
                Diagnostic(
                    shown, line, "unrendered-reference", f"unrendered fact reference in the text: {_around(text)!r}"
                )
            )
    for line, name, value in page.attributes:
        if _OPENING.search(value):
            problems.append(
                Diagnostic(shown, line, "unrendered-reference", f"unrendered fact reference in {name}: {value[:80]!r}")
            )
    # Phone links: only those a phone fact made, and never a retired number.
    for line, href, fact_id in page.links:
        scheme = urlsplit(href.strip()).scheme.lower()
        if scheme not in PHONE_SCHEMES:
            continue
        number = unquote(href.split(":", 1)[1]).split(";")[0].split("?")[0]
        known = phones.get(_e164(number, regions)) or phones.get(number.lstrip("#"))
        if known is None or fact_id != known[0]:
            problems.append(
                Diagnostic(shown, line, "hand-written-phone", f"a {scheme}: link to {number} that no phone fact made")
            )
        elif known[1].status == "retired":
            problems.append(Diagnostic(shown, line, "retired-call", f"retired number {number} ({known[0]}) as a link"))
    # Retired numbers carry their marker.
    marker = message("retired", language)
    for line, fact_id, text in page.retired:
        if marker not in text:
            problems.append(
                Diagnostic(
                    shown, line, "retired-call", f"retired number '{fact_id}' shown without its marker {marker!r}"
                )
            )
    # Phone numbers written outside a fact: in the text, in visible attributes and head metadata.
    lines, chunks, length = [], [], 0
    for (
        line,
        text,
    ) in page.text:  # (offset in the joined text, line) of each chunk: a running total, not a sum per chunk
        lines.append((length, line))
        chunks.append(text)
        length += len(text)
    text = "".join(chunks)
    for offset, written, _ in literals.phones(text, regions):
        line = max((l for start, l in lines if start <= offset), default=1)
        problems.append(Diagnostic(shown, line, "hand-written-phone", f"phone number {written!r} outside a fact"))
    for line, name, value in page.attributes:
        for _, written, _ in literals.phones(value, regions):
            problems.append(Diagnostic(shown, line, "hand-written-phone", f"phone number {written!r} in {name}"))
    # JSON-LD: every phone number in it is one the registry knows and still in service.
    for line, data in page.json_ld:
        if _OPENING.search(data):
            problems.append(Diagnostic(shown, line, "unrendered-reference", "unrendered fact reference in JSON-LD"))
        try:
            strings = list(_json_strings(json.loads(data)))
        except ValueError:
            problems.append(Diagnostic(shown, line, "unrendered-reference", "JSON-LD that is not JSON"))
            continue
        for value in strings:
            problems += _known_phones(shown, line, value, phones, regions, "JSON-LD")
    return problems


def _known_phones(shown, line, text, phones, regions, where) -> list[Diagnostic]:
    problems = []
    for _, written, readings in literals.phones(text, regions):
        known = [phones[r] for r in readings if r in phones]
        if not known:
            problems.append(
                Diagnostic(shown, line, "hand-written-phone", f"phone number {written!r} in {where} is no fact")
            )
        elif any(fact.status == "retired" for _, fact in known):
            problems.append(
                Diagnostic(
                    shown, line, "retired-call", f"retired number {written!r} in {where}, where no marker can be shown"
                )
            )
    return problems


def _json_strings(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from _json_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _json_strings(value)
    elif isinstance(data, str):
        yield data


def _e164(number: str, regions) -> str | None:
    for region in regions:
        try:
            return phonenumbers.format_number(phonenumbers.parse(number, region), phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            continue
    return None


def _around(text: str) -> str:
    m = _OPENING.search(text)
    return text[max(0, m.start() - 30) : m.end() + 40].strip()


def _sitemap_alternates(site_dir: Path) -> dict[str, dict[str, str]] | None:
    """``sitemap.xml``: page URL -> its hreflang alternates; None when the site has no sitemap.
    Raises ``ValueError`` with the line of a sitemap that is not XML."""
    path = site_dir / "sitemap.xml"
    if not path.is_file():
        return None
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise ValueError(error.position[0], f"sitemap.xml is not well-formed XML: {error}") from None
    entries: dict[str, dict[str, str]] = {}
    for url in root.iterfind(f"{{{_SITEMAP}}}url"):
        loc = (url.findtext(f"{{{_SITEMAP}}}loc") or "").strip()
        entries[loc] = {
            link.get("hreflang"): link.get("href", "")
            for link in url.iterfind(f"{{{_XHTML}}}link")
            if link.get("rel") == "alternate" and link.get("hreflang")
        }
    return entries


def _alternates(
    site_dir: Path, parsed: dict[str, _PageReading], languages: list[str], files: frozenset[str]
) -> list[Diagnostic]:
    """Every page (``parsed``, by its site-relative path) names its version in each language (and
    x-default, where the site gives one), and each alternate is a page of the site (one of ``files``,
    site-relative). The alternates are read from ``sitemap.xml``, where the site states them (see
    ``sitemeta/head.py`` for why not in ``<head>``), and from the page's ``<head>`` if a generator
    put them there."""
    problems = []
    try:
        sitemap = _sitemap_alternates(site_dir)
    except ValueError as error:
        line, text = error.args
        return [Diagnostic("sitemap.xml", line, "missing-alternates", text)]
    if sitemap is None and not any(page.alternates for page in parsed.values()):
        return [
            Diagnostic(
                "sitemap.xml",
                1,
                "missing-alternates",
                "no sitemap.xml and no hreflang alternates in the pages: the languages are not linked",
            )
        ]
    # Absolute alternates map to files through the pages' canonical URLs (the site may be built
    # for any address); relative ones resolve against the page's own address.
    base = None
    for shown, page in parsed.items():
        if page.canonical:
            url_path = page_url(shown)
            if page.canonical.endswith(url_path):
                base = page.canonical[: len(page.canonical) - len(url_path)]
                break
    stated = {shown: page.alternates or (sitemap or {}).get(page.canonical or "", {}) for shown, page in parsed.items()}
    with_default = any("x-default" in alternates for alternates in stated.values())
    for shown, page in parsed.items():
        if page.canonical is None:
            continue  # a 404 page, served at any address, has no alternates
        alternates = stated[shown]
        wanted = [*languages, "x-default"] if with_default else languages
        missing = [lang for lang in wanted if lang not in alternates]
        if missing:
            problems.append(
                Diagnostic(
                    shown,
                    1,
                    "missing-alternates",
                    f"no hreflang alternate for {', '.join(missing)} (in sitemap.xml or the page)",
                )
            )
        for lang, href in alternates.items():
            if base is not None and href.startswith(base):
                rel = href[len(base) :]
            elif urlsplit(href).scheme or href.startswith("/"):
                continue  # another site's address: not ours to check
            else:
                rel = urljoin("/" + page_url(shown), href).lstrip("/")
            target = posixpath.normpath(unquote(rel.split("#", 1)[0]))
            folder = "" if target == "." else target.rstrip("/") + "/"
            if target not in files and folder + "index.html" not in files:
                problems.append(
                    Diagnostic(shown, 1, "missing-translation", f"the {lang} version {href} is not in the site")
                )
    return problems


def _facts_json(site_dir: Path, phones, registry: Registry) -> list[Diagnostic]:
    path = site_dir / "facts.json"
    if not path.exists():
        return []
    problems = []
    data = json.loads(path.read_text("utf-8"))
    for fact_id, fact in data.get("facts", {}).items():
        for language, text in (fact.get("rendered") or {}).items():
            if _OPENING.search(text):
                problems.append(
                    Diagnostic(
                        "facts.json", 1, "unrendered-reference", f"{fact_id} ({language}): unrendered fact reference"
                    )
                )
            entry = phones.get(_e164(fact.get("number", ""), ("FR", "JP"))) if fact.get("kind") == "phone" else None
            if entry and entry[1].status == "retired" and message("retired", language) not in text:
                problems.append(
                    Diagnostic(
                        "facts.json", 1, "retired-call", f"{fact_id} ({language}): retired number without its marker"
                    )
                )
    return problems


def _books(site_dir: Path, memo: Memo, books: list[Path]) -> list[Diagnostic]:
    """The printable books: no embedded file, no raw reference. (A book is printed from the pages'
    HTML, checked above, so its facts are the pages' facts.)"""
    problems = []
    if books and not (shutil.which("pdftotext") and shutil.which("pdfdetach")):
        return [
            Diagnostic(
                books[0].relative_to(site_dir).as_posix(),
                1,
                "local-file",
                "poppler-utils (pdftotext, pdfdetach) is needed to check the books",
            )
        ]
    for book in books:
        shown = book.relative_to(site_dir).as_posix()
        key = memo.key(shown, book.read_bytes())
        found = memo.get(key)
        if found is None:
            found = _book_rules(book, shown)
            memo.put(key, found)
        problems += found
    return problems


def _book_rules(book: Path, shown: str) -> tuple[Diagnostic, ...]:
    """One book: no embedded file, no raw reference on any page."""
    problems = []
    detach = subprocess.run(["pdfdetach", "-list", str(book)], capture_output=True, text=True)
    if detach.returncode != 0 or detach.stdout.strip() != "0 embedded files":
        problems.append(Diagnostic(shown, 1, "local-file", f"the book embeds files: {detach.stdout.strip()[:200]}"))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(book), "-"], capture_output=True, text=True).stdout
    for number, page_text in enumerate(text.split("\f"), 1):
        if _OPENING.search(page_text):
            problems.append(
                Diagnostic(
                    shown,
                    number,
                    "unrendered-reference",
                    f"page {number}: unrendered fact reference {_around(page_text)!r}",
                )
            )
    return tuple(problems)
