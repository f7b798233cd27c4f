"""The registry's schema: what a fact of each kind must say, checked by pydantic.

Validation context (``languages``, ``marketplaces``) comes from the registry's own
``site`` and ``marketplaces`` sections, which are validated first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal, Union

import phonenumbers
from babel.core import get_global
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    AfterValidator,
    BeforeValidator,
    ValidationInfo,
    field_validator,
    model_validator,
)

FACT_ID = r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$"
LANGUAGE = r"^[a-z]{2}$"


@dataclasses.dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day (sources are often dated '2020-02')."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value) -> "PartialDate":
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
        if not m:
            raise ValueError(f"'{value}' is not a date as YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in m.groups())
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError as exc:
            raise ValueError(f"'{value}' is not a valid date: {exc}") from None
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        if self.day:
            return self.earliest()
        if self.month:
            nxt = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p]
        return "-".join(parts)


Date = Annotated[PartialDate, BeforeValidator(PartialDate.parse), PlainSerializer(str, return_type=str)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


def _context(info: ValidationInfo, key: str):
    return (info.context or {}).get(key)


def _check_localized(value: dict[str, str], info: ValidationInfo, except_language: str | None = None):
    languages = _context(info, "languages") or []
    wanted = [lang for lang in languages if lang != except_language]
    missing = [lang for lang in wanted if not (value.get(lang) or "").strip()]
    extra = [lang for lang in value if lang not in languages]
    if missing:
        raise ValueError(f"missing text for language(s): {', '.join(missing)}")
    if extra:
        raise ValueError(f"language(s) not on the site: {', '.join(extra)}")
    return value


# Text in every site language (checked against the registry's own language list).
Localized = Annotated[dict[str, str], AfterValidator(_check_localized)]


class SiteSettings(Strict):
    languages: list[Annotated[str, Field(pattern=LANGUAGE)]] = Field(min_length=1)
    default_language: str
    stale_after_days: int = Field(default=1095, gt=0)
    stale: Literal["warning", "error"] = "warning"
    reviewed: Date | None = None  # when editors last went through every fact (the home page says so)
    official: list[str] = []  # url facts every page links to: the marketplaces' own help and contact pages

    @model_validator(mode="after")
    def _default_is_a_language(self):
        if self.default_language not in self.languages:
            raise ValueError(f"default_language '{self.default_language}' is not in languages")
        return self


class Marketplace(Strict):
    region: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    language: Annotated[str, Field(pattern=LANGUAGE)]
    name: str

    @field_validator("region")
    @classmethod
    def _known_region(cls, value):
        if value not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"'{value}' is not a region phonenumbers knows")
        return value


class Source(Strict):
    title: str
    name: str | None = None  # a short neutral name for citations ("webcommu.net"), where the title is long or loud
    language: Annotated[str, Field(pattern=LANGUAGE)]
    date: Date | None = None
    date_note: str | None = None
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    publisher: str | None = None

    @model_validator(mode="after")
    def _undated_needs_a_note(self):
        if self.date is None and not self.date_note:
            raise ValueError("a source without a date needs a date_note saying what is known of its date")
        return self


class StatusEvent(Strict):
    date: Date | None = None
    status: Literal["active", "retired"]
    source: str
    note: Localized | None = None


class FactBase(Strict):
    marketplace: str
    sources: list[str] = Field(min_length=1)
    as_of: Date
    valid_from: Date | None = None
    valid_until: Date | None = None
    note: Localized | None = None

    @field_validator("marketplace")
    @classmethod
    def _known_marketplace(cls, value, info: ValidationInfo):
        known = _context(info, "marketplaces") or {}
        if value not in known:
            raise ValueError(f"unknown marketplace '{value}' (known: {', '.join(sorted(known))})")
        return value

    @model_validator(mode="after")
    def _validity_in_order(self):
        if self.valid_from and self.valid_until and self.valid_until.latest() < self.valid_from.earliest():
            raise ValueError(f"valid_until {self.valid_until} is before valid_from {self.valid_from}")
        return self

    @property
    def ongoing(self) -> bool:
        """Still holds, so it can go stale: not superseded (valid_until) and not a past event (a date fact)."""
        return self.valid_until is None and self.kind != "date"


class Phone(FactBase):
    kind: Literal["phone"]
    number: str
    tariff: Literal["toll-free", "paid"]
    purpose: Localized
    status: Literal["active", "retired"]
    retired_on: Date | None = None
    history: list[StatusEvent] = []

    @property
    def short(self) -> bool:
        """A short number dialled as is (188, #9110), with no area code and no international form."""
        return bool(_SHORT_NUMBER.fullmatch(self.number))

    @field_validator("number")
    @classmethod
    def _valid_number(cls, value, info: ValidationInfo):
        marketplace = (_context(info, "marketplaces") or {}).get(info.data.get("marketplace"))
        region = marketplace.region if marketplace else None
        if _SHORT_NUMBER.fullmatch(value):
            # phonenumbers' short-number data does not know Japan's 188 or #9110, which public
            # bodies publish: a short number is checked for its shape only.
            return value
        try:
            parsed = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException as exc:
            raise ValueError(f"'{value}' is not a phone number: {exc}") from None
        if not phonenumbers.is_valid_number(parsed):
            raise ValueError(f"'{value}' is not a valid phone number for region {region}")
        return value

    @model_validator(mode="after")
    def _retirement(self):
        if self.retired_on and self.status != "retired":
            raise ValueError("retired_on is set but status is not 'retired'")
        return self


_SHORT_NUMBER = re.compile(r"#?\d{3,5}")


class Email(FactBase):
    """An e-mail address readers may write to (a body that collects phishing reports)."""

    kind: Literal["email"]
    address: Annotated[str, Field(pattern=r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")]
    purpose: Localized


class Money(FactBase):
    kind: Literal["money"]
    amount: Decimal = Field(ge=0)
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    period: Literal["year", "month", "once"]
    tax: Literal["included", "excluded"] | None = None  # None: the source does not say
    plan: Localized | None = None

    @field_validator("currency")
    @classmethod
    def _iso_currency(cls, value):
        if value not in get_global("all_currencies"):
            raise ValueError(f"'{value}' is not an ISO 4217 currency code")
        return value


DurationUnit = Literal["second", "minute", "hour", "day", "business-day", "week", "month", "year"]


class Duration(FactBase):
    kind: Literal["duration"]
    min: int = Field(ge=0)
    max: int | None = None
    unit: DurationUnit

    @model_validator(mode="after")
    def _range(self):
        if self.max is not None and self.max <= self.min:
            raise ValueError(f"max ({self.max}) must be greater than min ({self.min})")
        return self


class DateFact(FactBase):
    kind: Literal["date"]
    date: Date
    event: Localized


class Url(FactBase):
    kind: Literal["url"]
    url: Annotated[str, Field(pattern=r"^https://\S+$")]
    title: Localized


class Label(FactBase):
    """A label of the marketplace's interface, kept verbatim in the marketplace's language."""

    kind: Literal["label"]
    text: str = Field(min_length=1)
    language: Annotated[str, Field(pattern=LANGUAGE)]
    gloss: dict[str, str]  # every site language but the label's own

    @field_validator("gloss")
    @classmethod
    def _gloss(cls, value, info: ValidationInfo):
        return _check_localized(value, info, except_language=info.data.get("language"))


class Procedure(FactBase):
    """An ordered list of steps; a step's text may reference other (non-procedure) facts."""

    kind: Literal["procedure"]
    steps: list[Localized] = Field(min_length=1)


Fact = Annotated[Union[Phone, Email, Money, Duration, DateFact, Url, Label, Procedure], Field(discriminator="kind")]


class RegistryHead(Strict):
    site: SiteSettings
    marketplaces: dict[str, Marketplace] = Field(min_length=1)


class RegistryBody(Strict):
    sources: dict[Annotated[str, Field(pattern=FACT_ID)], Source]
    facts: dict[Annotated[str, Field(pattern=FACT_ID)], Fact]
