"""How the site grows with its size: ``python scripts/bench_scale.py 30 300 1000``.

For each N, a synthetic knowledge base of N articles x 3 languages (``benchmark.generate_site``,
in /tmp/scaleN, kept), then:

- the plain build (``mkdocs-nohooks.yml``: no hooks, no overrides): wall, CPU, max RSS;
- HTML per page and the site's size;
- the ``factcheck`` command three times (the first fills ``.cache/factcheck``);
- ``check()`` in process: cold; a new Checker reading the store, for the verdict only (as
  ``factcheck`` does: seven times) and with the pages' analyses (as a build's first
  validation does); a kept Checker (as ``mkdocs serve`` keeps one); three times each.

Prints one JSON line per N. The figures of BENCHMARKS.md's "Scale" section come from it; the
full build and the preview's edit-to-reload come from ``benchmark.py --full``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchmark

from factengine.checks import Checker
from factengine.project import Project


def _timed(action, times: int = 3) -> list[float]:
    out = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        out.append(round(time.perf_counter() - started, 3))
    return out


def measure(articles: int) -> dict:
    root = Path(tempfile.gettempdir()) / f"scale{articles}"
    shutil.rmtree(root, ignore_errors=True)
    benchmark.generate_site(root, articles)
    site = Path(tempfile.mkdtemp()) / "site"
    try:
        plain = benchmark.run_child(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs-nohooks.yml"), "-d", str(site)],
            root,
            benchmark._env(),
        )
        size = benchmark._html_per_page(site)
    finally:
        shutil.rmtree(site.parent, ignore_errors=True)
    command = [
        benchmark.run_child(
            [str(Path(sys.executable).parent / "factcheck"), "--root", str(root), "--json"], root, benchmark._env()
        )
        for _ in range(3)
    ]
    here = os.getcwd()
    os.chdir(root)  # the store is keyed by the working folder (reports name paths relative to it)
    try:
        project = Project(root)
        cold = _timed(lambda: Checker().check(project), 1)
        Checker.for_project(project).check(project)
        # what `factcheck` does (the verdict), and what a build's first validation does (the
        # analyses too, which the hooks render from)
        from_store = _timed(lambda: Checker.for_project(project).check(project, analyses=False), 7)
        from_store_analyses = _timed(lambda: Checker.for_project(project).check(project))
        kept = Checker.for_project(project)
        kept.check(project)
        with_kept = _timed(lambda: kept.check(project))
    finally:
        os.chdir(here)
    return {
        "articles": articles,
        "pages": size["pages"],
        "plain_build": {
            "s": round(plain.seconds, 2),
            "cpu_s": round(plain.cpu_seconds, 2),
            "max_rss_mib": round(plain.max_rss_mib),
        },
        "html_kib_per_page": size["html_kib_per_page"],
        "site_mib": size["site_mib"],
        "factcheck_command_s": [round(run.seconds, 2) for run in command],
        "check_in_process_s": {
            "cold": cold,
            "from_store": from_store,
            "from_store_with_analyses": from_store_analyses,
            "kept_checker": with_kept,
        },
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


if __name__ == "__main__":
    for n in [int(arg) for arg in sys.argv[1:]] or [30, 300]:
        print(json.dumps(measure(n)), flush=True)
