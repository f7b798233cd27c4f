"""Phrase catalogues (factengine/catalogue.py): one loader for the engine's, the book's and the
site's words, and a check that lists everything a new language still lacks, in one run."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, Site
from factengine import catalogue, literals
from factengine.catalogue import Catalogue
from factengine.diagnostics import FactError

CATALOGUES = ("factengine/messages.yaml", "printbook/messages.yaml", "sitemeta/messages.yaml")


def _keys_and_lines(rel: str) -> dict[str, int]:
    """Each top-level key of a catalogue and its line, read as text (not through the loader under test)."""
    found = {}
    for number, line in enumerate((ROOT / rel).read_text("utf-8").splitlines(), 1):
        m = re.match(r"^([^\s#:][^:]*):\s*$", line)
        if m:
            found[m.group(1).strip("\"'")] = number
    return found


def _parse(text: str) -> Catalogue:
    return Catalogue.parse(text, "test/messages.yaml")


def _problems(text: str) -> list[str]:
    with pytest.raises(FactError) as info:
        _parse(text)
    return [str(d) for d in info.value.diagnostics]


# --- the loader -----------------------------------------------------------------------------------
def test_a_missing_language_is_reported_at_its_keys_line():
    cat = _parse("# words\n'yes':\n  en: 'yes'\n  fr: oui\n'no':\n  en: 'no'\n")
    assert [str(d) for d in cat.missing(["en", "fr", "de"])] == [
        "test/messages.yaml:2: [catalogue] no 'de' text for 'yes'",
        "test/messages.yaml:5: [catalogue] no 'fr' text for 'no'",
        "test/messages.yaml:5: [catalogue] no 'de' text for 'no'",
    ]
    assert cat.keys_missing("fr") == ["no"] and cat.phrases("en") == {"yes": "yes", "no": "no"}
    with pytest.raises(FactError, match=r"test/messages\.yaml:5: \[catalogue\] no 'fr' text for 'no'"):
        cat.phrases("fr")
    with pytest.raises(FactError, match=r"test/messages\.yaml:2: \[catalogue\] no 'de' text for 'yes'"):
        cat.text("yes", "de")


def test_plural_and_precision_mappings_are_texts():
    cat = _parse(
        "unit.day:\n  en: {one: '{n} day', other: '{n} days'}\n  ja: '{n}日'\n"
        "as-of:\n  en: {day: 'on {date}', month: 'in {date}', year: 'in {date}', undated: 'undated'}\n"
        "  ja: '{date}時点'\n"
    )
    assert cat.text("unit.day", "en") == {"one": "{n} day", "other": "{n} days"}
    assert cat.missing(["en", "ja"]) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "a:\n  en: {one: '{n} day'}\n",
            "test/messages.yaml:2: [catalogue] 'a' in 'en': a text by plural category needs 'other'",
        ),
        (
            "a:\n  en: 'x'\n  fr: {day: '{date}', month: '{date}'}\n",
            "test/messages.yaml:3: [catalogue] 'a' in 'fr': a text by date precision needs year too",
        ),
        (
            "a:\n  en: '{amount} a year'\n  fr: '{montant} par an'\n",
            "test/messages.yaml:1: [catalogue] 'a' in 'fr' has placeholders {montant} where 'en' has {amount}",
        ),
        ("a: just a text\n", "test/messages.yaml:1: [catalogue] 'a' must map each language to its text"),
        ("a:\n  EN: x\n", "test/messages.yaml:2: [catalogue] 'a': 'EN' is not a language code"),
        (
            "a:\n  no: x\n",
            "test/messages.yaml:2: [catalogue] 'a': False is not a language code (en, ja, fr; "
            "quote 'no', 'yes', 'on', 'off'",
        ),
        ("yes:\n  en: x\n", "test/messages.yaml:1: [catalogue] the key True is not a name: write it in quotes"),
        ("a:\n  en: '{amount'\n", "test/messages.yaml:2: [catalogue] 'a' in 'en': not a valid template"),
        ("a:\n  en: [to, 3]\n", "test/messages.yaml:2: [catalogue] 'a' in 'en': a list holds words (strings) only"),
        ("- a\n- b\n", "test/messages.yaml:1: [catalogue] a catalogue is a mapping of keys to languages to texts"),
    ],
)
def test_a_malformed_entry_is_a_catalogue_problem_at_its_line(text, expected):
    assert any(p.startswith(expected) for p in _problems(text)), _problems(text)


def test_every_problem_of_a_file_is_reported_at_once():
    problems = _problems("a:\n  en: {one: x}\nb: text\nc:\n  en: '{x}'\n  fr: '{y}'\n")
    assert [p.split(": [")[0] for p in problems] == [
        "test/messages.yaml:2",
        "test/messages.yaml:3",
        "test/messages.yaml:4",
    ], problems


@pytest.mark.parametrize(
    "text, line", [("a:\n\ten: x\n", 2), ("a:\n  en: x\n   fr: y\n", 3), ("a:\n  en: x\na:\n  en: y\n", 3)]
)
def test_a_file_that_is_not_yaml_is_a_yaml_problem_at_its_line(text, line):
    (problem, *_) = _problems(text)
    assert re.match(rf"test/messages\.yaml:{line}(:\d+)?: \[(yaml|duplicate-key)\]", problem), problem


def test_a_catalogue_file_is_read_again_once_edited(tmp_path):
    path = tmp_path / "messages.yaml"
    path.write_text("a:\n  en: x\n", "utf-8")
    assert Catalogue.load(path).text("a", "en") == "x"
    path.write_text("a:\n  en: xyz\n  fr: y\n", "utf-8")
    assert Catalogue.load(path).text("a", "fr") == "y"
    path.write_bytes("a:\n  fr: é\n".encode("latin-1"))
    with pytest.raises(FactError, match=r"messages\.yaml:2: \[encoding\]"):
        Catalogue.load(path)


# --- the project's catalogues ----------------------------------------------------------------------
def test_the_project_catalogues_are_complete_in_the_site_languages():
    assert catalogue.check(["en", "ja", "fr"]) == []
    assert [catalogue.of_package(p).shown for p in catalogue.PACKAGES] == list(CATALOGUES)


def test_the_engine_the_book_and_the_site_report_a_missing_language_by_file_not_key_error():
    from factengine.render import message
    from printbook import BookError, messages
    from sitemeta import SiteError, notfound

    with pytest.raises(FactError, match=r"factengine/messages\.yaml:\d+: \[catalogue\] no 'de' text for 'retired'"):
        message("retired", "de")
    with pytest.raises(BookError, match=r"printbook/messages\.yaml: no 'de' text for edition, language"):
        messages("de")
    with pytest.raises(
        SiteError,
        match=r"sitemeta/messages\.yaml: the colour-scheme toggle has no palette\.default "
        r"\(line \d+\), palette\.slate \(line \d+\) in 'de'",
    ):
        notfound.palette_names("de")  # was an empty mapping: Material's single English name, silently
    assert notfound.palette_names("fr") == {"default": "Passer en mode sombre", "slate": "Passer en mode clair"}
    assert notfound.words("ja")["home"] == "ホームページへ"


# --- the literal finder's words ---------------------------------------------------------------------
@pytest.fixture
def german_words(monkeypatch):
    """The engine's catalogue with German units, currency words and range word added, as a
    translator adds them: in messages.yaml alone."""
    path = ROOT / "factengine" / "messages.yaml"
    text = (
        path.read_text("utf-8")
        .replace(
            'unit.day:\n  en: {one: "{n} day", other: "{n} days"}\n',
            'unit.day:\n  en: {one: "{n} day", other: "{n} days"}\n  de: {one: "{n} Tag", other: "{n} Tage"}\n',
        )
        .replace("range-words:\n", "range-words:\n  de: [bis]\n")
        .replace("money-words:\n", "money-words:\n  de: [Franken]\n")
    )
    german = Catalogue.parse(text, "factengine/messages.yaml")
    caches = (literals.money_pattern, literals.range_join, literals._duration_pattern)
    for cache in caches:
        cache.cache_clear()
    monkeypatch.setattr(catalogue, "engine", lambda: german)
    yield
    monkeypatch.undo()
    for cache in caches:
        cache.cache_clear()


def test_a_new_languages_words_come_from_the_catalogue(german_words):
    assert [d[1:] for d in literals.durations("Es dauert 3 bis 5 Tage.")] == [(3, 5, "day")]
    assert [m for _, m in literals.money("Es kostet 49 Franken.")] == ["49 Franken"]
    # ... and the other languages' words and the symbols are found as before
    assert [m for _, m in literals.money("4,900円, 49 euros, ¥5,900")] == ["4,900円", "49 euros", "¥5,900"]


def test_the_catalogues_words_are_found_in_prose():
    words = catalogue.engine().entries
    for language, listed in words["money-words"].items():
        for word in listed:
            assert [m for _, m in literals.money(f"x 12 {word} y")] == [f"12 {word}"], (language, word)
    for language, listed in words["range-words"].items():
        for word in listed:
            assert [d[1:3] for d in literals.durations(f"x 3 {word} 5 days")] == [(3, 5)], (language, word)
    # the renderer's Japanese amount in euros ("49ユーロ") is what readers write too
    assert [m for _, m in literals.money("料金は49ユーロです。")] == ["49ユーロ"]


# --- a fourth language ------------------------------------------------------------------------------
def test_a_fourth_language_lists_every_missing_piece_in_one_run(site: Site):
    site.replace("facts/registry.yaml", "languages: [en, ja, fr]", "languages: [en, ja, fr, de]")
    run = site.factcheck("--no-cache")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and "KeyError" not in run.stdout + run.stderr
    lines = set(run.stdout.splitlines())
    # every key of every catalogue, at its line
    for rel in CATALOGUES:
        keys = _keys_and_lines(rel)
        assert keys, rel
        for key, number in keys.items():
            assert f"{rel}:{number}: [catalogue] no 'de' text for '{key}'" in lines, (rel, key)
    # every article's missing version
    for article in ("guide", "index"):
        assert any(
            line.startswith(f"docs/{article}.en.md:1: [missing-translation] no de version of '{article}.md'")
            for line in lines
        ), article
    # every text of the registry that must be in each language, at its line
    registry_lines = {line for line in lines if line.startswith("facts/registry.yaml:")}
    for needle in ("purpose: {en: old line", "purpose: {en: a line", "gloss:", "title: {en:", "event:"):
        number = site.line_of("facts/registry.yaml", needle)
        assert any(
            line.startswith(f"facts/registry.yaml:{number}: [schema]") and "missing text for language(s): de" in line
            for line in registry_lines
        ), (needle, registry_lines)
    # nothing else, and nothing about the three languages that are complete
    assert {re.search(r"\[([\w-]+)\]", line).group(1) for line in lines} == {
        "catalogue",
        "missing-translation",
        "schema",
    }
    assert all("'de'" in line or " de" in line or "de " in line for line in lines), lines


def test_a_language_babel_does_not_know_is_named_at_the_registrys_line(site: Site):
    site.replace("facts/registry.yaml", "languages: [en, ja, fr]", "languages: [en, ja, fr, xx]")
    run = site.factcheck("--no-cache")
    number = site.line_of("facts/registry.yaml", "languages: [en, ja, fr, xx]")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert f"facts/registry.yaml:{number}: [language] Babel has no CLDR data for 'xx'" in run.stdout, run.stdout
