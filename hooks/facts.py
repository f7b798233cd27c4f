"""MkDocs hooks: a thin adapter between MkDocs and the fact engine (``factengine``).

- ``on_pre_build``: validate the registry and every article across languages,
  once per change of the sources (static-i18n rebuilds the site once per
  language and calls every hook each time; the fingerprint of the sources makes
  the second and third calls free). Errors abort the build, all of them listed,
  before MkDocs cleans the site directory: nothing is half-written.
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

from factengine import Diagnostic, Project, Renderer, Severity, check
from factengine.diagnostics import advisory_logger
from factengine.export import registry_data, write_json
from factengine.pages import Page as Source
from factengine.render import is_block, message

log = logging.getLogger("mkdocs.hooks.facts")
# Stale facts are warnings by default: shown, but not counted by `--strict`
# (set `stale: error` in the registry to make them fatal).
notes = advisory_logger("factengine.build")

# A build shows this many warnings (stale facts) and counts the rest; errors are all shown.
WARNINGS_SHOWN = 5

_last: dict = {"fingerprint": None, "result": None, "pages": {}}


def _project(config: MkDocsConfig) -> Project:
    return Project(Path(config.config_file_path).parent, docs_dir=Path(config.docs_dir))


def on_pre_build(config: MkDocsConfig) -> None:
    """Validate everything, once per change of the sources; abort the build on any error."""
    project = _project(config)
    fingerprint = project.fingerprint()
    if _last["fingerprint"] == fingerprint:
        return
    _last.update(fingerprint=None, result=None, pages={})
    result = check(project)
    problems = list(result.diagnostics)
    if result.registry is not None:
        problems += _plugin_settings(config, result.registry)
    warnings = [d for d in problems if d.severity is Severity.WARNING]
    for diagnostic in warnings[:WARNINGS_SHOWN]:
        notes.warning(str(diagnostic))
    if len(warnings) > WARNINGS_SHOWN:
        notes.warning(f"... and {len(warnings) - WARNINGS_SHOWN} more warning(s): `make check` lists them all")
    for diagnostic in problems:
        if diagnostic.severity is Severity.ERROR:
            log.error(str(diagnostic))
    errors = [d for d in problems if d.severity is Severity.ERROR]
    if errors:
        raise PluginError(f"fact validation failed with {len(errors)} error(s); nothing was built")
    pages = {page.path.resolve(): page for page in result.pages}
    _last.update(fingerprint=fingerprint, result=result, pages=pages)


def _plugin_settings(config: MkDocsConfig, registry) -> list[Diagnostic]:
    """static-i18n must agree with the registry's languages and must not fill gaps with English."""
    i18n = config.plugins.get("i18n")
    where = Path(config.config_file_path).name
    if i18n is None:
        return [Diagnostic(where, 1, "site-config", "the i18n plugin (mkdocs-static-i18n) is not configured")]
    if i18n.config.fallback_to_default:
        return [Diagnostic(where, 1, "site-config", "set 'fallback_to_default: false' for the i18n plugin: "
                           "a missing translation must never be replaced by English text")]
    locales = [lang.locale for lang in i18n.config.languages if lang.build]
    default = next((lang.locale for lang in i18n.config.languages if lang.default), None)
    if sorted(locales) != sorted(registry.languages) or default != registry.site.default_language:
        return [Diagnostic(where, 1, "site-config",
                           f"i18n languages {locales} (default {default}) differ from the registry's "
                           f"{registry.languages} (default {registry.site.default_language})")]
    return []


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Replace each fact reference with the fact in the page's language.

    Lists (procedures, histories) and facts in headings go in as Markdown. Every other
    fact goes in as a placeholder word, swapped for its HTML in ``on_page_content``:
    Markdown has nothing to parse in it, and on a large site that parsing of inline
    HTML was a quarter of the hook's cost.
    """
    result = _last["result"]
    source = _last["pages"].get(Path(page.file.abs_src_path).resolve())
    if result is None or source is None:  # not an article (no language suffix): the check reported it
        return markdown
    if source.awaiting_translation:
        return _awaiting_notice(source, page, result.registry.site.default_language)
    # MkDocs hands over the body without front matter, as the engine read it: same offsets and lines.
    body = Source(source.path, source.article, source.language, markdown, source.body_line, source.meta)
    refs, problems = body.references()
    if problems:
        raise PluginError("\n".join(str(p) for p in problems))
    renderer = _renderer(result.registry, source.language)
    placed: list[str] = []
    for ref in sorted(refs, key=lambda r: r.start, reverse=True):
        html = renderer.reference(ref)
        if not (is_block(result.registry.facts.get(ref.fact_id), ref.verb) or _in_heading(markdown, ref.start)):
            placed.append(html)
            html = _PLACEHOLDER.format(len(placed) - 1)
        markdown = markdown[: ref.start] + html + markdown[ref.end :]
    _placed[page.file.src_uri] = placed
    return _after_title(markdown, renderer.page_as_of(r.fact_id for r in refs))


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    placed = _placed.pop(page.file.src_uri, None)
    if not placed:
        return html
    return _PLACEHOLDER_RE.sub(lambda m: placed[int(m.group(1))], html)


# A word Markdown leaves alone, unlikely in any article; numbered per page.
_PLACEHOLDER = "xfactx{}x"
_PLACEHOLDER_RE = re.compile(r"xfactx(\d+)x")
_placed: dict[str, list[str]] = {}


def _in_heading(markdown: str, offset: int) -> bool:
    line_start = markdown.rfind("\n", 0, offset) + 1
    return markdown.startswith("#", line_start)


def _renderer(registry, language: str) -> Renderer:
    """One renderer per language and registry: it remembers what it rendered (a fact recurs on many pages)."""
    key = (id(registry), language)
    if key not in _renderers:
        if len(_renderers) > 8:  # `mkdocs serve` reloads the registry on every change
            _renderers.clear()
        _renderers[key] = Renderer(registry, language)
    return _renderers[key]


_renderers: dict[tuple, Renderer] = {}


def _after_title(markdown: str, block: str | None) -> str:
    """Put ``block`` right under the page's H1 (or at the top when the title comes from front matter)."""
    if not block:
        return markdown
    match = re.search(r"^# .*$", markdown, re.M)
    at = match.end() if match else 0
    return f"{markdown[:at]}\n\n{block}\n\n{markdown[at:].lstrip(chr(10))}"


def _awaiting_notice(source, page: Page, default_language: str) -> str:
    """The notice a page awaiting translation shows, in its own language, linking to the original."""
    lang = source.language
    original = page.url.removeprefix(f"{lang}/") or "./"
    link = get_relative_url(original, page.url)
    return (f'!!! note "{message("awaiting-translation", lang)}"\n\n'
            f'    [{message("read-in-default", lang)}]({link}){{ hreflang={default_language} }}\n')


def on_post_build(config: MkDocsConfig) -> None:
    """Write facts.json at the site root, once per build (static-i18n calls this once per language)."""
    result = _last["result"]
    target = Path(config.site_dir) / "facts.json"
    if result is not None and (_last.get("exported") != (_last["fingerprint"], target) or not target.exists()):
        write_json(registry_data(result.registry), target)
        _last["exported"] = (_last["fingerprint"], target)
