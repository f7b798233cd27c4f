"""Facts in the reader's language: Babel for numbers, money and dates; phonenumbers for phones.

Every fact renders to HTML carrying ``data-fact="<id>"`` so that the built site can be
checked (and styled) by fact. Procedures and histories render as HTML lists, never as
Markdown: a step's text is the registry's, escaped, and Markdown must not read a link or
an emphasis into it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from urllib.parse import quote

import phonenumbers
from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.numbers import format_decimal, get_currency_name, get_currency_unit_pattern, parse_pattern

from .htmlnames import (
    FACT_ATTRIBUTE,
    FACT_CLASS,
    HISTORY_CLASS,
    HISTORY_LIST_CLASS,
    PHONE_CLASS,
    PROCEDURE_CLASS,
    RETIRED_CLASS,
    RETIRED_NUMBER_CLASS,
    STATUS_CLASS,
)
from . import catalogue, references
from .references import Reference
from .schema import PartialDate


def messages() -> dict:
    """factengine/messages.yaml, the engine's phrase catalogue: key -> language -> text."""
    return catalogue.engine().entries


def message(key: str, language: str, count: int | None = None, precision: str | None = None, **values) -> str:
    """A phrase of messages.yaml: by CLDR plural category (one, other) or by date precision (day, month, year).
    A phrase missing in ``language`` is a FactError naming the file and line (``factcheck`` reports them all)."""
    text = catalogue.engine().text(key, language)
    if isinstance(text, dict) and precision in text:
        text = text[precision]
    elif isinstance(text, dict):
        text = text.get(Locale.parse(language).plural_form(count or 0), text["other"])
    text = text.format(**values)
    if language == "fr" and "de " in text:  # "de avril" is written "d’avril" (a date put after "de")
        text = _FRENCH_ELISION.sub("d’", text)
    return text


def message_data(key: str, language: str):
    """An entry of messages.yaml as written (a word, a list, a mapping, a template), with none of
    :func:`message`'s work: no plural, no precision, no French elision in what it joins."""
    return catalogue.engine().text(key, language)


_FRENCH_ELISION = re.compile(r"\bde (?=[aeiouéèêâîôûAEIOUÉ])")


# What the same on many pages would drown in search results (the line on the age of the facts,
# the stale notice, the footer): the search index (Pagefind) leaves it out.
NOT_SEARCHED = "data-pagefind-ignore"


class Renderer:
    """Renders facts of one registry in one language; ``today`` dates the stale-fact notice."""

    def __init__(self, registry, language: str, today: dt.date | None = None):
        self.registry = registry
        self.language = language
        self.today = today or dt.date.today()
        self._rendered: dict[tuple, str] = {}  # (verb, fact id) -> HTML: facts recur across pages
        self._dates: dict[PartialDate, str] = {}  # Babel's formatting is slow, and dates recur
        self._footer: tuple[str | None] | None = None  # the same on every page of the language
        self._plain: dict[str, str] = {}  # a step's text -> its plain text (structured data)
        self._notices: dict[tuple, str] = {}  # page_notice's dates -> the notice

    # -- public -------------------------------------------------------------
    def reference(self, ref: Reference) -> str:
        key = (ref.verb, ref.target)
        if key not in self._rendered:
            self._rendered[key] = self._reference(ref)
        return self._rendered[key]

    def _reference(self, ref: Reference) -> str:
        if ref.verb == "cite":
            return self.citation(ref.fact_id)
        if ref.verb == "bibliography":
            return self.bibliography(ref.target)
        if ref.verb == "reviewed":
            return self.reviewed()
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
        """A step's text with its references as plain text (a procedure's steps recur on many pages)."""
        if text not in self._plain:
            self._plain[text] = self._substitute(text, lambda ref: self.plain(self.registry.facts[ref.target]))
        return self._plain[text]

    @staticmethod
    def _substitute(text: str, render, escape=lambda t: t) -> str:
        """``text`` with each reference replaced by ``render(ref)`` and the rest by ``escape(rest)``."""
        refs, _ = references.parse(text, shown="")
        out, position = [], 0
        for ref in refs:
            out += [escape(text[position : ref.start]), render(ref)]
            position = ref.end
        out.append(escape(text[position:]))
        return "".join(out)

    def date(self, value: PartialDate) -> str:
        if value not in self._dates:
            if value.precision == "day":
                text = format_date(value.earliest(), "long", locale=self.language)
            else:
                skeleton = "yMMMM" if value.precision == "month" else "y"
                text = format_skeleton(skeleton, value.earliest(), locale=self.language)
            self._dates[value] = text
        return self._dates[value]

    def page_notice(self, fact_ids) -> str | None:
        """What a page shows under its title about the age of its facts: when they were reported
        (never "verified"), that some sources are undated, and, when the oldest fact still in
        force is older than the site's horizon, a notice to check on Amazon first."""
        facts = [self.registry.facts[i] for i in set(fact_ids) if i in self.registry.facts]
        ongoing = [f for f in facts if f.ongoing]  # past prices and past events do not date a page
        dated = ongoing or facts
        if not dated:
            return None
        oldest = min((f.as_of for f in dated), key=lambda d: d.earliest())
        newest = max((f.as_of for f in dated), key=lambda d: d.latest())
        horizon = self.today - dt.timedelta(days=self.registry.site.stale_after_days)
        stale = [f.as_of for f in ongoing if f.as_of.latest() < horizon]
        old = min(stale, key=lambda d: d.earliest()) if stale else None
        # Pages share these few dates: the notice is worded once per combination (Babel's
        # formatting and the catalogue's look-ups were a tenth of the fact hook's time).
        key = (oldest, newest, any(self.undated(f) for f in dated), old)
        if key not in self._notices:
            self._notices[key] = self._page_notice(*key)
        return self._notices[key]

    def _page_notice(self, oldest: PartialDate, newest: PartialDate, undated: bool, old: PartialDate | None) -> str:
        if (oldest.year, oldest.month) == (newest.year, newest.month):
            text = message("facts-reported-in", self.language, date=self.month(oldest))
        else:
            text = message("facts-reported-between", self.language, start=self.month(oldest), end=self.month(newest))
        if undated:
            text = message_data("sentences", self.language).format(
                first=text, second=message("facts-some-undated", self.language)
            )
        notice = f'<p class="facts-as-of" {NOT_SEARCHED}><time datetime="{oldest}">{html.escape(text)}</time></p>'
        if old is not None:
            span = self.registry.site.stale_after_days // 365
            years = message("years", self.language, count=span, n=span)
            notice += (
                f'<div class="admonition warning facts-stale" role="note" {NOT_SEARCHED}>'
                f'<p class="admonition-title">{html.escape(message("stale-title", self.language))}</p>'
                f"<p>{html.escape(message('stale-text', self.language, date=self.month(old), years=years))}</p>"
                "</div>"
            )
        return notice

    def month(self, value: PartialDate) -> str:
        """A date to the month at most ("August 2023"): how old a page's facts are."""
        return self.date(PartialDate(value.year, value.month)) if value.month else self.date(value)

    def undated(self, fact) -> bool:
        """A fact whose every source is undated: its as_of is a bound, not a date of report."""
        return all(self.registry.sources[s].date is None for s in fact.sources if s in self.registry.sources)

    def as_of(self, fact) -> str:
        key = "as-of-undated" if self.undated(fact) else "as-of"
        return message(key, self.language, precision=fact.as_of.precision, date=self.date(fact.as_of))

    def reviewed(self) -> str:
        value = self.registry.site.reviewed
        text = message("reviewed", self.language, precision=value.precision, date=self.date(value))
        return f'<time class="site-reviewed" datetime="{value}">{html.escape(text)}</time>'

    def footer(self) -> str | None:
        """Every page's last words: an independent guide, and the marketplaces' own pages (url facts)."""
        if self._footer is None:
            self._footer = (self._make_footer(),)
        return self._footer[0]

    def _make_footer(self) -> str | None:
        if not self.registry.site.official:
            return None
        by_market: dict[str, list[str]] = {}
        for fact_id in self.registry.site.official:
            fact = self.registry.facts[fact_id]
            by_market.setdefault(fact.marketplace, []).append(
                f'{self.inline(fact_id, fact)} <span class="fact-as-of">({html.escape(self.as_of(fact))})</span>'
            )
        colon = message("label-colon", self.language)
        groups = "; ".join(
            f"{html.escape(self.registry.marketplaces[m].name)}{colon}{format_list(links, locale=self.language)}"
            for m, links in by_market.items()
        )
        return (
            f'<aside class="site-independent" {NOT_SEARCHED}><p>{html.escape(message("independent", self.language))} '
            f"{groups}</p></aside>"
        )

    def validity(self, fact) -> str:
        """When a fact held: "since 24 August 2023", "until …", or the interval, in the reader's language."""
        start, end = fact.valid_from, fact.valid_until
        if start and end:
            precision = "day" if start.precision == end.precision == "day" else "month"
            return message(
                "valid-between", self.language, precision=precision, start=self.date(start), end=self.date(end)
            )
        if start:
            return message("valid-from", self.language, precision=start.precision, date=self.date(start))
        if end:
            return message("valid-until", self.language, precision=end.precision, date=self.date(end))
        return ""

    def phone_text(self, fact) -> str:
        if fact.short:
            return fact.number
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

    def _cited(self, source_id: str, full: bool = False, inline: bool = False) -> str:
        """A source by its short neutral name (its title when it has none), linked, with its date;
        ``full``: by its title, as the list of sources gives it."""
        source = self.registry.sources[source_id]
        shown = source.title if full or not source.name else source.name
        title = html.escape(shown)
        if source.url:
            title = f'<a href="{html.escape(source.url)}" hreflang="{source.language}">{title}</a>'
        lang = f' lang="{source.language}"' if source.language != self.language and shown == source.title else ""
        date = self.date(source.date) if source.date else message("undated", self.language)
        return message(
            "cited-inline" if inline else "cited", self.language, title=f"<cite{lang}>{title}</cite>", date=date
        )

    def bibliography(self, source_id: str) -> str:
        """A source in the list of sources: its full title, its date, who published it."""
        source = self.registry.sources[source_id]
        text = self._cited(source_id, full=True)
        if source.publisher:
            text += f" — {html.escape(source.publisher)}"
        return f'<span class="fact-sources">{text}</span>'

    def history(self, fact_id: str, fact) -> str:
        """A phone number's dated statuses, each with its source. Once the number is retired, its
        earlier statuses are told in the past tense ("was in service in …")."""
        items = []
        for event in getattr(fact, "history", []):
            key = (
                "history.was-active"
                if event.status == "active" and fact.status == "retired"
                else f"history.{event.status}"
            )
            precision = event.date.precision if event.date else "undated"
            text = message(key, self.language, precision=precision, date=self.date(event.date) if event.date else "")
            note = f" {html.escape(event.note[self.language])}" if event.note else ""
            status = f'<span class="{HISTORY_CLASS}" {FACT_ATTRIBUTE}="{fact_id}">{html.escape(text)}</span>{note}'
            cited = self._cited(event.source, inline=True)
            items.append(f"<li>{message_data('aside', self.language).format(text=status, aside=cited)}</li>")
        return f'<ul class="{HISTORY_LIST_CLASS}">{"".join(items)}</ul>'

    def procedure(self, fact_id: str, fact) -> str:
        """The steps as an HTML list: the text escaped, its references rendered inline."""
        items = [
            f"<li>{self._substitute(step[self.language], self._inline_ref, _escape_text)}</li>" for step in fact.steps
        ]
        return f'<ol class="{PROCEDURE_CLASS}" {FACT_ATTRIBUTE}="{fact_id}">{"".join(items)}</ol>'

    def _inline_ref(self, ref: Reference) -> str:
        return self.inline(ref.target, self.registry.facts[ref.target])

    # -- kinds ----------------------------------------------------------------
    def _parse(self, fact) -> phonenumbers.PhoneNumber:
        return phonenumbers.parse(fact.number, self.registry.region_of(fact))

    def _phone(self, fact_id: str, fact) -> str:
        text = html.escape(self.phone_text(fact))
        if fact.status == "retired":
            marker = html.escape(message("retired", self.language))
            separator = message("retired-separator", self.language)
            return (
                f'<span class="{FACT_CLASS} {PHONE_CLASS} {RETIRED_CLASS}" {FACT_ATTRIBUTE}="{fact_id}">'
                f'<span class="{RETIRED_NUMBER_CLASS}">{text}</span>{separator}'
                f'<strong class="{STATUS_CLASS}">{marker}</strong></span>'
            )
        target = (
            quote(fact.number)
            if fact.short
            else phonenumbers.format_number(self._parse(fact), phonenumbers.PhoneNumberFormat.E164)
        )
        return f'<a class="{FACT_CLASS} {PHONE_CLASS}" {FACT_ATTRIBUTE}="{fact_id}" href="tel:{target}">{text}</a>'

    def _email(self, fact_id: str, fact) -> str:
        address = html.escape(fact.address)
        return f'<a class="{FACT_CLASS} fact-email" {FACT_ATTRIBUTE}="{fact_id}" href="mailto:{address}">{address}</a>'

    def _money(self, fact_id: str, fact) -> str:
        text = message(f"period.{fact.period}", self.language, amount=self.amount(fact.amount, fact.currency))
        if fact.tax:  # some sources do not say whether tax is included
            text = message(f"tax.{fact.tax}", self.language, text=text)
        return self._span(fact_id, "fact-money", text)

    def amount(self, amount: Decimal, currency: str) -> str:
        """An amount as the reader's language writes it: a whole amount without decimals (€49,
        ¥5,900, 49ユーロ, 49 €), decimals only where it has them (69,90 €). Babel formats with
        the language's own pattern; only its precision is chosen, never its shape."""
        whole = amount == amount.to_integral_value()
        locale = Locale.parse(self.language)
        words = message_data("currency-words", self.language).get(currency)
        if message_data("money-style", self.language) == "name" or words:
            number = format_decimal(amount, format="#,##0" if whole else "#,##0.00", locale=locale)
            count = int(amount) if whole else 2
            unit = (
                words.get(locale.plural_form(count), words["other"])
                if words
                else get_currency_name(currency, count, locale)
            )
            # A number never wraps away from its unit: CLDR's "{0} {1}" with a no-break space.
            return get_currency_unit_pattern(currency, count, locale).replace(" ", "\u00a0").format(number, unit)
        pattern = parse_pattern(locale.currency_formats["standard"].pattern)
        if whole:
            pattern.frac_prec = (0, 0)
        return pattern.apply(amount, locale, currency=currency, currency_digits=False)

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
        return (
            f'<a class="{FACT_CLASS} fact-url" {FACT_ATTRIBUTE}="{fact_id}" href="{html.escape(fact.url)}">'
            f"{html.escape(fact.title[self.language])}</a>"
        )

    def _label(self, fact_id: str, fact) -> str:
        label = html.escape(fact.text)
        if fact.language != self.language:
            label = f'<span lang="{fact.language}">{label}</span>'
        text = message("quote", self.language, text=label)
        if fact.language != self.language:
            text = message("gloss", self.language, label=text, gloss=html.escape(fact.gloss[self.language]))
        return f'<span class="{FACT_CLASS} fact-label" {FACT_ATTRIBUTE}="{fact_id}">{text}</span>'

    @staticmethod
    def _span(fact_id: str, cls: str, text: str, tag: str = "span", attrs: str = "") -> str:
        return f'<{tag} class="{FACT_CLASS} {cls}" {FACT_ATTRIBUTE}="{fact_id}"{attrs}>{html.escape(text, quote=False)}</{tag}>'


def _escape_text(text: str) -> str:
    return html.escape(text, quote=False)


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)
