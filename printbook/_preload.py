"""Imported once by the worker processes' parent (the forkserver, ``press.py``): the printing
code loaded and warmed up on a sample book, so that every worker forked from it starts ready to print."""

import tempfile
from pathlib import Path

from .book import assemble, sample
from .render import warm_up

warm_up(assemble(sample(), Path(tempfile.gettempdir())))
