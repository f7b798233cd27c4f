"""``mkdocs build --strict -d site`` in each of many site folders, in one Python process.

    python tests/build_many.py DIR...      prints a JSON list: {dir, code, stdout, stderr} per DIR

Each build is MkDocs' own command line (``mkdocs.__main__.cli``, as the ``mkdocs`` executable
runs it), in the site's folder, with its own exit status and its own output: the failure of
one folder's build is attributable to that folder alone. What one process saves is starting
Python and importing MkDocs, Material, the hooks and their libraries once per folder
(about a second each): tests/test_rules.py builds every one-defect fixture site this way.
"""

from __future__ import annotations

import io
import json
import logging
import os
import sys
import traceback


class _Current(io.TextIOBase):
    """sys.stdout/sys.stderr for the whole run: writes go to the current build's buffer, so that
    log handlers made once (and holding the stream they were given) still write to the right build."""

    def __init__(self):
        self.buffer_ = io.StringIO()

    def writable(self):
        return True

    def write(self, text):
        return self.buffer_.write(text)

    def isatty(self):
        return False


def main(dirs: list[str]) -> int:
    out, err = _Current(), _Current()
    real_stdout = sys.stdout
    sys.stdout, sys.stderr = out, err
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    from mkdocs.__main__ import cli

    results = []
    for folder in dirs:
        out.buffer_, err.buffer_ = io.StringIO(), io.StringIO()
        os.chdir(folder)
        try:
            cli.main(["build", "--strict", "-d", "site"], prog_name="mkdocs", standalone_mode=True)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:  # reported as this folder's crash, the next folder is built
            err.write(traceback.format_exc())
            code = 99
        # MkDocs adds a stream handler to its logger per command: drop it before the next build.
        logger = logging.getLogger("mkdocs")
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        results.append(
            {"dir": folder, "code": code, "stdout": out.buffer_.getvalue(), "stderr": err.buffer_.getvalue()}
        )
    json.dump(results, real_stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
