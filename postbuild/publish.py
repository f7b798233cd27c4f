"""Publishing a build all at once: a failed build leaves the previous site byte-identical.

The generator writes into a staging folder beside the site folder (``site.partial``);
only a build that finished without error replaces the site folder, by two renames in
the same parent folder. A failed build's staging folder is removed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

STAGING_SUFFIX = ".partial"
PREVIOUS_SUFFIX = ".previous"


def staging_dir(site_dir: Path) -> Path:
    return site_dir.with_name(site_dir.name + STAGING_SUFFIX)


def start(site_dir: Path) -> Path:
    """A fresh staging folder for a build whose result goes to ``site_dir``."""
    staging = staging_dir(site_dir)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def publish(staging: Path, site_dir: Path) -> None:
    """Put the finished build in place of the previous one."""
    previous = site_dir.with_name(site_dir.name + PREVIOUS_SUFFIX)
    shutil.rmtree(previous, ignore_errors=True)
    if site_dir.exists():
        os.rename(site_dir, previous)
    os.rename(staging, site_dir)
    shutil.rmtree(previous, ignore_errors=True)


def abandon(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
