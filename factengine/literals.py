"""Facts written by hand: phone numbers, amounts of money and registry durations in prose.

What translate-toolkit's ``pofilter`` and Crowdin's QA checks miss is handled here:
full-width digits (０１２０), French decimal commas and no-break spaces (49,90 €),
円 and ¥ and yen. The text is first folded character by character (NFKC where
a character folds to one character), so that every offset stays put.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import phonenumbers

from . import catalogue

_SPACE = "[ \u00a0\u202f\u2009]"
_NUMBER = rf"\d{{1,3}}(?:(?:,|\.|{_SPACE})\d{{3}})+(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d{{1,2}})?"
# Symbols and ISO codes are no language's words: they are found whatever the site's languages.
# The words (yen, euros, ユーロ; to, à, から) are the catalogue's: money-words, currency-words, range-words.
_BEFORE = r"¥|€|\$|£|(?:JPY|EUR|USD)\b"
_SYMBOLS_AFTER = r"円|€|(?:JPY|EUR|USD)\b"
_MONEY_START = re.compile(r"[¥€$£]|(?:JPY|EUR|USD)\b|(?<![\d.,])\d", re.I)
_SIX_DIGITS = re.compile(r"\d(?:\D{0,3}\d){5}")
_RANGE_SYMBOLS = ("-", "–", "—", "~", "～", "〜")


class _FoldTable(dict):
    """str.translate table: each character's NFKC form where that is one character; filled on first use."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        self[code] = folded if len(folded) == 1 else char
        return self[code]


_FOLD = _FoldTable()

# For phone numbers only, more is folded, still one character for one: kanji digits
# (〇一二…, which Japanese readers dial like any digits), the separators people put between
# groups (・ _ * ~ |), line breaks (a page joins the lines of a paragraph), and letters, which stand for nothing in a number but would hide it
# from the matcher ("TEL0120…" is not matched where a word runs into the digits).
_PHONE_FOLD = str.maketrans(
    {**{k: str(v) for v, k in enumerate("〇一二三四五六七八九")}, **{c: "-" for c in "・･·•_*~|"}, "\n": " ", "\t": " "}
)
_LETTER = re.compile(r"[A-Za-z]")


@functools.lru_cache(maxsize=8)
def fold(text: str) -> str:
    """Full-width and compatibility characters to their plain form, one character for one."""
    if text.isascii():  # every ASCII character is its own NFKC form: nothing to look up
        return text
    return text.translate(_FOLD)


def phones(text: str, regions) -> list[tuple[int, str, list[str]]]:
    """(offset, text as written, E.164 readings) of every phone number in ``text``.

    A national number can be valid in several regions (0120-999-373 is a toll-free
    number in Japan and a Paris number in France): every reading is kept.
    """
    found: dict[int, tuple[str, list[str]]] = {}
    folded = _LETTER.sub(" ", fold(text).translate(_PHONE_FOLD))
    if not _SIX_DIGITS.search(folded):  # every JP or FR number has 9 digits or more: skip the matcher
        return []
    for region in regions:
        for match in phonenumbers.PhoneNumberMatcher(folded, region):
            e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            written, readings = found.setdefault(match.start, (text[match.start : match.end], []))
            if e164 not in readings:
                readings.append(e164)
    return [(offset, written, readings) for offset, (written, readings) in sorted(found.items())]


def money(text: str) -> list[tuple[int, str]]:
    """(offset, text as written) of every amount of money.

    MONEY is tried only where an amount can start (a digit or a currency sign):
    ``finditer`` would try it at every character of the page.
    """
    folded = fold(text)
    pattern = money_pattern()
    found, end = [], 0
    for start in _MONEY_START.finditer(folded):
        if start.start() < end:
            continue
        m = pattern.match(folded, start.start())
        if m:
            found.append((m.start(), text[m.start() : m.end()]))
            end = m.end()
    return found


@functools.cache
def money_pattern() -> re.Pattern:
    """An amount with a symbol or code before it (¥5,900, € 49, JPY 600), or a symbol, a code or a
    currency word of any language after it (5,900円, 49 €, 49 euros, 49ユーロ)."""
    after = _alternatives(_catalogue_words("money-words") | _currency_words())
    return re.compile(
        rf"(?:(?:{_BEFORE}){_SPACE}?(?P<a>{_NUMBER})|(?<![\d.,])(?P<b>{_NUMBER}){_SPACE}?(?:{_SYMBOLS_AFTER}|{after}))",
        re.I,
    )


@functools.cache
def range_join() -> str:
    """What stands between the two numbers of a range: a dash or a tilde, or a word of any language."""
    joiners = _alternatives(set(_RANGE_SYMBOLS) | _catalogue_words("range-words"), boundary=False)
    return rf"\s*(?:{joiners})\s*"


def _catalogue_words(key: str) -> set[str]:
    """The words of a catalogue key in every language (a list of words per language)."""
    return {word for words in catalogue.engine().entries.get(key, {}).values() for word in words}


def _currency_words() -> set[str]:
    """The currency names the renderer writes in place of CLDR's (messages.yaml's currency-words)."""
    found: set[str] = set()
    for by_currency in catalogue.engine().entries.get("currency-words", {}).values():
        for forms in by_currency.values():
            found.update(forms.values() if isinstance(forms, dict) else [forms])
    return found


# Scripts written without spaces between words: a word of theirs ends where it ends (49ユーロです).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def _alternatives(words: set[str], boundary: bool = True) -> str:
    """A regex alternation of ``words``, longest first; a word of a spaced script must end a word."""
    parts = []
    for word in sorted({fold(w) for w in words}, key=lambda w: (-len(w), w)):  # text is folded before matching
        parts.append(re.escape(word) + (r"\b" if boundary and not _UNSPACED.match(word[-1]) else ""))
    return "|".join(parts) or "(?!)"


def _unit_words() -> dict[str, list[str]]:
    """Each duration unit's words in every language, taken from the messages the renderer uses."""
    words: dict[str, set[str]] = {}
    for key, by_language in catalogue.engine().entries.items():
        if not key.startswith("unit."):
            continue
        unit = key.removeprefix("unit.")
        for forms in by_language.values():
            for form in forms.values() if isinstance(forms, dict) else [forms]:
                word = form.replace("{n}", "").strip()
                words.setdefault(unit, set()).add(word)
    return {u: sorted(ws, key=len, reverse=True) for u, ws in words.items()}


@functools.cache
def _duration_pattern() -> tuple[re.Pattern, list[str]]:
    units = _unit_words()
    alternatives = sorted(((w, u) for u, ws in units.items() for w in ws), key=lambda p: len(p[0]), reverse=True)
    pattern = "|".join(
        f"(?P<u{i}>{re.escape(w).replace(chr(92) + ' ', _SPACE)})" for i, (w, _) in enumerate(alternatives)
    )
    regex = re.compile(
        rf"(?<![\d.,月])(?P<low>\d+)(?:{range_join()}(?P<high>\d+))?{_SPACE}?(?:{pattern})(?![A-Za-z]|\d{{1,2}}月)",
        re.I,
    )
    return regex, [unit for _, unit in alternatives]


def durations(text: str) -> list[tuple[int, int, int | None, str]]:
    """(offset, low, high, unit) of every written duration such as '3 à 5 jours ouvrés'."""
    regex, units = _duration_pattern()
    found = []
    for m in regex.finditer(fold(text)):
        index = next(int(k[1:]) for k, v in m.groupdict().items() if k.startswith("u") and v)
        high = int(m.group("high")) if m.group("high") else None
        found.append((m.start(), int(m.group("low")), high, units[index]))
    return found
