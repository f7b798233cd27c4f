"""The registry's schema and its line-accurate errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from factengine import FactError, Registry

HEAD = textwrap.dedent("""\
    site: {languages: [en, ja, fr], default_language: en}
    marketplaces:
      amazon.co.jp: {region: JP, language: ja, name: Amazon.co.jp}
    sources:
      s: {title: T, language: en, date: 2020-02}
    facts:
    """)


def load(tmp_path, facts: str):
    path = tmp_path / "registry.yaml"
    path.write_text(HEAD + textwrap.indent(textwrap.dedent(facts), "  "), "utf-8")
    return Registry.load(path)


def errors(tmp_path, facts: str) -> list:
    with pytest.raises(FactError) as info:
        load(tmp_path, facts)
    return info.value.diagnostics


def test_a_valid_fact_of_each_kind_loads(tmp_path):
    registry = load(
        tmp_path,
        """\
        p: {kind: phone, marketplace: amazon.co.jp, number: 0120-999-373, tariff: toll-free, status: active,
            purpose: {en: a, ja: b, fr: c}, sources: [s], as_of: 2023-08-24}
        m: {kind: money, marketplace: amazon.co.jp, amount: 600, currency: JPY, period: month, tax: included,
            sources: [s], as_of: 2023}
        d: {kind: duration, marketplace: amazon.co.jp, min: 3, unit: day, sources: [s], as_of: 2023-08}
        t: {kind: date, marketplace: amazon.co.jp, date: 2023-08-24, event: {en: a, ja: b, fr: c}, sources: [s], as_of: 2023}
        u: {kind: url, marketplace: amazon.co.jp, url: "https://www.amazon.co.jp/", title: {en: a, ja: b, fr: c},
            sources: [s], as_of: 2023}
        l: {kind: label, marketplace: amazon.co.jp, text: 更新、キャンセルなど, language: ja, gloss: {en: a, fr: c},
            sources: [s], as_of: 2023}
        r: {kind: procedure, marketplace: amazon.co.jp, steps: [{en: "a {{ l }}", ja: "b {{ l }}", fr: "c {{ l }}"}],
            sources: [s], as_of: 2023}
        """,
    )
    assert [f.kind for f in registry.facts.values()] == [
        "phone",
        "money",
        "duration",
        "date",
        "url",
        "label",
        "procedure",
    ]
    assert str(registry.facts["d"].as_of) == "2023-08"


@pytest.mark.parametrize(
    "fact, rule, words",
    [
        (
            "x: {kind: phone, marketplace: amazon.co.jp, number: '12', tariff: paid, status: active,\n"
            "    purpose: {en: a, ja: b, fr: c}, sources: [s], as_of: 2023}",
            "invalid-phone",
            "not a valid phone number",
        ),
        (
            "x: {kind: money, marketplace: amazon.co.jp, amount: 5, currency: YEN, period: year, tax: included,\n"
            "    sources: [s], as_of: 2023}",
            "schema",
            "ISO 4217",
        ),
        (
            "x: {kind: money, marketplace: amazon.fr, amount: 5, currency: EUR, period: year, tax: included,\n"
            "    sources: [s], as_of: 2023}",
            "schema",
            "unknown marketplace",
        ),
        (
            "x: {kind: duration, marketplace: amazon.co.jp, min: 5, max: 3, unit: day, sources: [s], as_of: 2023}",
            "schema",
            "must be greater",
        ),
        (
            "x: {kind: duration, marketplace: amazon.co.jp, min: 5, unit: fortnight, sources: [s], as_of: 2023}",
            "schema",
            "unit",
        ),
        (
            "x: {kind: date, marketplace: amazon.co.jp, date: 2023-02-30, event: {en: a, ja: b, fr: c}, sources: [s], as_of: 2023}",
            "bad-date",
            "2023-02-30",
        ),
        (
            "x: {kind: date, marketplace: amazon.co.jp, date: 2023-08-01, event: {en: a, ja: b}, sources: [s], as_of: 2023}",
            "schema",
            "missing text for language(s): fr",
        ),
        (
            "x: {kind: label, marketplace: amazon.co.jp, text: 解約, language: ja, gloss: {en: cancel}, sources: [s], as_of: 2023}",
            "schema",
            "fr",
        ),
        (
            "x: {kind: url, marketplace: amazon.co.jp, url: 'http://insecure.example', title: {en: a, ja: b, fr: c},\n"
            "    sources: [s], as_of: 2023}",
            "schema",
            "url",
        ),
        (
            "x: {kind: duration, marketplace: amazon.co.jp, min: 1, unit: day, sources: [], as_of: 2023}",
            "missing-source",
            "sources",
        ),
        (
            "x: {kind: duration, marketplace: amazon.co.jp, min: 1, unit: day, as_of: 2023}",
            "missing-source",
            "required",
        ),
        (
            "x: {kind: duration, marketplace: amazon.co.jp, min: 1, unit: day, sources: [t], as_of: 2023}",
            "unknown-source",
            "'t'",
        ),
        ("x: {kind: duration, marketplace: amazon.co.jp, min: 1, unit: day, sources: [s]}", "schema", "as_of"),
        (
            "x: {kind: duration, marketplace: amazon.co.jp, min: 1, unit: day, sources: [s], as_of: 2023, colour: red}",
            "schema",
            "colour",
        ),
        ("x: {kind: rumour, marketplace: amazon.co.jp, sources: [s], as_of: 2023}", "schema", "rumour"),
        (
            "Bad_Id: {kind: duration, marketplace: amazon.co.jp, min: 1, unit: day, sources: [s], as_of: 2023}",
            "schema",
            "Bad_Id",
        ),
        (
            "x: {kind: phone, marketplace: amazon.co.jp, number: 0120-999-373, tariff: paid, status: active, retired_on: 2020,\n"
            "    purpose: {en: a, ja: b, fr: c}, sources: [s], as_of: 2023}",
            "schema",
            "retired_on",
        ),
    ],
)
def test_bad_fact_is_reported_at_its_line(tmp_path, fact, rule, words):
    problems = errors(tmp_path, fact)
    assert any(p.rule == rule and words in p.message for p in problems), [str(p) for p in problems]
    fact_line = HEAD.count("\n") + 1
    assert all(fact_line <= p.line <= fact_line + 1 for p in problems), [str(p) for p in problems]


def test_undated_source_needs_a_note(tmp_path):
    path = tmp_path / "registry.yaml"
    path.write_text(HEAD.replace("date: 2020-02", "url: https://example.org/"), "utf-8")
    with pytest.raises(FactError) as info:
        Registry.load(path)
    assert "date_note" in str(info.value)


def test_all_schema_errors_are_reported_together(tmp_path):
    problems = errors(
        tmp_path,
        """\
        a: {kind: duration, marketplace: amazon.co.jp, min: 1, unit: day, sources: [], as_of: 2023}
        b: {kind: duration, marketplace: amazon.co.jp, min: 1, unit: day, sources: [s], as_of: 2023-13}
        """,
    )
    assert {p.rule for p in problems} == {"missing-source", "bad-date"}
    assert sorted(p.line for p in problems) == [7, 8]


def test_duplicate_id_names_both_lines(tmp_path):
    problems = errors(
        tmp_path,
        """\
        a: {kind: duration, marketplace: amazon.co.jp, min: 1, unit: day, sources: [s], as_of: 2023}
        a: {kind: duration, marketplace: amazon.co.jp, min: 2, unit: day, sources: [s], as_of: 2023}
        """,
    )
    (problem,) = problems
    assert (problem.rule, problem.line) == ("duplicate-id", 8)
    assert "first at line 7" in problem.message


def test_malformed_yaml_reports_line_and_column(tmp_path):
    path = tmp_path / "registry.yaml"
    path.write_text(HEAD + "  a: {kind: duration\n  b: 1\n", "utf-8")
    with pytest.raises(FactError) as info:
        Registry.load(path)
    (problem,) = info.value.diagnostics
    assert problem.rule == "yaml" and problem.line == 8 and problem.column == 4


def test_non_utf8_registry(tmp_path):
    path = tmp_path / "registry.yaml"
    path.write_bytes(HEAD.encode() + "  é: 1\n".encode("latin-1"))
    with pytest.raises(FactError) as info:
        Registry.load(path)
    (problem,) = info.value.diagnostics
    assert (problem.rule, problem.line) == ("encoding", 7)


def test_the_checker_reads_the_registry_again_only_when_a_file_changes(tmp_path):
    from factengine import Checker, Project

    (tmp_path / "facts").mkdir()
    (tmp_path / "docs").mkdir()
    path = tmp_path / "facts" / "registry.yaml"
    path.write_text(HEAD, "utf-8")
    checker, project = Checker(), Project(tmp_path)
    first, _ = checker.registry(project)
    assert checker.registry(project)[0] is first
    path.write_text(HEAD.replace("title: T", "title: Another title"), "utf-8")
    assert checker.registry(project)[0].sources["s"].title == "Another title"
    (tmp_path / "facts" / "more.yaml").write_text("sources:\n  t: {title: U, language: en, date: 2021}\n", "utf-8")
    assert "t" in checker.registry(project)[0].sources


def test_facts_may_live_in_several_files_of_one_registry(tmp_path):
    path = tmp_path / "registry.yaml"
    path.write_text(
        HEAD + "  d: {kind: duration, marketplace: amazon.co.jp, min: 3, unit: day, sources: [s], as_of: 2023}\n",
        "utf-8",
    )
    (tmp_path / "scams.yaml").write_text(
        textwrap.dedent("""\
        sources:
          agency: {title: An agency, name: the agency, language: ja, date: 2024-05}
        facts:
          e: {kind: email, marketplace: amazon.co.jp, address: info@example.org, purpose: {en: a, ja: b, fr: c},
              sources: [agency], as_of: 2024-05}
          p: {kind: phone, marketplace: amazon.co.jp, number: "188", tariff: paid, status: active,
              purpose: {en: a, ja: b, fr: c}, sources: [agency, s], as_of: 2024-05}
        """),
        "utf-8",
    )
    registry = Registry.load(path)
    assert set(registry.facts) == {"d", "e", "p"}
    assert registry.facts["p"].short and registry.phone_key(registry.facts["p"]) == "JP 188"
    assert registry.where("facts", "e", "address") == (str(tmp_path / "scams.yaml"), 4)


def test_an_id_defined_in_two_files_names_both(tmp_path):
    path = tmp_path / "registry.yaml"
    path.write_text(
        HEAD + "  d: {kind: duration, marketplace: amazon.co.jp, min: 3, unit: day, sources: [s], as_of: 2023}\n",
        "utf-8",
    )
    (tmp_path / "other.yaml").write_text(
        "facts:\n  d: {kind: duration, marketplace: amazon.co.jp, min: 4, unit: day,"
        " sources: [s], as_of: 2023}\nsite: {}\n",
        "utf-8",
    )
    with pytest.raises(FactError) as info:
        Registry.load(path)
    rules = sorted((d.rule, Path(d.path).name, d.line) for d in info.value.diagnostics)
    assert rules == [("duplicate-id", "other.yaml", 2), ("schema", "other.yaml", 3)]
    assert "first in" in info.value.diagnostics[0].message or "first in" in info.value.diagnostics[1].message


@pytest.mark.parametrize("number, valid", [("188", True), ("#9110", True), ("12", False), ("188188", False)])
def test_short_numbers_are_checked_for_their_shape(tmp_path, number, valid):
    facts = (
        f'p: {{kind: phone, marketplace: amazon.co.jp, number: "{number}", tariff: paid, status: active,\n'
        f"    purpose: {{en: a, ja: b, fr: c}}, sources: [s], as_of: 2024}}\n"
    )
    if valid:
        assert load(tmp_path, facts).facts["p"].short
    else:
        assert [d.rule for d in errors(tmp_path, facts)] == ["invalid-phone"]
