"""The 404 page in each language.

Each language has its own (``404.html``, ``ja/404.html``, ``fr/404.html``), and each
also says, in the other languages and marked with their ``lang``, where their home
pages are: a host that serves only the site's root ``404.html`` for every missing
address (GitHub Pages) still speaks to a French or Japanese reader.
"""

from __future__ import annotations

from factengine import catalogue
from factengine.diagnostics import FactError

from .model import Site, SiteError

KEYS = ("title", "heading", "text", "home", "description")
PALETTE = ("default", "slate")


def messages() -> catalogue.Catalogue:
    """sitemeta/messages.yaml, the site's phrase catalogue (read as the engine's and the book's are)."""
    return catalogue.of_package(__package__)


def _phrases(prefix: str, keys, language: str) -> dict[str, str]:
    """The texts of ``prefix.<key>`` in ``language``; any that is missing is a SiteError naming
    the file and every missing key with its line (``factcheck`` lists them before a build)."""
    try:
        found = messages()
    except FactError as exc:
        raise SiteError(str(exc)) from None
    missing = found.keys_missing(language, prefix) + [prefix + key for key in keys if prefix + key not in found.entries]
    if missing:
        listed = ", ".join(f"{key} (line {found.line(key)})" if key in found.entries else key for key in missing)
        raise SiteError(f"{found.shown}: the {_WHAT[prefix]} has no {listed} in '{language}'")
    texts = found.phrases(language, prefix)
    return {key: texts[key] for key in keys}


_WHAT = {"not-found.": "404 page", "palette.": "colour-scheme toggle"}


def words(language: str) -> dict[str, str]:
    """The 404 page's words in ``language``."""
    return _phrases("not-found.", KEYS, language)


def palette_names(language: str) -> dict[str, str]:
    """The colour-scheme toggle's name in ``language``, by the scheme shown (Material takes
    one name per toggle from mkdocs.yml, in one language)."""
    return _phrases("palette.", PALETTE, language)


def context(site: Site, language: str) -> dict:
    """What the ``404.html`` template shows in ``language``."""
    own = words(language)
    others = [
        {"language": lang, "home_url": home_path(site, lang), **words(lang)}
        for lang in site.languages
        if lang != language
    ]
    return {"language": language, "home_url": home_path(site, language), **own, "others": others}


def home_path(site: Site, language: str) -> str:
    """A language's home as an absolute path (``/prime-help/fr/``): the 404 page is served
    at any depth, so its links cannot be relative."""
    return site.base_path + site.home(language)


def path(site: Site, language: str) -> str:
    """Where the 404 page of ``language`` is published, relative to the site."""
    return "404.html" if language == site.default_language else f"{language}/404.html"
