"""One language's knowledge base as one printable HTML document.

The chapters are the web pages' rendered content, unchanged where the reader
sees facts: only what paper cannot do is rewritten.

- Links between articles point into the book; links that leave the book print
  their address after the link text.
- Every id is prefixed by its chapter's, since two articles may share an anchor.
- Tab sets (one panel per marketplace) become their panels one after the other,
  each under its tab's label; collapsed ``<details>`` are opened.
- Permalink marks (``¶``) are dropped; images are read from the built site.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from pathlib import Path, PurePosixPath
from typing import Sequence
from urllib.parse import urljoin, urlsplit

from babel import Locale
from babel.dates import format_date
from bs4 import BeautifulSoup, Tag

from .errors import BookError
from .messages import messages
from .safety import sanitize

# Attributes that hold ids of other elements, rewritten with the ids themselves.
_ID_REFERENCES = ("aria-labelledby", "aria-describedby", "aria-controls", "for")
_LEAVING_SCHEMES = {"http", "https", "ftp", "mailto"}


@dataclasses.dataclass(frozen=True)
class Chapter:
    url: str  # the web page's URL inside the site, as MkDocs gives it: "ja/retired-numbers/"
    title: str  # the page's title: the chapter's heading when its content has no H1
    html: str  # the page's rendered content (Markdown → HTML, facts filled in)
    source: str = ""  # the article's source file, named in what the book refuses


@dataclasses.dataclass(frozen=True)
class Book:
    language: str
    title: str
    chapters: Sequence[Chapter]
    built_on: dt.date
    facts_as_of: str | None = None  # the fact engine's "facts as of" paragraph (HTML), as pages show it
    site_url: str = ""  # where links to site files that are not chapters point
    description: str = ""
    section: tuple[str, ...] = ()  # a section's book: its titles, outermost first; () for the whole site
    volume: int = 1  # a long section is printed in volumes (printbook/plan.py)
    volumes: int = 1

    def section_name(self, words: dict) -> str:
        """ "Contact and safety", "Kb › Topic 01 › Part 1, volume 2 of 3"; "" for the whole site."""
        name = " › ".join(self.section)
        if name and self.volumes > 1:
            name += words["volume"].format(n=self.volume, total=self.volumes)
        return name

    def full_title(self, words: dict) -> str:
        """The document's title: the site's name, and the section's for a section's book."""
        section = self.section_name(words)
        return words["section-title"].format(site=self.title, section=section) if section else self.title


def assemble(book: Book, site_dir: Path, refused: list[str] | None = None) -> str:
    """The book as one HTML document; ``site_dir`` is the built site, where images are read.

    Whatever would make the printer read or embed a file is removed (``safety.sanitize``)
    and listed in ``refused``, each naming its article."""
    refused = [] if refused is None else refused
    if not book.chapters:
        raise BookError(f"the {book.language} book has no chapters: the nav lists no page in {book.language}")
    words = messages(book.language)
    anchors = {_page_key(chapter.url): f"chapter-{n}" for n, chapter in enumerate(book.chapters, 1)}
    soup = BeautifulSoup(_skeleton(book, words), "html.parser")
    chapters = [_chapter(soup, chapter, anchors, book, site_dir, words, refused) for chapter in book.chapters]
    body = soup.body
    body.append(_cover(soup, book, words))
    body.append(_contents(book, anchors, [heading for _, heading in chapters], words))
    body.extend([article for article, _ in chapters])
    return str(soup)


def sample() -> Book:
    """A one-chapter book holding what the site's chapters hold: a heading with its permalink, a
    collapsed note, marketplace tabs, links within and out of the book, Japanese and French text.
    Assembled and printed once in the printers' parent process (``_preload.py``), it leaves the
    HTML parsers', the CSS selectors' and WeasyPrint's compiled patterns and the fonts loaded in
    every worker forked from it, where each book would otherwise compile and load them again."""
    content = (
        '<h1 id="warm">Warm<a class="headerlink" href="#warm">¶</a></h1>'
        '<p>Prime ヘルプ <code>x</code> <b>é</b> <i>ü</i> <a href="../other/">in</a> <a href="https://example.org/">out</a></p>'
        '<p lang="ja">日本語の文章</p><details class="note"><summary>Note</summary><p lang="fr">Résilier</p></details>'
        '<div class="tabbed-set tabbed-alternate" data-tabs="1:2"><input checked id="t1" name="t" type="radio">'
        '<input id="t2" name="t" type="radio"><div class="tabbed-labels"><label for="t1">A</label>'
        '<label for="t2">B</label></div><div class="tabbed-content"><div class="tabbed-block"><ol><li>1</li></ol>'
        '</div><div class="tabbed-block"><table><tr><th>a</th><td>b</td></tr></table></div></div></div>'
    )
    return Book("en", "Warm", [Chapter("warm/", "Warm", content)], dt.date(2000, 1, 1), section=("Warm",))


def _skeleton(book: Book, words: dict) -> str:
    lang = html.escape(book.language)
    meta = [f'<meta name="dcterms.created" content="{book.built_on.isoformat()}">']
    if book.description:
        meta.append(f'<meta name="description" content="{html.escape(book.description)}">')
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(book.full_title(words))}</title>{''.join(meta)}</head><body></body></html>"
    )


def _cover(soup: BeautifulSoup, book: Book, words: dict) -> Tag:
    language = Locale.parse(book.language).get_display_name(book.language)
    built_on = format_date(book.built_on, "long", locale=book.language)
    return _element(
        (
            '<section class="book-cover">'
            f'<h1 class="book-cover__title">{html.escape(book.title)}</h1>'
            + (f'<p class="book-cover__section">{html.escape(book.section_name(words))}</p>' if book.section else "")
            + f'<p class="book-cover__edition">{html.escape(words["edition"])}</p>'
            '<dl class="book-cover__details">'
            f"<dt>{html.escape(words['language'])}</dt><dd>{html.escape(language[:1].upper() + language[1:])}</dd>"
            f"<dt>{html.escape(words['built-on'])}</dt>"
            f'<dd><time datetime="{book.built_on.isoformat()}">{html.escape(built_on)}</time></dd>'
            "</dl>"
            f"{book.facts_as_of or ''}"
            "</section>"
        )
    )


def _contents(book: Book, anchors: dict, headings: list[str], words: dict) -> Tag:
    """The list of chapters; ``headings`` are their headings' texts, as the chapters print them."""
    items = "".join(
        f'<li><a href="#{anchors[_page_key(c.url)]}">{html.escape(heading)}</a></li>'
        for c, heading in zip(book.chapters, headings)
    )
    return _element(
        (
            '<nav class="book-contents" aria-labelledby="book-contents-title">'
            f'<h1 class="book-contents__title" id="book-contents-title">{html.escape(words["contents"])}</h1>'
            f"<ol>{items}</ol></nav>"
        )
    )


def _chapter(
    soup: BeautifulSoup, chapter: Chapter, anchors: dict, book: Book, site_dir: Path, words: dict, refused: list[str]
) -> tuple[Tag, str]:
    """The chapter's article element, and its heading's text for the contents."""
    anchor = anchors[_page_key(chapter.url)]
    article = _element(f'<article class="book-chapter" id="{anchor}">{chapter.html}</article>')
    refused += sanitize(
        article, chapter.source or chapter.url, site_dir, lambda src: _local_file(src, chapter, site_dir)
    )
    heading = article.find("h1")
    if heading is None:  # the title came from front matter: Material prints it above the content
        heading = soup.new_tag("h1")
        heading.string = chapter.title
        article.insert(0, heading)
    heading["class"] = [*heading.get("class", []), "book-chapter__title"]

    for mark in article.select("a.headerlink"):
        mark.decompose()
    heading_text = heading.get_text().strip() or chapter.title
    for element in article.find_all(id=True):
        element["id"] = f"{anchor}--{element['id']}"
    for attribute in _ID_REFERENCES:
        for element in article.find_all(attrs={attribute: True}):
            element[attribute] = " ".join(f"{anchor}--{ref}" for ref in element[attribute].split())
    for tab_set in article.select("div.tabbed-set"):
        _unfold_tabs(soup, tab_set, chapter)
    for details in article.find_all("details"):
        details["open"] = ""
    for link in article.find_all("a", href=True):
        _relink(soup, link, chapter, anchor, anchors, book, words)
    return article, heading_text


def _unfold_tabs(soup: BeautifulSoup, tab_set: Tag, chapter: Chapter) -> None:
    """pymdownx.tabbed (either style) → each panel under its label, all of them visible."""
    labels = tab_set.select(":scope > .tabbed-labels > label") or tab_set.select(":scope > label")
    panels = tab_set.select(":scope > .tabbed-content > .tabbed-block") or tab_set.select(":scope > .tabbed-content")
    if not labels or len(labels) != len(panels):
        raise BookError(f"{chapter.url}: a tab set has {len(labels)} labels for {len(panels)} panels; cannot print it")
    unfolded = soup.new_tag("div", attrs={"class": "book-tabs"})
    for label, panel in zip(labels, panels):
        section = soup.new_tag("section", attrs={"class": "book-tab"})
        title = soup.new_tag("p", attrs={"class": "book-tab__label"})
        title.extend(list(label.contents))
        section.append(title)
        section.extend(list(panel.contents))
        unfolded.append(section)
    tab_set.replace_with(unfolded)


def _relink(soup, link: Tag, chapter: Chapter, anchor: str, anchors: dict, book: Book, words: dict) -> None:
    href = link["href"].strip()
    parts = urlsplit(href)
    if not parts.scheme and not parts.netloc and not parts.path:  # "#section": same page
        if parts.fragment:
            link["href"] = f"#{anchor}--{parts.fragment}"
        return
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() in _LEAVING_SCHEMES or parts.netloc:
            _print_address(soup, link, href, words)
        return  # tel: and the like: the link text is the address
    target = urlsplit(urljoin("/" + chapter.url, href))
    key = _page_key(target.path)
    if key in anchors:
        # No page number after it: WeasyPrint lays most pages out three times over to
        # resolve forward page references, and the contents page lists every article.
        link["href"] = f"#{anchors[key]}--{target.fragment}" if target.fragment else f"#{anchors[key]}"
        link["class"] = [*link.get("class", []), "book-xref"]
        return
    # A file of the site that is not an article (a download, an image): its address on the web.
    address = urljoin(book.site_url, target.path.lstrip("/")) if book.site_url else target.path
    if target.fragment:
        address += "#" + target.fragment
    link["href"] = address
    _print_address(soup, link, address, words)


def _print_address(soup: BeautifulSoup, link: Tag, address: str, words: dict) -> None:
    """Paper has no links: write the address after the link text, unless the text is the address."""
    shown = address.removeprefix("mailto:")
    if link.get_text(strip=True) in (address, shown):
        return
    note = soup.new_tag("span", attrs={"class": "book-link-address"})
    note.string = words["url-ref"].format(url=shown)
    link.insert_after(note)


def _local_file(src: str, chapter: Chapter, site_dir: Path) -> str:
    """An image's address in the built site, as a file: URL (not resolved: the fetcher follows
    symbolic links itself and refuses a file outside the site)."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        return src  # data: is read as it is; anything else is refused, and reported
    path = urlsplit(urljoin("/" + chapter.url, src)).path
    return (Path(site_dir).absolute() / path.lstrip("/")).as_uri()


def _page_key(url: str) -> str:
    """The same page whatever form its URL takes: "/ja/a/", "ja/a/index.html" → "/ja/a/"."""
    path = PurePosixPath("/" + url.lstrip("/"))
    if path.name == "index.html":
        path = path.parent
    key = str(path)
    return key if key.endswith("/") else key + "/"


def _element(markup: str) -> Tag:
    """The one element ``markup`` holds, parsed, ready to be put into the book."""
    element = BeautifulSoup(markup, "html.parser").find()
    return element.extract()
