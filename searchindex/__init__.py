"""Site search, with no MkDocs imports: per-language Pagefind indexes of the built
site, with the readers' words (``search/synonyms.yml``) and every notation of the
registry's phone numbers written in at build time.

The MkDocs hook ``hooks/search.py`` calls :func:`build_search`; the search box is
``docs/javascripts/search.js`` over ``overrides/partials/search.html``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from factengine.memo import Memo, package_digest, registry_salt

from .bundle import BUNDLE_DIR, BundleError, LanguageIndex, write_bundle
from .pages import INDEX_ONLY, IndexedPage, PageAugmenter, indexed_pages
from .phones import PhoneBook, notations
from .synonyms import Concept, Synonyms, SynonymsError, WordMatcher

SYNONYMS_FILE = Path("search") / "synonyms.yml"

__all__ = [
    "build_search",
    "SearchBuild",
    "BUNDLE_DIR",
    "BundleError",
    "INDEX_ONLY",
    "LanguageIndex",
    "IndexedPage",
    "PageAugmenter",
    "PhoneBook",
    "notations",
    "Concept",
    "Synonyms",
    "SynonymsError",
    "WordMatcher",
    "SYNONYMS_FILE",
]


class SearchBuild:
    """What one indexing of the site did: pages per language, words added, bytes per language."""

    def __init__(self, pages: list[IndexedPage], sizes: dict[str, LanguageIndex], unused: list[Concept]):
        self.pages = pages
        self.sizes = sizes
        self.unused_concepts = unused

    @property
    def added(self) -> Counter:
        total: Counter = Counter()
        for page in self.pages:
            total.update(page.added)
        return total

    def summary(self) -> str:
        parts = [f"{s.language}: {s.pages} pages, {s.total_bytes / 1024:.0f} KiB" for s in self.sizes.values()]
        return "; ".join(parts)


def build_search(
    site_dir: Path,
    registry,
    synonyms: Synonyms,
    memo: Memo | None = None,
    cache_dir: Path | None = None,
    files: list[str] | None = None,
) -> SearchBuild:
    """Index every article page of the built site in ``site_dir`` and write the bundle. With a
    ``memo`` (salted with ``memo_salt``), a page read before with the same bytes is not read again;
    with ``cache_dir`` (the project's ``.cache``), a language whose pages did not change is not
    indexed again (``bundle.py``). ``files``: the site's files, when the caller has listed them."""
    augmenter = PageAugmenter(synonyms.concepts, PhoneBook.from_registry(registry))
    read = [augmenter.read(path, url, memo) for path, url in indexed_pages(Path(site_dir), files)]
    if memo is not None:
        memo.save()
    pages = [page for page in read if page is not None]
    sizes = write_bundle(pages, Path(site_dir), cache_dir)
    return SearchBuild(pages, sizes, _unused(synonyms, augmenter))


def memo_salt(registry, synonyms: Synonyms) -> str:
    """What a page's reading depends on besides its bytes: this package's code, the readers' words
    and the registry (its phone numbers)."""
    return registry_salt(registry, package_digest(Path(__file__).parent), repr(synonyms.concepts))


def _unused(synonyms: Synonyms, augmenter: PageAugmenter) -> list[Concept]:
    """Concept words that no page of their language uses: the list has drifted from the articles."""
    return [c for c in synonyms.concepts if c not in augmenter.used]
