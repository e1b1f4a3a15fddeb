"""What toolkit last published for each input, kept in ``OUTPUT/.toolkit/state`` and in the bulletin.

The state is what makes a re-run skip an unchanged input: one small JSON file per input name, each
written atomically, so two processes that handle two different inputs never overwrite each other's
state. A damaged or unknown state file reads as "no state": the input is rendered again.

A bulletin also carries its own state, in the zip comment of the docx (`stamp`, `read_stamp`): Word,
WPS and LibreOffice ignore it. When the bulletin was written but its state file was not (a full
disk, a crash in between), the next run finds the state there and records it instead of rendering
the bulletin again.

Beside it, the donors of the bulletin last written for each input (``<key>.donors.json``), which
the change report compares the next version with (`toolkit.changes`).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from toolkit.publish.files import STATE_DIR, remove_quietly, write_atomic
from toolkit.records import Outcome

__all__ = ["OutputState", "StateStore", "read_stamp", "stamp"]

_STAMP_PREFIX = b"toolkit-state "
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22


@dataclass(frozen=True, slots=True)
class OutputState:
    """What toolkit last did for one input name.

    Attributes:
        name: the input file name.
        fingerprint: sha256 over the input bytes, template bytes, settings and toolkit version.
        result: `Outcome.RENDERED` or `Outcome.REJECTED`.
        outputs: names of the files written for it, inside the output folder.
    """

    name: str
    fingerprint: str
    result: Outcome
    outputs: tuple[str, ...]

    def to_json(self) -> bytes:
        body = {
            "name": self.name,
            "fingerprint": self.fingerprint,
            "result": self.result.value,
            "outputs": list(self.outputs),
        }
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> OutputState | None:
        """The state in ``data``, or None when it is damaged or unknown."""
        try:
            raw: Any = json.loads(data.decode("utf-8"))
            return cls(raw["name"], raw["fingerprint"], Outcome(raw["result"]), tuple(raw["outputs"]))
        except (ValueError, KeyError, TypeError):
            return None


class StateStore:
    """One small JSON file per input under ``OUTPUT/.toolkit/state``; each written atomically."""

    def __init__(self, output: Path) -> None:
        self.folder = output / STATE_DIR / "state"

    def _path(self, name: str) -> Path:
        return self.folder / (
            hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32] + ".json"
        )

    def get(self, name: str) -> OutputState | None:
        """The state recorded for ``name``, or None when there is none or it cannot be read."""
        state = self._read(self._path(name))
        return state if state is not None and state.name == name else None

    def _read(self, path: Path) -> OutputState | None:
        try:
            return OutputState.from_json(path.read_bytes())
        except FileNotFoundError:
            return None

    def all(self) -> list[OutputState]:
        """Every readable state, in no particular order."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.glob("*.json"):
            if path.name.endswith(".donors.json"):
                continue
            state = self._read(path)
            if state is not None:
                found.append(state)
        return found

    def forget(self, name: str) -> None:
        """Drop the state of ``name`` (its input is rendered again if it comes back); keep its donors."""
        remove_quietly(self._path(name))

    def get_donors(self, name: str) -> list[tuple[str, Decimal]] | None:
        """The donors of the bulletin last written for ``name``, or None when unknown."""
        try:
            raw = json.loads(self._path(name).with_suffix(".donors.json").read_text("utf-8"))
            if raw["name"] != name:
                return None
            return [(str(donor), Decimal(str(amount))) for donor, amount in raw["donors"]]
        except (FileNotFoundError, ValueError, KeyError, TypeError, ArithmeticError):
            return None

    def put_donors(self, name: str, donors: Sequence[tuple[str, Decimal]]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        body = {"name": name, "donors": [[donor, str(amount)] for donor, amount in donors]}
        write_atomic(
            self._path(name).with_suffix(".donors.json"), json.dumps(body, ensure_ascii=False).encode("utf-8")
        )

    def put(self, state: OutputState) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self._path(state.name), state.to_json())


def stamp(docx: bytes, state: OutputState) -> bytes:
    """``docx`` with ``state`` in its zip comment; bytes that are not a zip are returned unchanged.

    Only the end-of-archive record changes: every part, and so what Word shows, stays the same.
    """
    comment = _STAMP_PREFIX + state.to_json()
    end = len(docx) - _EOCD_SIZE
    if end < 0 or docx[end : end + 4] != _EOCD or len(comment) > 0xFFFF:
        return docx  # not a zip, or one that already has a comment: leave it as it is
    return docx[: end + 20] + len(comment).to_bytes(2, "little") + comment


def read_stamp(docx: Path) -> OutputState | None:
    """The state a bulletin carries (`stamp`), or None when it has none or cannot be read."""
    try:
        with zipfile.ZipFile(docx) as archive:
            comment = archive.comment
    except (OSError, zipfile.BadZipFile):
        return None
    if not comment.startswith(_STAMP_PREFIX):
        return None
    return OutputState.from_json(comment[len(_STAMP_PREFIX) :])
