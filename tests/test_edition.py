"""Rendering a page: the reader's marketplace first, the notice on the age of its facts, the footer."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
import textwrap

import pytest

from factengine.edition import order_tabs

ORDER_FR = ["Amazon.fr", "Amazon.co.jp"]
PAGE = textwrap.dedent("""\
    Intro.

    === "Amazon.co.jp"

        Japanese steps.

        More.

    === "Amazon.fr"

        French steps.

    After.
    """)


def _titles(markdown: str) -> list[str]:
    return [line.strip() for line in markdown.splitlines() if line.strip().startswith("===")]


def test_the_readers_marketplace_comes_first_and_is_selected():
    ordered = order_tabs(PAGE, ORDER_FR)
    assert _titles(ordered) == ['===+ "Amazon.fr"', '=== "Amazon.co.jp"']
    assert (
        ordered.index("French steps.")
        < ordered.index("Japanese steps.")
        < ordered.index("More.")
        < ordered.index("After.")
    )
    assert sorted(ordered.splitlines()) == sorted(PAGE.replace('=== "Amazon.fr"', '===+ "Amazon.fr"').splitlines())


def test_an_order_already_right_only_selects_the_first():
    assert _titles(order_tabs(PAGE, ["Amazon.co.jp", "Amazon.fr"])) == ['===+ "Amazon.co.jp"', '=== "Amazon.fr"']


def test_nested_tabs_and_other_tab_sets_keep_their_place():
    page = textwrap.dedent("""\
        1. Step.

            === "Amazon.co.jp"

                nested jp

            === "Amazon.fr"

                nested fr

        === "iOS"

            ios

        === "Android"

            android
        """)
    ordered = order_tabs(page, ORDER_FR)
    assert ordered.index("nested fr") < ordered.index("nested jp")
    assert _titles(ordered)[2:] == ['===+ "iOS"', '=== "Android"'] or _titles(ordered)[2:] == [
        '=== "iOS"',
        '=== "Android"',
    ]
    assert ordered.index("ios") < ordered.index("android")


@pytest.mark.parametrize("marker", ["===!"])
def test_a_new_tab_set_is_not_merged_with_the_one_before(marker):
    page = (
        '=== "Amazon.co.jp"\n\n    one\n\n=== "Amazon.fr"\n\n    two\n\n'
        + marker
        + ' "Amazon.co.jp"\n\n    three\n\n=== "Amazon.fr"\n\n    four\n'
    )
    ordered = order_tabs(page, ORDER_FR)
    assert ordered.index("two") < ordered.index("one") < ordered.index("four") < ordered.index("three")
    assert _titles(ordered) == ['===+ "Amazon.fr"', '=== "Amazon.co.jp"', '===!+ "Amazon.fr"', '=== "Amazon.co.jp"']


# -- the preview: what an edit makes the build render again ------------------------------------


@pytest.fixture()
def copied_site(tmp_path):
    """The real articles and registry in a folder of their own, to edit."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for folder in ("docs", "facts"):
        shutil.copytree(root / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.css", "*.js", "*.svg"))
    return tmp_path


def _published(root):
    from factengine.edition import Edition
    from factengine.project import Project

    edition = Edition(Project(root))
    assert edition.validate().errors == []
    assert edition.changed_pages() is None  # nothing published yet: every page
    edition.published = edition.result
    return edition


def test_an_article_edit_renders_that_article_again_and_no_other(copied_site):
    edition = _published(copied_site)
    edition.validate()
    assert edition.changed_pages() == set()
    page = copied_site / "docs" / "refunds.fr.md"
    page.write_text(page.read_text("utf-8") + "\nUne phrase de plus.\n", "utf-8")
    edition.validate()
    assert edition.changed_pages() == {page.resolve()}


def test_a_fact_edit_renders_again_the_pages_that_state_it(copied_site):
    edition = _published(copied_site)
    prices = copied_site / "facts" / "prices.yaml"
    text = prices.read_text("utf-8")
    fact = "money.fr.fee-annual-2022"
    start = text.index(f"  {fact}:")
    changed = text[:start] + text[start:].replace("amount: 69.90", "amount: 69.99", 1)
    prices.write_text(changed, "utf-8")
    assert edition.validate().errors == []
    # every page that names the fact (directly, or in a procedure or history that names it), found by its text
    stating = {
        ref_page.resolve() for ref_page in (copied_site / "docs").glob("*.md") if fact in ref_page.read_text("utf-8")
    }
    assert stating and edition.changed_pages() >= stating
    untouched = copied_site / "docs" / "scams.en.md"
    assert fact not in untouched.read_text("utf-8") and untouched.resolve() not in edition.changed_pages()


def test_a_site_settings_edit_renders_every_page_again(copied_site):
    edition = _published(copied_site)
    registry = copied_site / "facts" / "registry.yaml"
    text = registry.read_text("utf-8")
    assert "stale_after_days: 1095" in text
    registry.write_text(text.replace("stale_after_days: 1095", "stale_after_days: 1000", 1), "utf-8")
    edition.validate()
    assert edition.changed_pages() is None


# -- the check's store: results kept between runs, by content ----------------------------------


def _counted_check(root, monkeypatch):
    """Check the project with its store; return the result and how many pages were analysed afresh."""
    from factengine import checks
    from factengine.project import Project

    calls = []
    real = checks.analyse
    monkeypatch.setattr(checks, "analyse", lambda path, *args: calls.append(path) or real(path, *args))
    result = checks.Checker.for_project(Project(root)).check(Project(root))
    monkeypatch.setattr(checks, "analyse", real)
    return result, calls


def _reports(result):
    return [str(d) for d in result.diagnostics]


def test_a_second_run_analyses_no_page_and_reports_the_same(copied_site, monkeypatch):
    page = copied_site / "docs" / "refunds.fr.md"
    page.write_text(page.read_text("utf-8") + "\nAppelez le 01 23 45 67 89.\n", "utf-8")
    first, analysed = _counted_check(copied_site, monkeypatch)
    pages = len(list((copied_site / "docs").rglob("*.md")))
    assert len(analysed) == pages and any("hand-written-phone" in r for r in _reports(first))
    second, analysed = _counted_check(copied_site, monkeypatch)
    assert analysed == [] and _reports(second) == _reports(first)


def test_an_edit_analyses_that_page_only_and_the_store_does_not_grow(copied_site, monkeypatch):
    _counted_check(copied_site, monkeypatch)
    store = next((copied_site / ".cache" / "factcheck").iterdir())
    files = len(list(store.iterdir()))
    page = copied_site / "docs" / "refunds.fr.md"
    page.write_text(page.read_text("utf-8") + "\nUne phrase de plus.\n", "utf-8")
    result, analysed = _counted_check(copied_site, monkeypatch)
    assert analysed == [page] and result.errors == []
    assert len(list(store.iterdir())) == files  # the page's previous analysis is forgotten


def test_a_store_from_other_code_or_damaged_is_not_used(copied_site, monkeypatch):
    from factengine import checks

    first, _ = _counted_check(copied_site, monkeypatch)
    store = next((copied_site / ".cache" / "factcheck").iterdir())
    for stored in store.iterdir():
        stored.write_bytes(stored.read_bytes()[:20])  # truncated: unreadable
    damaged, analysed = _counted_check(copied_site, monkeypatch)
    assert analysed and _reports(damaged) == _reports(first)
    monkeypatch.setattr(checks, "code_digest", lambda: "other-code")
    other, analysed = _counted_check(copied_site, monkeypatch)
    assert len(analysed) == len(first.analyses) and _reports(other) == _reports(first)
    assert [p.name for p in (copied_site / ".cache" / "factcheck").iterdir()] == ["other-code"]


def test_a_registry_edit_is_seen_through_the_store(copied_site, monkeypatch):
    from decimal import Decimal

    _counted_check(copied_site, monkeypatch)
    prices = copied_site / "facts" / "prices.yaml"
    text = prices.read_text("utf-8")
    prices.write_text(text.replace("amount: 69.90", "amount: 69.99", 1), "utf-8")
    result, analysed = _counted_check(copied_site, monkeypatch)
    assert analysed == [] and result.errors == []  # the pages' text did not change
    assert Decimal(str(result.registry.facts["money.fr.fee-annual-2022"].amount)) == Decimal("69.99")
    prices.write_text(text.replace("amount: 69.90", "amount: not-a-number", 1), "utf-8")
    result, _ = _counted_check(copied_site, monkeypatch)
    assert any(d.rule == "schema" and "prices.yaml" in d.path for d in result.errors), _reports(result)


def _reads(monkeypatch) -> list[str]:
    """The names of the files the checks read back from their store, from now on."""
    from factengine import checks

    names: list[str] = []
    real = checks.Checker._read
    monkeypatch.setattr(checks.Checker, "_read", lambda self, name, key: names.append(name) or real(self, name, key))
    return names


def _verdict(root):
    """What ``factcheck`` computes: a new Checker over the project's store, the verdict only."""
    from factengine import checks
    from factengine.project import Project

    return checks.Checker.for_project(Project(root)).check(Project(root), analyses=False)


def test_the_verdict_alone_reads_no_page_analysis_back_and_reports_the_same(copied_site, monkeypatch):
    """factcheck wants the verdict: while no article changed, it reads the registry and the
    articles' verdicts from the store, not one page's analysis."""
    from factengine import checks

    page = copied_site / "docs" / "refunds.fr.md"
    page.write_text(page.read_text("utf-8") + "\nAppelez le 01 23 45 67 89.\n", "utf-8")
    first, _ = _counted_check(copied_site, monkeypatch)
    reads = _reads(monkeypatch)
    verdict = _verdict(copied_site)
    assert verdict.analyses is None and _reports(verdict) == _reports(first)
    assert verdict.checked == len(first.analyses) == len(list((copied_site / "docs").rglob("*.md")))
    assert sorted(n.split("-")[0] for n in reads) == ["registry", checks.Checker.VERDICTS]
    with pytest.raises(ValueError, match="verdict only"):
        _ = verdict.pages


def test_a_registry_edit_checks_again_the_articles_whose_text_did_not_change(copied_site, monkeypatch):
    """The articles' verdicts are kept under the registry's key too: a fact renamed in the
    registry is reported where the unchanged pages still name it, and the old name's return
    clears it, though no page was analysed again."""
    assert _verdict(copied_site).errors == []
    registry = copied_site / "facts" / "registry.yaml"
    text = registry.read_text("utf-8")
    registry.write_text(text.replace("  duration.fr.refund-delay:", "  duration.fr.refund-wait:", 1), "utf-8")
    renamed = _verdict(copied_site)
    unknown = {(Path(d.path).name, d.rule) for d in renamed.errors if "duration.fr.refund-delay" in d.message}
    assert unknown == {(f"refunds.{lang}.md", "unknown-fact") for lang in ("en", "ja", "fr")}, _reports(renamed)
    registry.write_text(text, "utf-8")
    again, analysed = _counted_check(copied_site, monkeypatch)
    assert again.errors == [] and analysed == []


def test_an_edit_that_breaks_the_comparison_of_languages_is_reported_and_its_repair_clears_it(copied_site):
    """An article's verdict covers its versions compared: one version changed, the others
    not, and the comparison is made again."""
    first = _verdict(copied_site)
    page = copied_site / "docs" / "refunds.ja.md"
    text = page.read_text("utf-8")
    page.write_text(text.replace("{{ duration.fr.refund-delay }}", "", 2), "utf-8")
    broken = _verdict(copied_site)
    assert any(d.rule == "fact-set" and "duration.fr.refund-delay" in d.message for d in broken.errors), _reports(
        broken
    )
    page.write_text(text, "utf-8")
    assert _reports(_verdict(copied_site)) == _reports(first)


def test_a_docs_folder_emptied_is_checked_through_the_store_and_forgets_its_verdicts(copied_site):
    """No article at all (every page removed) is a site to check like any other: the store's
    verdicts of the removed articles are forgotten, not reported."""
    assert _verdict(copied_site).checked > 0
    shutil.rmtree(copied_site / "docs")
    (copied_site / "docs").mkdir()
    empty = _verdict(copied_site)
    assert empty.checked == 0 and not [d for d in empty.diagnostics if d.path.endswith(".md")]
    assert _verdict(copied_site).diagnostics == empty.diagnostics  # and again, from the store emptied too


def test_a_kept_checker_keeps_the_registry_in_the_store(copied_site, monkeypatch):
    """A checker that keeps the registry in memory (mkdocs serve) still marks its stored copy as
    used: a factcheck run beside the preview finds it, and does not read the YAML again."""
    from factengine import checks
    from factengine.project import Project

    kept = checks.Checker.for_project(Project(copied_site))
    kept.check(Project(copied_site))
    kept.check(Project(copied_site))  # the registry from memory this time
    loads = []
    real = checks.Registry.load
    monkeypatch.setattr(checks.Registry, "load", lambda *a, **k: loads.append(a) or real(*a, **k))
    _verdict(copied_site)
    assert loads == []


# -- the preview: the theme's files listed once ---------------------------------------------------


def _theme_listing(config) -> set[tuple[str, str]]:
    from mkdocs.structure.files import Files

    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return {(f.src_uri, f.abs_src_path) for f in files}


def test_the_preview_lists_the_themes_files_as_mkdocs_does_and_sees_a_new_override(tmp_path, monkeypatch):
    """hooks/facts.py keeps MkDocs' listing of the theme's files during `mkdocs serve`."""
    import importlib.util

    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    root = Path(__file__).resolve().parent.parent
    settings = re.sub(r"^hooks:\n(?:  - .*\n)+", "", (root / "mkdocs.yml").read_text("utf-8"), flags=re.M)
    (tmp_path / "mkdocs.yml").write_text(settings, "utf-8")
    shutil.copytree(root / "overrides", tmp_path / "overrides")
    (tmp_path / "docs").mkdir()
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    expected = _theme_listing(config)
    assert any(uri.startswith("assets/javascripts/early/") for uri, _ in expected)
    monkeypatch.syspath_prepend(str(root / "hooks"))  # as MkDocs does while it imports a hook
    spec = importlib.util.spec_from_file_location("preview_facts_hook", root / "hooks" / "facts.py")
    hook = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, hook)  # as MkDocs does
    spec.loader.exec_module(hook)
    original = Files.add_files_from_theme
    try:
        hook._remember_theme_files()
        assert Files.add_files_from_theme is not original
        assert _theme_listing(config) == expected
        assert _theme_listing(config) == expected  # from the kept listing
        added = tmp_path / "overrides" / "assets" / "javascripts" / "early" / "added.js"
        added.write_text("/* new */", "utf-8")
        assert _theme_listing(config) == expected | {("assets/javascripts/early/added.js", str(added))}
    finally:
        Files.add_files_from_theme = original


def _i18n_file_fields(file, language: str) -> tuple:
    """What a build reads of a File static-i18n made for ``language``."""
    return (
        file.src_uri,
        file.abs_src_path,
        file.name,
        file.dest_uri,
        file.abs_dest_path,
        file.url,
        file.inclusion,
        file.locale,
        file.locale_alternate_of,
        file.localization,
        file.norm_src_uri,
        file.is_documentation_page(),
        list(file.alternates) == [language] and file.alternates[language] is file,
    )


def test_the_preview_keeps_static_i18ns_reading_of_each_file_and_makes_the_same_files(tmp_path, monkeypatch):
    """hooks/facts.py keeps what static-i18n works out of each file's name during `mkdocs serve`:
    every file of the real site, in every language, comes out as static-i18n makes it, computed
    the first time and from what was kept the second, and as a new File each time."""
    import importlib.util

    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs_static_i18n import reconfigure, suffix

    root = Path(__file__).resolve().parent.parent
    settings = re.sub(r"^hooks:\n(?:  - .*\n)+", "", (root / "mkdocs.yml").read_text("utf-8"), flags=re.M)
    (tmp_path / "mkdocs.yml").write_text(settings, "utf-8")
    (tmp_path / "overrides").mkdir()  # the theme's folder of overrides is only checked to exist
    config = load_config(str(tmp_path / "mkdocs.yml"), docs_dir=str(root / "docs"), site_dir=str(tmp_path / "site"))
    languages = [language.locale for language in config.plugins["i18n"].config.languages]
    default = next(language.locale for language in config.plugins["i18n"].config.languages if language.default)
    files = list(get_files(config))
    assert any(f.src_uri.endswith(".ja.md") for f in files) and any(not f.src_uri.endswith(".md") for f in files)
    made = {lang: [suffix.create_i18n_file(f, lang, default, languages, config) for f in files] for lang in languages}
    expected = {lang: [_i18n_file_fields(f, lang) for f in made[lang]] for lang in languages}
    assert {f[7] for f in expected["fr"]} >= {"fr", "en"}  # the French build sees French and English files

    monkeypatch.syspath_prepend(str(root / "hooks"))
    spec = importlib.util.spec_from_file_location("preview_i18n_hook", root / "hooks" / "facts.py")
    hook = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, hook)
    spec.loader.exec_module(hook)
    monkeypatch.setattr(suffix, "create_i18n_file", suffix.create_i18n_file)  # restored after the test
    monkeypatch.setattr(reconfigure, "is_relative_to", reconfigure.is_relative_to)
    hook._remember_languages_of_files()
    assert getattr(suffix.create_i18n_file, "remembers", False)
    for attempt in ("computed", "kept"):
        for lang in languages:
            again = [suffix.create_i18n_file(f, lang, default, languages, config) for f in files]
            assert [_i18n_file_fields(f, lang) for f in again] == expected[lang], (attempt, lang)
            assert not any(a is b for a, b in zip(again, made[lang]))
    assert reconfigure.is_relative_to(files[0].abs_src_path, config.docs_dir)
    assert not reconfigure.is_relative_to(str(tmp_path), config.docs_dir)


@pytest.mark.slow
def test_the_preview_rebuilds_once_per_save_and_shows_the_edit(tmp_path):
    """`make serve` on a copy of the project: one save is one rebuild (the system's file events,
    filtered to changes: the build's own reads of every page must not start another), and the
    page served afterwards has the edit."""
    import subprocess
    import threading
    import time
    import urllib.request

    from conftest import free_port, mkdocs_serve

    root = Path(__file__).resolve().parent.parent
    for name in ("docs", "facts", "hooks", "overrides", "search"):
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "mkdocs.yml", tmp_path / "mkdocs.yml")
    port = free_port()
    with mkdocs_serve(
        ["--livereload", "--dirty", "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as serving:
        lines: list[str] = []
        threading.Thread(target=lambda: lines.extend(iter(serving.stdout.readline, "")), daemon=True).start()
        deadline = time.monotonic() + 300
        while not any("Serving on" in line for line in lines):
            assert serving.poll() is None and time.monotonic() < deadline, "".join(lines[-30:])
            time.sleep(0.2)
        built = sum("Documentation built" in line for line in lines)
        page = tmp_path / "docs" / "refunds.en.md"
        page.write_text(page.read_text("utf-8") + "\nA sentence saved once.\n", "utf-8")
        while sum("Documentation built" in line for line in lines) == built:
            assert time.monotonic() < deadline, "no rebuild after the save:\n" + "".join(lines[-30:])
            time.sleep(0.1)
        time.sleep(3)  # time enough for a loop of rebuilds to show
        assert sum("Documentation built" in line for line in lines) == built + 1, "".join(lines[-40:])
        url = f"http://127.0.0.1:{port}/prime-help/refunds/"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert "A sentence saved once." in response.read().decode("utf-8")
