"""Printing books in worker processes while the caller goes on (with the next pages' HTML).

WeasyPrint's layout is pure Python and single-threaded, and its memory grows with
the book's pages. Books are printed in parallel, at most one per core, each in a
worker process of its own that exits once its book is printed, so no process grows
with the site. Workers are forked from a small server process started
with WeasyPrint imported (multiprocessing's *forkserver*), not from the MkDocs
process: a worker does not carry a copy of the site being built, starts in a few
milliseconds, and it is safe with threads (``mkdocs serve``'s watcher).

A book whose content did not change is taken from the cache (``printbook/cache.py``).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import multiprocessing.connection
import os
import queue
import threading
import time
from pathlib import Path
from typing import Sequence

from .book import Book, assemble
from .cache import BookCache, book_key
from .errors import BookError
from .render import Printed, write_pdf


def print_book(
    book: Book,
    target: Path,
    site_dir: Path,
    stylesheets: Sequence[Path] = (),
    cache_dir: Path | None = None,
    salt: str = "",
) -> Printed:
    """Write ``book`` as a tagged PDF to ``target``; ``site_dir`` is the built site (images, base URL).
    With ``cache_dir``, a book printed before from the same content is copied instead."""
    started, cpu_started = time.perf_counter(), time.process_time()
    cache = key = None
    if cache_dir is not None:
        cache, key = BookCache(cache_dir), book_key(book, site_dir, stylesheets, salt)
        hit = cache.get(key, Path(target))
        if hit is not None:
            return dataclasses.replace(
                hit, seconds=time.perf_counter() - started, cpu_seconds=time.process_time() - cpu_started
            )
    refused: list[str] = []
    document = assemble(book, site_dir, refused)
    printed = write_pdf(document, target, site_dir, stylesheets=stylesheets)
    printed = dataclasses.replace(
        printed, seconds=time.perf_counter() - started, refused=refused, cpu_seconds=time.process_time() - cpu_started
    )
    if cache is not None:
        try:
            cache.put(key, printed)
        except OSError as exc:  # a cache that cannot be written costs time, not the book
            printed.warnings.append(f"the book could not be cached in {cache_dir}: {exc}")
    return printed


def _context():
    """forkserver where the platform has it (Linux), with the printing code loaded and warmed up once."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["printbook._preload"])
        return context
    return multiprocessing.get_context("spawn")


def _stop_forkserver() -> None:
    """Stop the forkserver and wait for it: multiprocessing leaves it running until the process
    exits, unwaited, so the processor time and memory of the books printed would be missing from
    the build's own accounting (``getrusage(RUSAGE_CHILDREN)``, ``/usr/bin/time``). The next build
    (``mkdocs serve``) starts a new one."""
    from multiprocessing import forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if stop is not None:
        stop()


def _work(connection, job: tuple) -> None:
    """In a worker process: print one book, send back the result or the error, exit."""
    try:
        result = ("ok", print_book(*job))
    except BaseException as exc:  # sent back and raised in the caller, naming the book
        try:
            connection.send(("error", exc))
        except Exception:  # an exception that cannot be pickled: its text then
            connection.send(("error", BookError(repr(exc))))
    else:
        connection.send(result)
    finally:
        connection.close()


class Press:
    """Books submitted by key, printed in parallel (at most ``workers`` at once, one process per
    book, so no process outlives its book's memory), collected by :meth:`finish`.

    A thread of the caller's process starts the processes as books arrive and slots free up,
    while the caller goes on building pages. (Not ``ProcessPoolExecutor(max_tasks_per_child=…)``:
    on Python 3.11 it hangs once a worker has exited.)"""

    def __init__(self, workers: int | None = None, cache_dir: Path | None = None, salt: str = ""):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.cache_dir = cache_dir
        self.salt = salt
        self._keys: list[str] = []
        self._queue: "queue.Queue[tuple[str, tuple] | None]" = queue.Queue()
        self._results: dict[str, tuple[str, object]] = {}
        self._thread: threading.Thread | None = None

    @property
    def submitted(self) -> set[str]:
        return set(self._keys)

    def submit(self, key: str, book: Book, target: Path, site_dir: Path, stylesheets: Sequence[Path] = ()) -> None:
        if key in self._keys:
            raise BookError(f"the book {key} was submitted twice in one build")
        self._keys.append(key)
        if self.cache_dir is not None:  # a book printed before: copied here, no worker process
            hit = BookCache(self.cache_dir).get(book_key(book, site_dir, stylesheets, self.salt), Path(target))
            if hit is not None:
                self._results[key] = ("ok", hit)
                return
        if self._thread is None:
            self._thread = threading.Thread(target=self._dispatch, name="printbook-press", daemon=True)
            self._thread.start()
        self._queue.put((key, (book, target, site_dir, tuple(stylesheets), self.cache_dir, self.salt)))

    def _dispatch(self) -> None:
        context = _context()
        running: dict[object, tuple[str, object, object]] = {}  # sentinel -> (key, process, connection)
        closed = False
        while not closed or running:
            # Start books while there are free workers (block for the next book only when none runs).
            while not closed and len(running) < self.workers:
                try:
                    item = self._queue.get(block=not running, timeout=None if not running else 0.05)
                except queue.Empty:
                    break
                if item is None:
                    closed = True
                    break
                key, job = item
                receive, send = context.Pipe(duplex=False)
                try:
                    process = context.Process(target=_work, args=(send, job), name=f"printbook {key}", daemon=True)
                    process.start()
                except Exception as exc:
                    self._results[key] = ("error", BookError(f"no worker process could be started: {exc!r}"))
                    continue
                finally:
                    send.close()
                running[process.sentinel] = (key, process, receive)
            if not running:
                continue
            ready = multiprocessing.connection.wait([r for _, _, r in running.values()] + list(running), timeout=0.05)
            for sentinel in list(running):
                key, process, receive = running[sentinel]
                if receive in ready or sentinel in ready:
                    try:
                        self._results[key] = receive.recv()
                    except (EOFError, OSError):
                        process.join()
                        self._results[key] = (
                            "error",
                            BookError(f"its worker process stopped (exit code {process.exitcode}) before printing it"),
                        )
                        receive.close()
                        del running[sentinel]
                        continue
                    process.join()
                    receive.close()
                    del running[sentinel]

    def finish(self) -> dict[str, Printed]:
        """Wait for every book; the first failure (in order of submission) is raised once all have stopped."""
        keys, self._keys = self._keys, []
        thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()
        results, self._results = self._results, {}
        self._queue = queue.Queue()
        _stop_forkserver()
        printed = {}
        for key in keys:
            status, value = results.get(key, ("error", BookError("it was never printed")))
            if status == "ok":
                printed[key] = value
            elif isinstance(value, BookError):
                raise BookError(f"the book {key}: {value}") from None
            else:  # WeasyPrint, or anything else: say which book
                raise BookError(f"the book {key} could not be printed: {value!r}") from None
        return printed
