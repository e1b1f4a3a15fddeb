"""Writing the launchers (`toolkit.publish.launchers`) into a clerk's working folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.launcher import Launcher
from toolkit.publish.launchers import write_launchers

LAUNCHERS = (
    Launcher("a.cmd", b"@echo off\r\n", False, "ascii"),
    Launcher("a.sh", b"#!/bin/sh\n", True, "utf-8"),
)


def test_writes_each_launcher_and_creates_watched(tmp_path: Path) -> None:
    written, created = write_launchers(tmp_path, LAUNCHERS)
    assert written == [tmp_path / "a.cmd", tmp_path / "a.sh"]
    assert created and (tmp_path / "watched").is_dir()
    assert (tmp_path / "a.cmd").read_bytes() == b"@echo off\r\n"


@pytest.mark.skipif(os.name == "nt", reason="no executable bit on Windows")
def test_the_scripts_are_executable(tmp_path: Path) -> None:
    write_launchers(tmp_path, LAUNCHERS)
    assert os.access(tmp_path / "a.sh", os.X_OK)
    assert not os.access(tmp_path / "a.cmd", os.X_OK)


def test_an_older_launcher_is_replaced_and_watched_kept(tmp_path: Path) -> None:
    (tmp_path / "watched").mkdir()
    (tmp_path / "watched" / "名单.xlsx").write_bytes(b"x")
    (tmp_path / "a.cmd").write_bytes(b"old")
    _, created = write_launchers(tmp_path, LAUNCHERS)
    assert not created
    assert (tmp_path / "a.cmd").read_bytes() == b"@echo off\r\n"
    assert (tmp_path / "watched" / "名单.xlsx").read_bytes() == b"x"
