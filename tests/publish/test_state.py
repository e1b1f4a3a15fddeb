"""Publish state: what toolkit last published for each input survives restarts, never a damaged file,
and each bulletin carries its own copy."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from toolkit.publish.state import OutputState, StateStore, read_stamp, stamp
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


def zip_bytes(**parts: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_a_bulletin_carries_its_state_in_the_zip_comment(tmp_path: Path) -> None:
    state = OutputState(
        "捐款名单.xlsx", "f" * 64, Outcome.RENDERED, ("捐款名单.docx", "捐款名单.warnings.txt")
    )
    docx = zip_bytes(**{"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"})
    stamped = stamp(docx, state)
    (tmp_path / "a.docx").write_bytes(stamped)
    assert read_stamp(tmp_path / "a.docx") == state
    with zipfile.ZipFile(io.BytesIO(stamped)) as z:  # every part as it was
        assert z.testzip() is None
        assert z.read("word/document.xml") == b"<w:document/>"
    assert stamped[: len(docx) - 2] == docx[:-2]  # only the end record changed


@pytest.mark.parametrize(
    "data",
    [b"not a zip", b"", zip_bytes(x=b"1")[:-5]],
    ids=["not-a-zip", "empty", "cut-short"],
)
def test_what_is_not_a_whole_zip_is_left_as_it_is(data: bytes) -> None:
    assert stamp(data, OutputState("a.xlsx", "f" * 64, Outcome.RENDERED, ("a.docx",))) == data


def test_a_bulletin_without_a_stamp_or_no_bulletin_reads_as_none(tmp_path: Path) -> None:
    (tmp_path / "plain.docx").write_bytes(zip_bytes(x=b"1"))
    (tmp_path / "word.docx").write_bytes(b"PK garbage")
    for name in ("plain.docx", "word.docx", "missing.docx"):
        assert read_stamp(tmp_path / name) is None
