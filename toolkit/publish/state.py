"""What toolkit last published for each input, kept in ``OUTPUT/.toolkit/state``.

The state is what makes a re-run skip an unchanged input: one small JSON file per input name, each
written atomically, so two processes that handle two different inputs never overwrite each other's
state. A damaged or unknown state file reads as "no state": the input is rendered again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from toolkit.publish.files import STATE_DIR, write_atomic
from toolkit.records import Outcome

__all__ = ["OutputState", "StateStore"]


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
        try:
            raw = json.loads(self._path(name).read_text("utf-8"))
            return OutputState(raw["name"], raw["fingerprint"], Outcome(raw["result"]), tuple(raw["outputs"]))
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return None

    def put(self, state: OutputState) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        body = {
            "name": state.name,
            "fingerprint": state.fingerprint,
            "result": state.result.value,
            "outputs": list(state.outputs),
        }
        write_atomic(self._path(state.name), json.dumps(body, ensure_ascii=False).encode("utf-8"))
