"""Corrections to the theme's markup that the templates cannot reach."""

from __future__ import annotations

import re

# Material's base.html writes its drawer and search toggles as
# <input type="checkbox" ... autocomplete="off">, which HTML does not allow
# ("autocomplete" applies to text-like inputs only; the W3C checker reports an error).
# Material meant it to stop Firefox restoring the toggles' state on reload; without it
# a drawer left open may reopen on reload, which is harmless.
_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="off"')


def fix(html: str) -> str:
    return _CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)
