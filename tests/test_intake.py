"""Intake: which files in the watched folder count, and how their names become output names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.intake import (
    default_template_path,
    is_candidate,
    read_settings,
    read_snapshot,
    safe_stem,
    scan_folder,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("捐款名单.xlsx", True),
        ("捐款名单.XLSX", True),
        ("macro.xlsm", True),
        ("~$捐款名单.xlsx", False),  # Excel owner file while the workbook is open
        (".~lock.捐款名单.xlsx#", False),  # LibreOffice lock
        (".~捐款名单.xlsx", False),  # WPS lock
        (".hidden.xlsx", False),
        ("Cedd4100", False),  # Excel's temp save has no extension
        ("捐款名单.xlsx.tmp", False),
        ("old.xls", True),
        ("OLD.XLS", True),
        ("data.csv", True),
        ("名单.ods", True),
        ("名单.et", True),  # WPS 表格
        ("名单.xlsb", True),  # refused by the reader with a one-line report, never skipped
        ("名单.numbers", True),
        ("~$old.xls", False),
        (".~lock.名单.ods#", False),
        (".~名单.et", False),
        ("~WRL0001.tmp", False),
        ("report.docx", False),
        ("notes.txt", False),
        ("捐款名单.errors.xlsx", False),  # toolkit's own annotated copy
    ],
)
def test_is_candidate(name: str, expected: bool) -> None:
    assert is_candidate(name) is expected


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("捐款名单.xlsx", "捐款名单"),
        ("../../etc/passwd.xlsx", "passwd"),
        ("C:\\Windows\\x.xlsx", "x"),
        ("CON.xlsx", "_CON"),
        ("lpt1.xlsx", "_lpt1"),
        ('a<b>:"c"|?*.xlsx', "a_b___c____"),
        ("trailing. .xlsx", "trailing"),
        ("...xlsx", "workbook"),
        ("x" * 300 + ".xlsx", "x" * 80),
        ("tab\there.xlsx", "tab_here"),
    ],
)
def test_safe_stem_never_escapes(name: str, stem: str) -> None:
    assert safe_stem(name) == stem
    assert "/" not in stem and "\\" not in stem and stem not in ("", ".", "..")


def test_scan_folder_lists_workbooks_only(tmp_path: Path) -> None:
    for name in ["b.xlsx", "a.xlsm", "c.xls", "d.csv", "e.ods", "~$b.xlsx", ".~lock.e.ods#", "notes.txt"]:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deep.xlsx").write_bytes(b"x")
    assert [p.name for p in scan_folder(tmp_path)] == ["a.xlsm", "b.xlsx", "c.xls", "d.csv", "e.ods"]


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="symlinks need POSIX")
def test_scan_folder_ignores_symlinks(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("secret")
    (tmp_path / "link.xlsx").symlink_to(target)
    assert scan_folder(tmp_path) == []


def test_scan_folder_missing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        scan_folder(tmp_path / "nope")


def test_read_snapshot_hashes_and_leaves_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK\x03\x04 hello")
    before = path.stat()
    snap = read_snapshot(path)
    assert snap.data == b"PK\x03\x04 hello"
    assert snap.stable
    assert len(snap.sha256) == 64
    after = path.stat()
    assert (before.st_mtime_ns, before.st_size) == (after.st_mtime_ns, after.st_size)


def test_default_template_exists() -> None:
    assert default_template_path().is_file()


def test_read_settings_finds_toolkit_toml(tmp_path: Path) -> None:
    assert read_settings(None, tmp_path) == (None, "")
    (tmp_path / "toolkit.toml").write_text("groups = 3\n", encoding="utf-8")
    data, source = read_settings(None, tmp_path)
    assert data == b"groups = 3\n" and source == "toolkit.toml"
    with pytest.raises(FileNotFoundError):
        read_settings(tmp_path / "missing.toml", tmp_path)
