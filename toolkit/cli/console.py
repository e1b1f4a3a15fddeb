"""The console of the ``toolkit`` command: streams that never fail on a character, and ``-v`` logging.

Output must survive a GBK console (Windows' cmd in Chinese): `safe_streams` makes the standard
streams replace what they cannot encode instead of raising. `setup_logging` shows the diagnostics of
toolkit and its libraries with ``-v`` only, levels named in Chinese, and otherwise nothing at all.
"""

from __future__ import annotations

import contextlib
import logging
import sys

__all__ = ["safe_streams", "setup_logging"]


def safe_streams() -> None:
    """Never crash on a console that cannot show a character (e.g. a GBK console on Windows)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


class _ConsoleHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `main` puts on the ``toolkit`` logger (and takes off again at the next call)."""


class _ChineseLevels(logging.Formatter):
    """``信息 toolkit.watch: …``: the level in Chinese, the logger's name as it is (for the installer)."""

    LEVELS = {"DEBUG": "调试", "INFO": "信息", "WARNING": "警告", "ERROR": "错误", "CRITICAL": "严重错误"}

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text.replace(record.levelname, self.LEVELS.get(record.levelname, record.levelname), 1)


_LOGGERS = ("toolkit", "py.warnings", "watchdog", "openpyxl", "docxtpl", "docx", "jinja2", "xlsxwriter")
"""toolkit's own logger, the one Python warnings go to (``py.warnings``), and those of the libraries
toolkit uses: all shown with ``-v`` only. Each has a handler of its own, so that Python's
last-resort handler never prints a library's warning on a clerk's console."""


def setup_logging(verbose: bool) -> None:
    """``-v`` shows the diagnostics of toolkit and its libraries on the error output; otherwise
    nothing at all, Python warnings (watchdog's, openpyxl's…) included."""
    logging.captureWarnings(True)
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        for handler in [h for h in logger.handlers if isinstance(h, (_ConsoleHandler, logging.NullHandler))]:
            logger.removeHandler(handler)
        if verbose:
            console = _ConsoleHandler(sys.stderr)
            console.setFormatter(_ChineseLevels("%(levelname)s %(name)s：%(message)s"))
            logger.addHandler(console)
            logger.setLevel(logging.INFO)
        else:  # a handler of its own keeps Python's last-resort handler from printing warnings
            logger.addHandler(logging.NullHandler())
            logger.setLevel(logging.WARNING)
