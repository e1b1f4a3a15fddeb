"""Safekeeping: toolkit replaces or removes only its own bytes, keeps earlier bulletins, never an issued one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.publish import safekeeping
from toolkit.publish.safekeeping import HISTORY_DIR, Keeper, WrittenStore, sha256_of


def test_a_written_file_is_recorded_by_the_sha256_of_its_bytes(tmp_path: Path) -> None:
    keeper = Keeper(tmp_path)
    keeper.write(tmp_path / "a.docx", b"bytes")
    store = WrittenStore(tmp_path)
    assert store.get("a.docx") == sha256_of(tmp_path / "a.docx")
    assert store.is_ours(tmp_path / "a.docx")
    (tmp_path / "a.docx").write_bytes(b"edited")
    assert not store.is_ours(tmp_path / "a.docx")


def test_what_is_ours(tmp_path: Path) -> None:
    store = WrittenStore(tmp_path)
    assert store.is_ours(tmp_path / "missing.docx")  # nothing there: nothing to protect
    (tmp_path / "hand.docx").write_bytes(b"by hand")
    assert not store.is_ours(tmp_path / "hand.docx")  # never written by toolkit
    (tmp_path / "folder.docx").mkdir()
    assert not store.is_ours(tmp_path / "folder.docx")


def test_a_damaged_record_means_not_ours(tmp_path: Path) -> None:
    Keeper(tmp_path).write(tmp_path / "a.docx", b"bytes")
    for record in WrittenStore(tmp_path).folder.iterdir():
        record.write_text("{not json")
    assert not WrittenStore(tmp_path).is_ours(tmp_path / "a.docx")


def test_place_finds_the_first_name_toolkit_may_write(tmp_path: Path) -> None:
    keeper = Keeper(tmp_path)
    assert keeper.place("a.errors.txt", ".errors.txt") == tmp_path / "a.errors.txt"
    (tmp_path / "a.errors.txt").write_bytes(b"edited")
    assert keeper.place("a.errors.txt", ".errors.txt") == tmp_path / "a（新版）.errors.txt"
    (tmp_path / "a（新版）.errors.txt").write_bytes(b"edited too")
    assert keeper.place("a.errors.txt", ".errors.txt") == tmp_path / "a（新版2）.errors.txt"


def test_a_frozen_name_is_never_written_moved_or_removed(tmp_path: Path) -> None:
    Keeper(tmp_path).write(tmp_path / "A.docx", b"issued")
    keeper = Keeper(tmp_path, frozen=["a.docx"])  # Windows names fold case
    assert keeper.place("A.docx", ".docx") == tmp_path / "A（新版）.docx"
    assert not keeper.retire(tmp_path / "A.docx")
    assert (tmp_path / "A.docx").read_bytes() == b"issued"


def test_retire_moves_a_bulletin_to_history_and_deletes_a_report(tmp_path: Path) -> None:
    keeper = Keeper(tmp_path)
    keeper.write(tmp_path / "a.docx", b"docx")
    keeper.write(tmp_path / "a.errors.txt", b"report")
    assert keeper.retire(tmp_path / "a.docx") and keeper.retire(tmp_path / "a.errors.txt")
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [HISTORY_DIR]
    [kept] = (tmp_path / HISTORY_DIR).iterdir()
    assert kept.read_bytes() == b"docx"
    assert WrittenStore(tmp_path).is_ours(kept)  # so it may be pruned later


def test_retire_leaves_a_file_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "a.errors.txt").write_bytes(b"the clerk's notes")
    assert not Keeper(tmp_path).retire(tmp_path / "a.errors.txt")
    assert (tmp_path / "a.errors.txt").exists()


def test_without_hard_links_the_old_version_is_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(safekeeping.os, "link", no_links)
    keeper = Keeper(tmp_path)
    keeper.write(tmp_path / "a.docx", b"first")
    keeper.write(tmp_path / "a.docx", b"second")
    [kept] = (tmp_path / HISTORY_DIR).iterdir()
    assert kept.read_bytes() == b"first"


def test_history_keeps_the_newest_versions_by_their_time(tmp_path: Path) -> None:
    keeper = Keeper(tmp_path, history=2)
    for when, data in ((1_600_000_000, b"old"), (1_700_000_000, b"middle"), (1_700_000_000, b"new")):
        keeper.write(tmp_path / "a.docx", data)
        os.utime(tmp_path / "a.docx", (when, when))
    keeper.write(tmp_path / "a.docx", b"current")
    kept = sorted((tmp_path / HISTORY_DIR).iterdir(), key=lambda p: p.name.replace(".docx", "-1.docx"))
    assert [p.read_bytes() for p in kept] == [b"middle", b"new"]


def test_pruning_spares_a_file_someone_put_in_the_history_folder(tmp_path: Path) -> None:
    (tmp_path / HISTORY_DIR).mkdir()
    theirs = tmp_path / HISTORY_DIR / "a 2000-01-01 000000.docx"
    theirs.write_bytes(b"a copy the clerk keeps")
    keeper = Keeper(tmp_path, history=1)
    for data in (b"1", b"2", b"3"):
        keeper.write(tmp_path / "a.docx", data)
    assert theirs.read_bytes() == b"a copy the clerk keeps"
