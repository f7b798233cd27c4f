"""The printed knowledge base: one PDF per language, with no MkDocs imports.

``hooks/pdf.py`` collects each language's rendered pages and hands each book
to a :class:`Press`, which prints it in a worker process; the tests call the
same functions.
"""

from __future__ import annotations

from .book import Book, Chapter, assemble
from .errors import BookError
from .messages import messages
from .press import Press, print_book
from .render import Printed, write_pdf

__all__ = ["Book", "Chapter", "BookError", "Press", "Printed", "assemble", "messages", "print_book", "write_pdf"]
