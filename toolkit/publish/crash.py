"""Crash files: the details of a fault of toolkit's own, written where the clerk can find them.

A clerk never sees a traceback. When toolkit itself fails, the command line says so in one Chinese
sentence and names a crash file that holds the details for the maintainer: `write_crash_file`
makes a new ``toolkit-crash-<date>-<time>.txt`` (the output folder when the command has one). A
fault on one input in the pipeline goes to that input's ``<stem>.crash.txt`` instead
(`toolkit.publish.Output.CRASH`), replaced at each attempt and removed once the input is handled.

Both are text for Notepad: UTF-8 with a BOM and CRLF line ends, like the reports.
"""

from __future__ import annotations

import datetime as dt
import platform
import traceback
from pathlib import Path

from toolkit import messages
from toolkit.publish.files import write_new
from toolkit.version import __version__

__all__ = ["CRASH_PREFIX", "crash_bytes", "crash_text", "write_crash_file"]

CRASH_PREFIX = "toolkit-crash-"
"""Start of a crash file's name; the date and time of the crash follow."""

_MAX_SAME_SECOND = 100


def crash_text(context: str) -> str:
    """The crash file for the exception being handled: versions, ``context`` (what toolkit was doing)
    and the traceback (`toolkit.messages.crash_report`)."""
    return messages.crash_report(
        __version__, platform.python_version(), platform.platform(), context, traceback.format_exc()
    )


def crash_bytes(text: str) -> bytes:
    """``text`` as a Notepad-friendly file: UTF-8 with a BOM, CRLF line ends."""
    return "\r\n".join(text.splitlines()).encode("utf-8-sig") + b"\r\n"


def write_crash_file(folder: Path, text: str, *, now: dt.datetime | None = None) -> Path:
    """Write ``text`` to a new crash file in ``folder`` (created if missing); return its path.

    An existing file is never replaced: a second crash in the same second gets ``-2``, ``-3``…

    Raises:
        OSError: the folder cannot be created or written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    data = crash_bytes(text)
    for n in range(1, _MAX_SAME_SECOND + 1):
        target = folder / f"{CRASH_PREFIX}{stamp}{'' if n == 1 else f'-{n}'}.txt"
        try:
            write_new(target, data)
        except FileExistsError:
            continue
        return target
    raise FileExistsError(f"{folder}: {_MAX_SAME_SECOND} crash files in one second")
