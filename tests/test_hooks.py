"""The hooks' shared state and the event order they rely on (hooks/sitebuild.py)."""

from __future__ import annotations

import sys

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import sitebuild


def _name(method) -> str:
    """hooks/facts.py's functions -> "facts"; static-i18n's plugin -> "i18n"."""
    owner = getattr(method, "__self__", None)
    if owner is None:
        return method.__module__.removeprefix("hooks/").removesuffix(".py")
    return {"I18n": "i18n"}.get(type(owner).__name__, type(owner).__name__)


def test_mkdocs_calls_the_hooks_in_the_declared_order():
    config = load_config(str(ROOT / "mkdocs.yml"))
    for event in dict.fromkeys(event for event, *_ in sitebuild.EVENT_ORDER):
        declared = [(name, priority) for ev, name, priority, _ in sitebuild.EVENT_ORDER if ev == event]
        names = {name for name, _ in declared}
        actual = [(_name(m), getattr(m, "mkdocs_priority", 0)) for m in config.plugins.events[event]]
        assert [item for item in actual if item[0] in names] == declared, event


def test_each_build_starts_with_no_state_of_the_previous_one():
    session = sitebuild.Session()
    session.start(command="serve", dirty=True)
    assert session.preview
    first = session.begin()
    first.part(dict)["page"] = "kept for this build"
    assert session.current().part(dict) == {"page": "kept for this build"}
    session.begin()
    assert session.current() is not first and session.current().part(dict) == {}


def test_a_hook_event_before_the_build_began_names_the_cause():
    with pytest.raises(PluginError, match="hooks/facts.py must be the first"):
        sitebuild.Session().current()
