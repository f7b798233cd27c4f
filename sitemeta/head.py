"""The ``<head>`` metadata of a page, as markup for the theme's ``site_meta`` block."""
from __future__ import annotations

from html import escape

from . import security, structured
from .model import Page, Site, og_locale


def _meta(attr: str, key: str, value: str) -> str:
    return f'<meta {attr}="{escape(key)}" content="{escape(value)}">'


def page_head(site: Site, page: Page) -> str:
    """Canonical URL, description, hreflang alternates (absolute, every language and
    ``x-default``), Open Graph and JSON-LD. The policy comes first (see ``policy_head``)."""
    url = site.absolute(page.path)
    tags = [f'<link rel="canonical" href="{escape(url)}">']
    if page.description:
        tags.append(_meta("name", "description", page.description))
    tags += [f'<link rel="alternate" hreflang="{escape(lang)}" href="{escape(href)}">'
             for lang, href in page.alternate_urls(site).items()]
    tags += [
        _meta("property", "og:type", "website" if page.is_home else "article"),
        _meta("property", "og:site_name", site.name(page.language)),
        _meta("property", "og:title", page.title),
        _meta("property", "og:url", url),
        _meta("property", "og:locale", og_locale(page.language)),
    ]
    tags += [_meta("property", "og:locale:alternate", og_locale(lang))
             for lang in site.languages if lang != page.language and lang in page.alternates]
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
