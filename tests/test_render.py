"""Rendering each kind of fact in each locale (Babel and phonenumbers do the formatting)."""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURES
from factengine import Registry, Renderer
from factengine.schema import PartialDate

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(FIXTURES / "clean" / "facts" / "registry.yaml")


def plain(registry, fact_id, lang):
    return Renderer(registry, lang).plain(registry.facts[fact_id])


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "¥5,900 a year, tax included"),
        ("ja", "年額5,900円（税込）"),
        ("fr", f"5{NNBSP}900{NBSP}yens par an TTC"),
    ],
)
def test_money_yen(registry, lang, expected):
    """Yen as each language writes it: ¥ in English, 円 in Japanese, « yens » in French (not "JPY")."""
    assert plain(registry, "money.annual", lang) == expected


@pytest.mark.parametrize(
    "lang, amount, currency, expected",
    [
        ("en", "49", "EUR", "€49"),
        ("ja", "49", "EUR", "49ユーロ"),
        ("fr", "49", "EUR", f"49{NBSP}€"),
        ("fr", "69.90", "EUR", f"69,90{NBSP}€"),
        ("en", "69.90", "EUR", "€69.90"),
        ("ja", "1.99", "EUR", "1.99ユーロ"),
        ("fr", "1", "JPY", f"1{NBSP}yen"),
        ("en", "600", "JPY", "¥600"),
    ],
)
def test_whole_amounts_have_no_decimals_and_others_keep_theirs(registry, lang, amount, currency, expected):
    from decimal import Decimal

    assert Renderer(registry, lang).amount(Decimal(amount), currency) == expected


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "€49.90 a month, tax included"),
        ("ja", "月額49.90ユーロ（税込）"),
        ("fr", f"49,90{NBSP}€ par mois TTC"),
    ],
)
def test_money_euro_uses_the_locales_decimal_mark(registry, lang, expected):
    assert plain(registry, "money.fr", lang) == expected


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "3–5 business days"),
        ("ja", "3～5営業日"),
        ("fr", f"3{NBSP}à{NBSP}5{NBSP}jours ouvrés"),
    ],
)
def test_duration_range(registry, lang, expected):
    """French keeps a number and its unit together with no-break spaces (3 à 5 jours ouvrés)."""
    assert plain(registry, "duration.refund", lang) == expected


@pytest.mark.parametrize("unit", ["second", "minute", "hour", "day", "business-day", "week", "month", "year"])
@pytest.mark.parametrize("count", [1, 24])
def test_french_units_never_wrap_away_from_their_number(registry, unit, count):
    text = Renderer(registry, "fr").duration_text(count, None, unit)
    assert text.startswith(f"{count}{NBSP}") and " " not in text.split(NBSP, 1)[0], text


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "August 24, 2023"),
        ("ja", "2023年8月24日"),
        ("fr", "24 août 2023"),
    ],
)
def test_date(registry, lang, expected):
    assert plain(registry, "date.increase", lang) == expected


def test_partial_dates_render_at_their_precision(registry):
    from factengine.schema import PartialDate

    month = PartialDate.parse("2020-02")
    assert Renderer(registry, "en").date(month) == "February 2020"
    assert Renderer(registry, "ja").date(month) == "2020年2月"
    assert Renderer(registry, "fr").date(month) == "février 2020"
    assert Renderer(registry, "fr").date(PartialDate.parse("2019")) == "2019"


def test_active_phone_is_a_tel_link_in_international_format(registry):
    html = Renderer(registry, "ja").inline("phone.active", registry.facts["phone.active"])
    assert 'href="tel:+33123456789"' in html
    assert ">+33 1 23 45 67 89</a>" in html


@pytest.mark.parametrize(
    "lang, marker",
    [
        ("en", " (retired: do not call)"),
        ("ja", "（現在は使われていない番号です。かけないでください）"),
        ("fr", f"{NBSP}(hors service{NBSP}: n’appelez pas ce numéro)"),
    ],
)
def test_retired_phone_has_a_text_marker_and_no_link(registry, lang, marker):
    """In plain words; in Japanese in full-width parentheses right after the number, no space."""
    html = Renderer(registry, lang).inline("phone.retired", registry.facts["phone.retired"])
    assert "tel:" not in html and "<a" not in html
    assert re.sub(r"<[^>]+>", "", html) == "0120-999-373" + marker


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "“Fin d’adhésion” (End membership)"),
        ("ja", "「Fin d’adhésion」（メンバーシップの終了）"),
        ("fr", f"«{NBSP}Fin d’adhésion{NBSP}»"),
    ],
)
def test_label_is_verbatim_with_a_gloss_in_other_languages(registry, lang, expected):
    html = Renderer(registry, lang).inline("label.end", registry.facts["label.end"])
    assert re.sub(r"<[^>]+>", "", html) == expected
    assert ('lang="fr"' in html) == (lang != "fr")


def test_url_title_is_in_the_readers_language(registry):
    html = Renderer(registry, "ja").inline("url.help", registry.facts["url.help"])
    assert html.endswith(">Amazon.co.jpヘルプ</a>")
    assert 'href="https://www.amazon.co.jp/gp/help/customer/display.html"' in html


def _items(html: str) -> list[str]:
    return re.findall(r"<li>(.*?)</li>", html)


def test_procedure_renders_numbered_steps_with_nested_facts(registry):
    html = Renderer(registry, "fr").procedure("procedure.cancel", registry.facts["procedure.cancel"])
    assert html.startswith('<ol class="fact-procedure" data-fact="procedure.cancel">')
    steps = _items(html)
    assert steps[0] == "Ouvrez les paramètres."
    assert steps[1].startswith('Choisissez <span class="fact fact-label" data-fact="label.end">')


def test_step_text_is_escaped_not_read_as_markup(registry):
    """A step is the registry's text: markup in it is shown as written, never made a link or a tag."""
    fact = registry.facts["procedure.cancel"]
    steps = [dict(step) for step in fact.steps]
    steps[0]["en"] = '<a href="tel:0120999373">x</a> [call](tel:0120) **bold** & more'
    html = Renderer(registry, "en").procedure("procedure.cancel", fact.model_copy(update={"steps": steps}))
    first = _items(html)[0]
    assert first == '&lt;a href="tel:0120999373"&gt;x&lt;/a&gt; [call](tel:0120) **bold** &amp; more'
    assert "<a " not in first


@pytest.mark.parametrize(
    "lang, was, retired",
    [
        ("en", "was in service, according to an undated source", "reported no longer in use in August 2023"),
        ("ja", "以前は使われていた（日付のない出典による）", "2023年8月に使われていないと報告"),
        ("fr", "était en service, d’après une source non datée", "signalé hors service en août 2023"),
    ],
)
def test_a_retired_numbers_history_is_told_in_the_past_tense(registry, lang, was, retired):
    """Never "in service" next to a retired number without "was" and what is known of the date."""
    html = Renderer(registry, lang).history("phone.retired", registry.facts["phone.retired"])
    events = [re.sub(r"<[^>]+>", "", e) for e in _items(html)]
    assert len(events) == 2
    assert events[0].startswith(was) and events[1].startswith(retired)


def test_the_page_line_says_when_facts_were_reported_never_verified(registry):
    import datetime as dt

    renderer = Renderer(registry, "fr", today=dt.date(2024, 1, 1))
    line = re.sub(r"<[^>]+>", "", renderer.page_notice(["money.annual", "phone.retired"]))
    assert line == "Les informations de cette page ont été publiées par leurs sources en août 2023."
    assert "vérifi" not in line
    assert renderer.page_notice([]) is None


@pytest.mark.parametrize(
    "lang, title",
    [
        ("en", "Check before you rely on this page"),
        ("ja", "この情報を使う前に確認してください"),
        ("fr", "Vérifiez avant de vous fier à cette page"),
    ],
)
def test_a_page_with_facts_older_than_the_horizon_shows_a_notice(registry, lang, title):
    """The fixture's horizon is 3650 days: its facts of August 2023 are stale in 2034, not in 2024."""
    import datetime as dt

    fresh = Renderer(registry, lang, today=dt.date(2024, 1, 1)).page_notice(["money.annual"])
    stale = Renderer(registry, lang, today=dt.date(2034, 1, 1)).page_notice(["money.annual"])
    assert "facts-stale" not in fresh
    assert 'class="admonition warning facts-stale"' in stale and title in stale
    assert Renderer(registry, lang).month(registry.facts["money.annual"].as_of) in stale


def test_a_fact_from_undated_sources_is_reported_no_later_than_its_bound(registry):

    from factengine.schema import PartialDate

    fact = registry.facts["money.annual"].model_copy(
        update={"sources": ["undated"], "as_of": PartialDate.parse("2023-08")}
    )
    assert Renderer(registry, "en").as_of(fact) == "reported by an undated source (no later than August 2023)"
    assert Renderer(registry, "en").as_of(registry.facts["money.annual"]) == "reported on August 10, 2023"


def test_every_message_exists_in_every_language():
    from factengine.render import messages

    for key, by_language in messages().items():
        assert set(by_language) == {"en", "ja", "fr"}, key


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "since August 24, 2023"),
        ("ja", "2023年8月24日から"),
        ("fr", "depuis le 24 août 2023"),
    ],
)
def test_validity_in_each_language(registry, lang, expected):
    assert Renderer(registry, lang).validity(registry.facts["money.annual"]) == expected


def test_validity_interval_and_month_precision(registry):
    fact = registry.facts["money.annual"].model_copy(
        update={"valid_from": PartialDate.parse("2019-04"), "valid_until": PartialDate.parse("2023-08")}
    )
    assert Renderer(registry, "fr").validity(fact) == "d’avril 2019 à août 2023"
    assert Renderer(registry, "ja").validity(fact) == "2019年4月から2023年8月まで"


@pytest.mark.parametrize(
    "as_of, expected",
    [
        ("2023-08-10", "d’après une source du 10 août 2023"),
        ("2023-08", "d’après une source d’août 2023"),
        ("2023", "d’après une source de 2023"),
    ],
)
def test_french_as_of_follows_the_dates_precision(registry, as_of, expected):
    fact = registry.facts["money.annual"].model_copy(update={"as_of": PartialDate.parse(as_of)})
    assert Renderer(registry, "fr").as_of(fact) == expected


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "Sources: An undated source (undated) and A dated source (August 10, 2023)"),
        ("ja", "出典：An undated source（日付なし）、A dated source（2023年8月10日）"),
        ("fr", f"Sources{NBSP}: An undated source (non daté) et A dated source (10 août 2023)"),
    ],
)
def test_sources_are_listed_by_the_locales_rules(registry, lang, expected):
    fact = registry.facts["money.annual"].model_copy(update={"sources": ["undated", "seed"]})
    assert re.sub(r"<[^>]+>", "", Renderer(registry, lang).sources(fact)) == expected


def test_plain_text_of_a_retired_number_keeps_its_marker(registry):
    assert plain(registry, "phone.retired", "en") == "0120-999-373 (retired: do not call)"


def test_page_as_of_ignores_past_prices_and_past_events(registry):
    old = registry.facts["money.fr"].model_copy(
        update={"as_of": PartialDate.parse("2001"), "valid_until": PartialDate.parse("2002")}
    )
    event = registry.facts["date.increase"].model_copy(update={"as_of": PartialDate.parse("2001")})
    registry.facts["money.old"], registry.facts["date.old"] = old, event
    try:
        line = Renderer(registry, "en").page_notice(["money.old", "date.old", "money.annual"])
    finally:
        del registry.facts["money.old"], registry.facts["date.old"]
    assert "reported in August 2023" in line and "2001" not in line


def test_every_fact_class_a_stylesheet_styles_is_one_the_renderer_writes():
    """The stylesheets cannot import factengine/htmlnames.py: a class renamed there and not in the
    CSS would leave retired numbers unstyled (not struck through) without any error."""
    from conftest import ROOT

    registry = Registry.load(ROOT / "facts" / "registry.yaml")
    written = set()
    for language in registry.languages:
        renderer = Renderer(registry, language)
        for fact_id, fact in registry.facts.items():
            html = renderer.procedure(fact_id, fact) if fact.kind == "procedure" else renderer.inline(fact_id, fact)
            if getattr(fact, "history", None):
                html += renderer.history(fact_id, fact)
            for classes in re.findall(r'class="([^"]*)"', html):
                written.update(classes.split())
    styled = set()
    for sheet in [*(ROOT / "docs" / "stylesheets").glob("*.css"), ROOT / "printbook" / "book.css"]:
        styled.update(re.findall(r"\.(fact(?:-[\w-]+)?)\b", sheet.read_text("utf-8")))
    assert {"fact-phone--retired", "fact-status"} <= styled  # what the warning pages rely on
    assert styled <= written, f"styled but never written: {sorted(styled - written)}"
