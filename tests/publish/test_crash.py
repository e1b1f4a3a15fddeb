"""Crash files (`toolkit.publish.crash`): new ones never replace old ones, and Notepad reads them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.publish.crash import write_crash_file

NOW = dt.datetime(2025, 3, 1, 9, 30, 5)


def test_a_crash_file_is_new_text_for_notepad(tmp_path: Path) -> None:
    path = write_crash_file(tmp_path / "output", "第一行\nTraceback", now=NOW)
    assert path == tmp_path / "output" / "toolkit-crash-20250301-093005.txt"
    assert path.read_bytes() == "第一行\r\nTraceback\r\n".encode("utf-8-sig")


def test_two_crashes_in_one_second_make_two_files(tmp_path: Path) -> None:
    first = write_crash_file(tmp_path, "one", now=NOW)
    second = write_crash_file(tmp_path, "two", now=NOW)
    assert second.name == "toolkit-crash-20250301-093005-2.txt"
    assert first.read_text("utf-8-sig").strip() == "one"
