"""Files in the output folder: atomic writes, cleanup after a crash, and the folder itself."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from toolkit.errors import FolderMissing, FolderUnusable
from toolkit.publish import files
from toolkit.publish.files import (
    FileLocked,
    check_output_dir,
    cleanup_temp_files,
    ensure_output_dir,
    write_atomic,
    write_new,
)
from toolkit.publish.process import hostname


def test_write_atomic_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a.docx"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]


def test_write_atomic_retries_a_locked_target_then_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    calls: list[float] = []

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(files.os, "replace", locked)
    with pytest.raises(FileLocked) as info:
        write_atomic(target, b"new", retries=(0.01, 0.02), sleep=calls.append)
    assert calls == [0.01, 0.02]
    assert "Word" in str(info.value)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]


def test_write_atomic_succeeds_when_the_lock_goes_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.docx"
    real_replace = os.replace
    attempts = []

    def flaky(src: str, dst: str) -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise PermissionError(13, "locked")
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", flaky)
    write_atomic(target, b"new", retries=(0, 0, 0), sleep=lambda s: None)
    assert target.read_bytes() == b"new"


def test_cleanup_removes_temps_of_dead_processes(tmp_path: Path) -> None:
    ensure_output_dir(tmp_path)
    host = hostname().replace(".", "_")
    dead = tmp_path / f".tk-tmp-{host}.999999999.abcd.a.docx"
    mine = tmp_path / f".tk-tmp-{host}.{os.getpid()}.abcd.b.docx"
    other_old = tmp_path / ".tk-tmp-otherhost.12.abcd.c.docx"
    for p in (dead, mine, other_old):
        p.write_bytes(b"partial")
    old = time.time() - 3600
    os.utime(other_old, (old, old))
    assert cleanup_temp_files(tmp_path) == 2
    assert mine.exists() and not dead.exists() and not other_old.exists()


def test_ensure_output_dir_fails_clearly_when_a_file_is_in_the_way(tmp_path: Path) -> None:
    blocker = tmp_path / "output"
    blocker.write_text("not a folder")
    with pytest.raises(FolderUnusable) as info:
        ensure_output_dir(blocker / "sub")
    [problem] = info.value.problems
    assert problem.code == "folder.unwritable"
    assert problem.message.startswith(f"无法创建或写入输出文件夹 {blocker / 'sub'}（")
    assert problem.message.endswith("）。请检查 --output 的路径和权限")


def test_ensure_output_dir_creates_the_state_folders(tmp_path: Path) -> None:
    ensure_output_dir(tmp_path / "new" / "output")
    assert sorted(p.name for p in (tmp_path / "new" / "output" / ".toolkit").iterdir()) == ["claims", "state"]


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "output"
    blocker.write_text("not a folder")
    with pytest.raises(FolderMissing) as info:
        check_output_dir(blocker)
    [problem] = info.value.problems
    assert problem.code == "folder.is_file"
    assert problem.message == f"{blocker} 是一个文件，不是文件夹（请用 --output 指定输出文件夹）"


def test_a_missing_or_existing_output_folder_is_accepted(tmp_path: Path) -> None:
    check_output_dir(tmp_path)
    check_output_dir(tmp_path / "not yet")
    assert not (tmp_path / "not yet").exists()  # checking creates nothing


def test_write_new_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "new.xlsx"
    write_new(target, b"first")
    with pytest.raises(FileExistsError):
        write_new(target, b"second")
    assert target.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.xlsx"]
