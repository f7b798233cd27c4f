"""The site and its pages as the public metadata sees them: languages, absolute URLs, alternates."""

from __future__ import annotations

import dataclasses
import functools
import re
from urllib.parse import urljoin, urlsplit

from babel.core import get_global


class SiteError(ValueError):
    """A configuration the public metadata cannot be built from (the message names the setting)."""


# A relative path that urljoin would append as it is: no scheme, query or fragment, and no segment
# starting with "." ("." and ".." are resolved by urljoin).
_PLAIN_PATH = re.compile(r"(?:[^/.:?#][^/:?#]*/)*(?:[^/.:?#][^/:?#]*)?")


def checked_site_url(url: str | None) -> str:
    """``url`` with a trailing slash, when it is an absolute http(s) URL."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SiteError(
            f"site_url must be an absolute http(s) URL (canonical and hreflang URLs are built from it), not {url!r}"
        )
    return url if url.endswith("/") else url + "/"


@dataclasses.dataclass(frozen=True)
class Site:
    """The published site: where it lives and in which languages.

    ``url`` is the absolute URL of the default language's home (``site_url``), with
    a trailing slash; every page URL below is relative to it (``"fr/cancel/"``).
    """

    url: str
    default_language: str
    languages: tuple[str, ...]
    names: dict[str, str]  # the site's name in each language
    descriptions: dict[str, str] = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "url", checked_site_url(self.url))
        if self.default_language not in self.languages:
            raise SiteError(f"the default language {self.default_language!r} is not one of {list(self.languages)}")

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def base_path(self) -> str:
        """The path the site is served under, e.g. ``/prime-help/``."""
        return urlsplit(self.url).path

    def absolute(self, path: str) -> str:
        """The absolute URL of a site-relative page URL (``""`` or ``"./"`` is the default home)."""
        path = "" if path in ("", ".", "./") else path.lstrip("/")
        # What urljoin gives, without its parsing (0.3 s of a build at 900 pages).
        if _PLAIN_PATH.fullmatch(path) and not any(c in self.url for c in "?#"):
            return self.url + path
        return urljoin(self.url, path)

    def home(self, language: str) -> str:
        """The site-relative URL of a language's home page."""
        return "" if language == self.default_language else f"{language}/"

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names[self.default_language]


@dataclasses.dataclass
class HowTo:
    """One procedure a page states: its name (the heading above it) and its steps as plain text."""

    fact_id: str
    name: str
    steps: list[str]


@dataclasses.dataclass
class Question:
    question: str
    answer: str


@dataclasses.dataclass
class PageMeta:
    """What a built page in one language says of itself: its head metadata, its alternates, its
    structured data (``head``, ``structured``) and its place in the sitemap."""

    language: str
    path: str  # site-relative URL, e.g. "fr/cancel/" ("" for the default home)
    title: str
    description: str
    alternates: dict[str, str]  # language -> site-relative URL of the same article, own language included
    is_home: bool = False
    howtos: list[HowTo] = dataclasses.field(default_factory=list)
    questions: list[Question] = dataclasses.field(default_factory=list)

    def __post_init__(self):
        if self.path in (".", "./"):
            self.path = ""
        self.alternates = {lang: ("" if url in (".", "./") else url) for lang, url in self.alternates.items()}
        self.alternates.setdefault(self.language, self.path)

    def alternate_urls(self, site: Site) -> dict[str, str]:
        """hreflang -> absolute URL: every language the article exists in, in the site's order,
        then ``x-default``, the default language's version (where a reader whose language
        the site does not have is sent)."""
        urls = {lang: site.absolute(self.alternates[lang]) for lang in site.languages if lang in self.alternates}
        fallback = self.alternates.get(site.default_language)
        if fallback is not None:
            urls["x-default"] = site.absolute(fallback)
        return urls


@functools.cache
def og_locale(language: str) -> str:
    """Open Graph wants ``language_TERRITORY``: the territory CLDR deems likeliest (fr -> fr_FR, ja -> ja_JP)."""
    likely = get_global("likely_subtags").get(language, language)
    parts = likely.split("_")
    territory = next((p for p in parts[1:] if len(p) == 2 and p.isupper()), None)
    return f"{parts[0]}_{territory}" if territory else parts[0]
