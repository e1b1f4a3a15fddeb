"""Publish: atomic writes, reports for the clerk, state that survives restarts, and claims."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from toolkit import publish
from toolkit.errors import Problem, Severity
from toolkit.publish import (
    FileLocked,
    OutputState,
    StateStore,
    cleanup_temp_files,
    ensure_output_dir,
    format_report,
    try_claim,
    write_atomic,
)


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

    monkeypatch.setattr(publish.os, "replace", locked)
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

    monkeypatch.setattr(publish.os, "replace", flaky)
    write_atomic(target, b"new", retries=(0, 0, 0), sleep=lambda s: None)
    assert target.read_bytes() == b"new"


def test_cleanup_removes_temps_of_dead_processes(tmp_path: Path) -> None:
    ensure_output_dir(tmp_path)
    host = publish.hostname().replace(".", "_")
    dead = tmp_path / f".tk-tmp-{host}.999999999.abcd.a.docx"
    mine = tmp_path / f".tk-tmp-{host}.{os.getpid()}.abcd.b.docx"
    other_old = tmp_path / ".tk-tmp-otherhost.12.abcd.c.docx"
    for p in (dead, mine, other_old):
        p.write_bytes(b"partial")
    old = time.time() - 3600
    os.utime(other_old, (old, old))
    assert cleanup_temp_files(tmp_path) == 2
    assert mine.exists() and not dead.exists() and not other_old.exists()


def test_report_is_one_line_per_problem_in_chinese() -> None:
    problems = [
        Problem("amount.not_a_number", "金额不是数字", Severity.ERROR, "捐款.xlsx", "Sheet1", "C7", "abc"),
        Problem("signature.missing_receiver", "缺少收款人", Severity.WARNING, "捐款.xlsx", "Sheet1"),
    ]
    text = format_report("捐款.xlsx", problems, heading="错误报告").decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "错误报告：捐款.xlsx"
    assert "捐款.xlsx › Sheet1 › C7：金额不是数字（找到的值：abc） [amount.not_a_number]" in lines
    assert "捐款.xlsx › Sheet1：缺少收款人 [signature.missing_receiver]" in lines


def test_state_round_trip_and_corruption(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    assert store.get("a.xlsx") is None
    state = OutputState("a.xlsx", "f" * 64, "rendered", ("a.docx",))
    store.put(state)
    assert StateStore(tmp_path).get("a.xlsx") == state
    for path in store.folder.iterdir():
        path.write_text("{not json")
    assert store.get("a.xlsx") is None  # a damaged state file means "render again", never a crash


def test_claim_is_exclusive_until_released(tmp_path: Path) -> None:
    first = try_claim(tmp_path, "k")
    assert first is not None
    assert try_claim(tmp_path, "k") is None
    first.release()
    second = try_claim(tmp_path, "k")
    assert second is not None
    second.release()


def test_claim_of_a_dead_local_process_is_broken(tmp_path: Path) -> None:
    folder = tmp_path / publish.STATE_DIR / "claims"
    folder.mkdir(parents=True)
    (folder / "k.claim").write_text(json.dumps({"host": publish.hostname(), "pid": 999999999, "time": 0}))
    claim = try_claim(tmp_path, "k")
    assert claim is not None
    claim.release()


def test_claim_from_another_host_expires_after_the_lease(tmp_path: Path) -> None:
    folder = tmp_path / publish.STATE_DIR / "claims"
    folder.mkdir(parents=True)
    path = folder / "k.claim"
    path.write_text(json.dumps({"host": "other-pc", "pid": 1, "time": 0}))
    assert try_claim(tmp_path, "k", lease=20) is None  # fresh: respected
    old = time.time() - 21
    os.utime(path, (old, old))
    claim = try_claim(tmp_path, "k", lease=20)
    assert claim is not None
    claim.release()


def test_ensure_output_dir_fails_clearly_when_a_file_is_in_the_way(tmp_path: Path) -> None:
    blocker = tmp_path / "output"
    blocker.write_text("not a folder")
    with pytest.raises(OSError, match=r"(File exists|Not a directory|output)"):
        ensure_output_dir(blocker)
