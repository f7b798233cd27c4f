"""``sitemap.xml``: every page with its hreflang alternates (every language and ``x-default``).

The sitemap is where the site states its alternates, not the pages' ``<head>``: see
``head.page_head`` for why. One sitemap for the site, whatever its size.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from xml.sax.saxutils import quoteattr, escape

from .model import PageMeta, Site

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def sitemap_xml(site: Site, pages: list[PageMeta]) -> str:
    entries = []
    for page in sorted(pages, key=lambda p: (site.languages.index(p.language), p.path)):
        links = "".join(
            f'    <xhtml:link rel="alternate" hreflang={quoteattr(lang)} href={quoteattr(url)}/>\n'
            for lang, url in page.alternate_urls(site).items()
        )
        entries.append(f"  <url>\n    <loc>{escape(site.absolute(page.path))}</loc>\n{links}  </url>\n")
    return _HEADER + "".join(entries) + "</urlset>\n"


def write(site: Site, pages: list[PageMeta], site_dir: Path) -> list[Path]:
    """Write the site's sitemap and its gzip copy; return the files written."""
    text = sitemap_xml(site, pages)
    path = site_dir / "sitemap.xml"
    path.write_text(text, "utf-8")
    # mtime=0: the same site gives the same bytes, whatever the day of the build
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    return [path]
