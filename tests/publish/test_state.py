"""Publish state: what toolkit last published for each input survives restarts, never a damaged file."""

from __future__ import annotations

import json
from pathlib import Path

from toolkit.publish.state import OutputState, StateStore
from toolkit.records import Outcome


def test_state_round_trip_and_corruption(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    assert store.get("a.xlsx") is None
    state = OutputState("a.xlsx", "f" * 64, Outcome.RENDERED, ("a.docx",))
    store.put(state)
    assert StateStore(tmp_path).get("a.xlsx") == state
    for path in store.folder.iterdir():
        path.write_text("{not json")
    assert store.get("a.xlsx") is None  # a damaged state file means "render again", never a crash


def test_state_stores_the_outcome_as_its_word(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    store.put(OutputState("a.xlsx", "f" * 64, Outcome.REJECTED, ("a.errors.txt",)))
    [path] = store.folder.iterdir()
    assert json.loads(path.read_text("utf-8")) == {
        "name": "a.xlsx",
        "fingerprint": "f" * 64,
        "result": "rejected",
        "outputs": ["a.errors.txt"],
    }


def test_unknown_result_reads_as_no_state(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    store.put(OutputState("a.xlsx", "f" * 64, Outcome.RENDERED, ("a.docx",)))
    [path] = store.folder.iterdir()
    path.write_text(path.read_text("utf-8").replace('"rendered"', '"printed"'), "utf-8")
    assert store.get("a.xlsx") is None
