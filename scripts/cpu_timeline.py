"""Where ``make test``'s processor time goes: a pytest plugin, and the summary of what it wrote.

    PYTHONPATH=scripts PYTEST_ADDOPTS="-p cpu_timeline" CPU_TIMELINE_LOG=/tmp/cpu.jsonl make test
    .venv/bin/python scripts/cpu_timeline.py /tmp/cpu.jsonl

In each pytest-xdist worker (or in pytest's own process, without xdist), every phase of every test
(setup, call, teardown) is written as one line: its worker, its wall-clock start and end, and the
processor time the worker and its waited-for children (a build, a Chromium, Lighthouse's Node
processes) used since the line before. A worker's first line also holds its start-up and the
collection; a child counts when it is waited for: a session fixture's browser when the fixture
is torn down, on the line of the worker's last test (its teardown). ``--durations`` gives wall time only, which on two busy cores
says little about what to make cheaper.
"""

from __future__ import annotations

import collections
import json
import os
import resource
import sys
import time

_LOG = os.environ.get("CPU_TIMELINE_LOG", "cpu-timeline.jsonl")
_EPOCH = time.time()
_last = [0.0, 0.0]


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _write(test: str, when: str, start: float, stop: float) -> None:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    now = [own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime]
    line = {
        "worker": _worker(),
        "test": test,
        "when": when,
        "start": start - _EPOCH,
        "stop": stop - _EPOCH,
        "own": now[0] - _last[0],
        "children": now[1] - _last[1],
    }
    _last[:] = now
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps(line) + "\n")


def pytest_runtest_logreport(report) -> None:
    if getattr(report, "node", None) is not None:  # pytest-xdist's controller, given a worker's report
        return
    _write(report.nodeid, report.when, report.start, report.stop)


def pytest_sessionfinish(session) -> None:
    if not session.config.pluginmanager.has_plugin("dsession"):  # a worker, or a run without xdist
        _write("(session end)", "finish", time.time(), time.time())


def summary(path: str, top: int = 15) -> str:
    lines = [json.loads(text) for text in open(path, encoding="utf-8") if text.strip()]
    if not lines:
        raise SystemExit(f"{path}: no line: was the plugin loaded (-p cpu_timeline)?")
    per_worker: collections.Counter = collections.Counter()
    per_file: collections.Counter = collections.Counter()
    for line in lines:
        seconds = line["own"] + line["children"]
        per_worker[line["worker"]] += seconds
        per_file[line["test"].split("::")[0]] += seconds
    out = [f"processor time: {sum(per_worker.values()):.0f} s in all"]
    out += [f"  {worker}: {seconds:.0f} s" for worker, seconds in sorted(per_worker.items())]
    out.append("per test file (a session fixture's children count where they were waited for):")
    out += [f"  {seconds:7.1f} s  {name}" for name, seconds in per_file.most_common()]
    out.append(f"the {top} costliest phases (own + children):")
    for line in sorted(lines, key=lambda x: -(x["own"] + x["children"]))[:top]:
        out.append(
            f"  {line['own']:6.1f} + {line['children']:6.1f} s  {line['worker']} {line['when']:8} {line['test']}"
        )
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(summary(sys.argv[1]))
