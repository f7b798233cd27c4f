"""Finding facts written by hand, in the notations that generic QA checks miss."""

from __future__ import annotations

import pytest

from factengine import literals

REGIONS = ["FR", "JP"]


@pytest.mark.parametrize(
    "text",
    [
        "0120-999-373",
        "0120999373",
        "0120 999 373",
        "+81 120 999 373",
        "+81120999373",
        "０１２０－９９９－３７３",
        "フリーダイヤル０１２０９９９３７３へ",
        "(0120) 999-373",
    ],
)
def test_a_phone_number_in_any_notation(text):
    ((_, written, readings),) = literals.phones(f"Call {text} now.", REGIONS)
    assert "+81120999373" in readings
    assert written.strip("()") in text


def test_a_french_number():
    ((_, written, readings),) = literals.phones("Appelez le 01\u00a023\u00a045\u00a067\u00a089.", REGIONS)
    assert readings[0] == "+33123456789" and written == "01\u00a023\u00a045\u00a067\u00a089"


@pytest.mark.parametrize(
    "text",
    [
        "on 2023-08-24 the fee rose",
        "in 2019 and 2023",
        "steps 1, 2 and 3",
        "3 à 5 jours",
        "42 % d’augmentation",
        "Prime Day 2020",
        "page 12 of 300",
    ],
)
def test_no_phone_number_where_there_is_none(text):
    assert literals.phones(text, REGIONS) == []


@pytest.mark.parametrize(
    "text, found",
    [
        ("4,900円", "4,900円"),
        ("４，９００円", "４，９００円"),
        ("5900 yen", "5900 yen"),
        ("¥5,900", "¥5,900"),
        ("￥5,900", "￥5,900"),
        ("JPY 600", "JPY 600"),
        ("49 euros", "49 euros"),
        ("49,90\u00a0€", "49,90\u00a0€"),
        ("69,90 €", "69,90 €"),
        ("€69.90", "€69.90"),
        ("5\u202f900\u00a0JPY", "5\u202f900\u00a0JPY"),
        ("49 EUR", "49 EUR"),
        ("1 234,50 €", "1 234,50 €"),
    ],
)
def test_money_in_any_notation(text, found):
    assert [m for _, m in literals.money(f"Le prix : {text}.")] == [found]


@pytest.mark.parametrize("text", ["3 à 5 jours ouvrés", "2023年8月24日", "42 % de plus", "24 heures sur 24", "step 2"])
def test_no_money_where_there_is_none(text):
    assert literals.money(text) == []


@pytest.mark.parametrize(
    "text, found",
    [
        ("3 à 5 jours ouvrés", (3, 5, "business-day")),
        ("3–5 business days", (3, 5, "business-day")),
        ("3～5営業日", (3, 5, "business-day")),
        ("３日前", (3, None, "day")),
        ("24 hours", (24, None, "hour")),
        ("3\u00a0jours", (3, None, "day")),
    ],
)
def test_durations(text, found):
    assert [d[1:] for d in literals.durations(f"x {text} y")] == [found]


def test_a_date_is_not_a_duration():
    assert literals.durations("2023年8月3日に") == []


def test_offsets_survive_full_width_folding():
    text = "ａｂ\u3000０１２０－９９９－３７３"
    ((offset, written, _),) = literals.phones(text, REGIONS)
    assert written == "０１２０－９９９－３７３"
    assert text[offset:].startswith("０１２０")
