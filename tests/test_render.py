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


@pytest.mark.parametrize("lang, expected", [
    ("en", "¥5,900 a year, tax included"),
    ("ja", "年額5,900円（税込）"),
    ("fr", f"5{NNBSP}900{NBSP}JPY par an TTC"),
])
def test_money_yen(registry, lang, expected):
    assert plain(registry, "money.annual", lang) == expected


@pytest.mark.parametrize("lang, expected", [
    ("en", "€49.90 a month, tax included"),
    ("ja", "月額49.90ユーロ（税込）"),
    ("fr", f"49,90{NBSP}€ par mois TTC"),
])
def test_money_euro_uses_the_locales_decimal_mark(registry, lang, expected):
    assert plain(registry, "money.fr", lang) == expected


@pytest.mark.parametrize("lang, expected", [
    ("en", "3–5 business days"),
    ("ja", "3～5営業日"),
    ("fr", "3 à 5 jours ouvrés"),
])
def test_duration_range(registry, lang, expected):
    assert plain(registry, "duration.refund", lang) == expected


@pytest.mark.parametrize("lang, expected", [
    ("en", "August 24, 2023"),
    ("ja", "2023年8月24日"),
    ("fr", "24 août 2023"),
])
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


@pytest.mark.parametrize("lang, marker", [
    ("en", "(retired: do not call)"),
    ("ja", "（廃止済み・発信しないでください）"),
    ("fr", f"(hors service{NBSP}: ne pas appeler)"),
])
def test_retired_phone_has_a_text_marker_and_no_link(registry, lang, marker):
    html = Renderer(registry, lang).inline("phone.retired", registry.facts["phone.retired"])
    assert "tel:" not in html and "<a" not in html
    assert "0120-999-373" in html
    assert f'<strong class="fact-status">{marker}</strong>' in html


@pytest.mark.parametrize("lang, expected", [
    ("en", "“Fin d’adhésion” (End membership)"),
    ("ja", "「Fin d’adhésion」（メンバーシップの終了）"),
    ("fr", f"«{NBSP}Fin d’adhésion{NBSP}»"),
])
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


def test_history_lists_each_dated_event_in_the_readers_language(registry):
    html = Renderer(registry, "ja").history("phone.retired", registry.facts["phone.retired"])
    events = _items(html)
    assert len(events) == 2
    assert "日付不明：利用可能" in events[0] and "2023年8月：廃止と報告" in events[1]


def test_page_as_of_is_the_oldest_confirmation(registry):
    line = Renderer(registry, "en").page_as_of(["money.annual", "phone.retired"])
    assert "Facts as of August 10, 2023" in line
    assert Renderer(registry, "en").page_as_of([]) is None


def test_every_message_exists_in_every_language():
    from factengine.render import messages

    for key, by_language in messages().items():
        assert set(by_language) == {"en", "ja", "fr"}, key


@pytest.mark.parametrize("lang, expected", [
    ("en", "since August 24, 2023"),
    ("ja", "2023年8月24日から"),
    ("fr", "depuis le 24 août 2023"),
])
def test_validity_in_each_language(registry, lang, expected):
    assert Renderer(registry, lang).validity(registry.facts["money.annual"]) == expected


def test_validity_interval_and_month_precision(registry):
    fact = registry.facts["money.annual"].model_copy(update={
        "valid_from": PartialDate.parse("2019-04"), "valid_until": PartialDate.parse("2023-08")})
    assert Renderer(registry, "fr").validity(fact) == "de avril 2019 à août 2023"
    assert Renderer(registry, "ja").validity(fact) == "2019年4月から2023年8月まで"


@pytest.mark.parametrize("as_of, expected", [("2023-08-10", "au 10 août 2023"), ("2023-08", "en août 2023"), ("2023", "en 2023")])
def test_french_as_of_follows_the_dates_precision(registry, as_of, expected):
    fact = registry.facts["money.annual"].model_copy(update={"as_of": PartialDate.parse(as_of)})
    assert Renderer(registry, "fr").as_of(fact) == expected


@pytest.mark.parametrize("lang, expected", [
    ("en", "Sources: An undated source (date unknown) and A dated source (August 10, 2023)"),
    ("ja", "出典：An undated source（日付不明）、A dated source（2023年8月10日）"),
    ("fr", f"Sources{NBSP}: An undated source (date inconnue) et A dated source (10 août 2023)"),
])
def test_sources_are_listed_by_the_locales_rules(registry, lang, expected):
    fact = registry.facts["money.annual"].model_copy(update={"sources": ["undated", "seed"]})
    assert re.sub(r"<[^>]+>", "", Renderer(registry, lang).sources(fact)) == expected


def test_plain_text_of_a_retired_number_keeps_its_marker(registry):
    assert plain(registry, "phone.retired", "en") == "0120-999-373 (retired: do not call)"


def test_page_as_of_ignores_past_prices_and_past_events(registry):
    old = registry.facts["money.fr"].model_copy(update={"as_of": PartialDate.parse("2001"), "valid_until": PartialDate.parse("2002")})
    event = registry.facts["date.increase"].model_copy(update={"as_of": PartialDate.parse("2001")})
    registry.facts["money.old"], registry.facts["date.old"] = old, event
    try:
        line = Renderer(registry, "en").page_as_of(["money.old", "date.old", "money.annual"])
    finally:
        del registry.facts["money.old"], registry.facts["date.old"]
    assert "August 10, 2023" in line
