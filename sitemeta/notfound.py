"""The 404 page in each language.

Each language has its own (``404.html``, ``ja/404.html``, ``fr/404.html``), and each
also says, in the other languages and marked with their ``lang``, where their home
pages are: a host that serves only the site's root ``404.html`` for every missing
address (GitHub Pages) still speaks to a French or Japanese reader.
"""
from __future__ import annotations

import functools
from importlib import resources

import yaml

from .model import Site, SiteError

KEYS = ("title", "heading", "text", "home", "description")


@functools.cache
def messages() -> dict:
    return yaml.safe_load(resources.files(__package__).joinpath("messages.yaml").read_text("utf-8"))


def words(language: str) -> dict[str, str]:
    entry = (messages().get(language) or {}).get("not-found") or {}
    missing = [key for key in KEYS if not entry.get(key)]
    if missing:
        raise SiteError(f"sitemeta/messages.yaml: the 404 page has no {', '.join(missing)} in '{language}'")
    return dict(entry)


def palette_names(language: str) -> dict[str, str]:
    """The colour-scheme toggle's name in ``language``, by the scheme shown (Material takes
    one name per toggle from mkdocs.yml, in one language)."""
    return dict((messages().get(language) or {}).get("palette") or {})


def context(site: Site, language: str) -> dict:
    """What the ``404.html`` template shows in ``language``."""
    own = words(language)
    others = [{"language": lang, "home_url": home_path(site, lang), **words(lang)}
              for lang in site.languages if lang != language]
    return {"language": language, "home_url": home_path(site, language), **own, "others": others}


def home_path(site: Site, language: str) -> str:
    """A language's home as an absolute path (``/prime-help/fr/``): the 404 page is served
    at any depth, so its links cannot be relative."""
    return site.base_path + site.home(language)


def path(site: Site, language: str) -> str:
    """Where the 404 page of ``language`` is published, relative to the site."""
    return "404.html" if language == site.default_language else f"{language}/404.html"
