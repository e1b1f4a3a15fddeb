"""Write the double-click launchers (`toolkit.launcher`) into a clerk's working folder.

A launcher of an earlier run is replaced (it is toolkit's own file, made for this folder). The
macOS and Linux scripts are marked executable. The ``watched`` folder the launchers render is
created when it is missing, so that the clerk knows where to put the workbooks.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from toolkit.launcher import Launcher
from toolkit.publish.files import write_atomic

__all__ = ["WATCHED", "write_launchers"]

WATCHED = "watched"
"""The folder, beside the launchers, that they render (``toolkit render``'s default)."""

_EXECUTABLE = 0o755


def write_launchers(folder: Path, launchers: Iterable[Launcher]) -> tuple[list[Path], bool]:
    """Write each launcher into ``folder``; return the paths written and whether ``watched`` was created.

    Raises:
        OSError: the folder cannot be written.
    """
    written: list[Path] = []
    for launcher in launchers:
        target = folder / launcher.name
        write_atomic(target, launcher.data)
        if launcher.executable:
            os.chmod(target, _EXECUTABLE)
        written.append(target)
    watched = folder / WATCHED
    created = not watched.is_dir()
    if created:
        watched.mkdir()
    return written, created
