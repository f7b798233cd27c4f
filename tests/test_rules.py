"""Every validation rule, one defect at a time, through both front doors.

Each case copies the clean fixture site, injects exactly one defect and expects
both the standalone check and ``mkdocs build --strict`` to fail, reporting
``path:line: [rule]`` for it, with no traceback and no site written.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Callable

import pytest

from conftest import Site

REG = "facts/registry.yaml"
EN, JA, FR = "docs/guide.en.md", "docs/guide.ja.md", "docs/guide.fr.md"


@dataclasses.dataclass
class Defect:
    name: str
    inject: Callable[[Site], None]
    rule: str
    path: str
    needle: str | None  # the text on the reported line; None: line 1

    def expected(self, site: Site) -> re.Pattern:
        """``path:line: [rule]`` (a column may follow the line)."""
        line = site.line_of(self.path, self.needle) if self.needle else 1
        return re.compile(rf"^{re.escape(self.path)}:{line}(:\d+)?: \[{re.escape(self.rule)}\]", re.M)


def _in_all(site: Site, old: str, new: str):
    for rel in (EN, JA, FR):
        site.replace(rel, old, new)


def _merge_steps(site: Site):
    site.replace(FR, "1. Ouvrez {{ url.help }}.\n2. Payez", "1. Ouvrez {{ url.help }}, puis payez")


def _reorder_steps(site: Site):
    text = site.read(JA)
    one = "1. {{ url.help }}を開きます。"
    two = "2. {{ money.annual }}を支払うか、{{ label.end }}を確認します。"
    site.write(JA, text.replace(one, "@@").replace(two, one.replace("1.", "2.")).replace("@@", two.replace("2.", "1.")))


def _latin1(site: Site):
    text = site.read(FR)
    site.file(FR).write_bytes(text.encode("latin-1", errors="replace"))


DEFECTS = [
    Defect("malformed YAML", lambda s: s.replace(REG, "amount: 5900", "amount: [5900"),
           "yaml", REG, "currency: JPY"),
    Defect("unknown fact id", lambda s: s.replace(FR, "Attendez {{ duration.refund }}", "Attendez {{ duration.refunds }}"),
           "unknown-fact", FR, "duration.refunds"),
    Defect("invalid phone number", lambda s: s.replace(REG, "number: 01 23 45 67 89", "number: 01 23 45"),
           "invalid-phone", REG, "number: 01 23 45"),
    Defect("missing source", lambda s: s.replace(REG, "    currency: EUR\n    period: month\n    tax: included\n    sources: [seed]",
                                                  "    currency: EUR\n    period: month\n    tax: included\n    sources: []"),
           "missing-source", REG, "sources: []"),
    Defect("bad date", lambda s: s.replace(REG, "valid_from: 2023-08-24", "valid_from: 2023-02-30"),
           "bad-date", REG, "valid_from: 2023-02-30"),
    Defect("duplicate id", lambda s: s.write(REG, s.read(REG) + "  money.fr:  # again\n    kind: money\n"),
           "duplicate-id", REG, "# again"),
    Defect("unknown source", lambda s: s.replace(REG, "    min: 3\n    max: 5\n    unit: business-day\n    sources: [seed]",
                                                  "    min: 3\n    max: 5\n    unit: business-day\n    sources: [nowhere]"),
           "unknown-source", REG, "sources: [nowhere]"),
    Defect("a fact used in one language only", lambda s: s.replace(JA, "フランスでは{{ money.fr }}です", "フランスでは別料金です"),
           "fact-set", EN, "in France {{ money.fr }}"),
    Defect("hand-written phone number (full-width)", lambda s: s.replace(JA, "[ホーム](index.md)", "旧番号は０１２０－９９９－３７３でした。[ホーム](index.md)"),
           "hand-written-phone", JA, "０１２０"),
    Defect("hand-written phone number (international)", lambda s: s.replace(EN, "Back to", "Or dial +81 120 999 373. Back to"),
           "hand-written-phone", EN, "+81 120 999 373"),
    Defect("hand-written price (French decimal comma)", lambda s: s.replace(FR, "Retour à", "Le tarif était de 49,90\u00a0€. Retour à"),
           "hand-written-money", FR, "49,90"),
    Defect("hand-written price (yen)", lambda s: s.replace(JA, "[ホーム](index.md)", "年会費は5,900円です。[ホーム](index.md)"),
           "hand-written-money", JA, "5,900円"),
    Defect("hand-written price (¥)", lambda s: s.replace(EN, "Back to", "It cost ¥4,900. Back to"),
           "hand-written-money", EN, "¥4,900"),
    Defect("hand-written duration equal to a fact", lambda s: s.replace(FR, "Retour à", "Comptez 3 à 5 jours ouvrés. Retour à"),
           "hand-written-duration", FR, "3 à 5 jours ouvrés"),
    Defect("a step merged in one language", _merge_steps, "procedure-steps", FR, "1. Ouvrez"),
    Defect("steps reordered in one language", _reorder_steps, "procedure-steps", JA, "1. {{ money.annual }}"),
    Defect("procedure step references differ per language",
           lambda s: s.replace(REG, 'ja: "{{ label.end }}を選びます。"', 'ja: "終了を選びます。"'),
           "procedure-steps", REG, "- {en: \"Choose"),
    Defect("a procedure step telling the reader to call a retired number",
           lambda s: s.replace(REG, 'fr: "Ouvrez les paramètres."', 'fr: "Appelez le {{ call phone.retired }}."'),
           "retired-call", REG, "Appelez le {{ call phone.retired }}"),
    Defect("a cited source that does not exist", lambda s: _in_all(s, "{{ history phone.retired }}", "{{ cite nowhere }}"),
           "unknown-source", EN, "{{ cite nowhere }}"),
    Defect("validity of a fact that has none", lambda s: _in_all(s, "{{ history phone.retired }}", "{{ validity money.fr }}"),
           "bad-reference", EN, "{{ validity money.fr }}"),
    Defect("internal link missing in one language", lambda s: s.replace(FR, "Retour à [l’accueil](index.md).", "Fin."),
           "internal-links", EN, "[the home page](index.md)"),
    Defect("call aimed at a retired number", lambda s: _in_all(s, "{{ history phone.retired }}", "{{ call phone.retired }}"),
           "retired-call", EN, "{{ call phone.retired }}"),
    Defect("a missing translation", lambda s: s.file(JA).unlink(), "missing-translation", EN, None),
    Defect("a non-UTF-8 file", _latin1, "encoding", FR, "tapes"),
    Defect("an empty page", lambda s: s.write(JA, "---\ntitle: ガイド\n---\n\n"), "empty-page", JA, None),
    Defect("a malformed reference", lambda s: s.replace(EN, "Back to", "See {{ call the phone }}. Back to"),
           "bad-reference", EN, "{{ call the phone }}"),
    Defect("a list-rendering reference inside a sentence", lambda s: _in_all(s, "{{ history phone.retired }}", "Old: {{ history phone.retired }}"),
           "bad-reference", EN, "Old: {{ history"),
    Defect("a source without a language suffix", lambda s: s.write("docs/extra.md", "# Extra\n"),
           "language-suffix", "docs/extra.md", None),
    Defect("a stale fact where stale facts are errors",
           lambda s: s.replace(REG, "stale_after_days: 3650\n  stale: warning", "stale_after_days: 30\n  stale: error"),
           "stale-fact", REG, "as_of: 2023-08-10"),
]


def _unprefixed(output: str) -> str:
    """MkDocs prefixes its log lines with 'ERROR    -  '."""
    return re.sub(r"^[A-Z]+ +-  ", "", output, flags=re.M)


@pytest.mark.parametrize("defect", DEFECTS, ids=[d.name for d in DEFECTS])
def test_defect_fails_check_and_build(site: Site, defect: Defect):
    defect.inject(site)
    expected = defect.expected(site)

    check = site.factcheck()
    assert check.returncode == 1, check.stdout + check.stderr
    assert expected.search(check.stdout), f"expected {expected.pattern!r} in:\n{check.stdout}"
    assert "Traceback" not in check.stderr

    build = site.build()
    output = build.stdout + build.stderr
    assert build.returncode != 0, output
    assert expected.search(_unprefixed(output)), f"expected {expected.pattern!r} in:\n{output}"
    assert "Traceback" not in output
    assert not (site.path / "site").exists(), "a failed validation must not leave a half-written site"


def test_clean_fixture_passes_check_and_build(site: Site):
    check = site.factcheck()
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout == ""
    build = site.build()
    assert build.returncode == 0, build.stdout + build.stderr
    for lang in ("", "ja/", "fr/"):
        assert (site.path / "site" / lang / "guide" / "index.html").is_file()


def test_all_problems_are_reported_in_one_run(site: Site):
    for defect in DEFECTS:
        if defect.name in ("unknown fact id", "a step merged in one language", "hand-written price (French decimal comma)",
                           "a missing translation"):
            defect.inject(site)
    code, report = site.factcheck_json()
    assert code == 1
    rules = {d["rule"] for d in report["diagnostics"]}
    assert {"unknown-fact", "procedure-steps", "hand-written-money", "missing-translation"} <= rules


def test_json_report_names_fact_and_languages(site: Site):
    _in_all(site, "{{ history phone.retired }}", "{{ call phone.retired }}")
    site.replace(JA, "フランスでは{{ money.fr }}です", "フランスでは別料金です")
    site.replace(FR, "et en France de {{ money.fr }}", "et en France, d’un autre montant")
    code, report = site.factcheck_json()
    assert code == 1 and report["ok"] is False
    calls = [d for d in report["diagnostics"] if d["rule"] == "retired-call"]
    assert sorted(d["languages"][0] for d in calls) == ["en", "fr", "ja"]
    assert {d["fact"] for d in calls} == {"phone.retired"}
    (fact_set,) = [d for d in report["diagnostics"] if d["rule"] == "fact-set"]
    assert fact_set["fact"] == "money.fr" and fact_set["languages"] == ["en", "ja", "fr"]
    assert "referenced in en but not in ja, fr" in fact_set["message"]


def test_yaml_error_reports_line_and_column(site: Site):
    site.replace(REG, "    kind: money\n    marketplace: amazon.co.jp", "    kind: [money\n    marketplace: amazon.co.jp")
    run = site.factcheck()
    line = [l for l in run.stdout.splitlines() if "[yaml]" in l]
    assert len(line) == 1
    path, number, column = line[0].split(":")[:3]
    assert path == REG and int(number) > 0 and int(column) > 0


def test_stale_fact_is_a_warning_by_default(site: Site):
    site.replace(REG, "stale_after_days: 3650", "stale_after_days: 30")
    check = site.factcheck()
    assert check.returncode == 0
    assert "[stale-fact] warning:" in check.stdout
    assert "'date.increase'" not in check.stdout  # a past event does not go stale
    build = site.build()
    assert build.returncode == 0, build.stdout + build.stderr
    assert "[stale-fact] warning:" in build.stderr


def test_awaiting_translation_publishes_a_notice_in_the_readers_language(site: Site):
    site.write(JA, "---\ntitle: ガイド\ndescription: 翻訳待ち\ntranslation: awaiting\n---\n")
    assert site.factcheck().returncode == 0
    build = site.build()
    assert build.returncode == 0, build.stdout + build.stderr
    page = (site.path / "site" / "ja" / "guide" / "index.html").read_text("utf-8")
    assert "このページはまだ日本語に翻訳されていません。" in page
    assert 'href="../../guide/"' in page
    assert "Call" not in page  # no English text served under /ja/


def test_static_i18n_fallback_must_stay_off(site: Site):
    site.replace("mkdocs.yml", "fallback_to_default: false", "fallback_to_default: true")
    build = site.build()
    assert build.returncode != 0
    assert "mkdocs.yml:1: [site-config]" in build.stderr
