"""MkDocs hooks: a thin adapter between MkDocs and the fact engine (``factengine``).

- ``on_pre_build``: validate the registry and every article across languages,
  once per change of the sources (static-i18n rebuilds the site once per
  language and calls every hook each time; the fingerprint of the sources makes
  the second and third calls free). Errors abort the build, all of them listed.
- ``on_page_markdown``: replace fact references with the facts in the page's
  language; a page marked ``translation: awaiting`` shows a notice instead.
- ``on_post_build``: write ``facts.json`` beside the site.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from factengine import Project, Renderer, Severity, check
from factengine.export import registry_data, write_json
from factengine.pages import Page as Source
from factengine.render import message

log = logging.getLogger("mkdocs.hooks.facts")
# Stale facts are warnings by default: shown, but not counted by `--strict`
# (set `stale: error` in the registry to make them fatal). Hence a logger
# outside the "mkdocs" tree, with its own handler.
notes = logging.getLogger("factengine.build")
if not notes.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
    notes.addHandler(_handler)
    notes.propagate = False

_last: dict = {"fingerprint": None, "result": None}


def _project(config: MkDocsConfig) -> Project:
    return Project(Path(config.config_file_path).parent, docs_dir=Path(config.docs_dir))


def _validate(config: MkDocsConfig):
    project = _project(config)
    fingerprint = project.fingerprint()
    if _last["fingerprint"] != fingerprint:
        result = check(project)
        problems = list(result.diagnostics)
        if result.registry is not None:
            problems += [d for d in [_plugin_settings(config, result.registry, project)] if d]
        for diagnostic in problems:
            if diagnostic.severity is Severity.ERROR:
                log.error(str(diagnostic))
            else:
                notes.warning(str(diagnostic))
        errors = [d for d in problems if d.severity is Severity.ERROR]
        if errors:
            _last.update(fingerprint=None, result=None)
            raise PluginError(f"fact validation failed with {len(errors)} error(s); nothing was built")
        _last.update(fingerprint=fingerprint, result=result)
    return _last["result"]


def _plugin_settings(config: MkDocsConfig, registry, project):
    """static-i18n must agree with the registry's languages and must not fill gaps with English."""
    from factengine import Diagnostic

    i18n = config.plugins.get("i18n")
    where = Path(config.config_file_path).name
    if i18n is None:
        return Diagnostic(where, 1, "site-config", "the i18n plugin (mkdocs-static-i18n) is not configured")
    if i18n.config.fallback_to_default:
        return Diagnostic(where, 1, "site-config", "set 'fallback_to_default: false' for the i18n plugin: "
                          "a missing translation must never be replaced by English text")
    locales = [lang.locale for lang in i18n.config.languages if lang.build]
    default = next((lang.locale for lang in i18n.config.languages if lang.default), None)
    if sorted(locales) != sorted(registry.languages) or default != registry.site.default_language:
        return Diagnostic(where, 1, "site-config",
                          f"i18n languages {locales} (default {default}) differ from the registry's "
                          f"{registry.languages} (default {registry.site.default_language})")
    return None


def on_pre_build(config: MkDocsConfig) -> None:
    _validate(config)


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    result = _validate(config)
    source = next((s for s in result.pages if s.path.resolve() == Path(page.file.abs_src_path).resolve()), None)
    if source is None:  # not an article (no language suffix): the check has already reported it
        return markdown
    if source.awaiting_translation:
        return _awaiting_notice(source, page, result.registry.site.default_language)
    body = Source(source.path, source.article, source.language, markdown, source.body_line, source.meta)
    refs, problems = body.references()
    if problems:
        raise PluginError("\n".join(str(p) for p in problems))
    renderer = Renderer(result.registry, source.language)
    for ref in sorted(refs, key=lambda r: r.start, reverse=True):
        markdown = markdown[: ref.start] + renderer.reference(ref) + markdown[ref.end :]
    return _after_title(markdown, renderer.page_as_of(r.fact_id for r in refs))


def _after_title(markdown: str, block: str | None) -> str:
    """Put ``block`` right under the page's H1 (or at the top when the title comes from front matter)."""
    if not block:
        return markdown
    match = re.search(r"^# .*$", markdown, re.M)
    at = match.end() if match else 0
    return f"{markdown[:at]}\n\n{block}\n\n{markdown[at:].lstrip(chr(10))}"


def _awaiting_notice(source, page: Page, default_language: str) -> str:
    lang = source.language
    original = page.url.removeprefix(f"{lang}/")
    link = get_relative_url(original or ".", page.url) if original else get_relative_url(".", page.url)
    return (f'!!! note "{message("awaiting-translation", lang)}"\n\n'
            f'    [{message("read-in-default", lang)}]({link}){{ hreflang={default_language} }}\n')


def on_post_build(config: MkDocsConfig) -> None:
    result = _validate(config)
    write_json(registry_data(result.registry), Path(config.site_dir) / "facts.json")
