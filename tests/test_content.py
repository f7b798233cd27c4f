"""The help content: the articles in every language, the seed facts in the
registry (looked up by value, not by id), French typography, and the built site's
retired numbers, each one marked and never a ``tel:`` link.

Run alone with ``.venv/bin/python -m pytest tests/test_content.py``.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import phonenumbers
import pytest

from factengine import Project, Registry, check
from factengine.articles import mask_code, read_article as read_page
from factengine.references import PATTERN as REFERENCE
from factengine.render import messages

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "facts" / "registry.yaml"
DOCS = ROOT / "docs"
# in the navigation's order
ARTICLES = [
    "index",
    "cancel",
    "renewal",
    "refunds",
    "special-cases",
    "prices",
    "contact",
    "retired-numbers",
    "scams",
    "recourse",
    "sources",
]
LANGUAGES = ["en", "ja", "fr"]
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(REGISTRY)


# -- the articles ------------------------------------------------------------------


def test_every_article_exists_in_every_language_and_the_check_passes():
    missing = [
        f"{name}.{lang}.md" for name in ARTICLES for lang in LANGUAGES if not (DOCS / f"{name}.{lang}.md").is_file()
    ]
    assert not missing, f"missing articles: {missing}"
    result = check(Project(ROOT))
    assert result.errors == [], "\n".join(map(str, result.errors))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", ARTICLES)
def test_front_matter_has_a_title_and_a_description(name, lang):
    page, problems = read_page(DOCS / f"{name}.{lang}.md", DOCS, LANGUAGES)
    assert page is not None and not problems, problems
    assert str(page.meta.get("title") or "").strip(), "no title"
    assert str(page.meta.get("description") or "").strip(), "no description"
    # The hook adds the "facts as of" line; an article never writes it.
    for text in _facts_as_of_wordings():
        assert text not in page.body, f"the article writes the line the build adds: {text!r}"


def _facts_as_of_wordings() -> set[str]:
    """The fixed words of the line on the age of a page's facts, in every language."""
    wordings = set()
    for key in ("facts-reported-between", "facts-reported-in"):
        for text in messages()[key].values():
            wordings.add(max(re.split(r"\{\w+\}", text), key=len).strip())
    return wordings


def test_the_navigation_lists_the_articles_in_order_in_sections():
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    nav = re.search(r"^nav:\n((?:[ \t]+- .*\n?)+)", text, re.M)
    assert nav, "mkdocs.yml has no nav"
    assert re.findall(r"- (\S+\.md)", nav.group(1)) == [f"{name}.md" for name in ARTICLES]
    # a help centre's navigation: the home page, then sections of articles, never a flat list of everything
    sections = re.findall(r"^  - ([^:\n]+):\n", nav.group(1), re.M)
    assert len(sections) >= 3, sections


# -- the registry: the seed facts, found by their values ---------------------------


def _same(actual, wanted) -> bool:
    if wanted is None or actual is None:
        return actual is wanted
    if isinstance(wanted, Decimal):
        return Decimal(actual) == wanted
    if isinstance(actual, str) and isinstance(wanted, str):
        return actual.replace("’", "'") == wanted.replace("’", "'")
    return str(actual) == str(wanted)


def find(registry: Registry, kind: str, **wanted) -> list[tuple[str, object]]:
    return [
        (fact_id, fact)
        for fact_id, fact in registry.facts.items()
        if fact.kind == kind and all(_same(getattr(fact, key, None), value) for key, value in wanted.items())
    ]


JP, FR = "amazon.co.jp", "amazon.fr"
ANNUAL = dict(currency="JPY", period="year", tax="included", marketplace=JP)
MONTHLY = dict(currency="JPY", period="month", tax="included", marketplace=JP)

# (what the fact is, kind, its values, a source it must cite or None)
SEED_FACTS = [
    (
        "the Amazon.co.jp annual fee of 4,900 yen, tax included, 2019-04-12 to 2023-08-23",
        "money",
        dict(ANNUAL, amount=Decimal(4900), valid_from="2019-04-12", valid_until="2023-08-23"),
        "seed-ja-complaints",
    ),
    (
        "the Amazon.co.jp monthly fee of 500 yen, tax included, 2019-04-12 to 2023-08-23",
        "money",
        dict(MONTHLY, amount=Decimal(500), valid_from="2019-04-12", valid_until="2023-08-23"),
        "seed-ja-complaints",
    ),
    (
        "the Amazon.co.jp annual fee of 3,900 yen until 2019-04-11",
        "money",
        dict(ANNUAL, amount=Decimal(3900), valid_until="2019-04-11"),
        "multi-business-mind-2019",
    ),
    (
        "the Amazon.co.jp monthly fee of 400 yen until 2019-04-11",
        "money",
        dict(MONTHLY, amount=Decimal(400), valid_until="2019-04-11"),
        "ura2-graffiti-2019",
    ),
    (
        "the Amazon.co.jp annual fee of 5,900 yen since 2023-08-24, still current",
        "money",
        dict(ANNUAL, amount=Decimal(5900), valid_from="2023-08-24", valid_until=None),
        "webcommu-2023",
    ),
    (
        "the Amazon.co.jp monthly fee of 600 yen since 2023-08-24, still current",
        "money",
        dict(MONTHLY, amount=Decimal(600), valid_from="2023-08-24", valid_until=None),
        "webcommu-2023",
    ),
    (
        "Prime Student on Amazon.co.jp, 2,950 yen a year since 2023-08-24",
        "money",
        dict(ANNUAL, amount=Decimal(2950), valid_from="2023-08-24"),
        "sasanqua-2023",
    ),
    (
        "Prime Student on Amazon.co.jp, 300 yen a month since 2023-08-24",
        "money",
        dict(MONTHLY, amount=Decimal(300), valid_from="2023-08-24"),
        "sasanqua-2023",
    ),
    (
        "Prime Student on Amazon.co.jp, 2,450 yen a year until 2023-08-23",
        "money",
        dict(ANNUAL, amount=Decimal(2450), valid_until="2023-08-23"),
        "sasanqua-2023",
    ),
    (
        "Prime Student on Amazon.co.jp, 250 yen a month until 2023-08-23",
        "money",
        dict(MONTHLY, amount=Decimal(250), valid_until="2023-08-23"),
        "sasanqua-2023",
    ),
    (
        "the Amazon.fr annual fee of 49 EUR, as of 2020-02, tax not stated by the source",
        "money",
        dict(marketplace=FR, amount=Decimal(49), currency="EUR", period="year", tax=None, as_of="2020-02"),
        "seed-fr-cancel",
    ),
    (
        "the refund delay of 3 to 5 business days on Amazon.fr",
        "duration",
        dict(marketplace=FR, min=3, max=5, unit="business-day"),
        "seed-fr-cancel",
    ),
    (
        "the renewal notice e-mailed 3 days before the end",
        "duration",
        dict(marketplace=JP, min=3, max=None, unit="day"),
        "seed-ja-complaints",
    ),
    (
        "a person reachable by chat 24 hours a day",
        "duration",
        dict(marketplace=JP, min=24, max=None, unit="hour"),
        "seed-ja-complaints",
    ),
    (
        "the call from Amazon within 10 seconds of a request on a computer (the author's experience)",
        "duration",
        dict(marketplace=JP, min=10, max=None, unit="second"),
        "seed-ja-phone-cancel",
    ),
    (
        "the retired toll-free number 0120-999-373",
        "phone",
        dict(marketplace=JP, number="0120-999-373", tariff="toll-free", status="retired"),
        "seed-ja-phone-cancel",
    ),
    (
        "the retired paid number 011-330-3000",
        "phone",
        dict(marketplace=JP, number="011-330-3000", tariff="paid", status="retired"),
        "seed-ja-phone-cancel",
    ),
    (
        "the retired number 011-330-3003",
        "phone",
        dict(marketplace=JP, number="011-330-3003", status="retired"),
        "seed-ja-complaints",
    ),
    (
        "the retired number 022-745-6366",
        "phone",
        dict(marketplace=JP, number="022-745-6366", status="retired"),
        "seed-ja-complaints",
    ),
    (
        "the announcement of the 2023 Amazon.co.jp increase, 2023-08-10",
        "date",
        dict(marketplace=JP, date="2023-08-10"),
        "webcommu-2023",
    ),
    (
        "the new fee for existing Amazon.co.jp members from 2023-09-24",
        "date",
        dict(marketplace=JP, date="2023-09-24"),
        "webcommu-2023",
    ),
    (
        "the 2019 Amazon.co.jp fee change, 2019-04-12, as the 4,900-yen fee's valid_from",
        "money",
        dict(ANNUAL, valid_from="2019-04-12"),
        "multi-business-mind-2019",
    ),
    (
        "the new fee for existing Amazon.co.jp annual members from 2019-05-17",
        "date",
        dict(marketplace=JP, date="2019-05-17"),
        "multi-business-mind-2019",
    ),
    (
        "the announcement of the 2022 Amazon.fr increase, 2022-07-26",
        "date",
        dict(marketplace=FR, date="2022-07-26"),
        "rtl-2022",
    ),
    (
        "the 2022 Amazon.fr increase taking effect in September 2022",
        "date",
        dict(marketplace=FR, date="2022-09"),
        "rtl-2022",
    ),
]


def test_no_date_fact_repeats_the_start_of_a_fee(registry):
    """When a fee started is its money fact's valid_from, shown with {{ validity … }}: a date
    fact on the same day would be a second copy that can drift. Other events keep their date
    facts (announcements, the day existing members switch, an increase without a known amount)."""
    starts = {
        (f.marketplace, str(f.valid_from)): i
        for i, f in registry.facts.items()
        if f.kind == "money" and f.valid_from is not None
    }
    copies = [
        f"{i} repeats the valid_from of {starts[(f.marketplace, str(f.date))]}"
        for i, f in registry.facts.items()
        if f.kind == "date" and (f.marketplace, str(f.date)) in starts
    ]
    assert not copies, "\n".join(copies)


def test_the_prices_page_dates_every_fee_from_the_money_fact():
    """Every fee in a price table says when it held through {{ validity }} of the same fact."""
    for lang in LANGUAGES:
        page, _ = read_page(DOCS / f"prices.{lang}.md", DOCS, LANGUAGES)
        rows = [line for line in page.body.splitlines() if line.strip().startswith("|") and "{{ money." in line]
        assert rows, f"prices.{lang}.md has no price table"
        for row in rows:
            money = re.search(r"\{\{ (money\.\S+) \}\}", row).group(1)
            assert f"{{{{ validity {money} }}}}" in row, (
                f"prices.{lang}.md: {money} without its validity: {row.strip()}"
            )


def test_the_sources_page_cites_every_source():
    for lang in LANGUAGES:
        page, _ = read_page(DOCS / f"sources.{lang}.md", DOCS, LANGUAGES)
        cited = {
            m.group("body").split()[-1]
            for m in REFERENCE.finditer(mask_code(page.body))
            if m.group("body").split()[0] in ("cite", "bibliography")
        }
        assert cited == set(Registry.load(REGISTRY).sources), f"sources.{lang}.md cites {sorted(cited)}"


# (label text, its language, a source it must cite)
LABELS = [
    ("Amazonプライム会員情報", "ja", "seed-ja-complaints"),
    ("更新、キャンセルなど", "ja", "seed-ja-complaints"),
    ("プライム会員情報を管理する", "ja", "seed-ja-complaints"),
    ("更新前に通知する", "ja", "seed-ja-complaints"),
    ("電話でのサポートが必要ですか?", "ja", "seed-ja-complaints"),
    ("Amazon.co.jp からお電話いたします", "ja", "seed-ja-complaints"),
    ("カスタマーサービスに連絡", "ja", "seed-ja-phone-cancel"),
    ("電話でお問い合わせ", "ja", "seed-ja-phone-cancel"),
    ("今すぐ電話がほしい", "ja", "seed-ja-phone-cancel"),
    ("会員資格を終了する(特典を終了)", "ja", "webcommu-2023"),
    ("更新前にお知らせを受ける", "ja", "webcommu-2023"),
    ("Ne pas continuer", "fr", "seed-fr-cancel"),
    ("Fin d’adhésion", "fr", "seed-fr-cancel"),
    ("Terminer maintenant", "fr", "seed-fr-cancel"),
    ("Adhésions et abonnements", "fr", "rtl-2022"),
    ("Paramètres d'abonnements Amazon Prime", "fr", "rtl-2022"),
    ("Mettre à jour, annuler et plus", "fr", "rtl-2022"),
]


def _assert_sourced(registry: Registry, fact_id: str, fact, source: str | None):
    assert fact.sources, f"{fact_id} has no source"
    unknown = [s for s in fact.sources if s not in registry.sources]
    assert not unknown, f"{fact_id} cites unknown sources {unknown}"
    if source:
        assert source in fact.sources, f"{fact_id} does not cite {source} (cites {fact.sources})"


@pytest.mark.parametrize("what, kind, values, source", SEED_FACTS, ids=[f[0] for f in SEED_FACTS])
def test_the_registry_holds_the_fact(registry, what, kind, values, source):
    found = find(registry, kind, **values)
    assert len(found) == 1, f"{what}: expected one {kind} fact with {values}, found {[i for i, _ in found]}"
    _assert_sourced(registry, *found[0], source)


@pytest.mark.parametrize("text, language, source", LABELS, ids=[label[0] for label in LABELS])
def test_the_registry_holds_the_label_with_a_gloss_in_every_other_language(registry, text, language, source):
    found = find(registry, "label", text=text)
    assert len(found) == 1, f"expected one label {text!r}, found {[i for i, _ in found]}"
    fact_id, fact = found[0]
    assert fact.language == language
    assert set(fact.gloss) == set(LANGUAGES) - {language}, f"{fact_id}: glosses {sorted(fact.gloss)}"
    _assert_sourced(registry, fact_id, fact, source)


def _label_id(registry, text):
    ((fact_id, _),) = find(registry, "label", text=text)
    return fact_id


def _step_refs(fact) -> list[str]:
    return [m.group("body").split()[-1] for step in fact.steps for m in REFERENCE.finditer(step["en"])]


@pytest.mark.parametrize(
    "labels",
    [
        ["Amazonプライム会員情報", "更新、キャンセルなど"],
        ["Ne pas continuer"],
        ["Fin d’adhésion", "Fin d’adhésion", "Terminer maintenant"],
        ["Adhésions et abonnements", "Paramètres d'abonnements Amazon Prime", "Mettre à jour, annuler et plus"],
        ["カスタマーサービスに連絡", "電話でお問い合わせ", "今すぐ電話がほしい"],
        ["カスタマーサービスに連絡", "電話でのサポートが必要ですか?", "Amazon.co.jp からお電話いたします"],
        ["プライム会員情報を管理する", "更新前に通知する"],
    ],
    ids=[
        "jp-web",
        "fr-trial-2020",
        "fr-paid-2020",
        "fr-2022",
        "jp-call-back-smartphone",
        "jp-call-back",
        "jp-renewal-notice",
    ],
)
def test_a_procedure_walks_through_the_labels_in_order(registry, labels):
    wanted = [_label_id(registry, text) for text in labels]
    procedures = [(i, f) for i, f in registry.facts.items() if f.kind == "procedure"]
    matching = [i for i, f in procedures if [r for r in _step_refs(f) if r in wanted] == wanted]
    assert matching, f"no procedure references {wanted} in this order"


def test_the_old_call_in_route_is_dated_history_with_reconstructed_digits(registry):
    routes = [
        (i, f)
        for i, f in registry.facts.items()
        if f.kind == "procedure" and "⑦" in " ".join(step["ja"] for step in f.steps)
    ]
    assert len(routes) == 1, [i for i, _ in routes]
    fact_id, route = routes[0]
    assert route.valid_until is not None, f"{fact_id} must be dated history (valid_until)"
    assert {"seed-ja-phone-cancel", "seed-ja-complaints"} <= set(route.sources)
    what_it_asked = {
        "en": ("e-mail", "name", "postal address"),
        "ja": ("メールアドレス", "氏名", "住所"),
        "fr": ("e-mail", "nom", "adresse postale"),
    }
    said = {"en": "reconstructed", "ja": "復元", "fr": "reconstitués"}
    for lang in LANGUAGES:
        text = " ".join(step[lang] for step in route.steps)
        assert all(digit in text for digit in "①③⑦"), lang
        assert said[lang] in text, f"{fact_id} ({lang}) must say the digits are reconstructed"
        assert all(word in text for word in what_it_asked[lang]), f"{fact_id} ({lang}): what the call asked for"
        assert not re.search(r"[@BF]→|→[@BF]", text), "mojibake digits left in the text"


def test_every_source_is_dated_and_every_later_source_has_an_address(registry):
    for source_id, source in registry.sources.items():
        assert source.date or source.date_note, source_id
        if not source_id.startswith("seed-"):
            assert source.url, f"{source_id} has no url"
    used = {s for fact in registry.facts.values() for s in fact.sources}
    assert used == set(registry.sources), f"sources cited by no fact: {set(registry.sources) - used}"


# -- French typography ---------------------------------------------------------------


def _typography_problems(text: str) -> list[str]:
    problems = []
    for m in re.finditer(r"(?<!\u00a0):(?=\s|$)", text):
        problems.append(f"no no-break space before ':' in {text[max(0, m.start() - 20) : m.end() + 5]!r}")
    for m in re.finditer(r"(?<!\u202f)[;!?](?=\s|$|[)»\]*])", text):
        problems.append(
            f"no narrow no-break space before {m.group(0)!r} in {text[max(0, m.start() - 20) : m.end() + 5]!r}"
        )
    for m in re.finditer(r"«(?!\u00a0)|(?<!\u00a0)»", text):
        problems.append(f"no no-break space inside « » in {text[max(0, m.start() - 20) : m.end() + 20]!r}")
    return problems


def _prose(text: str) -> str:
    """Markdown prose only: code, references, link targets, URLs and admonition markers blanked."""
    text = mask_code(text)
    for pattern in (REFERENCE.pattern, r"\]\([^)]*\)", r"https?://\S+", r"^\s*(?:!!!|\?\?\?\+?)", r"\{ *#[^}]*\}"):
        text = re.sub(pattern, lambda m: " " * len(m.group(0)), text, flags=re.M)
    return text


@pytest.mark.parametrize("name", ARTICLES)
def test_french_articles_follow_french_typography(name):
    page, _ = read_page(DOCS / f"{name}.fr.md", DOCS, LANGUAGES)
    texts = [str(page.meta["title"]), str(page.meta["description"]), _prose(page.body)]
    problems = [p for text in texts for p in _typography_problems(text)]
    assert not problems, "\n".join(problems)


def test_french_registry_texts_follow_french_typography(registry):
    texts = []
    for fact in registry.facts.values():
        for field in ("purpose", "gloss", "note", "event", "title", "plan"):
            value = getattr(fact, field, None)
            if isinstance(value, dict) and "fr" in value:
                texts.append(value["fr"])
        texts += [step["fr"] for step in getattr(fact, "steps", [])]
        texts += [e.note["fr"] for e in getattr(fact, "history", []) if e.note]
        if fact.kind == "label" and fact.language == "fr":
            texts.append(fact.text)
    texts += [s.title for s in registry.sources.values() if s.language == "fr"]
    problems = [p for text in texts for p in _typography_problems(REFERENCE.sub(" ", text))]
    assert not problems, "\n".join(problems)


# -- the built site: retired numbers ---------------------------------------------------


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    """The session's build of the real site (conftest), read only."""
    return built_site


def _retired(registry: Registry) -> dict[str, tuple[str, re.Pattern]]:
    """Retired phone facts: id -> (E.164, a pattern finding the number written in any notation)."""
    result = {}
    for fact_id, fact in registry.facts.items():
        if fact.kind == "phone" and fact.status == "retired":
            number = phonenumbers.parse(fact.number, registry.region_of(fact))
            national = re.sub(r"\D", "", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
            international = str(number.country_code) + str(number.national_number)
            gap = r"[\s\-\u2010-\u2015\u30fc.()/+]*"
            pattern = "|".join(gap.join(digits) for digits in (national, international))
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            result[fact_id] = (e164, re.compile(rf"(?<!\d)(?:{pattern})(?!\d)"))
    return result


class PageScan(HTMLParser):
    """What a built page says about phone numbers."""

    def __init__(self, retired: dict):
        super().__init__(convert_charrefs=True)
        self.retired = retired
        self.lang = None
        self.elements = []  # every rendered phone fact: {fact, tag, classes, markers}
        self.tel_links = []  # href of every tel: link
        self.stray = []  # retired numbers written outside their marked element
        self._current = None
        self._depth = 0
        self._status = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "a" and (attrs.get("href") or "").startswith("tel:"):
            self.tel_links.append(attrs["href"])
        if self._current is not None:
            if tag == "span":
                self._depth += 1
            if tag == "strong" and "fact-status" in classes:
                self._status = []
            return
        if "fact-phone" in classes:
            element = {"fact": attrs.get("data-fact"), "tag": tag, "classes": classes, "markers": []}
            self.elements.append(element)
            if tag == "span":
                self._current, self._depth = element, 1

    def handle_endtag(self, tag):
        if self._current is None:
            return
        if tag == "strong" and self._status is not None:
            self._current["markers"].append("".join(self._status))
            self._status = None
        elif tag == "span":
            self._depth -= 1
            if self._depth == 0:
                self._current = None

    def handle_data(self, data):
        if self._status is not None:
            self._status.append(data)
        if self._current is None:
            folded = unicodedata.normalize("NFKC", data)
            for fact_id, (_, pattern) in self.retired.items():
                if pattern.search(folded):
                    self.stray.append((fact_id, data.strip()[:80]))


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in ("assets", "search"))


def test_every_retired_number_is_marked_and_never_a_tel_link(site, registry):
    retired = _retired(registry)
    assert retired, "the registry has no retired number"
    marker = {lang: messages()["retired"][lang] for lang in LANGUAGES}
    retired_e164 = {e164: fact_id for fact_id, (e164, _) in retired.items()}
    seen = {lang: set() for lang in LANGUAGES}
    problems = []
    for page in _pages(site):
        scan = PageScan(retired)
        scan.feed(page.read_text("utf-8"))
        where = page.relative_to(site)
        assert scan.lang in LANGUAGES, f"{where}: <html lang={scan.lang!r}>"
        for element in scan.elements:
            if element["fact"] not in retired:
                continue
            seen[scan.lang].add(element["fact"])
            if element["tag"] != "span" or "fact-phone--retired" not in element["classes"]:
                problems.append(f"{where}: {element['fact']} rendered as <{element['tag']} class={element['classes']}>")
            if element["markers"] != [marker[scan.lang]]:
                problems.append(f"{where}: {element['fact']} carries {element['markers']}, not [{marker[scan.lang]!r}]")
        for href in scan.tel_links:
            # a national number (a short one such as 188 included) is read as it would be dialled on the page's
            # marketplaces; a tel: link to a retired number in either notation is a defect
            numbers = {
                phonenumbers.format_number(
                    phonenumbers.parse(href.removeprefix("tel:"), region), phonenumbers.PhoneNumberFormat.E164
                )
                for region in ("JP", "FR")
            }
            for number in numbers & set(retired_e164):
                problems.append(f"{where}: tel: link to retired {retired_e164[number]} ({href})")
        problems += [f"{where}: {fact_id} written outside its marked element: {text!r}" for fact_id, text in scan.stray]
    assert not problems, "\n".join(problems)
    for lang in LANGUAGES:  # the retired-numbers page shows them all, in every language
        assert seen[lang] == set(retired), f"{lang}: retired numbers never rendered: {set(retired) - seen[lang]}"


def test_a_page_stating_a_fact_older_than_the_horizon_warns_its_reader_and_no_other_does(site, registry):
    """The stale notice is on exactly the pages stating a fact in force whose last report is older
    than site.stale_after_days, in the page's language; there are such pages in every language."""
    from factengine import Renderer
    from factengine.render import message

    warned = {lang: 0 for lang in LANGUAGES}
    for analysis in check(Project(ROOT)).analyses:
        source = analysis.source
        lang, name = source.language, source.article.removesuffix(".md")
        facts = [ref.target for ref in analysis.references if ref.spec.target == "fact"]
        expected = "facts-stale" in (Renderer(registry, lang).page_notice(facts) or "")
        base = site if lang == "en" else site / lang
        html = (base / ("index.html" if name == "index" else f"{name}/index.html")).read_text("utf-8")
        shown = "facts-stale" in html and message("stale-title", lang) in html
        assert shown == expected, f"{source.shown}: stale notice {'missing' if expected else 'shown wrongly'}"
        warned[lang] += shown
    assert all(warned.values()), f"pages with the notice, per language: {warned}"
