"""The fact engine: registry, rendering and validation, with no MkDocs imports.

The MkDocs hooks (``hooks/facts.py``), the standalone ``factcheck`` command and
the tests all use this package.
"""

from .checks import Checker, Result, check
from .project import Project
from .diagnostics import Diagnostic, FactError, Severity
from .registry import Registry
from .render import Renderer

__all__ = ["Checker", "Project", "Result", "check", "Diagnostic", "FactError", "Severity", "Registry", "Renderer"]
