"""Facts in the reader's language: Babel for numbers, money and dates; phonenumbers for phones.

Every fact renders to HTML carrying ``data-fact="<id>"`` so that the built site can be
checked (and styled) by fact. Procedures and histories render as HTML lists, never as
Markdown: a step's text is the registry's, escaped, and Markdown must not read a link or
an emphasis into it.
"""
from __future__ import annotations

import functools
import html
import re
from importlib import resources

import phonenumbers
import yaml
from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal

from . import references
from .references import Reference
from .schema import PartialDate


@functools.cache
def messages() -> dict:
    return yaml.safe_load(resources.files(__package__).joinpath("messages.yaml").read_text("utf-8"))


def message(key: str, language: str, count: int | None = None, precision: str | None = None, **values) -> str:
    """A phrase of messages.yaml: by CLDR plural category (one, other) or by date precision (day, month, year)."""
    text = messages()[key][language]
    if isinstance(text, dict) and precision in text:
        text = text[precision]
    elif isinstance(text, dict):
        text = text.get(Locale.parse(language).plural_form(count or 0), text["other"])
    return text.format(**values)


class Renderer:
    """Renders facts of one registry in one language."""

    def __init__(self, registry, language: str):
        self.registry = registry
        self.language = language
        self._rendered: dict[tuple, str] = {}  # (verb, fact id) -> HTML: facts recur across pages

    # -- public -------------------------------------------------------------
    def reference(self, ref: Reference) -> str:
        key = (ref.verb, ref.target)
        if key not in self._rendered:
            self._rendered[key] = self._reference(ref)
        return self._rendered[key]

    def _reference(self, ref: Reference) -> str:
        if ref.verb == "cite":
            return self.citation(ref.fact_id)
        fact = self.registry.facts[ref.fact_id]
        if ref.verb == "as-of":
            return self._span(ref.fact_id, "fact-as-of", self.as_of(fact))
        if ref.verb == "validity":
            return self._span(ref.fact_id, "fact-validity", self.validity(fact))
        if ref.verb == "source":
            return self.sources(fact)
        if ref.verb == "history":
            return self.history(ref.fact_id, fact)
        if fact.kind == "procedure":
            return self.procedure(ref.fact_id, fact)
        return self.inline(ref.fact_id, fact)

    def inline(self, fact_id: str, fact) -> str:
        return getattr(self, f"_{fact.kind}")(fact_id, fact)

    def plain(self, fact) -> str:
        """The fact as plain text (for facts.json and structured data): what a reader sees, markers included."""
        if fact.kind == "procedure":
            return "\n".join(f"{i}. {self.plain_text(step[self.language])}" for i, step in enumerate(fact.steps, 1))
        return html.unescape(_strip_tags(self.inline("", fact)))

    def plain_text(self, text: str) -> str:
        """A step's text with its references as plain text."""
        return self._substitute(text, lambda ref: self.plain(self.registry.facts[ref.target]))

    @staticmethod
    def _substitute(text: str, render, escape=lambda t: t) -> str:
        """``text`` with each reference replaced by ``render(ref)`` and the rest by ``escape(rest)``."""
        refs, _ = references.parse(text, shown="")
        out, position = [], 0
        for ref in refs:
            out += [escape(text[position:ref.start]), render(ref)]
            position = ref.end
        out.append(escape(text[position:]))
        return "".join(out)

    def date(self, value: PartialDate) -> str:
        if value.precision == "day":
            return format_date(value.earliest(), "long", locale=self.language)
        return format_skeleton("yMMMM" if value.precision == "month" else "y", value.earliest(), locale=self.language)

    def page_notice(self, fact_ids) -> str | None:
        """What a page shows under its title about the age of its facts."""
        return self.page_as_of(fact_ids)

    def page_as_of(self, fact_ids) -> str | None:
        """The line a page shows under its title: the oldest confirmation among the facts it states."""
        facts = [self.registry.facts[i] for i in set(fact_ids) if i in self.registry.facts]
        ongoing = [f for f in facts if f.ongoing]  # past prices and past events do not date a page
        dates = [f.as_of for f in ongoing or facts]
        if not dates:
            return None
        oldest = min(dates, key=lambda d: d.earliest())
        return (f'<p class="facts-as-of"><time datetime="{oldest}">'
                f'{html.escape(message("facts-as-of", self.language, precision=oldest.precision, date=self.date(oldest)))}</time></p>')

    def as_of(self, fact) -> str:
        return message("as-of", self.language, precision=fact.as_of.precision, date=self.date(fact.as_of))

    def validity(self, fact) -> str:
        """When a fact held: "since 24 August 2023", "until …", or the interval, in the reader's language."""
        start, end = fact.valid_from, fact.valid_until
        if start and end:
            precision = "day" if start.precision == end.precision == "day" else "month"
            return message("valid-between", self.language, precision=precision,
                           start=self.date(start), end=self.date(end))
        if start:
            return message("valid-from", self.language, precision=start.precision, date=self.date(start))
        if end:
            return message("valid-until", self.language, precision=end.precision, date=self.date(end))
        return ""

    def phone_text(self, fact) -> str:
        number = self._parse(fact)
        if fact.status == "retired":
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

    def sources(self, fact) -> str:
        cited = [self._cited(source_id) for source_id in fact.sources]
        text = message("sources", self.language, count=len(cited), list=format_list(cited, locale=self.language))
        return f'<span class="fact-sources">{text}</span>'

    def citation(self, source_id: str) -> str:
        return f'<span class="fact-sources">{self._cited(source_id)}</span>'

    def _cited(self, source_id: str) -> str:
        source = self.registry.sources[source_id]
        title = html.escape(source.title)
        if source.url:
            title = f'<a href="{html.escape(source.url)}" hreflang="{source.language}">{title}</a>'
        lang = f' lang="{source.language}"' if source.language != self.language else ""
        date = self.date(source.date) if source.date else message("undated", self.language)
        return message("cited", self.language, title=f"<cite{lang}>{title}</cite>", date=date)

    def history(self, fact_id: str, fact) -> str:
        items = []
        for event in getattr(fact, "history", []):
            date = self.date(event.date) if event.date else message("undated", self.language)
            text = html.escape(message(f"history.{event.status}", self.language, date=date))
            source = self.registry.sources[event.source]
            lang = f' lang="{source.language}"' if source.language != self.language else ""
            note = f" {html.escape(event.note[self.language])}" if event.note else ""
            items.append(f'<li><span class="fact-history" data-fact="{fact_id}">{text}</span>{note} '
                         f'(<cite{lang}>{html.escape(source.title)}</cite>)</li>')
        return f'<ul class="fact-history-list">{"".join(items)}</ul>'

    def procedure(self, fact_id: str, fact) -> str:
        """The steps as an HTML list: the text escaped, its references rendered inline."""
        items = [f"<li>{self._substitute(step[self.language], self._inline_ref, _escape_text)}</li>"
                 for step in fact.steps]
        return f'<ol class="fact-procedure" data-fact="{fact_id}">{"".join(items)}</ol>'

    def _inline_ref(self, ref: Reference) -> str:
        return self.inline(ref.target, self.registry.facts[ref.target])

    # -- kinds ----------------------------------------------------------------
    def _parse(self, fact) -> phonenumbers.PhoneNumber:
        return phonenumbers.parse(fact.number, self.registry.region_of(fact))

    def _phone(self, fact_id: str, fact) -> str:
        number = self._parse(fact)
        text = html.escape(self.phone_text(fact))
        if fact.status == "retired":
            marker = html.escape(message("retired", self.language))
            return (f'<span class="fact fact-phone fact-phone--retired" data-fact="{fact_id}">'
                    f'<span class="fact-phone__number">{text}</span> <strong class="fact-status">{marker}</strong></span>')
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return f'<a class="fact fact-phone" data-fact="{fact_id}" href="tel:{e164}">{text}</a>'

    def _money(self, fact_id: str, fact) -> str:
        style = "name" if self.language == "ja" else "standard"  # Japanese writes 5,900円, not ￥5,900
        amount = format_currency(fact.amount, fact.currency, locale=self.language, format_type=style)
        text = message(f"period.{fact.period}", self.language, amount=amount)
        if fact.tax:  # some sources do not say whether tax is included
            text = message(f"tax.{fact.tax}", self.language, text=text)
        return self._span(fact_id, "fact-money", text)

    def _duration(self, fact_id: str, fact) -> str:
        return self._span(fact_id, "fact-duration", self.duration_text(fact.min, fact.max, fact.unit))

    def duration_text(self, low: int, high: int | None, unit: str) -> str:
        number = format_decimal(low, locale=self.language)
        if high is not None:
            number = message("range", self.language, min=number, max=format_decimal(high, locale=self.language))
        return message(f"unit.{unit}", self.language, count=high if high is not None else low, n=number)

    def _date(self, fact_id: str, fact) -> str:
        return self._span(fact_id, "fact-date", self.date(fact.date), tag="time", attrs=f' datetime="{fact.date}"')

    def _url(self, fact_id: str, fact) -> str:
        return f'<a class="fact fact-url" data-fact="{fact_id}" href="{html.escape(fact.url)}">{html.escape(fact.title[self.language])}</a>'

    def _label(self, fact_id: str, fact) -> str:
        label = html.escape(fact.text)
        if fact.language != self.language:
            label = f'<span lang="{fact.language}">{label}</span>'
        text = message("quote", self.language, text=label)
        if fact.language != self.language:
            text = message("gloss", self.language, label=text, gloss=html.escape(fact.gloss[self.language]))
        return f'<span class="fact fact-label" data-fact="{fact_id}">{text}</span>'

    @staticmethod
    def _span(fact_id: str, cls: str, text: str, tag: str = "span", attrs: str = "") -> str:
        return f'<{tag} class="fact {cls}" data-fact="{fact_id}"{attrs}>{html.escape(text, quote=False)}</{tag}>'


def _escape_text(text: str) -> str:
    return html.escape(text, quote=False)


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)
