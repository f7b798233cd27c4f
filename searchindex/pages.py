"""What the search index is given for each built page: the article of the page,
in its language, with the readers' words and the phone numbers' notations
written in at the places they belong.

The served HTML is never changed: the index is fed its own copy of each
article. Text that only the index should see is wrapped in ``INDEX_ONLY``
brackets, which the search box strips from result excerpts.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections import Counter
from pathlib import Path

from factengine.htmlnames import FACT_ATTRIBUTE, PHONE_CLASS
from factengine.memo import Memo
from factengine.verify import page_url, site_files, site_pages

from .phones import PhoneBook, notations
from .synonyms import Concept, WordMatcher

INDEX_ONLY = ("\u27e6", "\u27e7")  # ⟦ ⟧: never in the articles, a word boundary for Pagefind
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(?P<body>.*)</article>', re.S)
HTML_LANG = re.compile(r'<html[^>]*\blang="(?P<lang>[^"]+)"')
# Not the article's words: permalinks (¶) and Material's page buttons (a PDF download, an edit link).
PAGE_CHROME = re.compile(
    r'<a class="headerlink"[^>]*>.*?</a>|<a [^>]*class="[^"]*\bmd-content__button\b[^"]*"[^>]*>.*?</a>', re.S
)
FIRST_H1 = re.compile(r"<h1\b[^>]*>(?P<title>.*?)</h1>", re.S)
TAG = re.compile(r"(<[^>]*>)")
DATA_FACT = re.compile(rf'\b{FACT_ATTRIBUTE}="(?P<id>[^"]+)"')
CLASS = re.compile(r'\bclass="(?P<cls>[^"]*)"')
VERBATIM = {"script", "style", "pre", "code"}  # text that is shown as is: no word to add inside


@dataclasses.dataclass
class IndexedPage:
    url: str  # from the site root, e.g. "/ja/cancel/"
    language: str
    source: Path
    html: str  # the document given to the index
    added: Counter  # what was written in: "synonyms" and "phone-numbers" occurrences


def indexed_pages(site_dir: Path, files: list[str] | None = None) -> list[tuple[Path, str]]:
    """Every built page of the site that the search indexes (not a 404 page), with its URL from the
    site root. ``files``: the site's files (``factengine.verify.site_files``), when the caller has
    listed them already."""
    found = []
    for rel in site_pages(site_files(site_dir) if files is None else files):
        if rel.endswith("404.html"):
            continue
        url = "/" + page_url(rel)
        found.append((site_dir / rel, url))
    return found


ABOUT = "\u00b7"  # · first inside the brackets: the words are about the element, not the word before


def index_only(words, spaced: bool = True, about_element: bool = False) -> str:
    """Words for the index only. Spaced languages get spaces around them, so that the
    excerpt still reads "cancel Prime" once the search box has taken them out. When the
    query matches them, the search box highlights the word before them (what they stand
    for), unless they are ``about_element``."""
    text = f"{INDEX_ONLY[0]}{ABOUT + ' ' if about_element else ''}{' '.join(words)}{INDEX_ONLY[1]}"
    return f" {text} " if spaced else text


class PageAugmenter:
    """Writes the readers' words and the phone numbers' notations into an article."""

    def __init__(self, concepts: list[Concept], phones: PhoneBook):
        self.phones = phones
        self.concepts: dict[str, list[Concept]] = {}
        for concept in concepts:
            self.concepts.setdefault(concept.language, []).append(concept)
        self._matchers: dict[str, WordMatcher] = {}
        self.used: set[Concept] = set()  # concepts found in at least one page
        self.all_concepts = list(concepts)  # a memo names a page's concepts by their place here
        self._places = {concept: i for i, concept in enumerate(self.all_concepts)}
        self._last_used: set[Concept] = set()  # those of the page being read

    def matcher(self, language: str) -> WordMatcher:
        return self._matchers.setdefault(language, WordMatcher(language))

    def read(self, path: Path, url: str, memo: Memo | None = None) -> IndexedPage | None:
        """The page as the index should see it; ``None`` for a page with no article (a redirect).
        With a ``memo``, a page read before with the same bytes is taken from it."""
        text = path.read_text("utf-8")
        if memo is None:
            return self._read(path, url, text)
        key = memo.key(url, text.encode("utf-8"))
        found = memo.get(key)
        if found is None:
            page = self._read(path, url, text)
            used = tuple(sorted(self._places[c] for c in self._last_used))
            found = (None if page is None else (page.language, page.html, page.added), used)
            memo.put(key, found)
        else:
            self.used.update(self.all_concepts[i] for i in found[1])
        if found[0] is None:
            return None
        language, document, added = found[0]
        return IndexedPage(url, language, path, document, Counter(added))

    def _read(self, path: Path, url: str, page: str) -> IndexedPage | None:
        self._last_used = set()
        article = ARTICLE.search(page)
        lang = HTML_LANG.search(page)
        if article is None:
            return None
        if lang is None:
            raise ValueError(f"{path}: no <html lang=...>: the search index cannot tell the page's language")
        language = lang.group("lang")
        content = PAGE_CHROME.sub("", article.group("body"))
        h1 = FIRST_H1.search(content)
        title = html.unescape(TAG.sub("", h1.group("title"))).strip() if h1 else url
        body, added = self.augment(content, language)
        # The result's title is the article's own (its h1 in the index also holds readers' words).
        document = (
            f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
            f'<meta data-pagefind-meta="title[content]" content="{html.escape(title)}"></head>'
            f"<body>{body}</body></html>"
        )
        return IndexedPage(url, language, path, document, added)

    def augment(self, article: str, language: str) -> tuple[str, Counter]:
        concepts = self.concepts.get(language, [])
        matcher = self.matcher(language)
        added: Counter = Counter()
        out: list[str] = []
        verbatim = 0
        for piece in TAG.split(article):
            if piece.startswith("<"):
                out.append(piece)
                name = re.match(r"</?\s*([a-zA-Z0-9]+)", piece)
                if name and name.group(1).lower() in VERBATIM and not piece.endswith("/>"):
                    verbatim += -1 if piece.startswith("</") else 1
                    verbatim = max(verbatim, 0)
                out.append(self._about_a_number(piece, added))
                continue
            if not piece or verbatim:
                out.append(piece)
                continue
            out.append(self._text(html.unescape(piece), concepts, matcher, added))
        return "".join(out), added

    def _about_a_number(self, tag: str, added: Counter) -> str:
        """An element that states something about a registry number (its history, its date,
        its sources) is about that number: it answers a search for it too. The number's own
        element is left alone: its text is the number, which the text pass finds."""
        fact = DATA_FACT.search(tag)
        if not fact or tag.startswith("</"):
            return ""
        phone = self.phones.for_fact(fact.group("id"))
        cls = CLASS.search(tag)
        if phone is None or (cls and PHONE_CLASS in cls.group("cls").split()):
            return ""
        added["phone-numbers"] += 1
        return index_only(notations(phone.number), about_element=True)

    def _text(self, text: str, concepts: list[Concept], matcher: WordMatcher, added: Counter) -> str:
        inserts: list[tuple[int, str]] = []
        for _start, end, digits in self.phones.find(text):
            inserts.append((end, index_only(digits, matcher.spaced)))
            added["phone-numbers"] += 1
        read = matcher.read(text) if concepts else None
        for concept in concepts:
            for end in matcher.find(concept.article_word, read):
                inserts.append((end, index_only(concept.readers_words, matcher.spaced)))
                added["synonyms"] += 1
                self.used.add(concept)
                self._last_used.add(concept)
        if not inserts:
            return html.escape(text, quote=False)
        pieces, at = [], 0
        for offset, words in sorted(inserts, key=lambda i: i[0]):
            pieces.append(html.escape(text[at:offset], quote=False))
            pieces.append(html.escape(words, quote=False))
            at = offset
        pieces.append(html.escape(text[at:], quote=False))
        return "".join(pieces)
