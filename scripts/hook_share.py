"""The fact hook's share of a build, measured in pairs: ``python scripts/hook_share.py SITE [--pairs K]``.

``SITE`` is a site made by ``scripts/benchmark.py --keep SITE`` (its ``mkdocs.yml`` has the fact
hook, its ``mkdocs-nohooks.yml`` has none). Each build runs in a fresh process, the two
configurations alternating (without, with; K pairs), and is timed inside that process around
MkDocs' own ``build()``: processor time, without the interpreter's start-up and imports, and,
in the builds with the hook, the processor time of each of the engine's events.

Why pairs: on a shared machine the same plain build varies by 10 to 25 % from one minute to the
next (BENCHMARKS.md), more than the target it is measured against; a build and its pair, run
one after the other, share most of that noise. Prints each pair, the median of the pairs'
ratios and the ratio of the medians.

``--together`` runs the two builds of a pair at the same time, one on each core, so that they
share the machine's conditions second by second rather than minute by minute: on this shared
2-core machine, one after the other, a pair's ratio still ranged from -5 % to +34 % within ten
minutes (BENCHMARKS.md). Both builds then compete for the memory bus and the caches, alike.

Beside the engine's events, two parts of MkDocs' own work are timed in both builds, since the
hook changes what they are given: the Markdown conversion (``Page.render``: with the hook, each
reference is a short placeholder, filled in after it) and Material's search plugin reading each
page for its index (with the hook, the pages hold the facts' text and their sources). The real
site switches that plugin's index off (hooks/search.py: Pagefind is its search); this
configuration, the fact hook alone, keeps it in both builds.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _one(config: str) -> dict:
    """One build of ``config`` in this process: its processor and wall time, and the engine's parts."""
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    sys.path.insert(0, str(ROOT))
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from factengine.edition import Edition

    from material.plugins.search.plugin import SearchPlugin
    from mkdocs.structure.pages import Page

    parts: dict[str, float] = {}
    mkdocs_parts: dict[str, float] = {}

    def timed(owner, name: str, label: str, into: dict = parts) -> None:
        function = getattr(owner, name)

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                into[label] = into.get(label, 0.0) + time.process_time() - started

        setattr(owner, name, wrapper)

    for method in ("validate", "substitute", "fill", "export"):
        timed(Edition, method, method)
    # Before load_config: the plugin's events are bound when the configuration is loaded.
    timed(SearchPlugin, "on_page_context", "search index", mkdocs_parts)
    timed(Page, "render", "Markdown", mkdocs_parts)
    with tempfile.TemporaryDirectory() as out:
        loaded = load_config(config, site_dir=out)
        loaded.plugins.on_startup(command="build", dirty=False)
        # The hook module is loaded by load_config: its post-build step is timed through its own name.
        for module in list(sys.modules.values()):
            if getattr(module, "__file__", "") and module.__file__.endswith(os.path.join("hooks", "facts.py")):
                timed(module, "finish", "post-build step")
        cpu, wall, began = time.process_time(), time.perf_counter(), time.time()
        build(loaded)
        return {
            "cpu": time.process_time() - cpu,
            "wall": time.perf_counter() - wall,
            "span": [began, time.time()],  # on the clock the pair's two builds share
            "parts": parts,
            "mkdocs": mkdocs_parts,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, nargs="?")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument(
        "--together", action="store_true", help="run the two builds of a pair at the same time, one per core"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child: one build of this configuration
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(_one(args.one)))
        return 0
    if args.site is None or not (args.site / "mkdocs-nohooks.yml").is_file():
        parser.error("SITE must be a folder made by scripts/benchmark.py --keep SITE")

    def started(name: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, __file__, "--one", str(args.site / name)],
            cwd=args.site,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def finished(name: str, child: subprocess.Popen) -> dict | None:
        out, err = child.communicate()
        if child.returncode != 0:
            print(f"{args.site / name}: the build failed\n{err[-3000:]}", file=sys.stderr)
            return None
        return json.loads(out.strip().splitlines()[-1])

    # Not counted: a first build with the hook fills the engine's stores (.cache/), as an editor's
    # first build does once; the measure is of the builds after it.
    if finished("mkdocs.yml", started("mkdocs.yml")) is None:
        return 1
    ratios, plain, hooked = [], [], []
    for pair in range(1, args.pairs + 1):
        names = ["mkdocs-nohooks.yml", "mkdocs.yml"]
        if args.together:  # both at once, one per core; which one starts first alternates
            order = names if pair % 2 else names[::-1]
            children = [(name, started(name)) for name in order]
            done = {name: finished(name, child) for name, child in children}
        else:
            done = {name: finished(name, started(name)) for name in names}
        without, with_hook = done["mkdocs-nohooks.yml"], done["mkdocs.yml"]
        if without is None or with_hook is None:
            return 1
        plain.append(without["cpu"])
        hooked.append(with_hook["cpu"])
        ratios.append(with_hook["cpu"] / without["cpu"] - 1)
        parts = ", ".join(f"{label} {seconds:.2f} s" for label, seconds in sorted(with_hook["parts"].items()))
        print(
            f"pair {pair}: without hooks {without['cpu']:.2f} s, with the fact hook {with_hook['cpu']:.2f} s"
            f" of CPU ({ratios[-1]:+.1%}); the engine: {sum(with_hook['parts'].values()):.2f} s ({parts})",
            flush=True,
        )
        if args.together:
            overlap = min(without["span"][1], with_hook["span"][1]) - max(without["span"][0], with_hook["span"][0])
            print(f"  together: the two builds ran at the same time for {max(overlap, 0.0):.1f} s", flush=True)
        print(
            "  MkDocs' parts, without / with the hook: "
            + ", ".join(
                f"{label} {without['mkdocs'].get(label, 0.0):.2f} / {with_hook['mkdocs'].get(label, 0.0):.2f} s"
                for label in ("Markdown", "search index")
            ),
            flush=True,
        )
    print(
        f"median of the pairs' ratios {statistics.median(ratios):+.1%}; ratio of the medians"
        f" {statistics.median(hooked) / statistics.median(plain) - 1:+.1%}"
        f" ({statistics.median(hooked):.2f} s against {statistics.median(plain):.2f} s); load average {os.getloadavg()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
