"""The names a rendered fact carries in HTML, in one place.

The renderer (``render.py``) writes them; these read them back, so a rename here is a
rename everywhere the Python code looks:

- the verifier of the built site (``verify.py``): which element is a fact, which phone is retired;
- the search index (``searchindex/pages.py``): which element is about a registry phone number;
- the stylesheets, which cannot import them: ``docs/stylesheets/facts.css`` and ``print.css``
  (the web page) and ``printbook/book.css`` (the book) style the classes below;
  ``tests/test_render.py`` checks that each class they need is still written.
"""

from __future__ import annotations

FACT_ATTRIBUTE = "data-fact"  # every rendered fact: data-fact="<fact id>"
FACT_CLASS = "fact"  # every inline fact, beside the class of its kind
PHONE_CLASS = "fact-phone"  # a phone number, in service (a tel: link) or retired
RETIRED_CLASS = "fact-phone--retired"  # a retired number: struck through, never a link
RETIRED_NUMBER_CLASS = "fact-phone__number"
STATUS_CLASS = "fact-status"  # the retired marker's words
PROCEDURE_CLASS = "fact-procedure"  # a procedure's ordered list
HISTORY_CLASS = "fact-history"  # one dated line of a fact's history
HISTORY_LIST_CLASS = "fact-history-list"
