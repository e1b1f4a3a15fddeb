"""Intake: which files in the watched folder count, and how their names become output names."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from toolkit.intake import (
    FileKind,
    NotRegularFile,
    default_template_path,
    file_kind,
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


posix_only = pytest.mark.skipif(os.name != "posix", reason="symbolic links and FIFOs made here need POSIX")


@posix_only
def test_scan_folder_lists_links_and_special_files_so_none_is_skipped_in_silence(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("secret")
    (tmp_path / "link.xlsx").symlink_to(target)
    (tmp_path / "dangling.xlsx").symlink_to(tmp_path / "gone.xlsx")
    os.mkfifo(tmp_path / "pipe.xlsx")
    (tmp_path / "folder.xlsx").mkdir()
    assert [p.name for p in scan_folder(tmp_path)] == ["dangling.xlsx", "link.xlsx", "pipe.xlsx"]


@posix_only
@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda p: p.symlink_to(p.with_name("target.xlsx")), FileKind.SYMLINK),
        (lambda p: p.symlink_to(p.with_name("missing.xlsx")), FileKind.SYMLINK),
        (lambda p: os.mkfifo(p), FileKind.FIFO),
        (lambda p: p.mkdir(), FileKind.FOLDER),
    ],
    ids=["link", "dangling-link", "fifo", "folder"],
)
def test_read_snapshot_refuses_what_is_not_a_regular_file_without_opening_it(
    tmp_path: Path, make: Callable[[Path], None], kind: FileKind
) -> None:
    (tmp_path / "target.xlsx").write_bytes(b"PK\x03\x04 secret")
    path = tmp_path / "x.xlsx"
    make(path)
    assert file_kind(path) is kind
    with pytest.raises(NotRegularFile) as info:
        read_snapshot(path)
    assert info.value.kind is kind
    assert info.value.target == (os.readlink(path) if kind is FileKind.SYMLINK else "")


@posix_only
@pytest.mark.timeout(10)
def test_a_fifo_swapped_in_after_the_look_is_not_waited_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoy = tmp_path / "decoy.xlsx"
    decoy.write_bytes(b"PK")
    fifo = tmp_path / "x.xlsx"
    os.mkfifo(fifo)
    real_lstat = os.lstat

    def lstat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        # The first look sees a regular file; by the time it is opened, a FIFO is in its place.
        return real_lstat(decoy if Path(str(path)) == fifo else path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "lstat", lstat)
    with pytest.raises(NotRegularFile) as info:
        read_snapshot(fifo)  # a plain open() would wait here for a writer that never comes
    assert info.value.kind is FileKind.FIFO


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_a_device_is_named_as_such() -> None:
    assert file_kind(Path("/dev/null")) is FileKind.CHAR_DEVICE
    with pytest.raises(NotRegularFile):
        read_snapshot(Path("/dev/null"))


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
    assert read_settings(None, tmp_path) == (None, None)
    (tmp_path / "toolkit.toml").write_text("groups = 3\n", encoding="utf-8")
    data, path = read_settings(None, tmp_path)
    assert data == b"groups = 3\n" and path == tmp_path / "toolkit.toml"
    with pytest.raises(FileNotFoundError):
        read_settings(tmp_path / "missing.toml", tmp_path)
