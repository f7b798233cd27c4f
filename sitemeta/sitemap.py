"""``sitemap.xml``: every page with the same hreflang alternates as its ``<head>``, ``x-default`` included.

Besides the site's sitemap, every folder that holds a page gets a sitemap of the pages
under it (``fr/sitemap.xml``, ``fr/cancel/sitemap.xml``). Material's language switcher
needs them: for each ``<link rel="alternate">`` of a page it fetches ``sitemap.xml``
relative to the alternate's URL, to map the current page to its translation; without
those files every page view logs one 404 per language.
"""
from __future__ import annotations

import gzip
from pathlib import Path
from xml.sax.saxutils import quoteattr, escape

from .model import Page, Site

_HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n')


def sitemap_xml(site: Site, pages: list[Page]) -> str:
    entries = []
    for page in sorted(pages, key=lambda p: (site.languages.index(p.language), p.path)):
        links = "".join(f'    <xhtml:link rel="alternate" hreflang={quoteattr(lang)} href={quoteattr(url)}/>\n'
                        for lang, url in page.alternate_urls(site).items())
        entries.append(f"  <url>\n    <loc>{escape(site.absolute(page.path))}</loc>\n{links}  </url>\n")
    return _HEADER + "".join(entries) + "</urlset>\n"


def folders(pages: list[Page]) -> dict[str, list[Page]]:
    """Site-relative folder -> the pages at or below it, for every folder that holds a page."""
    result: dict[str, list[Page]] = {}
    for page in pages:
        folder = page.path if page.path.endswith("/") or page.path == "" else page.path.rsplit("/", 1)[0] + "/"
        if folder == "/":
            folder = ""
        result.setdefault(folder, [])
    for folder in result:
        result[folder] = [p for p in pages if p.path.startswith(folder)]
    return result


def write(site: Site, pages: list[Page], site_dir: Path) -> list[Path]:
    """Write the site's sitemap (and its gzip copy) and one per folder; return the files written."""
    written = []
    for folder, under in folders(pages).items():
        path = site_dir / folder / "sitemap.xml"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = sitemap_xml(site, under)
        path.write_text(text, "utf-8")
        written.append(path)
        if folder == "":
            # mtime=0: the same site gives the same bytes, whatever the day of the build
            (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    return written
