"""Run the command line in-process as a clerk's Chinese Windows console would show it.

A Chinese Windows console shows GBK (code page 936). `run` returns what `main` printed and fails
the test when a line holds a character GBK cannot encode (``›``, ``¥``, ``✓``…): toolkit's own
texts must all show. `StrictGbk` is such a console as a stream, for tests that replace
``sys.stdout``.
"""

from __future__ import annotations

import io
import locale
import os

import pytest

from toolkit.cli import main


def child_encoding() -> str:
    """How a ``python`` started by a test writes to a pipe: ``PYTHONIOENCODING`` (``gbk`` in the GBK
    pass of the suite), else the locale's encoding."""
    return (os.environ.get("PYTHONIOENCODING") or locale.getpreferredencoding(False)).split(":")[0]


def assert_gbk(text: str) -> None:
    """Fail naming the first line with a character GBK cannot encode."""
    for line in text.splitlines():
        try:
            line.encode("gbk")
        except UnicodeEncodeError as exc:
            raise AssertionError(f"not GBK: {line[exc.start : exc.end]!r} in {line!r}") from None


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``main(argv)``: the exit code, standard output and standard error, each checked to be GBK."""
    code = main(argv)
    out, err = capsys.readouterr()
    assert_gbk(out)
    assert_gbk(err)
    return code, out, err


class StrictGbk(io.TextIOBase):
    """A console stream that takes only what GBK encodes, and keeps what was written."""

    encoding = "gbk"

    def __init__(self) -> None:
        super().__init__()
        self.text = ""

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        assert_gbk(s)
        self.text += s
        return len(s)
