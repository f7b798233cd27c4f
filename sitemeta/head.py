"""The ``<head>`` metadata of a page, as markup for the theme's ``site_meta`` block."""

from __future__ import annotations

from html import escape

from . import security, structured
from .model import PageMeta, Site, og_locale


def _meta(attr: str, key: str, value: str) -> str:
    return f'<meta {attr}="{escape(key)}" content="{escape(value)}">'


def page_head(site: Site, page: PageMeta) -> str:
    """Canonical URL, description, Open Graph and JSON-LD. The policy comes first (see
    ``policy_head``).

    No ``<link rel="alternate" hreflang>`` here: the hreflang alternates are in
    ``sitemap.xml`` (see ``sitemap.py``). Material's script fetches ``sitemap.xml``
    relative to every ``<link rel="alternate">`` of a page, which from any host but
    ``site_url`` (a preview deploy, a local copy, a mirror) is a cross-origin request the
    policy blocks: console errors on every page load. The language switcher links each
    page to its translations directly (``overrides/partials/alternate.html``)."""
    url = site.absolute(page.path)
    tags = [f'<link rel="canonical" href="{escape(url)}">']
    if page.description:
        tags.append(_meta("name", "description", page.description))
    tags += [
        _meta("property", "og:type", "website" if page.is_home else "article"),
        _meta("property", "og:site_name", site.name(page.language)),
        _meta("property", "og:title", page.title),
        _meta("property", "og:url", url),
        _meta("property", "og:locale", og_locale(page.language)),
    ]
    tags += [
        _meta("property", "og:locale:alternate", og_locale(lang))
        for lang in site.languages
        if lang != page.language and lang in page.alternates
    ]
    if page.description:
        tags.append(_meta("property", "og:description", page.description))
    tags.append(structured.script(structured.graph(site, page)))
    return "\n".join(tags)


def not_found_head(site: Site, language: str, description: str) -> str:
    """A 404 page has no canonical URL and no alternates: it is served at any missing address."""
    return _meta("name", "description", description)


def policy_head() -> str:
    """The Content-Security-Policy: first in ``<head>``, before anything it governs."""
    return security.meta_tag()
