"""Phone numbers, findable in any notation.

Readers type a number the way they saw it: ``0120-999-373``, ``0120 999 373``,
``+81 120 999 373``, ``+81 (0)120 999 373``, in full-width digits... The search
box reduces a phone-shaped query to its digits (``docs/javascripts/search.js``);
here, at build time, every number found in a page is written into the index as
the digit strings of each notation Google's ``phonenumbers`` knows for it, so
that whichever notation the reader used, its digits are one of those strings.
Numbers are found in page text with ``phonenumbers.PhoneNumberMatcher``, in the
regions of the registry's marketplaces; the registry's own numbers decide which
region a national notation belongs to (``0120-999-373`` is a Japanese toll-free
number, though it also reads as a valid Paris number).
"""

from __future__ import annotations

import dataclasses
import re

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberMatcher


# No phone number of any region has fewer digits than this (a text with fewer holds none).
MIN_DIGITS = 6


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def notations(number: phonenumbers.PhoneNumber) -> list[str]:
    """The digit strings of every common way of writing ``number``.

    E.164 / international (``81120999373``), national with its trunk prefix
    (``0120999373``), the national significant number alone (``120999373``),
    the mixed ``+81 (0)120…`` form (``810120999373``) and the ``00`` dialling
    prefix used from most of the world (``0081120999373``).
    """
    e164 = _digits(phonenumbers.format_number(number, PhoneNumberFormat.E164))
    national = _digits(phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))
    significant = phonenumbers.national_significant_number(number)
    region = phonenumbers.region_code_for_number(number)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region) if region else None
    trunk = (metadata.national_prefix if metadata else None) or ""
    country = str(number.country_code)
    found = [e164, national, significant, f"00{e164}"]
    if trunk:
        found.append(f"{country}{trunk}{significant}")
    return list(dict.fromkeys(found))  # ordered, without repeats


@dataclasses.dataclass(frozen=True)
class KnownPhone:
    fact_id: str
    number: phonenumbers.PhoneNumber
    retired: bool

    @property
    def e164(self) -> str:
        return phonenumbers.format_number(self.number, PhoneNumberFormat.E164)


class PhoneBook:
    """The registry's phone numbers, and the regions in which page text is read."""

    def __init__(self, known: list[KnownPhone], regions: list[str]):
        self.known = known
        self.regions = regions
        self._by_e164 = {phone.e164: phone for phone in known}
        self._by_fact = {phone.fact_id: phone for phone in known}

    @classmethod
    def from_registry(cls, registry) -> "PhoneBook":
        known = []
        for fact_id, fact in registry.facts.items():
            if getattr(fact, "kind", None) != "phone":
                continue
            number = phonenumbers.parse(fact.number, registry.region_of(fact))
            known.append(KnownPhone(fact_id, number, fact.status == "retired"))
        regions = sorted({m.region for m in registry.marketplaces.values()})
        return cls(known, regions)

    def for_fact(self, fact_id: str) -> KnownPhone | None:
        return self._by_fact.get(fact_id)

    def find(self, text: str) -> list[tuple[int, int, list[str]]]:
        """Every phone number in ``text``: (start, end, digit strings of its notations).

        A national notation that is valid in several regions is read as the
        registry's number when one of the readings is in the registry; otherwise
        every valid reading is kept (a search for either then finds the page).
        """
        if sum(c.isdigit() for c in text) < MIN_DIGITS:  # the matcher is slow; most text has no number
            return []
        readings: dict[tuple[int, int], list[phonenumbers.PhoneNumber]] = {}
        for region in self.regions:
            for match in PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
                readings.setdefault((match.start, match.end), []).append(match.number)
        found = []
        for (start, end), numbers in sorted(readings.items()):
            known = [n for n in numbers if phonenumbers.format_number(n, PhoneNumberFormat.E164) in self._by_e164]
            chosen = known[:1] or numbers
            digits = list(dict.fromkeys(d for n in chosen for d in notations(n)))
            found.append((start, end, digits))
        return found
