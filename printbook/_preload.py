"""Imported once by the worker processes' parent (the forkserver, ``press.py``): WeasyPrint
loaded and warmed up, so that every worker forked from it starts ready to print."""

from .render import warm_up

warm_up()
