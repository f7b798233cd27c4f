"""Which books a language's navigation makes, none of them longer than a reader can use.

A help centre is read by section: a reader who wants paper wants the section they
are in, not 1,200 pages. So each section of the navigation (the pages directly in
it; a sub-section has books of its own) is a book, split into volumes of at most
``max_chapters`` articles when it is longer. The whole site is one more book while
it has no more than ``max_chapters`` pages: printing stays bounded in time and
memory whatever the size of the site, and one edited article prints one book again.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Sequence

# At most this many articles in one book: ~4 A4 pages each, a book of ~100 pages,
# which WeasyPrint lays out in ~150 MB.
MAX_CHAPTERS = 25


@dataclasses.dataclass(frozen=True)
class PlannedBook:
    key: str  # unique in the language: "site", "2-contact-and-safety", "1-1-kb-topic-01-part-1-v2"
    pages: tuple[str, ...]  # page sources, in nav order
    section: tuple[str, ...]  # the section's titles, outermost first; () for the whole site
    volume: int = 1
    volumes: int = 1

    @property
    def whole_site(self) -> bool:
        return not self.section


def plan(
    pages: Sequence[tuple[str, tuple[tuple[int, str], ...]]], max_chapters: int = MAX_CHAPTERS
) -> list[PlannedBook]:
    """``pages``: each page source with its sections, outermost first, as (position among its
    siblings, title). Pages not in any section belong to the whole-site book only."""
    if max_chapters < 1:
        raise ValueError("max_chapters must be at least 1")
    books: list[PlannedBook] = []
    if pages and len(pages) <= max_chapters:
        books.append(PlannedBook("site", tuple(src for src, _ in pages), ()))
    sections: dict[tuple[tuple[int, str], ...], list[str]] = {}
    for src, chain in pages:
        if chain:
            sections.setdefault(tuple(chain), []).append(src)
    for chain, members in sections.items():
        titles = tuple(title for _, title in chain)
        stem = "-".join(str(position) for position, _ in chain)
        slug = _slug(" ".join(titles))
        key = f"{stem}-{slug}" if slug else stem
        count = -(-len(members) // max_chapters)
        size = -(-len(members) // count)  # volumes of even size: 26 articles are 13 + 13, not 25 + 1
        for n in range(count):
            part = tuple(members[n * size : (n + 1) * size])
            books.append(PlannedBook(key if count == 1 else f"{key}-v{n + 1}", part, titles, n + 1, count))
    return books


def _slug(text: str) -> str:
    """ASCII letters and digits of a title ("Contact et sécurité" → "contact-et-securite"); "" for
    a title in another script (the key's position numbers keep it unique)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].rstrip("-")
