"""Every validation rule, one defect at a time, through both front doors.

Each case copies the clean fixture site, injects exactly one defect and expects
both the standalone check and ``mkdocs build --strict`` to fail, reporting
``path:line: [rule]`` for it, with no traceback and no site written.

The check is ``factcheck``'s own function run in this process (``make test-fast``); the
builds (marked ``slow``: ``make test`` only) are MkDocs' command line, one build per
defect site, all of them in one Python process (tests/build_many.py); the commands
themselves, as separate processes, are run on one defect.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from conftest import ENV, Site, copy_site

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


def _shift_jis_registry(site: Site):
    text = site.read(REG).replace("purpose: {en: old line, ja: 旧番号,", "purpose: {en: old line, ja: 旧番号です,")
    site.file(REG).write_bytes(text.encode("shift_jis", errors="replace"))


def _symlink_out(site: Site):
    (site.path / "docs" / "notes.png").symlink_to("/etc/passwd")


def _alias_bomb(site: Site):
    bomb = "  lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"  lol{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, "
        f"*a{i - 1}, *a{i - 1}, *a{i - 1}]\n"
        for i in range(1, 12)
    )
    site.replace(REG, "marketplaces:\n", "bomb:\n" + bomb + "marketplaces:\n")


def _in_step(site: Site, reference: str):
    site.replace(REG, 'fr: "Ouvrez les paramètres."', f'fr: "Ouvrez les paramètres {reference}."')


DEFECTS = [
    Defect("malformed YAML", lambda s: s.replace(REG, "amount: 5900", "amount: [5900"), "yaml", REG, "currency: JPY"),
    Defect(
        "unknown fact id",
        lambda s: s.replace(FR, "Attendez {{ duration.refund }}", "Attendez {{ duration.refunds }}"),
        "unknown-fact",
        FR,
        "duration.refunds",
    ),
    Defect(
        "invalid phone number",
        lambda s: s.replace(REG, "number: 01 23 45 67 89", "number: 01 23 45"),
        "invalid-phone",
        REG,
        "number: 01 23 45",
    ),
    Defect(
        "missing source",
        lambda s: s.replace(
            REG,
            "    currency: EUR\n    period: month\n    tax: included\n    sources: [seed]",
            "    currency: EUR\n    period: month\n    tax: included\n    sources: []",
        ),
        "missing-source",
        REG,
        "sources: []",
    ),
    Defect(
        "bad date",
        lambda s: s.replace(REG, "valid_from: 2023-08-24", "valid_from: 2023-02-30"),
        "bad-date",
        REG,
        "valid_from: 2023-02-30",
    ),
    Defect(
        "duplicate id",
        lambda s: s.write(REG, s.read(REG) + "  money.fr:  # again\n    kind: money\n"),
        "duplicate-id",
        REG,
        "# again",
    ),
    Defect(
        "unknown source",
        lambda s: s.replace(
            REG,
            "    min: 3\n    max: 5\n    unit: business-day\n    sources: [seed]",
            "    min: 3\n    max: 5\n    unit: business-day\n    sources: [nowhere]",
        ),
        "unknown-source",
        REG,
        "sources: [nowhere]",
    ),
    Defect(
        "a fact used in one language only",
        lambda s: s.replace(JA, "フランスでは{{ money.fr }}です", "フランスでは別料金です"),
        "fact-set",
        EN,
        "in France {{ money.fr }}",
    ),
    Defect(
        "hand-written phone number (full-width)",
        lambda s: s.replace(JA, "[ホーム](index.md)", "旧番号は０１２０－９９９－３７３でした。[ホーム](index.md)"),
        "hand-written-phone",
        JA,
        "０１２０",
    ),
    Defect(
        "hand-written phone number (international)",
        lambda s: s.replace(EN, "Back to", "Or dial +81 120 999 373. Back to"),
        "hand-written-phone",
        EN,
        "+81 120 999 373",
    ),
    Defect(
        "hand-written price (French decimal comma)",
        lambda s: s.replace(FR, "Retour à", "Le tarif était de 49,90\u00a0€. Retour à"),
        "hand-written-money",
        FR,
        "49,90",
    ),
    Defect(
        "hand-written price (yen)",
        lambda s: s.replace(JA, "[ホーム](index.md)", "年会費は5,900円です。[ホーム](index.md)"),
        "hand-written-money",
        JA,
        "5,900円",
    ),
    Defect(
        "hand-written price (¥)",
        lambda s: s.replace(EN, "Back to", "It cost ¥4,900. Back to"),
        "hand-written-money",
        EN,
        "¥4,900",
    ),
    Defect(
        "hand-written duration equal to a fact",
        lambda s: s.replace(FR, "Retour à", "Comptez 3 à 5 jours ouvrés. Retour à"),
        "hand-written-duration",
        FR,
        "3 à 5 jours ouvrés",
    ),
    Defect("a step merged in one language", _merge_steps, "procedure-steps", FR, "1. Ouvrez"),
    Defect("steps reordered in one language", _reorder_steps, "procedure-steps", JA, "1. {{ money.annual }}"),
    Defect(
        "procedure step references differ per language",
        lambda s: s.replace(REG, 'ja: "{{ label.end }}を選びます。"', 'ja: "終了を選びます。"'),
        "procedure-steps",
        REG,
        '- {en: "Choose',
    ),
    Defect(
        "a procedure step telling the reader to call a retired number",
        lambda s: s.replace(REG, 'fr: "Ouvrez les paramètres."', 'fr: "Appelez le {{ call phone.retired }}."'),
        "retired-call",
        REG,
        "Appelez le {{ call phone.retired }}",
    ),
    Defect(
        "a cited source that does not exist",
        lambda s: _in_all(s, "{{ history phone.retired }}", "{{ cite nowhere }}"),
        "unknown-source",
        EN,
        "{{ cite nowhere }}",
    ),
    Defect(
        "validity of a fact that has none",
        lambda s: _in_all(s, "{{ history phone.retired }}", "{{ validity money.fr }}"),
        "bad-reference",
        EN,
        "{{ validity money.fr }}",
    ),
    Defect(
        "internal link missing in one language",
        lambda s: s.replace(FR, "Retour à [l’accueil](index.md).", "Fin."),
        "internal-links",
        EN,
        "[the home page](index.md)",
    ),
    Defect(
        "call aimed at a retired number",
        lambda s: _in_all(s, "{{ history phone.retired }}", "{{ call phone.retired }}"),
        "retired-call",
        EN,
        "{{ call phone.retired }}",
    ),
    Defect("a missing translation", lambda s: s.file(JA).unlink(), "missing-translation", EN, None),
    Defect("a non-UTF-8 file", _latin1, "encoding", FR, "tapes"),
    Defect("an empty page", lambda s: s.write(JA, "---\ntitle: ガイド\n---\n\n"), "empty-page", JA, None),
    Defect(
        "a malformed reference",
        lambda s: s.replace(EN, "Back to", "See {{ call the phone }}. Back to"),
        "bad-reference",
        EN,
        "{{ call the phone }}",
    ),
    Defect(
        "a list-rendering reference inside a sentence",
        lambda s: _in_all(s, "{{ history phone.retired }}", "Old: {{ history phone.retired }}"),
        "bad-reference",
        EN,
        "Old: {{ history",
    ),
    Defect(
        "a source without a language suffix",
        lambda s: s.write("docs/extra.md", "# Extra\n"),
        "language-suffix",
        "docs/extra.md",
        None,
    ),
    # -- issue 12: what a careless or hostile contributor could get past the build ------------------------
    Defect(
        "a retired number as a raw HTML tel: link",
        lambda s: s.replace(EN, "Back to", '<a href="tel:0120999373">call</a>. Back to'),
        "hand-written-phone",
        EN,
        'href="tel:0120999373"',
    ),
    Defect(
        "a Markdown tel: link",
        lambda s: s.replace(FR, "Retour à", "[Appelez-nous](tel:+33123456789). Retour à"),
        "hand-written-phone",
        FR,
        "tel:+33123456789",
    ),
    Defect(
        "a tel: link hidden behind character references",
        lambda s: s.replace(EN, "Back to", '<a href="&#116;&#101;l:0120999373">x</a>. Back to'),
        "hand-written-phone",
        EN,
        "&#116;&#101;l:",
    ),
    Defect(
        "an sms: link in an attribute list",
        lambda s: s.replace(EN, "Back to", '[text us](https://example.org){: href="sms:0612345678" }. Back to'),
        "hand-written-phone",
        EN,
        "sms:0612345678",
    ),
    Defect(
        "a phone number in the front matter description",
        lambda s: s.replace(FR, "description: Un fait de chaque sorte.", 'description: "Appelez le 01 23 45 67 89"'),
        "hand-written-phone",
        FR,
        'description: "Appelez',
    ),
    Defect(
        "a phone number in the title",
        lambda s: s.replace(JA, "title: ガイド", "title: ガイド（0120-999-373）"),
        "hand-written-phone",
        JA,
        "title: ガイド（",
    ),
    Defect(
        "a reference in the front matter, which is not rendered",
        lambda s: s.replace(EN, "description: One of every fact.", "description: The fee is {{ money.annual }}."),
        "bad-reference",
        EN,
        "description: The fee",
    ),
    Defect(
        "a phone number in image alt text",
        lambda s: s.replace(EN, "Back to", "![Call 0120-999-373](shot.png). Back to"),
        "hand-written-phone",
        EN,
        "![Call 0120",
    ),
    Defect(
        "a phone number in a link title",
        lambda s: s.replace(EN, "Back to", '[help](https://example.org "call 0120-999-373"). Back to'),
        "hand-written-phone",
        EN,
        '"call 0120-999-373"',
    ),
    Defect(
        "a phone number in an HTML title attribute",
        lambda s: s.replace(
            JA, "[ホーム](index.md)", '<abbr title="０１２０−９９９−３７３">窓口</abbr>[ホーム](index.md)'
        ),
        "hand-written-phone",
        JA,
        "<abbr title=",
    ),
    Defect(
        "a phone number in inline code, which readers see",
        lambda s: s.replace(EN, "Back to", "Dial `0120-999-373`. Back to"),
        "hand-written-phone",
        EN,
        "Dial `0120",
    ),
    Defect(
        "a phone number split by emphasis",
        lambda s: s.replace(EN, "Back to", "Dial 0120-**999**-373. Back to"),
        "hand-written-phone",
        EN,
        "Dial 0120-**",
    ),
    Defect(
        "a phone number split by a tag",
        lambda s: s.replace(EN, "Back to", "Dial 0120<b>999</b>373. Back to"),
        "hand-written-phone",
        EN,
        "Dial 0120<b>",
    ),
    Defect(
        "a phone number in kanji digits",
        lambda s: s.replace(JA, "[ホーム](index.md)", "〇一二〇・九九九・三七三へ。[ホーム](index.md)"),
        "hand-written-phone",
        JA,
        "〇一二〇",
    ),
    Defect(
        "a reference in code, which is not rendered",
        lambda s: s.replace(EN, "Back to", "Write `{{ money.annual }}`. Back to"),
        "bad-reference",
        EN,
        "Write `{{",
    ),
    Defect(
        "a reference in a link's address",
        lambda s: _in_all(s, "{{ url.help }}", "[help]({{ url.help }})"),
        "bad-reference",
        EN,
        "[help]({{ url.help }})",
    ),
    Defect(
        "a reference in an HTML attribute",
        lambda s: s.replace(EN, "Back to", '<span title="{{ money.annual }}">fee</span>. Back to'),
        "bad-reference",
        EN,
        '<span title="{{',
    ),
    Defect(
        "a local file as an attachment of the book",
        lambda s: s.replace(EN, "Back to", '<a rel="attachment" href="file:///etc/passwd">x</a>. Back to'),
        "local-file",
        EN,
        'rel="attachment"',
    ),
    Defect(
        "a local file as a link element",
        lambda s: s.replace(FR, "Retour à", '<link rel="attachment" href="file:///etc/hostname">Retour à'),
        "local-file",
        FR,
        "<link rel=",
    ),
    Defect(
        "a local file as an image",
        lambda s: s.replace(EN, "Back to", "![x](file:///etc/passwd). Back to"),
        "local-file",
        EN,
        "![x](file:",
    ),
    Defect(
        "a local file through CSS",
        lambda s: s.replace(EN, "Back to", '<p style="background: url(file:///etc/passwd)">x</p>\n\nBack to'),
        "local-file",
        EN,
        '<p style="background',
    ),
    Defect(
        "a local file through an object element",
        lambda s: s.replace(EN, "Back to", '<object data="/etc/passwd"></object>\n\nBack to'),
        "local-file",
        EN,
        "<object data=",
    ),
    Defect(
        "a path that climbs out of the docs folder",
        lambda s: s.replace(EN, "Back to", "![x](../../../../etc/passwd). Back to"),
        "local-file",
        EN,
        "![x](../",
    ),
    Defect("a symbolic link out of the docs folder", _symlink_out, "local-file", "docs/notes.png", None),
    Defect(
        "a script",
        lambda s: s.replace(EN, "Back to", "<script>document.write('0120')</script>\n\nBack to"),
        "unsafe-html",
        EN,
        "<script>",
    ),
    Defect(
        "an event handler",
        lambda s: s.replace(EN, "Back to", '<img src="x.png" onerror="alert(1)">. Back to'),
        "unsafe-html",
        EN,
        "onerror=",
    ),
    Defect(
        "a page without a description",
        lambda s: s.replace(JA, "description: すべての種類の事実です。\n", ""),
        "front-matter",
        JA,
        None,
    ),
    Defect(
        "a verb that does not exist, in a procedure step",
        lambda s: _in_step(s, "{{ bogus-verb money.fr }}"),
        "bad-reference",
        REG,
        "bogus-verb",
    ),
    Defect(
        "an as-of reference in a procedure step",
        lambda s: _in_step(s, "{{ as-of money.fr }}"),
        "bad-reference",
        REG,
        "as-of money.fr",
    ),
    Defect(
        "a history reference in a procedure step",
        lambda s: _in_step(s, "{{ history phone.retired }}"),
        "bad-reference",
        REG,
        "history phone.retired",
    ),
    Defect(
        "a reference in a gloss, which is not rendered",
        lambda s: s.replace(REG, "gloss: {en: End membership,", 'gloss: {en: "End {{ money.fr }}",'),
        "bad-reference",
        REG,
        'gloss: {en: "End {{',
    ),
    Defect(
        "a phone number written in a registry note",
        lambda s: s.replace(REG, "purpose: {en: a line,", "purpose: {en: call 0120-999-373,"),
        "hand-written-phone",
        REG,
        "purpose: {en: call 0120",
    ),
    Defect(
        "markup in a registry text",
        lambda s: s.replace(REG, "event: {en: new fee,", "event: {en: '<b>new</b> fee',"),
        "unsafe-html",
        REG,
        "event: {en: '<b>",
    ),
    Defect(
        "a phone number in a link definition's title",
        lambda s: s.replace(
            EN, "Back to", 'Back to [help][h] or\n\n[h]: https://example.org "call 0120-999-373"\n\nBack to'
        ),
        "hand-written-phone",
        EN,
        '[h]: https://example.org "call',
    ),
    Defect(
        "braces written as character references",
        lambda s: s.replace(EN, "Back to", "The fee is &#123;&#123; money.annual }}. Back to"),
        "bad-reference",
        EN,
        "&#123;&#123;",
    ),
    Defect(
        "a phone number in a link's address, which the book prints",
        lambda s: s.replace(EN, "Back to", "[Our line](https://example.org/call/0120999373). Back to"),
        "hand-written-phone",
        EN,
        "example.org/call/",
    ),
    Defect(
        "a phone number in a published stylesheet",
        lambda s: s.write("docs/stylesheets/extra.css", 'p::after {\n  content: "0120-999-373";\n}\n'),
        "hand-written-phone",
        "docs/stylesheets/extra.css",
        "content:",
    ),
    Defect(
        "a phone number in a source's address",
        lambda s: s.replace(
            REG, "    title: A dated source\n", "    title: A dated source\n    url: https://example.org/0120-999-373\n"
        ),
        "hand-written-phone",
        REG,
        "url: https://example.org/0120",
    ),
    Defect("a YAML alias bomb in the registry", _alias_bomb, "yaml", REG, "lol1: &a1"),
    Defect("a Shift_JIS registry", _shift_jis_registry, "encoding", REG, "purpose: {en: old line"),
    Defect(
        "a stale fact where stale facts are errors",
        lambda s: s.replace(REG, "stale_after_days: 3650\n  stale: warning", "stale_after_days: 30\n  stale: error"),
        "stale-fact",
        REG,
        "as_of: 2023-08-10",
    ),
]


def _unprefixed(output: str) -> str:
    """MkDocs prefixes its log lines with 'ERROR    -  '."""
    return re.sub(r"^[A-Z]+ +-  ", "", output, flags=re.M)


@pytest.mark.parametrize("defect", DEFECTS, ids=[d.name for d in DEFECTS])
def test_defect_fails_the_check(site: Site, defect: Defect):
    defect.inject(site)
    expected = defect.expected(site)
    check = site.factcheck()
    assert check.returncode == 1, check.stdout + check.stderr
    assert expected.search(check.stdout), f"expected {expected.pattern!r} in:\n{check.stdout}"
    assert "Traceback" not in check.stderr


@pytest.fixture(scope="module")
def defect_builds(tmp_path_factory) -> dict[str, tuple[Site, dict]]:
    """Every defect in a fixture site of its own, each built with ``mkdocs build --strict``
    (one MkDocs command per site, in one process): defect name -> (site, its build's result)."""
    root = tmp_path_factory.mktemp("defects")
    sites = []
    for number, defect in enumerate(DEFECTS):
        sites.append(copy_site("clean", root / f"{number:03d}"))
        defect.inject(sites[-1])
    run = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "build_many.py"), *(str(s.path) for s in sites)],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-6000:]
    results = json.loads(run.stdout)
    assert [r["dir"] for r in results] == [str(s.path) for s in sites]
    return {defect.name: (site, result) for defect, site, result in zip(DEFECTS, sites, results)}


@pytest.mark.slow
@pytest.mark.parametrize("defect", DEFECTS, ids=[d.name for d in DEFECTS])
def test_defect_fails_the_build(defect_builds, defect: Defect):
    site, build = defect_builds[defect.name]
    expected = defect.expected(site)
    output = build["stdout"] + build["stderr"]
    assert build["code"] != 0, output
    assert expected.search(_unprefixed(output)), f"expected {expected.pattern!r} in:\n{output}"
    assert "Traceback" not in output
    assert not (site.path / "site").exists(), "a failed validation must not leave a half-written site"


@pytest.mark.slow
def test_the_commands_themselves_fail_on_a_defect(site: Site):
    """``factcheck`` and ``mkdocs build --strict`` as the processes a contributor runs."""
    defect = DEFECTS[0]
    defect.inject(site)
    expected = defect.expected(site)
    factcheck = Path(sys.executable).parent / "factcheck"
    assert factcheck.is_file(), f"{factcheck} is missing: `pip install -e .` (requirements.txt) installs it"
    check = subprocess.run([str(factcheck)], cwd=site.path, env=ENV, capture_output=True, text=True, timeout=60)
    assert check.returncode == 1 and expected.search(check.stdout), check.stdout + check.stderr
    assert "Traceback" not in check.stderr
    build = site.build()
    assert build.returncode != 0 and expected.search(_unprefixed(build.stderr)), build.stdout + build.stderr
    assert "Traceback" not in build.stderr
    assert not (site.path / "site").exists()


def test_clean_fixture_passes_the_check(site: Site):
    check = site.factcheck()
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout == ""


@pytest.mark.slow
def test_clean_fixture_builds(site: Site):
    build = site.build()
    assert build.returncode == 0, build.stdout + build.stderr
    for lang in ("", "ja/", "fr/"):
        assert (site.path / "site" / lang / "guide" / "index.html").is_file()


def test_all_problems_are_reported_in_one_run(site: Site):
    for defect in DEFECTS:
        if defect.name in (
            "unknown fact id",
            "a step merged in one language",
            "hand-written price (French decimal comma)",
            "a missing translation",
        ):
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
    site.replace(
        REG, "    kind: money\n    marketplace: amazon.co.jp", "    kind: [money\n    marketplace: amazon.co.jp"
    )
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


@pytest.mark.slow
def test_stale_fact_is_a_warning_in_a_strict_build(site: Site):
    site.replace(REG, "stale_after_days: 3650", "stale_after_days: 30")
    build = site.build()
    assert build.returncode == 0, build.stdout + build.stderr
    assert "[stale-fact] warning:" in build.stderr


@pytest.mark.slow
def test_awaiting_translation_publishes_a_notice_in_the_readers_language(site: Site):
    site.write(JA, "---\ntitle: ガイド\ndescription: 翻訳待ち\ntranslation: awaiting\n---\n")
    assert site.factcheck().returncode == 0
    build = site.build()
    assert build.returncode == 0, build.stdout + build.stderr
    page = (site.path / "site" / "ja" / "guide" / "index.html").read_text("utf-8")
    assert "このページはまだ日本語に翻訳されていません。" in page
    assert 'href="../../guide/"' in page
    assert "Call" not in page  # no English text served under /ja/


@pytest.mark.slow
def test_static_i18n_fallback_must_stay_off(site: Site):
    site.replace("mkdocs.yml", "fallback_to_default: false", "fallback_to_default: true")
    build = site.build()
    assert build.returncode != 0
    assert "mkdocs.yml:1: [site-config]" in build.stderr


# -- Bad input: read correctly, or refused quickly and clearly ------------------------------------


def test_a_registry_and_an_article_with_a_byte_order_mark_are_read_correctly(site: Site):
    for rel in (REG, FR):
        site.file(rel).write_bytes(b"\xef\xbb\xbf" + site.file(rel).read_bytes().replace(b"\n", b"\r\n"))
    check = site.factcheck()
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout == ""


def test_an_alias_bomb_fails_fast_in_bounded_memory(site: Site):
    """Twelve levels of nine aliases would expand to 9**12 (282 billion) strings: refused at the first alias."""
    _alias_bomb(site)
    run = subprocess.run(
        ["/usr/bin/time", "-f", "%M %e", sys.executable, "-m", "factengine"],
        cwd=site.path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    peak_kib, seconds = (float(x) for x in run.stderr.strip().splitlines()[-1].split())
    assert run.returncode == 1
    assert "[yaml] anchors and aliases (&name, *name, <<:) are not allowed" in run.stdout
    assert peak_kib < 200_000 and seconds < 10, (peak_kib, seconds)


def test_a_front_matter_alias_bomb_is_refused_too(site: Site):
    site.replace(
        EN,
        "description: One of every fact.\n",
        "description: One of every fact.\nx: &a [y, y, y, y, y, y, y, y]\nz: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n",
    )
    check = site.factcheck()
    assert check.returncode == 1
    assert re.search(rf"^{re.escape(EN)}:\d+(:\d+)?: \[front-matter\] anchors and aliases", check.stdout, re.M), (
        check.stdout
    )


@pytest.mark.slow
def test_a_failed_build_leaves_the_previous_site_byte_identical(site: Site):
    """A defect found late (a broken link, counted by --strict after every page is written) must not
    leave a half-written site: the build writes beside it and replaces it only when it succeeds."""
    first = site.build()
    assert first.returncode == 0, first.stdout + first.stderr
    before = _tree_digest(site.path / "site")
    site.replace(EN, "Back to", "See [a page that does not exist](missing.md). Back to")
    second = site.build()
    assert second.returncode != 0
    assert "missing.md" in second.stderr
    assert _tree_digest(site.path / "site") == before
    assert not (site.path / "site.partial").exists(), "the failed build's staging folder is removed"


@pytest.mark.slow
def test_a_build_that_succeeds_replaces_the_site(site: Site):
    first = site.build()
    assert first.returncode == 0, first.stdout + first.stderr
    (site.path / "site" / "stale-file.txt").write_text("from an older build", "utf-8")
    second = site.build()
    assert second.returncode == 0, second.stdout + second.stderr
    assert not (site.path / "site" / "stale-file.txt").exists()
    assert (site.path / "site" / "guide" / "index.html").is_file()


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_a_phone_number_in_the_sites_name_fails_the_build(site: Site):
    """mkdocs.yml's texts are on every page: the build checks them like an article's."""
    site.replace("mkdocs.yml", "site_name: Fixture", "site_name: Fixture 0120-999-373")
    build = site.build()
    assert build.returncode != 0
    assert re.search(
        r"^mkdocs\.yml:\d+: \[hand-written-phone\] site_name: phone number '0120-999-373'",
        _unprefixed(build.stderr),
        re.M,
    ), build.stderr


@pytest.mark.slow
def test_authors_comments_are_not_published(site: Site):
    site.replace(EN, "Back to", "<!-- note to editors: the old line was 0120-999-373 -->\n\nBack to")
    assert site.factcheck().returncode == 0
    build = site.build()
    assert build.returncode == 0, build.stdout + build.stderr
    assert "note to editors" not in (site.path / "site" / "guide" / "index.html").read_text("utf-8")


@pytest.mark.slow
def test_the_built_site_is_verified_before_it_is_published(site: Site):
    """The verifier is the last lock: a page that got past every source rule (here a theme
    override writing a raw reference and a phone link) is not published."""
    site.write(
        "overrides/main.html",
        '{% extends "base.html" %}{% block content %}{{ super() }}'
        '<p>{{ "{{ money.annual }}" }} <a href="tel:0120999373">x</a></p>{% endblock %}',
    )
    site.replace("mkdocs.yml", "  language: en\n", "  language: en\n  custom_dir: overrides\n")
    build = site.build()
    out = _unprefixed(build.stderr)
    assert build.returncode != 0
    assert re.search(r"^site/guide/index\.html:\d+: \[unrendered-reference\]", out, re.M), out
    assert re.search(r"^site/guide/index\.html:\d+: \[hand-written-phone\] a tel: link", out, re.M), out
    assert not (site.path / "site").exists()


@pytest.mark.slow
def test_a_generator_that_skips_the_hooks_cannot_publish_raw_references(site: Site):
    """What Zensical does with MkDocs hooks today: ignores them. The verifier of the built site
    then finds every raw reference, and the phone links and markers no fact made."""
    config = site.read("mkdocs.yml")
    site.write("mkdocs.yml", config[: config.index("hooks:")])
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", "plain"],
        cwd=site.path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    check = site.factcheck("--site", "plain")
    assert check.returncode == 1
    assert re.search(r"^plain/guide/index\.html:\d+: \[unrendered-reference\]", check.stdout, re.M), check.stdout
    assert re.search(r"^plain/ja/guide/index\.html:\d+: \[unrendered-reference\]", check.stdout, re.M), check.stdout
