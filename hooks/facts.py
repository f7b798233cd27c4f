"""MkDocs hooks: a thin adapter between MkDocs (with static-i18n) and the fact engine.

All the work is the engine's (``factengine.edition.Edition``, one per project and
process, so that ``mkdocs serve`` keeps what it already checked); this module maps
MkDocs' events onto it. The events it relies on, in the order MkDocs calls them:

====================  ======================================================================
on_startup            whether the build is dirty (a dirty build writes in place), and whether it
                      is the editor's preview (``mkdocs serve``: see "The preview" below)
on_config             a clean build writes into a staging folder beside ``site_dir``; runs
                      before static-i18n's on_config (priority -100), whose builds of the
                      other languages then write there too
on_pre_build          validate every source in every language, once per build; any error
                      aborts the build before MkDocs cleans or writes anything
on_files              (preview) the pages to render again lose their built file, so that a
                      dirty build renders them (priority -200: after static-i18n's -100,
                      which picks the language's files)
on_nav                (preview) the titles of the pages a dirty build does not read
on_page_markdown      references become placeholders (the page's language)
on_page_content       placeholders become the facts' HTML
on_post_build         facts.json at the site's root, then, last of all (priority -1000: after static-i18n's
                      -100, inside which the other languages are built, and after every
                      other hook's work on the built site): ``postbuild.finish`` over the
                      built folder (sitemap, robots.txt, _headers, search indexes, then the
                      verifier of the site as readers get it), and the staging folder
                      replaces ``site_dir``, unless verification failed or ``--strict``
                      counted a warning
on_build_error        a failed build: drop the staging folder, keep the previous site
====================  ======================================================================

The preview (``make serve``: ``mkdocs serve --dirty``) renders again only what an edit
changed: the edited article's page, and, for a registry edit, the pages that state a changed
fact (``Edition.changed_pages``); every rule still runs over every language, from the check's
cache. It leaves out what only the published site needs, and says so on each rebuild: the
printable books (hooks/pdf.py), the sitemap, headers and the verification of the built site
(``postbuild.finish``), and it makes the search index only once the editor pauses
(hooks/search.py). ``make build`` does all of it.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
from pathlib import Path

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler, get_relative_url

from factengine import Diagnostic, FactError, Severity
from factengine.diagnostics import advisory_logger, display_path, resolved
from factengine.checks import site_texts
from factengine.edition import Edition, edition_for
from postbuild import publish
from postbuild.finish import finish, project_synonyms
from searchindex import SYNONYMS_FILE, BundleError, SynonymsError
from sitemeta.model import Site, SiteError
from sitebuild import SESSION, project_cache

log = logging.getLogger("mkdocs.hooks.facts")
# Stale facts are warnings by default: shown, but not counted by `--strict`
# (set `stale: error` in the registry to make them fatal).
notes = advisory_logger("factengine.build")

# A build shows this many warnings (stale facts) and counts the rest; errors are all shown.
WARNINGS_SHOWN = 5


@dataclasses.dataclass
class Facts:
    """This hook's part of a build (``sitebuild.Build.part``)."""

    rerender: set[Path] | None = None  # preview: the pages to render again (None: all)
    staging: Path | None = None  # where a clean build writes until it succeeds
    site_dir: Path | None = None  # where the site goes once it has
    warnings: CountHandler | None = None  # a strict build's count of warnings


def _facts() -> Facts:
    return SESSION.current().part(Facts)


def _edition(config: MkDocsConfig) -> Edition:
    edition = edition_for(Path(config.config_file_path).parent, Path(config.docs_dir))
    SESSION.editions.add(edition)
    return edition


def _inner(config: MkDocsConfig) -> bool:
    """True in static-i18n's builds of the other languages, inside the default language's."""
    i18n = config.plugins.get("i18n")
    return i18n is not None and getattr(i18n, "building", False)


def on_startup(*, command: str, dirty: bool) -> None:
    SESSION.start(command=command, dirty=dirty)
    if SESSION.preview and dirty:
        # The preview is dirty by design (see "The preview" above): MkDocs' warning about it would
        # make every `strict` rebuild fail; what the preview leaves out is said instead.
        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyWarning())
    if SESSION.preview:
        _remember_theme_files()
        _remember_languages_of_files()


def on_serve(server, *, config: MkDocsConfig, builder):
    """The preview sees an edit when the system reports it, not at MkDocs' next poll.

    MkDocs' live-reload server polls the watched folders every 0.5 s (a snapshot of every
    file: ~30 ms at 900 pages, more with more), so an edit waited 0.25 s on average before the
    rebuild began. The system's own file events (inotify on Linux, FSEvents on macOS, through
    watchdog's default observer) report it at once. Where they are not delivered (some
    network or container-mounted folders), ``PREVIEW_POLLING=1`` keeps MkDocs' polling."""
    if os.environ.get("PREVIEW_POLLING") or not hasattr(server, "observer"):
        return server
    import watchdog.events as events
    import watchdog.observers

    # Changes only, as MkDocs' polling sees them: inotify also reports files being opened and
    # read, which each build does to every page, and MkDocs would rebuild for ever.
    changes = [
        events.FileCreatedEvent,
        events.FileModifiedEvent,
        events.FileDeletedEvent,
        events.FileMovedEvent,
        events.FileClosedEvent,
        events.DirCreatedEvent,
        events.DirDeletedEvent,
        events.DirMovedEvent,
    ]

    class ChangeObserver(watchdog.observers.Observer):
        def schedule(self, handler, path, *, recursive=False, event_filter=None, **kwargs):
            return super().schedule(handler, path, recursive=recursive, event_filter=event_filter or changes, **kwargs)

    polling, watched = server.observer, dict(server._watched_paths)
    refs = dict(server._watch_refs)
    server.observer = ChangeObserver()
    server._watched_paths.clear()
    server._watch_refs.clear()
    try:
        for path, count in watched.items():
            server.watch(path)
            server._watched_paths[path] = count
    except OSError as exc:  # e.g. the system's limit of watches is reached
        log.warning(f"preview: file events unavailable ({exc}); polling every 0.5 s instead")
        server.observer, server._watched_paths, server._watch_refs = polling, watched, refs
        return server
    # MkDocs waits until no event has come for build_delay (0.1 s) before it rebuilds: with events
    # delivered as they happen, a save (one write, or a write and a rename) is over well within 30 ms.
    server.build_delay = min(getattr(server, "build_delay", 0.1), 0.03)
    return server


class _DirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


def _remember_theme_files() -> None:
    """Preview only: the theme's static files are listed once, not on every rebuild.

    MkDocs lists them on every build by walking the theme's folders, Material's ~15,000 icons
    included, and matching each name against its patterns: 0.4 s of each preview rebuild at
    any size of site. The listing is kept per theme folders, output folder and the list of
    ``overrides/`` (walked each time; it is small), so adding a file there is still seen. The
    files' contents are copied by each build as before. Nothing of this runs in `mkdocs build`.
    """
    original = Files.add_files_from_theme
    if getattr(original, "remembers", False):
        return
    listings: dict[tuple, list[tuple[str, str]]] = {}

    def add_files_from_theme(files: Files, env, config: MkDocsConfig) -> None:
        custom = config.theme.custom_dir
        overrides = tuple(sorted(str(p) for p in Path(custom).rglob("*"))) if custom else ()
        key = (
            tuple(config.theme.dirs),
            tuple(config.theme.static_templates),
            config.site_dir,
            config.use_directory_urls,
            overrides,
        )
        if key not in listings:
            probe = Files([])
            original(probe, env, config)
            if len(listings) > 8:  # one per language's output folder; an overrides/ change makes new keys
                listings.clear()
            listings[key] = [(f.src_uri, f.src_dir) for f in probe]
        for src_uri, src_dir in listings[key]:
            if files.get_file_from_path(src_uri) is None:  # a docs file of that name wins, as in MkDocs
                files.append(File(src_uri, src_dir, config.site_dir, config.use_directory_urls))

    add_files_from_theme.remembers = True
    Files.add_files_from_theme = add_files_from_theme


def _remember_languages_of_files() -> None:
    """Preview only: static-i18n's reading of each file's language is kept between rebuilds.

    On every build, static-i18n makes every file of the site again (``suffix.create_i18n_file``:
    a new File, then a dozen ``pathlib`` operations that take the language out of its name and
    address). What it works out depends only on the file's paths and the build's settings, so
    the preview keeps the File it made, as it was made, under them. Each build still gets new
    File objects, copies of the kept state, because MkDocs and the plugins change them during a
    build. A preview rebuild after one edit at 300 x 3 took 0.33 to 0.44 s in process, against
    0.56 to 0.58 s without this (BENCHMARKS.md). Nothing of this runs in `mkdocs build`.
    """
    from mkdocs_static_i18n import reconfigure, suffix

    original = suffix.create_i18n_file
    if getattr(original, "remembers", False):
        return
    kept: dict[tuple, dict] = {}

    def create_i18n_file(file: File, current_language: str, default_language: str, all_languages, config):
        key = (
            file.src_path,
            file.dest_path,
            file.dest_uri,
            file.inclusion,
            config.docs_dir,
            config.site_dir,
            config.use_directory_urls,
            current_language,
            default_language,
            tuple(all_languages),
        )
        if key not in kept:
            made = original(file, current_language, default_language, all_languages, config)
            if len(kept) > 50_000:  # files renamed again and again in a long session
                kept.clear()
            kept[key] = dict(vars(made))  # before the build changes it
            return made
        made = File.__new__(File)
        vars(made).update(kept[key])
        made.alternates = {current_language: made}  # static-i18n's own start: each file lists itself
        return made

    create_i18n_file.remembers = True
    suffix.create_i18n_file = create_i18n_file
    # Whether a file is under docs_dir: a PurePath per file and build; the answer does not change.
    reconfigure.is_relative_to = functools.lru_cache(maxsize=65536)(reconfigure.is_relative_to)


def preview_skipped() -> str:
    """What the preview leaves out, said on each of its builds."""
    return (
        "preview: printable books, sitemaps, the Content-Security-Policy (it would block live reload) and "
        "the check of the built site are left out, and the search index is made when the editor pauses "
        "(`make build` does all of it)"
    )


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """A build of the whole site begins here (static-i18n's builds of the other languages are part of it)."""
    if not _inner(config):
        if SESSION.build is not None:
            _abandon()  # the previous build's staging folder, if it failed half-way
        facts = SESSION.begin().part(Facts)
        if not SESSION.dirty and not SESSION.preview:
            facts.site_dir = Path(config.site_dir).resolve()
            facts.staging = publish.start(facts.site_dir)
            if config.strict:  # MkDocs aborts a strict build that logged a warning, after on_post_build
                facts.warnings = CountHandler()
                facts.warnings.setLevel(logging.WARNING)
                logging.getLogger("mkdocs").addHandler(facts.warnings)
    facts = _facts()
    if facts.staging is not None:
        config.site_dir = str(facts.staging)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    """Validate everything, once per build (static-i18n calls this once per language)."""
    edition = _edition(config)
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False) and edition.result is not None:
        return  # another language of the build that was just validated
    result = edition.validate()
    problems = list(result.diagnostics)
    if result.registry is not None:
        problems += _plugin_settings(config, result.registry)
    warnings = [d for d in problems if d.severity is Severity.WARNING]
    for diagnostic in warnings[:WARNINGS_SHOWN]:
        notes.warning(str(diagnostic))
    if len(warnings) > WARNINGS_SHOWN:
        notes.warning(f"... and {len(warnings) - WARNINGS_SHOWN} more warning(s): `make check` lists them all")
    errors = [d for d in problems if d.severity is Severity.ERROR]
    for diagnostic in errors:
        log.error(str(diagnostic))
    if errors:
        edition.result = None
        raise PluginError(f"fact validation failed with {len(errors)} error(s); nothing was built")
    if SESSION.preview:
        facts = _facts()
        facts.rerender = edition.changed_pages()
        if facts.rerender is not None:
            names = sorted(display_path(path) for path in facts.rerender)
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            log.info(f"preview: rendering {len(names)} changed page(s){': ' + shown if names else ''}")
        log.info(preview_skipped())
        _build_only_changed_languages(config, edition)


def _plugin_settings(config: MkDocsConfig, registry) -> list[Diagnostic]:
    """static-i18n must agree with the registry's languages and must not fill gaps with English."""
    i18n = config.plugins.get("i18n")
    where = Path(config.config_file_path).name
    if i18n is None:
        return [Diagnostic(where, 1, "site-config", "the i18n plugin (mkdocs-static-i18n) is not configured")]
    if i18n.config.fallback_to_default:
        return [
            Diagnostic(
                where,
                1,
                "site-config",
                "set 'fallback_to_default: false' for the i18n plugin: "
                "a missing translation must never be replaced by English text",
            )
        ]
    locales = [lang.locale for lang in i18n.config.languages if lang.build]
    default = next((lang.locale for lang in i18n.config.languages if lang.default), None)
    if sorted(locales) != sorted(registry.languages) or default != registry.site.default_language:
        return [
            Diagnostic(
                where,
                1,
                "site-config",
                f"i18n languages {locales} (default {default}) differ from the registry's "
                f"{registry.languages} (default {registry.site.default_language})",
            )
        ]
    # What every page shows from mkdocs.yml: the site's name and description in each language, nav titles.
    texts = [("site_name", config.site_name or ""), ("site_description", config.site_description or "")]
    for lang in i18n.config.languages:
        texts += [
            (f"{lang.locale}.{key}", str(lang.get(key) or "")) for key in ("site_name", "site_description", "name")
        ]
    texts += [("nav", title) for title in _nav_titles(config.nav or [])]
    return site_texts(Path(config.config_file_path), texts, registry)


def _nav_titles(nav) -> list[str]:
    titles = []
    for item in nav:
        if isinstance(item, dict):
            for title, value in item.items():
                titles.append(str(title))
                if isinstance(value, list):
                    titles += _nav_titles(value)
    return titles


def on_env(env, *, config: MkDocsConfig, files: Files):
    """Compiled templates are kept between builds (MkDocs makes a new environment for each language's
    build and each preview rebuild); Jinja keys them by each template's source, so an edited
    override is compiled again."""
    if env.bytecode_cache is None:
        cache = project_cache(config) / "jinja"
        cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache))
    return env


def _build_only_changed_languages(config: MkDocsConfig, edition: Edition) -> None:
    """Preview: static-i18n builds the other languages after the default one; one whose pages did not
    change is not built again (its pages from the previous build stay served). MkDocs reads
    mkdocs.yml again for each rebuild, so the next rebuild starts with every language."""
    i18n = config.plugins.get("i18n")
    rerender = _facts().rerender
    if i18n is None or rerender is None:
        return
    changed = {a.source.language for a in edition.result.analyses if resolved(a.source.path) in rerender}
    for language in i18n.config.languages:
        if not language.default and language.locale not in changed:
            language.build = False


@event_priority(-200)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Preview: a dirty build renders a page whose built file is missing or older than its source;
    a page that states a fact the registry edit changed must be rendered too."""
    if not SESSION.preview:
        return files
    rerender = _facts().rerender
    for file in files.documentation_pages():
        if rerender is None or resolved(file.abs_src_path) in rerender:
            Path(file.abs_dest_path).unlink(missing_ok=True)
    return files


@event_priority(-200)
def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    """Preview: a dirty build does not read the pages it does not render, so their titles in the
    navigation would be made from file names; the check read every page's front matter."""
    if SESSION.preview:
        edition = _edition(config)
        for page in nav.pages:
            analysis = edition.analysis(Path(page.file.abs_src_path))
            title = analysis.source.meta.get("title") if analysis else None
            if title and not page.meta:
                page.title = str(title)
    return nav


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    edition = _edition(config)
    analysis = edition.analysis(Path(page.file.abs_src_path))
    if analysis is None:  # not an article (no language suffix): the check reported it
        return markdown
    if analysis.source.awaiting_translation:
        language = analysis.source.language
        original = page.url.removeprefix(f"{language}/") or "./"
        return edition.awaiting_notice(
            language, get_relative_url(original, page.url), edition.result.registry.site.default_language
        )
    try:
        return edition.substitute(page.file.src_uri, Path(page.file.abs_src_path), markdown)
    except FactError as exc:
        raise PluginError("\n".join(str(d) for d in exc.diagnostics)) from None


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _edition(config).fill(page.file.src_uri, html)


@event_priority(-1000)
def on_post_build(config: MkDocsConfig) -> None:
    if _inner(config):
        return  # a language's folder inside the site: facts.json is the whole registry, written once at its root
    edition = _edition(config)
    edition.export(Path(config.site_dir))
    if SESSION.preview:
        edition.published = edition.result
        return
    facts = _facts()
    if facts.warnings is not None and facts.warnings.get_counts():
        return  # MkDocs is about to abort this strict build: on_build_error drops it
    finished = _finish(config, edition)
    if finished.search is not None:
        log.info(f"search: indexed {finished.search.summary()}; added {dict(finished.search.added)}")
    for concept in finished.search.unused_concepts if finished.search else []:
        notes.warning(
            f"search: {SYNONYMS_FILE}: no {concept.language} page uses '{concept.article_word}': "
            f"its readers' words find nothing; update the list"
        )
    # The site as readers will get it, whatever wrote it: no raw reference, no phone link a
    # fact did not make, every retired number marked, every language present.
    shown = (facts.site_dir or Path(config.site_dir)).name
    for diagnostic in finished.problems:
        log.error(f"{shown}/{diagnostic}")
    if finished.problems:
        raise PluginError(
            f"the built site failed verification with {len(finished.problems)} error(s); it is not published"
        )
    if facts.staging is not None:
        staging, facts.staging = facts.staging, None
        _stop_counting(facts)
        publish.publish(staging, facts.site_dir)
    edition.published = edition.result


def _finish(config: MkDocsConfig, edition: Edition):
    """postbuild.finish over the built folder, with the site's address and languages."""
    registry = edition.result.registry
    root = Path(config.config_file_path).parent
    try:
        site = Site(config.site_url, registry.site.default_language, tuple(registry.languages), {})
        return finish(
            Path(config.site_dir), site, registry, project_synonyms(root, registry.languages), project_cache(config)
        )
    except SiteError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from None
    except (SynonymsError, BundleError) as exc:
        raise PluginError(f"search: {exc}") from None


def on_build_error(error: Exception) -> None:
    for edition in SESSION.editions:
        edition.result = None  # validate again next time (mkdocs serve)
    if SESSION.build is None:  # the build failed before it began (mkdocs.yml)
        return
    facts = _facts()
    if facts.staging is not None:
        log.info(f"the build failed: {facts.site_dir} is left as it was")
    _abandon()


def _abandon() -> None:
    """Drop what the current build wrote into its staging folder; the published site stays."""
    facts = _facts()
    staging, facts.staging = facts.staging, None
    _stop_counting(facts)
    if staging is not None:
        publish.abandon(staging)


def _stop_counting(facts: Facts) -> None:
    if facts.warnings is not None:
        logging.getLogger("mkdocs").removeHandler(facts.warnings)
        facts.warnings = None
