"""Printing books in worker processes while the caller goes on (with the next language's HTML).

WeasyPrint's layout is pure Python and single-threaded: one language's book
takes about half the processor time of the whole site's HTML in three languages.
Printing each book in its own process as soon as its pages are known overlaps
that work with the rest of the build and uses every core.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Sequence

from .book import Book, assemble
from .errors import BookError
from .render import Printed, write_pdf


def print_book(book: Book, target: Path, site_dir: Path, stylesheets: Sequence[Path] = ()) -> Printed:
    """Write ``book`` as a tagged PDF to ``target``; ``site_dir`` is the built site (images, base URL)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    refused: list[str] = []
    printed = write_pdf(assemble(book, site_dir, refused), target, site_dir, stylesheets=stylesheets)
    return dataclasses.replace(printed, seconds=time.perf_counter() - started, refused=refused,
                               cpu_seconds=time.process_time() - cpu_started)


def _start_method() -> str:
    """Fork while the process has one thread (mkdocs build): a forked worker has WeasyPrint
    imported already, where a spawned one spends most of a second importing it. Threads
    (mkdocs serve's file watcher) do not survive a fork safely: spawn then."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


class Press:
    """Books submitted by key (a language), printed in parallel, collected by :meth:`finish`."""

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._jobs: dict[str, Future] = {}

    @property
    def submitted(self) -> set[str]:
        return set(self._jobs)

    def submit(self, key: str, book: Book, target: Path, site_dir: Path, stylesheets: Sequence[Path] = ()) -> None:
        if key in self._jobs:
            raise BookError(f"the {key} book was submitted twice in one build")
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(_start_method()))
        self._jobs[key] = self._pool.submit(print_book, book, target, site_dir, tuple(stylesheets))

    def finish(self) -> dict[str, Printed]:
        """Wait for every book; the first failure is raised once all have stopped."""
        jobs, self._jobs = self._jobs, {}
        printed = {}
        try:
            for key, job in jobs.items():
                try:
                    printed[key] = job.result()
                except BookError as exc:
                    raise BookError(f"the {key} book: {exc}") from None
                except Exception as exc:  # WeasyPrint, or a worker that died: say which book
                    raise BookError(f"the {key} book could not be printed: {exc!r}") from exc
            return printed
        finally:
            for job in jobs.values():
                job.cancel()
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None
