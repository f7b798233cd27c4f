"""MkDocs hooks: a thin adapter between MkDocs (with static-i18n) and ``sitemeta``.

- ``on_page_context``: the page's ``<head>`` metadata (canonical, description, Open
  Graph, JSON-LD) and its language switcher links, for ``overrides/main.html`` and
  ``overrides/partials/alternate.html``;
- ``on_template_context``: the same for the 404 page, in the language being built;
- ``on_post_page``: markup fixes the templates cannot reach;
- ``on_post_build``: the 404 page of each language at its place.

static-i18n builds the default language, then rebuilds the site once per other language
into the same folder, running every hook each time; its later builds overwrite the
root ``404.html``. So each language's 404 page is kept as it is built, and each
``on_post_build`` writes all those kept so far: after the last language, all are there.
The sitemap, ``_headers`` and ``robots.txt`` are made from the built folder alone, by
``postbuild.finish`` (called by hooks/facts.py once the site is complete).
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page as MkDocsPage

from factengine.edition import edition_for
from sitebuild import SESSION
from sitemeta import PageMeta, Site, SiteError, faq, head, howto, markup, notfound

log = logging.getLogger("mkdocs.hooks.seo")


@dataclasses.dataclass
class Seo:
    """This hook's part of a build (``sitebuild.Build.part``), gathered over the languages' builds."""

    site: Site | None = None
    names: dict[str, str] = dataclasses.field(default_factory=dict)  # language -> site name
    descriptions: dict[str, str] = dataclasses.field(default_factory=dict)  # language -> site description
    not_found: dict[str, str] = dataclasses.field(default_factory=dict)  # language -> its built 404 page
    switcher: list[dict] = dataclasses.field(default_factory=list)  # the language switcher's entries


def _seo() -> Seo:
    return SESSION.current().part(Seo)


def _i18n_languages(config: MkDocsConfig) -> tuple[list, str]:
    i18n = config.plugins.get("i18n")
    if i18n is None:
        raise PluginError("hooks/seo.py needs the i18n plugin (mkdocs-static-i18n) in mkdocs.yml")
    languages = [lang for lang in i18n.config.languages if lang.build]
    default = next(lang.locale for lang in i18n.config.languages if lang.default)
    return languages, default


def _language(config: MkDocsConfig) -> str:
    return config.theme["language"]  # static-i18n sets it for the language being built


def on_env(env, *, config: MkDocsConfig, files):
    # The preview's live reload is an inline script that the policy forbids: the preview has no policy
    # (hooks/facts.py says what the preview leaves out).
    env.globals["public_policy"] = "" if SESSION.preview else head.policy_head()
    try:
        env.globals["public_palette_names"] = notfound.palette_names(_language(config))
    except SiteError as exc:
        raise PluginError(str(exc)) from None
    return env


def on_pre_build(config: MkDocsConfig) -> None:
    languages, default = _i18n_languages(config)
    language = _language(config)
    seo = _seo()  # a new build of the whole site starts with none (also each `mkdocs serve` rebuild)
    seo.names[language] = config.site_name
    seo.descriptions[language] = config.site_description or ""
    try:
        seo.site = Site(
            config.site_url, default, tuple(lang.locale for lang in languages), dict(seo.names), dict(seo.descriptions)
        )
    except SiteError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from None
    seo.switcher = [{"lang": lang.locale, "name": lang.name} for lang in languages]


def on_page_context(context: dict, *, page: MkDocsPage, config: MkDocsConfig, nav) -> dict:
    site = _seo().site
    language = _language(config)
    title = page.meta.get("title") or page.title
    description = page.meta.get("description") or ""  # required: the fact check refuses a page without one
    # static-i18n's alternates: the same article in each language, as site-relative URLs
    alternates = {lang: alt.url for lang, alt in getattr(page.file, "alternates", {}).items()}
    edition = edition_for(Path(config.config_file_path).parent, Path(config.docs_dir))
    analysis = edition.analysis(Path(page.file.abs_src_path))
    howtos = howto.procedures(analysis, edition.renderer(language), title) if analysis else []
    meta = PageMeta(
        language=language,
        path=page.url,
        title=title,
        description=description,
        alternates=alternates,
        is_home=page.url.strip("./") == site.home(language).strip("/"),
        howtos=howtos,
        questions=faq.questions(page.content or "", page.meta.get("faq")),
    )
    context["public_head"] = head.page_head(site, meta)
    context["public_alternates"] = _switcher(meta.alternates, site)
    return context


def _switcher(paths: dict[str, str], site: Site) -> list[dict]:
    """The language switcher's links: the same article in each language (its home if missing)."""
    return [{**entry, "path": paths.get(entry["lang"], site.home(entry["lang"])) or "./"} for entry in _seo().switcher]


def on_template_context(context: dict, *, template_name: str, config: MkDocsConfig) -> dict:
    if template_name == "404.html":
        site = _seo().site
        language = _language(config)
        try:
            words = notfound.context(site, language)
        except SiteError as exc:
            raise PluginError(str(exc)) from None
        context["not_found"] = words
        context["public_head"] = head.not_found_head(site, language, words["description"])
        context["public_alternates"] = _switcher(
            {lang: notfound.home_path(site, lang) for lang in site.languages}, site
        )
    return context


def on_post_page(output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
    return markup.fix(output)


def on_post_build(config: MkDocsConfig) -> None:
    """The 404 page in every language: the published site's, left out of the preview."""
    if SESSION.preview:
        return
    seo = _seo()
    site = seo.site
    site_dir = Path(config.site_dir)
    language = _language(config)
    built_404 = site_dir / "404.html"  # what this language's build just wrote
    if built_404.exists():
        seo.not_found[language] = markup.fix(built_404.read_text("utf-8"))
    for lang, text in seo.not_found.items():
        target = site_dir / notfound.path(site, lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
