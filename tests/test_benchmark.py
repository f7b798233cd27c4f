"""The benchmark's generator must keep producing a site the engine accepts, so that
``scripts/benchmark.py`` cannot rot: a 3-article site passes ``factengine.check`` with
no error and builds with ``mkdocs build --strict`` (hooks on), facts rendered."""

from __future__ import annotations

import importlib.util
import json
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from factengine import Project, Registry, check

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def benchmark():
    spec = importlib.util.spec_from_file_location("benchmark", ROOT / "scripts" / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["benchmark"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("benchmark", None)


@pytest.fixture(scope="module")
def small_site(benchmark, tmp_path_factory):
    root = tmp_path_factory.mktemp("bench") / "site"
    info = benchmark.generate_site(root, 3)
    return benchmark, root, info


def test_generated_site_passes_the_check(small_site):
    benchmark, root, info = small_site
    result = check(Project(root))
    assert result.errors == [], "\n".join(str(d) for d in result.errors)
    kb = root / "docs" / benchmark.KB_DIR
    assert len([p for p in result.pages if p.path.is_relative_to(kb)]) == 3 * 3
    # every kind of fact, phones both active and retired, besides the real registry's facts
    assert set(info.facts_by_kind) == {
        "phone-active",
        "phone-retired",
        "money",
        "duration",
        "date",
        "url",
        "label",
        "procedure",
    }
    real = Registry.load(ROOT / "facts" / "registry.yaml")
    assert set(real.facts) < set(result.registry.facts)
    assert len(result.registry.facts) == len(real.facts) + info.facts


def test_generated_pages_look_like_articles(small_site):
    benchmark, root, info = small_site
    for lang in benchmark.LANGS:
        text = (root / "docs" / benchmark.KB_DIR / f"{benchmark._article_path(0, 3)}.{lang}.md").read_text("utf-8")
        assert 10 <= text.count("{{") <= 20
        assert "\n1. " in text and '\n=== "' in text and "/article-0" in text
    words = len(
        (root / "docs" / benchmark.KB_DIR / f"{benchmark._article_path(1, 3)}.en.md").read_text("utf-8").split()
    )
    assert 600 <= words <= 1600
    ja = (root / "docs" / benchmark.KB_DIR / f"{benchmark._article_path(1, 3)}.ja.md").read_text("utf-8")
    assert "。" in ja
    config = (root / "mkdocs.yml").read_text("utf-8")
    assert json.dumps(str(ROOT / "hooks" / "facts.py")) in config and "\nnav:" not in config
    assert "hooks:" not in (root / "mkdocs-nohooks.yml").read_text("utf-8")


@pytest.mark.slow
def test_generated_site_builds_strict(small_site, tmp_path):
    benchmark, root, info = small_site
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    assert benchmark._verify_site(out, hooks=True) == []
    page = (out / "ja" / benchmark.KB_DIR / benchmark._article_path(0, 3) / "index.html").read_text("utf-8")
    assert 'class="fact fact-' in page and "{{" not in page


@pytest.mark.parametrize("articles", [30, 300, 1000])
def test_the_navigation_is_in_sections_of_bounded_size(benchmark, articles):
    folders = [benchmark._folder(i, articles) for i in range(articles)]
    topics = {folder.split("/")[0] for folder in folders}
    sizes = {folder: folders.count(folder) for folder in set(folders)}
    assert len(topics) <= benchmark.TOPICS and max(sizes.values()) <= benchmark.GROUP_SIZE
    # a link between two articles in different sections resolves to the other article's source
    link = benchmark._link(0, articles - 1, articles)
    target = posixpath.normpath(posixpath.join(benchmark._folder(0, articles), link))
    assert target == f"{benchmark._article_path(articles - 1, articles)}.md"


def test_measuring_a_child_reports_its_own_memory(benchmark, tmp_path):
    run = benchmark.run_child(
        [sys.executable, "-c", "b = bytearray(64 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"],
        tmp_path,
        dict(os.environ),
    )
    assert run.returncode == 0 and run.max_rss_mib >= 64 and run.cpu_seconds > 0
    # not this (parent) process's memory: Linux would count it in a directly forked child's ru_maxrss
    ballast = bytearray(256 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])
    run = benchmark.run_child([sys.executable, "-c", "import sys; sys.exit(3)"], tmp_path, dict(os.environ))
    assert run.returncode == 3 and run.max_rss_mib < 100
    del ballast


@pytest.mark.slow
def test_the_whole_process_trees_memory_is_sampled(benchmark, tmp_path):
    """Two grandchildren holding 64 MiB each at the same time: the tree's sum counts both, the peak of one
    process (os.wait4) only one of them."""
    hold = (
        "import subprocess, sys; code = \"import time; b = bytearray(64 << 20); b[::4096] = b'x' * len(b[::4096]); "
        "time.sleep(1.5)\"; ps = [subprocess.Popen([sys.executable, '-c', code]) for _ in range(2)]; "
        "[p.wait() for p in ps]"
    )
    memory: dict = {}
    run = benchmark.run_child([sys.executable, "-c", hold], tmp_path, dict(os.environ), memory)
    assert run.returncode == 0
    assert 64 <= run.max_rss_mib < 128
    assert memory["tree_peak_rss_mib"] >= 128 and memory["tree_peak_pss_mib"] >= 128


def test_registry_keeps_the_real_text(small_site):
    benchmark, root, info = small_site
    real = (ROOT / "facts" / "registry.yaml").read_text("utf-8")
    generated = (root / "facts" / "registry.yaml").read_text("utf-8")
    assert yaml.safe_load(generated)["site"] == yaml.safe_load(real)["site"]
    first_comment = next((line for line in real.splitlines() if line.startswith("#")), None)
    if first_comment:
        assert first_comment in generated


@pytest.mark.slow  # three builds of the small site
@pytest.mark.parametrize("together", [[], ["--together"]], ids=["one after the other", "together"])
def test_the_hook_share_is_measured_in_pairs_with_the_engines_events(small_site, together):
    """``scripts/hook_share.py`` builds the site without and with the hook and times the engine's
    events inside the build with it: each event is named, and the substitution took time; with
    ``--together`` the pair's two builds run at once, and each still reports its own parts."""
    _, root, _ = small_site
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "hook_share.py"), str(root), "--pairs", "1", *together],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    pair = re.search(
        r"^pair 1: without hooks [\d.]+ s, with the fact hook [\d.]+ s .* the engine: [\d.]+ s \((.*)\)$",
        run.stdout,
        re.M,
    )
    assert pair, run.stdout
    parts = {label: float(seconds) for label, seconds in re.findall(r"([a-z][a-z -]*) ([\d.]+) s", pair.group(1))}
    assert set(parts) == {"export", "fill", "post-build step", "substitute", "validate"}, parts
    assert parts["substitute"] > 0
    mkdocs_parts = re.search(
        r"^  MkDocs' parts, without / with the hook: Markdown ([\d.]+) / ([\d.]+) s, search index ([\d.]+) / ([\d.]+) s$",
        run.stdout,
        re.M,
    )
    assert mkdocs_parts, run.stdout
    assert all(float(seconds) > 0 for seconds in mkdocs_parts.groups()), mkdocs_parts.group(0)
    assert "median of the pairs' ratios" in run.stdout
    overlap = re.search(r"^  together: the two builds ran at the same time for ([\d.]+) s$", run.stdout, re.M)
    assert (overlap is not None) == bool(together), run.stdout
    if together:
        assert float(overlap.group(1)) > 0, overlap.group(0)


@pytest.mark.slow  # two pytest sessions in subprocesses
def test_the_cpu_timeline_counts_each_phase_and_the_children_it_waited_for(tmp_path):
    """``scripts/cpu_timeline.py``: a test whose call runs a child that burns processor time has that
    time on its own call's line, not on its neighbours', with xdist's workers and without."""
    (tmp_path / "test_sample.py").write_text(
        "import subprocess, sys\n"
        "def test_burns():\n"
        "    subprocess.run([sys.executable, '-c', 'import time\\nt = time.process_time()\\n"
        "while time.process_time() - t < 0.6: pass'], check=True)\n"
        "def test_idle():\n"
        "    pass\n",
        "utf-8",
    )
    for workers in ([], ["-n", "2"]):
        log = tmp_path / f"cpu-{len(workers)}.jsonl"
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "cpu_timeline", "-p", "no:cacheprovider", *workers],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT / "scripts"), "CPU_TIMELINE_LOG": str(log)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        lines = [json.loads(text) for text in log.read_text("utf-8").splitlines()]
        calls = {line["test"].split("::")[-1]: line for line in lines if line["when"] == "call"}
        ends = [line for line in lines if line["test"] == "(session end)"]
        assert set(calls) == {"test_burns", "test_idle"} and len(lines) == 6 + len(ends), lines
        assert len(ends) == (2 if workers else 1), ends  # one per process that ran tests
        assert calls["test_burns"]["children"] >= 0.5 and calls["test_idle"]["children"] < 0.1, calls
        summary = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "cpu_timeline.py"), str(log)], capture_output=True, text=True
        )
        assert summary.returncode == 0 and "test_sample.py" in summary.stdout, summary.stdout + summary.stderr
