"""What is made from the built site alone, whatever generator wrote it.

``python -m postbuild SITE_DIR`` (or :func:`finish`, which ``hooks/facts.py`` calls once
at the end of ``mkdocs build``), in this order:

1. ``sitemap.xml``: every page, found by its ``<html lang>`` and canonical link, with
   its hreflang alternates: the pages at the same place under each language's folder
   (``cancel/``, ``ja/cancel/``, ``fr/cancel/``), and ``x-default``, the default
   language's;
2. ``robots.txt``, naming the sitemap;
3. ``_headers``: the security headers and the cache lifetimes of hashed assets;
4. the search indexes, one per language (``searchindex``, Pagefind), when the project
   has a search (``search/synonyms.yml``: the readers' words);
5. the verifier of the built site (``factengine.verify``), last, over all of it.

The steps read only the built folder, the fact registry and ``search/synonyms.yml``:
nothing of MkDocs. What needs the theme (the 404 page in each language) stays in the
generator.
"""

from __future__ import annotations

import dataclasses
import re
from html import unescape
from pathlib import Path

from factengine.diagnostics import Diagnostic
from factengine.registry import Registry
from factengine.checks import code_digest
from factengine.memo import Memo, registry_salt
from factengine.verify import site_files, site_pages, verify_site
from searchindex import SYNONYMS_FILE, SearchBuild, Synonyms, build_search, memo_salt
from sitemeta import security, sitemap
from sitemeta.model import PageMeta, Site

_HTML_LANG = re.compile(r"<html\b[^>]*\blang=\"(?P<lang>[^\"]+)\"")
_CANONICAL = re.compile(r"<link\b[^>]*\brel=\"canonical\"[^>]*\bhref=\"(?P<href>[^\"]+)\"")
_HEAD_END = "</head>"


@dataclasses.dataclass
class Finished:
    pages: list[PageMeta]
    search: SearchBuild | None  # None: the project has no search
    problems: list[Diagnostic]


def pages_of(site_dir: Path, site: Site, files: list[str] | None = None) -> list[PageMeta]:
    """The site's pages as its HTML states them: language and canonical address. A page
    without a canonical link (a 404 page, served at any address) is not listed. ``files``: the
    site's ``site_files``, when the caller has listed them already."""
    found: list[PageMeta] = []
    for rel in site_pages(site_files(site_dir) if files is None else files):
        head = (Path(site_dir) / rel).read_text("utf-8", errors="replace").split(_HEAD_END, 1)[0]
        lang, canonical = _HTML_LANG.search(head), _CANONICAL.search(head)
        if not lang or not canonical or not unescape(canonical["href"]).startswith(site.url):
            continue
        found.append(
            PageMeta(
                language=lang["lang"],
                path=unescape(canonical["href"])[len(site.url) :],
                title="",
                description="",
                alternates={},
            )
        )
    by_article: dict[str, dict[str, str]] = {}
    for page in found:
        by_article.setdefault(_article(page, site), {})[page.language] = page.path
    for page in found:
        page.alternates = dict(by_article[_article(page, site)])
    return found


def _article(page: PageMeta, site: Site) -> str:
    """The page's place in its language's folder: "fr/cancel/" and "cancel/" are the same article."""
    home = site.home(page.language)
    return page.path[len(home) :] if home and page.path.startswith(home) else page.path


def finish(
    site_dir: Path, site: Site, registry: Registry, synonyms: Synonyms | None, cache_dir: Path | None = None
) -> Finished:
    """Sitemap, robots.txt, _headers and the search index of the built site, then its verification.
    With ``cache_dir`` (the project's ``.cache``), what the verifier found in the files that did not
    change since the last run is taken from there (``factengine.verify.Memo``)."""
    site_dir = Path(site_dir)
    # The generator's files, listed once for every step: what the steps below add (sitemap,
    # robots.txt, _headers, the search bundles) is neither a page nor a hashed asset.
    files = site_files(site_dir)
    pages = pages_of(site_dir, site, files)
    sitemap.write(site, pages, site_dir)
    (site_dir / "robots.txt").write_text(
        f"User-agent: *\nAllow: /\n\nSitemap: {site.absolute('sitemap.xml')}\n", "utf-8"
    )
    (site_dir / "_headers").write_text(security.headers_file(site_dir, site.base_path, files), "utf-8")
    search = None
    if synonyms is not None:
        memo = Memo(Path(cache_dir) / "postbuild", memo_salt(registry, synonyms), "search") if cache_dir else None
        search = build_search(site_dir, registry, synonyms, memo, Path(cache_dir) if cache_dir else None, files)
    material_index = site_dir / "search" / "search_index.json"  # Material's; nothing loads it
    if material_index.exists():
        material_index.unlink()
        if not any(material_index.parent.iterdir()):
            material_index.parent.rmdir()
    memo = Memo(Path(cache_dir) / "postbuild", registry_salt(registry, code_digest()), "verify") if cache_dir else None
    return Finished(pages, search, verify_site(site_dir, registry, memo, files))


def project_synonyms(root: Path, languages: list[str]) -> Synonyms | None:
    """The project's search words, or None when it has no search (no ``search/synonyms.yml``)."""
    path = Path(root) / SYNONYMS_FILE
    return Synonyms.load(path, languages) if path.exists() else None
