"""The fact engine: registry, rendering and validation, with no MkDocs imports.

The MkDocs hooks (``hooks/facts.py``), the standalone ``factcheck`` command and
the tests all use this package.
"""
from .checks import Project, Result, check
from .diagnostics import Diagnostic, FactError, Severity
from .registry import Registry
from .render import Renderer

__all__ = ["Project", "Result", "check", "Diagnostic", "FactError", "Severity", "Registry", "Renderer"]
